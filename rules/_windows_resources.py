"""Shared helpers for the Windows platform, resource and parameter rules (WIN10x-WIN12x).

Resource amounts are classified rather than compared, because the rules ask
what the ECS agent and Docker on Windows will do with a value: a missing or
null value and 0 are both "no value" to the agent; a CloudFormation intrinsic
(which may resolve to ``AWS::NoValue``), a wrong type or a negative number is
unknown, and the rules stay silent about it (E002 reports wrong types).
"""

from __future__ import annotations

from typing import Any, Literal

from ecslint.platform.windows import family_release
from ecslint.rule import Path, TaskView, is_unresolved

Amount = Literal["absent", "zero", "positive", "unknown"]

def amount(value: Any) -> Amount:
    """Classify a container's ``memory``, ``memoryReservation`` or ``cpu`` value."""
    if value is None:
        return "absent"
    if isinstance(value, bool) or not isinstance(value, int):
        return "unknown"
    if value == 0:
        return "zero"
    return "positive" if value > 0 else "unknown"


def unset(value: Any) -> bool:
    """True when the agent sees no value at all (missing, null or 0)."""
    return amount(value) in ("absent", "zero")




def effective(value: Any) -> bool:
    """True when a parameter asks for something, not just restates the default.

    ``privileged: false``, ``links: []`` or ``linuxParameters: {}`` change
    nothing on any platform; an unresolved intrinsic is unknown and counts as
    not effective, so the rules skip it.
    """
    if value is None or value is False or is_unresolved(value):
        return False
    if isinstance(value, (str, list)):
        return len(value) > 0
    if isinstance(value, dict):
        return any(effective(item) for item in value.values())
    return True


def awsvpc_blocker(task: TaskView) -> tuple[str, list[Path]] | None:
    """The hosts an awsvpc Windows task targets that cannot run it, or None.

    windows-ecs-facts.md §2 and §3b: the Windows Server 2016 AMI cannot host
    awsvpc tasks, and external (ECS Anywhere) instances have no task-ENI
    support. The host is the task's operatingSystemFamily when it names one,
    else the Windows release configured for the EC2 hosts. Returns the hosts
    in words and the paths that say so.
    """
    platform = task.platform
    family = platform.os_family
    if "EC2" in platform.launch_types:
        if family_release(family) == "2016":
            return "Windows Server 2016 hosts", [_family_path(task)]
        if family is None and task.host.windows_release == "2016":
            return "Windows Server 2016 hosts (the configured host version)", []
    if "EXTERNAL" in platform.launch_types:
        related: list[Path] = (
            [("requiresCompatibilities",)] if task.data.get("requiresCompatibilities") else [])
        return "external (ECS Anywhere) Windows instances", related
    return None


def _family_path(task: TaskView) -> Path:
    runtime = task.data.get("runtimePlatform")
    if isinstance(runtime, dict) and "operatingSystemFamily" in runtime:
        return ("runtimePlatform", "operatingSystemFamily")
    return ("placementConstraints",)
