"""FG302: a Fargate task without a task size, or with a cpu/memory pair Fargate does not offer."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from ecslint.facts import table
from ecslint.rule import (
    OS,
    Applicability,
    Finding,
    Fix,
    ReplaceText,
    Severity,
    TaskView,
    is_unresolved,
    quoted,
    rule,
    shown,
)
from ecslint.rules._fargate import fargate_task, task_fields_known
from ecslint.rules._task_size import cpu_units, memory_mib

if TYPE_CHECKING:
    from ecslint.facts.tables import FargateSize

# A size written in vCPUs or GB: the number, and the unit as the file spells it.
_SCALED = re.compile(r"^\s*(?P<number>\d+(?:\.\d*)?|\.\d+)\s*[A-Za-z]+\s*$")


@rule(
    id="FG302",
    name="fargate-task-size",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Fargate task without task cpu and memory, or with a size Fargate does not offer",
    fix_title=("Set task-level cpu and memory to a pair from the Fargate size table "
               "for the task's OS."),
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition that targets FARGATE (alone or together with
    EC2) and lacks task-level `cpu` or `memory`, sets a value in a form the
    API does not accept, or sets a pair outside the Fargate task size table.
    Values may be CPU units (`1024`, `"1024"`) or vCPUs (`"1 vCPU"`,
    `"0.25 vcpu"`), MiB (`2048`) or GB (`"2 GB"`, `"2GB"`). Windows tasks are
    checked against the Windows table: 1, 2 or 4 vCPU only. A value that is
    neither a string nor a number (an object, a list, a boolean) is left to
    E002, which reports its type.

    ## Why is this bad?
    Fargate sizes a task from its task-level `cpu` and `memory`, so both are
    required, and only the listed combinations exist. Anything else fails
    registration with `Invalid 'cpu' setting for task` (Terraform: "No Fargate
    configuration exists for given values"). Windows on Fargate needs at least
    1 vCPU and offers no 8 or 16 vCPU sizes.

    The 32 vCPU Linux tier (61440, 122880 or 249856 MiB) is new in 2026: cfn-lint
    ([#4668](https://github.com/aws-cloudformation/cfn-lint/pull/4668)) and
    Pulumi ([pulumi-awsx #2053](https://github.com/pulumi/pulumi-awsx/issues/2053))
    have it, the RegisterTaskDefinition API reference does not yet list it.
    ecslint accepts its three sizes and reports any other memory with cpu 32768
    only as a warning.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1 vCPU", "memory": "1 GB",
     "containerDefinitions": [{"name": "web", "image": "nginx"}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1 vCPU", "memory": "2 GB",
     "containerDefinitions": [{"name": "web", "image": "nginx"}]}
    ```

    ## Fix
    For a pair outside the table the fix sets `cpu` and `memory` to the
    smallest Fargate size for the task's OS with at least the cpu and at
    least the memory given (Windows `512`/`1024` becomes `1024`/`2048`), each
    written in the form the file used (`"1 vCPU"`, `"2 GB"`, `"2048"` or
    `2048`). A missing or unreadable size, a placeholder, a size larger than
    any Fargate offers and the 32 vCPU tier (not yet in every AWS source) get
    no fix. It is unsafe: the task is billed for, and limited to, the new
    size.

    ## References
    - [Troubleshoot Amazon ECS task definition invalid CPU or memory errors](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-cpu-memory-error.html)
    - [Amazon ECS task definition differences for Fargate: task CPU and memory](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html)
    - [RegisterTaskDefinition: cpu and memory](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    """
    if not fargate_task(task) or not task_fields_known(task):
        return
    data = task.data
    raw_cpu, raw_memory = data.get("cpu"), data.get("memory")
    if is_unresolved(raw_cpu) or is_unresolved(raw_memory):
        return
    missing = [key for key, raw in (("cpu", raw_cpu), ("memory", raw_memory)) if raw is None]
    if missing:
        related = [("requiresCompatibilities",)] if "requiresCompatibilities" in data else []
        yield Finding.at_key(
            (),
            f"task {task.label} targets FARGATE but sets no task-level {' and '.join(missing)}; "
            "Fargate sizes the task from both",
            related=related,
        )
        return
    cpu, memory = cpu_units(raw_cpu), memory_mib(raw_memory)
    if cpu is None and _scalar(raw_cpu):
        yield Finding.at_value(
            ("cpu",),
            f"task cpu {shown(raw_cpu)} is not a form ECS accepts: "
            "CPU units such as '1024' or vCPUs such as '1 vCPU'",
        )
    if memory is None and _scalar(raw_memory):
        yield Finding.at_value(
            ("memory",),
            f"task memory {shown(raw_memory)} is not a form ECS accepts: "
            "MiB such as '2048' or GB such as '2 GB'",
        )
    if cpu is None or memory is None:
        return
    os_name: Literal["windows", "linux"] = "windows" if task.platform.is_windows else "linux"
    tiers = table("fargate-sizes")[os_name]
    tier = next((t for t in tiers if t["cpu"] == cpu), None)
    shown_cpu = _shown(raw_cpu, cpu, "")
    fix = _nearest_fix(tiers, raw_cpu, cpu, raw_memory, memory)
    if tier is None:
        offered = ", ".join(str(t["cpu"]) for t in tiers)
        yield Finding.at_value(
            ("cpu",),
            f"task cpu {shown_cpu} is not a Fargate size for {_os_label(os_name)}; "
            f"use one of {offered}",
            related=[("memory",)],
            fix=fix,
        )
    elif not _allows(tier["memory"], memory):
        uncertain = tier.get("status") == "conflicting"
        yield Finding.at_value(
            ("memory",),
            f"task memory {_shown(raw_memory, memory, ' MiB')} does not go with task cpu "
            f"{shown_cpu} on Fargate ({_os_label(os_name)}); use {_describe(tier['memory'])}"
            + (" (the 32 vCPU tier is new and not yet in every AWS source)" if uncertain else ""),
            related=[("cpu",)],
            severity=Severity.WARNING if uncertain else None,
            fix=fix,
        )


def _nearest_fix(tiers: list[FargateSize], raw_cpu: Any, cpu: int, raw_memory: Any,
                 memory: int) -> Fix | None:
    """Set the smallest size of ``tiers`` with at least ``cpu`` and ``memory`` (not
    one of a tier whose sources conflict), each value in the form the file wrote."""
    for tier in sorted(tiers, key=lambda t: t["cpu"]):
        if tier["cpu"] < cpu or tier.get("status") == "conflicting":
            continue
        spec = tier["memory"]
        offered = spec if isinstance(spec, list) else range(spec["min"], spec["max"] + 1,
                                                            spec["step"])
        fitting = [value for value in offered if value >= memory]
        if not fitting:
            continue
        new_cpu, new_memory = _written(raw_cpu, tier["cpu"]), _written(raw_memory, fitting[0])
        if new_cpu is None or new_memory is None:
            return None
        changed = tuple(ReplaceText((key,), *change) for key, change in
                        (("cpu", new_cpu), ("memory", new_memory)) if change[0] != change[1])
        if not changed:
            return None
        return Fix(f"Set the task size to cpu {tier['cpu']} and memory {fitting[0]} MiB",
                   changed)
    return None


def _written(raw: Any, amount: int) -> tuple[str, str] | None:
    """The number as the file writes ``raw`` and ``amount`` (CPU units or MiB) in the
    same form: a number, a plain string, or vCPUs or GB (the unit stays as written);
    the text around it, its quotes and type, is kept. ``None``: no such form."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return str(raw), str(amount)
    if not isinstance(raw, str):
        return None  # a float: written as 1024.0 or 1.024e3, nothing to match
    if raw.strip().isdigit():
        return raw.strip(), str(amount)
    match = _SCALED.match(raw)
    if match is None:
        return None
    return match.group("number"), format((Decimal(amount) / 1024).normalize(), "f")


def _scalar(raw: Any) -> bool:
    """A string or a number: a value of another type is E002's finding alone."""
    return isinstance(raw, (str, int, float)) and not isinstance(raw, bool)


def _allows(spec: Any, memory: int) -> bool:
    if isinstance(spec, list):
        return memory in spec
    low, high, step = spec["min"], spec["max"], spec["step"]
    return bool(low <= memory <= high and (memory - low) % step == 0)


def _describe(spec: Any) -> str:
    if isinstance(spec, list):
        values = [str(v) for v in spec]
        return ", ".join(values[:-1]) + f" or {values[-1]} MiB"
    return f"{spec['min']}-{spec['max']} MiB in steps of {spec['step']}"


def _shown(raw: Any, parsed: int, unit: str) -> str:
    if isinstance(raw, str) and raw.strip() != str(parsed):
        return f"{quoted(raw)} ({parsed}{unit})"
    return f"{parsed}{unit}"


def _os_label(os_name: str) -> str:
    return "Windows" if os_name == OS.WINDOWS else "Linux"
