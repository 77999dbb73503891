"""Helpers shared by the general ECS rules (ECS402-ECS416).

Everything here accepts arbitrary data: a value of the wrong type, an
intrinsic function or a dynamic reference gives ``None`` ("unknown"), never an
exception, so a rule can skip what it cannot know.
"""

from __future__ import annotations

import re
from typing import Any

from ecslint.facts import table
from ecslint.rule import Container, TaskView, is_unresolved
from ecslint.rules._task_size import cpu_units, memory_mib

# Private Amazon ECR: <account>.dkr.ecr[-fips].<region>.amazonaws.com[.cn]/repo
# (https://docs.aws.amazon.com/AmazonECR/latest/userguide/Registries.html). The
# host may hold placeholders (${AWS::Region}.${AWS::URLSuffix}, Fn::Join pieces).
_ECR_HOST = re.compile(r"^[^/]*\.dkr\.ecr(?:-fips)?\.[^/]+/", re.IGNORECASE)


def limits() -> Any:
    """The table ``linter/facts/data/ecs-limits.json``."""
    return table("ecs-limits")


def as_int(value: Any) -> int | None:
    """An integer as the API takes it (not a bool, not a string), else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def task_cpu(value: Any) -> int | None:
    """Task-level cpu in CPU units; None when unknown, zero or negative."""
    units = cpu_units(value)
    return units if units else None


def task_memory(value: Any) -> int | None:
    """Task-level memory in MiB; None when unknown, zero or negative."""
    mib = memory_mib(value)
    return mib if mib else None








def containers_by_name(task: TaskView) -> tuple[dict[str, Container], bool]:
    """The containers by name (the first of duplicates), and whether the map is
    complete: False when an entry is not a mapping or its name is unknown (an
    intrinsic function), so a reference to an unlisted name may still be valid."""
    items = task.data.get("containerDefinitions")
    complete = isinstance(items, list) and all(isinstance(item, dict) for item in items)
    names: dict[str, Container] = {}
    for container in task.containers:
        name = container.data.get("name")
        if isinstance(name, str) and not is_unresolved(name):
            names.setdefault(name, container)
        else:
            complete = False
    return names, complete


def essential(container: Container) -> bool | None:
    """Whether a container is essential (the default is true); None when unknown."""
    value = container.data.get("essential", True)
    return value if isinstance(value, bool) else None


def mappings(value: Any) -> list[tuple[int, dict[str, Any]]]:
    """The (index, item) pairs of a list that are mappings; nothing for anything else."""
    if not isinstance(value, list):
        return []
    return [(index, item) for index, item in enumerate(value) if isinstance(item, dict)]


def _template_text(value: Any) -> str | None:
    """The text of an image reference, with CloudFormation Fn::Sub and Fn::Join
    flattened so their literal parts can be read; None when nothing is literal."""
    if isinstance(value, str):
        return value
    if not isinstance(value, dict) or len(value) != 1:
        return None
    key, body = next(iter(value.items()))
    if key == "Fn::Sub":
        template = body[0] if isinstance(body, list) and body else body
        return template if isinstance(template, str) else None
    if key == "Fn::Join" and isinstance(body, list) and len(body) == 2:
        separator, parts = body
        if isinstance(separator, str) and isinstance(parts, list):
            return separator.join(p if isinstance(p, str) else "" for p in parts)
    return None


def is_private_ecr_image(value: Any) -> bool:
    """True for an image in a private Amazon ECR registry (not public.ecr.aws)."""
    text = _template_text(value)
    return text is not None and _ECR_HOST.match(text.strip()) is not None
