"""Shared by the FG3xx rules: which tasks get the Fargate checks, how task size
values are read (``rules/_task_size.py``), and port numbers.

A task gets the Fargate checks when FARGATE is among its launch types, also
together with EC2 (ECS validates such a task definition against each
compatibility; windows-ecs-facts.md §7). Task cpu and memory accept the forms
the API documents (§3a): CPU units (``1024``, ``"1024"``) or vCPUs (``"1 vCPU"``,
``"0.25 vcpu"``), MiB (``2048``) or GB (``"2 GB"``, ``"2GB"``).
"""

from __future__ import annotations

from typing import Any

from ecslint.rule import TaskView


def fargate_task(task: TaskView) -> bool:
    """True when the task targets FARGATE (alone or next to other launch types)."""
    return task.platform.on_fargate


def task_fields_known(task: TaskView) -> bool:
    """False for a bare list of container definitions: its task-level fields live elsewhere."""
    return task.task_fields_known


def is_set(value: Any) -> bool:
    """True for a value that configures something (not null, false or empty)."""
    return value is not None and value is not False and value != [] and value != {} and value != ""


def port_number(value: Any) -> int | None:
    """A port given as an integer or a digit string (CloudFormation), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    # ASCII digits only: "²".isdigit() is true but int("²") raises; and at most
    # 18 of them, as int() refuses more than 4300.
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 18:
        return int(text)
    return None
