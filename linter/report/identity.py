"""What makes two findings the same finding, across runs and edits.

A finding is known by its file, task, rule and JSON pointer, never by line,
column or message, so reformatting a file or rewording a message keeps it the
same finding. Inside a named container its position does not count but its name
does: for a pointer below ``/containerDefinitions/<i>``
(``/ContainerDefinitions/<i>`` in CloudFormation, ``/container_definitions/<i>``
in Terraform, ``/<i>`` in a bare list of container definitions) ``<i>`` becomes
``*`` and the container's name is part of the identity, so adding or reordering
containers keeps old findings the same. In Terraform plan JSON the resource's place
(``/planned_values/root_module/resources/<i>/values``, ``/resource_changes/<i>/change/after``)
becomes ``*``: the task, its address, names the resource, and a plan renumbers its
resources whenever one is added.

Baselines match findings on this identity, and SARIF's ``partialFingerprints``
are a hash of it, so a finding a baseline keeps absorbing is also the alert code
scanning keeps open.
"""

from __future__ import annotations

import hashlib
import json
import re

from ecslint.report.model import ReportedFinding

_INDEX = re.compile(r"0|[1-9][0-9]*")
_CONTAINER_LISTS = frozenset({"containerDefinitions", "ContainerDefinitions",
                              "container_definitions"})

_PLAN_RESOURCE = re.compile(
    r"/(?:planned_values/root_module(?:/child_modules/\d+)*/resources/\d+/values"
    r"|resource_changes/\d+/change/after)(?=/|$)")

# file, task, rule, container, pointer
Identity = tuple[str, str | None, str, str | None, str]


def identity(file: str, task: str | None, container: str | None, pointer: str,
             rule: str) -> Identity:
    """The identity of a finding of ``rule`` at ``pointer``; ``file`` is the name the
    caller's output gives the file (relative to a baseline, a SARIF URI)."""
    plan_resource = _PLAN_RESOURCE.match(pointer) if task is not None else None
    if plan_resource:
        pointer = "*" + pointer[plan_resource.end():]
    if container is not None:
        parts = pointer.split("/")
        for index in range(1, len(parts)):
            if _INDEX.fullmatch(parts[index]) and (
                index == 1 or parts[index - 1] in _CONTAINER_LISTS
            ):
                parts[index] = "*"
                pointer = "/".join(parts)
                break
    return file, task, rule, container, pointer


def of_finding(finding: ReportedFinding, file: str) -> Identity:
    """The identity of a reported finding whose file is named ``file``."""
    return identity(file, finding.task, finding.container, finding.location.pointer,
                    finding.rule.id)


def fingerprint(key: Identity) -> str:
    """A stable hash of an identity: 32 hex digits."""
    return hashlib.sha256(json.dumps(list(key)).encode("ascii")).hexdigest()[:32]
