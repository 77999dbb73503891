"""Shared by the WIN13x-WIN17x rules: which Windows host family a task names, whether
its placement is pinned to an OS, and what a Windows path looks like.

The host family comes, in the catalogue's order, from
``runtimePlatform.operatingSystemFamily``, from ``memberOf`` placement constraints on
``ecs.os-family`` (windows-ecs-facts.md §6), or from the configured hosts
(``host: windows-version``), the last only for a Windows task on EC2 or EXTERNAL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ecslint.platform.detect import constraint_terms
from ecslint.platform.windows import family_release
from ecslint.rule import Path, TaskView, is_unresolved

FAMILY_PATH: Path = ("runtimePlatform", "operatingSystemFamily")
_OS_ATTRIBUTE = re.compile(r"ecs\.os-(?:type|family)", re.IGNORECASE)
# Docker on Windows: a drive letter, optionally followed by a separator (`D:` alone is a
# whole drive, which the agent keeps as is; windows-ecs-facts.md §1b).
_DRIVE = re.compile(r"^(?P<letter>[A-Za-z]):(?:[\\/]|$)")


@dataclass(frozen=True)
class HostFamily:
    """A Windows host family the task names.

    ``family`` is the operatingSystemFamily value (``WINDOWS_SERVER_2016_FULL``) or,
    for a configured host given as a bare release, ``None``; ``release`` is ``2016``,
    ``2004``, ``20H2`` ...; ``path`` is where the file names it (``None`` for the
    configured host); ``origin`` says in words where it came from.
    """

    family: str | None
    release: str
    path: Path | None
    origin: str


def host_families(task: TaskView) -> list[HostFamily]:
    """The Windows host families the task names, from the first source that has any."""
    runtime = task.data.get("runtimePlatform")
    if is_unresolved(runtime):
        return []
    if isinstance(runtime, dict) and "operatingSystemFamily" in runtime:
        value = runtime["operatingSystemFamily"]
        found = family_release(value)
        if found is None:
            return []
        return [HostFamily(value.upper(), found, FAMILY_PATH,
                           "runtimePlatform.operatingSystemFamily")]
    from_constraints = list(_constraint_families(task.data.get("placementConstraints")))
    if from_constraints:
        return from_constraints
    host = task.host
    if host.windows_release and task.platform.is_windows and task.platform.on_ec2:
        family = None
        if host.windows_edition:
            family = f"WINDOWS_SERVER_{host.windows_release}_{host.windows_edition}".upper()
        return [HostFamily(family, host.windows_release.upper(), None,
                           host.windows_source or "the configured hosts")]
    return []


def family_constraints(constraints: Any) -> Iterator[tuple[int, list[str]]]:
    """``(index, values)`` for each term of a ``memberOf`` constraint that asks for
    ``ecs.os-family`` with ``==`` or ``in``, in the order they are written."""
    if not isinstance(constraints, list):
        return
    for index, constraint in enumerate(constraints):
        if not isinstance(constraint, dict) or constraint.get("type") != "memberOf":
            continue
        expression = constraint.get("expression")
        if not isinstance(expression, str) or is_unresolved(expression):
            continue
        for attribute, operator, values in constraint_terms(expression):
            if attribute == "family" and operator in ("==", "in") and values:
                yield index, values


def _constraint_families(constraints: Any) -> Iterator[HostFamily]:
    for index, values in family_constraints(constraints):
        for value in (v.upper() for v in values):
            release = family_release(value)
            if release is not None:
                yield HostFamily(value, release, ("placementConstraints", index, "expression"),
                                 f"placementConstraints[{index}]")


def placement_pinned(task: TaskView) -> bool:
    """True when the task pins its OS: runtimePlatform names an operatingSystemFamily, or a
    memberOf constraint tests ecs.os-type or ecs.os-family. Anything CloudFormation
    resolves at deploy time counts as pinned, since it may well be."""
    data = task.data
    runtime = data.get("runtimePlatform")
    if is_unresolved(runtime) or (isinstance(runtime, dict)
                                  and "operatingSystemFamily" in runtime):
        return True
    return constraints_pin_os(data.get("placementConstraints"))


def constraints_pin_os(constraints: Any) -> bool:
    """True when placement constraints (a task definition's or a service's) test
    ecs.os-type or ecs.os-family in a memberOf expression, or may (unresolved)."""
    if is_unresolved(constraints):
        return True
    if not isinstance(constraints, list):
        return False
    for constraint in constraints:
        if is_unresolved(constraint):
            return True
        if not isinstance(constraint, dict):
            continue
        kind, expression = constraint.get("type"), constraint.get("expression")
        if is_unresolved(kind) or is_unresolved(expression):
            return True
        if kind == "memberOf" and isinstance(expression, str) and tests_os(expression):
            return True
    return False


def tests_os(expression: str) -> bool:
    """Whether a memberOf expression tests ecs.os-type or ecs.os-family."""
    return _OS_ATTRIBUTE.search(expression) is not None


def drive_letter(path: Any) -> str | None:
    """The upper-case drive letter a Windows path starts with, or ``None``."""
    if not isinstance(path, str):
        return None
    match = _DRIVE.match(path.strip())
    return match.group("letter").upper() if match else None


def is_posix_path(path: Any) -> bool:
    """True for an absolute POSIX path (``/data``). A leading ``//`` is left alone: it may
    be a UNC or named-pipe path written with forward slashes."""
    return isinstance(path, str) and path.startswith("/") and not path.startswith("//")


def host_volumes(task: TaskView) -> dict[str, tuple[int, dict[str, Any]]]:
    """Task volumes with a ``host`` block, by name: (index, host block)."""
    volumes = task.data.get("volumes")
    found: dict[str, tuple[int, dict[str, Any]]] = {}
    if not isinstance(volumes, list):
        return found
    for index, volume in enumerate(volumes):
        if not isinstance(volume, dict):
            continue
        name, host = volume.get("name"), volume.get("host")
        if isinstance(name, str) and isinstance(host, dict):
            found.setdefault(name, (index, host))
    return found
