"""Decide, once per task, which OS and launch types it targets, and say why.

The order is the catalogue's ("Detecting the platform"): runtimePlatform's
operatingSystemFamily; a ``memberOf`` placement constraint on ``ecs.os-type``
or ``ecs.os-family``; the configured platform; then signals in the
definition (Windows images, FSx for Windows volumes, credentialSpecs,
drive-letter paths). Without any signal a task is Linux, as ECS assumes.
Launch types come from requiresCompatibilities, else the configured default
(EC2 unless configured). Every decision carries the signal that made it, in
words, so ``--verbose`` and ``--format json`` can show it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from ecslint.images import is_windows_image
from ecslint.rule import Platform, is_unresolved

LAUNCH_TYPES = ("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES")
_CONSTRAINT = re.compile(
    r"attribute:ecs\.os-(?P<attr>type|family)\s*(?P<op>==|!=|in|not in)\s*(?P<value>.+)$",
    re.IGNORECASE,
)
_DRIVE_PATH = re.compile(r"^(?:[A-Za-z]:(?:[\\/]|$)|\\\\)")


def detect(
    data: dict[str, Any],
    *,
    assumed_os: str | None = None,
    default_launch_type: str = "EC2",
    task_fields_known: bool = True,
) -> Platform:
    """Return the platform of one canonical task definition.

    ``assumed_os`` is the configured platform (``windows`` or ``linux``);
    ``task_fields_known`` is False for a bare list of container definitions,
    whose task-level fields live elsewhere.
    """
    os_name, family, signal = _os(data, assumed_os)
    launch_types, launch_signal = _launch_types(data, default_launch_type, task_fields_known)
    return Platform(os_name, family, signal, launch_types, launch_signal)


def _os(data: dict[str, Any], assumed_os: str | None) -> tuple[str, str | None, str]:
    runtime = data.get("runtimePlatform")
    if isinstance(runtime, dict):
        family = runtime.get("operatingSystemFamily")
        if isinstance(family, str) and not is_unresolved(family):
            os_name = "linux" if family.upper() == "LINUX" else "windows"
            return os_name, family, "runtimePlatform.operatingSystemFamily"
    from_constraint = _from_constraints(data.get("placementConstraints"))
    if from_constraint is not None:
        return from_constraint
    if assumed_os in ("windows", "linux"):
        return assumed_os, None, "configured platform"
    signal = next(_windows_signals(data), None)
    if signal is not None:
        return "windows", None, signal
    return "linux", None, "default: no Windows signal in the definition"


def _from_constraints(constraints: Any) -> tuple[str, str | None, str] | None:
    if not isinstance(constraints, list):
        return None
    for index, constraint in enumerate(constraints):
        if not isinstance(constraint, dict) or constraint.get("type") != "memberOf":
            continue
        expression = constraint.get("expression")
        if not isinstance(expression, str):
            continue
        match = _CONSTRAINT.search(expression.strip())
        if not match or match.group("op").lower() not in ("==", "in"):
            continue
        values = [v.strip(" '\"") for v in match.group("value").strip("[]() ").split(",")]
        values = [v for v in values if v]
        if not values:
            continue
        if all(v.lower() == "linux" for v in values):
            os_name = "linux"
        elif all(v.lower() == "windows" or v.upper().startswith("WINDOWS_") for v in values):
            os_name = "windows"
        else:
            continue
        family = values[0].upper() if len(values) == 1 and "_" in values[0] else None
        return os_name, family, f"placementConstraints[{index}] ({expression.strip()})"
    return None


def _windows_signals(data: dict[str, Any]) -> Iterator[str]:
    items = data.get("containerDefinitions")
    containers = [c for c in items if isinstance(c, dict)] if isinstance(items, list) else []
    for container in containers:
        image = container.get("image")
        if isinstance(image, str) and is_windows_image(image):
            yield f"Windows image {image}"
    volumes = data.get("volumes")
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, dict) and "fsxWindowsFileServerVolumeConfiguration" in volume:
            yield "an FSx for Windows File Server volume"
    for container in containers:
        if container.get("credentialSpecs"):
            yield "credentialSpecs (gMSA)"
    for container in containers:
        mounts = container.get("mountPoints")
        for mount in mounts if isinstance(mounts, list) else []:
            path = mount.get("containerPath") if isinstance(mount, dict) else None
            if isinstance(path, str) and _DRIVE_PATH.match(path):
                yield f"drive-letter path {path}"
    for volume in volumes if isinstance(volumes, list) else []:
        host = volume.get("host") if isinstance(volume, dict) else None
        path = host.get("sourcePath") if isinstance(host, dict) else None
        if isinstance(path, str) and _DRIVE_PATH.match(path):
            yield f"drive-letter path {path}"


def _launch_types(
    data: dict[str, Any], default: str, task_fields_known: bool
) -> tuple[tuple[str, ...], str]:
    requires = data.get("requiresCompatibilities")
    if isinstance(requires, list) and requires:
        values = tuple(sorted(
            {v.upper() for v in requires if isinstance(v, str) and not is_unresolved(v)}
        ))
        if values:
            return values, "requiresCompatibilities"
    if not task_fields_known:
        return (default,), f"assumed {default}: task-level fields are not in this file"
    return (default,), f"default {default}: no requiresCompatibilities"
