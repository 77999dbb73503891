"""ECS418: the task needs more CPU or memory than any instance it can run on registers."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._ecs import as_int, task_cpu, task_memory


@rule(
    id="ECS418",
    name="task-larger-than-instances",
    severity=Severity.ERROR,
    since="0.2.0",
    summary="Task needs more CPU or memory than any container instance registers",
    fix_title="Make the task smaller, or add instances large enough for it to the cluster.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    With the cluster's real hosts known (`ecslint aws --cluster`), reports a
    task whose CPU or memory is larger than every container instance of its
    OS registers: the task-level `cpu` and `memory` when set, else the sum of
    its containers' `cpu` and `memory` (or `memoryReservation`). The message
    names the largest instance.

    ## Why is this bad?
    ECS places a task only on an instance with that much CPU and memory left;
    when no instance registers as much in all, the service's tasks stay
    unplaced ("no container instance met all of its requirements ... has
    insufficient memory available") until the cluster gets larger instances.
    An instance registers less memory than its type has: the agent and the
    operating system keep some (`ECS_RESERVED_MEMORY`, and on Windows the OS
    takes more).

    ## Example
    ```json
    {"family": "report", "requiresCompatibilities": ["EC2"],
     "cpu": "4096", "memory": "16384",
     "containerDefinitions": [{"name": "report", "image": "report:1"}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": null, "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "cpu": 2048, "memory": 7680, "attributes": {"ecs.os-type": "linux"}}]}
    ```

    ## Use instead
    ```json
    {"family": "report", "requiresCompatibilities": ["EC2"],
     "cpu": "2048", "memory": "7168",
     "containerDefinitions": [{"name": "report", "image": "report:1"}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": null, "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "cpu": 2048, "memory": 7680, "attributes": {"ecs.os-type": "linux"}}]}
    ```

    ## References
    - [Amazon ECS task placement (resources an instance must have left)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html)
    - [Container instance memory management (registered memory)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/memory-management.html)
    """
    placement = task.host.placement
    if placement is None or not placement.on_instances or not task.platform.on_ec2:
        return
    instances, kind = placement.of_os(task.platform.os)
    for resource, unit, needed, path in (("cpu", "CPU units", *_cpu(task)),
                                         ("memory", "MiB of memory", *_memory(task))):
        sized = [i for i in instances if getattr(i, resource) is not None]
        most = max((getattr(i, resource) for i in sized), default=None)
        if needed is None or most is None or needed <= most:
            continue
        largest = next(i for i in sized if getattr(i, resource) == most)
        which = (f"the only {kind}container instance" if len(sized) == 1 else
                 f"any of the {len(sized)} {kind}container instances")
        yield Finding.at_value(
            path,
            f"the task needs {needed} {unit}, more than {which} of cluster "
            f"{placement.cluster!r} registers ({largest.id}: {most}), so ECS cannot place "
            f"it",
        )


def _cpu(task: TaskView) -> tuple[int | None, tuple[str, ...]]:
    level = task_cpu(task.data.get("cpu"))
    if level is not None:
        return level, ("cpu",)
    total = sum(as_int(c.data.get("cpu")) or 0 for c in task.containers)
    return (total or None), ("containerDefinitions",)


def _memory(task: TaskView) -> tuple[int | None, tuple[str, ...]]:
    level = task_memory(task.data.get("memory"))
    if level is not None:
        return level, ("memory",)
    total = sum(as_int(c.data.get("memory")) or as_int(c.data.get("memoryReservation")) or 0
                for c in task.containers)
    return (total or None), ("containerDefinitions",)
