"""ECS407: the containers ask for more memory or CPU than the task has."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator

from ecslint.rule import Container, Finding, Path, Severity, TaskView, listing, rule
from ecslint.rules._ecs import as_int, task_cpu, task_memory


@rule(
    id="ECS407",
    name="container-resources-exceed-task",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Container memory or cpu adds up to more than the task-level value",
    fix_title="Raise the task's cpu/memory or lower the containers' values so they fit.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Compares the containers with the task-level `memory` and `cpu` (which may
    be written `"2048"`, `"2 GB"`, `"1024"` or `"1 vCPU"`):
    - a container whose `memory` (hard limit) or `cpu` alone is above the
      task's value is reported on that container's value;
    - otherwise, when the containers together reserve more than the task has,
      the finding sits on the task's value, with the containers' values as
      related locations. A container reserves its `memoryReservation`, or its
      `memory` when it has no reservation.

    Task-level values only CloudFormation knows are skipped. Windows tasks on
    EC2 (or EXTERNAL) are not checked: there the task-level values are ignored
    and WIN113 says so. Windows on Fargate is checked.

    ## Why is this bad?
    The task-level values are the task's size; the total memory and CPU
    reserved for its containers must fit in them. Registration fails with
    "The 'memory' setting for container ... is greater than for the task".

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "512", "memory": "1 GB",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 768},
       {"name": "sidecar", "image": "amazon/aws-xray-daemon", "memory": 512}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "512", "memory": "2 GB",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 768},
       {"name": "sidecar", "image": "amazon/aws-xray-daemon", "memory": 512}]}
    ```

    ## References
    - [Task definition parameters: task size](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    - [ContainerDefinition memory and cpu (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    if not task.task_fields_known:
        return
    if task.platform.is_windows and not task.platform.on_fargate:
        return
    memory = task_memory(task.data.get("memory"))
    if memory is not None:
        yield from _compare(task, "memory", memory, "MiB", _memory_reserved)
    cpu = task_cpu(task.data.get("cpu"))
    if cpu is not None:
        yield from _compare(task, "cpu", cpu, "CPU units", _cpu_reserved)


def _memory_reserved(container: Container) -> tuple[int | None, str]:
    reservation = as_int(container.data.get("memoryReservation"))
    if reservation is not None and reservation > 0:
        return reservation, "memoryReservation"
    return as_int(container.data.get("memory")), "memory"


def _cpu_reserved(container: Container) -> tuple[int | None, str]:
    return as_int(container.data.get("cpu")), "cpu"


Reserved = Callable[[Container], tuple[int | None, str]]


def _compare(task: TaskView, key: str, available: int, unit: str,
             reserved: Reserved) -> Iterator[Finding]:
    over = False
    for container in task.containers:
        limit = as_int(container.data.get(key))
        if limit is not None and limit > available:
            over = True
            yield Finding.at_value(
                container.path + (key,),
                f"container {container.label} sets {key} to {_shown(limit)} {unit}, above the "
                f"task's {key} of {_shown(available)} {unit}",
                related=[(key,)],
            )
    if over:
        return
    parts: list[tuple[Container, int, Path]] = []
    for container in task.containers:
        amount, field = reserved(container)
        if amount is not None and amount > 0:
            parts.append((container, amount, container.path + (field,)))
    total = sum(amount for _, amount, _ in parts)
    if total > available:
        amounts = listing(f"{c.label} {_shown(amount)}" for c, amount, _ in parts)
        yield Finding.at_value(
            (key,),
            f"the containers of task {task.label} reserve {_shown(total)} {unit} together "
            f"({amounts}), above the task's {key} of {_shown(available)} {unit}",
            related=[path for _, _, path in parts],
        )


def _shown(amount: int) -> str:
    """``amount`` in digits, or its order of magnitude past 30 digits: a sum of two
    4,300-digit values is past what Python prints (ValueError), and no task has it."""
    if amount < 10**30:
        return str(amount)
    exponent = math.floor(math.log10(amount))
    if 10**exponent > amount:  # log10 rounds 10^4300 - 1 up to 4300.0
        exponent -= 1
    return f"at least 10^{exponent}"
