"""Shared by the FG3xx rules: which tasks get the Fargate checks, how task size
values are read, and the containers a rule may look into.

A task gets the Fargate checks when FARGATE is among its launch types, also
together with EC2 (ECS validates such a task definition against each
compatibility; windows-ecs-facts.md §7). Task cpu and memory accept the forms
the API documents (§3a): CPU units (``1024``, ``"1024"``) or vCPUs (``"1 vCPU"``,
``"0.25 vcpu"``), MiB (``2048``) or GB (``"2 GB"``, ``"2GB"``).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from ecslint.rule import TaskView

_PLAIN = re.compile(r"^\s*(\d+)\s*$")
_VCPU = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*vcpus?\s*$", re.IGNORECASE)
_GB = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*gb\s*$", re.IGNORECASE)
_PER_UNIT = 1024


def fargate_task(task: TaskView) -> bool:
    """True when the task targets FARGATE (alone or next to other launch types)."""
    return task.platform.on_fargate


def task_fields_known(task: TaskView) -> bool:
    """False for a bare list of container definitions: its task-level fields live elsewhere."""
    return task.source != "container-list"






def is_set(value: Any) -> bool:
    """True for a value that configures something (not null, false or empty)."""
    return value is not None and value is not False and value != [] and value != {} and value != ""


def cpu_units(value: Any) -> int | None:
    """Task cpu in CPU units, or None when the value has no form the API accepts."""
    return _size(value, _VCPU)


def memory_mib(value: Any) -> int | None:
    """Task memory in MiB, or None when the value has no form the API accepts."""
    return _size(value, _GB)


def _size(value: Any, scaled: re.Pattern[str]) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value >= 0 else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and value >= 0 else None
    if not isinstance(value, str):
        return None
    plain = _PLAIN.match(value)
    if plain:
        return int(plain.group(1))
    match = scaled.match(value)
    if not match:
        return None
    try:
        amount = Decimal(match.group(1)) * _PER_UNIT
    except InvalidOperation:
        return None
    return int(amount) if amount == amount.to_integral_value() else None


def port_number(value: Any) -> int | None:
    """A port given as an integer or a digit string (CloudFormation), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return None
