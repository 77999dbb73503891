"""Decide, once per task, which OS and launch types it targets, and say why.

The order is the catalogue's ("Detecting the platform"): runtimePlatform's
operatingSystemFamily; a ``memberOf`` placement constraint on ``ecs.os-type``
or ``ecs.os-family``; the configured platform; then signals in the
definition (Windows images, FSx for Windows volumes, drive-letter and
named-pipe paths, a ``powershell`` or ``cmd`` entry point), then the OS of the
container instances the same CloudFormation template launches (an
ECS-optimized Windows or Linux AMI). ``credentialSpecs`` is not a signal,
although the catalogue once listed it: Linux containers use gMSA through it too
(Developer Guide, "Using gMSAs for Linux containers on Amazon EC2"). Weaker
hints (an image named for Windows, a ``C:\\`` path in a command, no image known
before deployment) make the OS ``unknown``, so neither Windows nor Linux rules
guess. An image that only exists for Linux (``alpine``, ``amazonlinux``, a
``-bookworm`` tag ...) makes a task Linux: Windows instances cannot run it.
Without any signal, a task that may run on Fargate is Linux (operatingSystemFamily
defaults to ``LINUX`` there), one for Managed Instances too (Linux only), and one
for EC2 or EXTERNAL is ``unknown``: the instance it lands on decides.
Launch types come from requiresCompatibilities, else the configured default
(EC2 unless configured). Every decision carries the signal that made it, in
words, so ``--verbose`` and ``--format json`` can show it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from ecslint.kinds import OS, Shape
from ecslint.load.sourcemap import Path
from ecslint.platform.images import is_windows_image
from ecslint.platform.windows import build_summary, is_linux_image, registry_os
from ecslint.report.model import TaskSummary
from ecslint.rule import HostKnowledge, Platform, TaskView, is_unresolved

if TYPE_CHECKING:
    from ecslint.config.lint_options import LintOptions
    from ecslint.distribution.resolution import Resolution
    from ecslint.tasks.cfn_parameters import Instances
    from ecslint.tasks.shapes import FoundTask

LAUNCH_TYPES = ("EC2", "FARGATE", "EXTERNAL", "MANAGED_INSTANCES")
# One term of a memberOf expression (windows-ecs-facts.md §6); a value ends at
# whitespace unless it is a bracketed or parenthesised list.
_CONSTRAINT = re.compile(
    r"attribute:ecs\.os-(?P<attr>type|family)\s*(?P<op>==|!=|\bnot\s+in\b|\bin\b)\s*"
    r"(?P<value>\[[^\]]*\]|\([^)]*\)|[^\s)]+)",
    re.IGNORECASE,
)
_DRIVE_PATH = re.compile(r"^[A-Za-z]:(?:[\\/]|$)")
# \\.\pipe\name, the Docker engine's named pipe (also written with forward slashes).
_NAMED_PIPE = re.compile(r"^[\\/]{2}\.[\\/]pipe[\\/]", re.IGNORECASE)
_UNC_PATH = re.compile(r"^\\\\")
# Windows shells: Linux PowerShell installs as pwsh, never as powershell.
_WINDOWS_SHELL = re.compile(r"^(?:powershell|cmd)(?:\.exe)?$", re.IGNORECASE)
_WINDOWS_WORD = re.compile(r"(?:^|[/_.:-])windows(?:$|[/_.:-])", re.IGNORECASE)
_DRIVE_IN_TEXT = re.compile(r"(?:^|[\s\"'=])[A-Za-z]:\\")


def detect(
    data: dict[str, Any],
    *,
    assumed_os: str | None = None,
    default_launch_type: str = "EC2",
    task_fields_known: bool = True,
    image_patterns: Iterable[str] = (),
    origin: Callable[[Path], str | None] | None = None,
    instances: tuple[OS, str] | None = None,
    resolved: Mapping[str, Resolution] | None = None,
) -> Platform:
    """Return the platform of one canonical task definition.

    ``assumed_os`` is the configured platform (``windows`` or ``linux``);
    ``task_fields_known`` is False for a bare list of container definitions,
    whose task-level fields live elsewhere; ``image_patterns`` are the
    configured globs of private images known to be Windows images. ``origin``
    says where a value came from when the file does not spell it (a
    CloudFormation parameter's default); ``instances`` is the OS of the
    container instances the same template launches and the words that say so;
    ``resolved`` what the images' registries answered (``--resolve-images``): an image
    with Windows variants only is a Windows signal, one without any a Linux one.
    """
    def noted(signal: str, path: Path) -> str:
        where = next((w for p in (path, path + (0,)) if origin and (w := origin(p))), None)
        return f"{signal} from {where}" if where else signal

    launch_types, launch_signal = _launch_types(data, default_launch_type, task_fields_known)
    if launch_signal == "requiresCompatibilities":
        launch_signal = noted(launch_signal, ("requiresCompatibilities",))
    os_name, family, signal, source = _os(data, assumed_os, tuple(image_patterns),
                                          resolved or {})
    on_ec2 = "EC2" in launch_types or "EXTERNAL" in launch_types
    if source == "runtimePlatform":
        signal = noted(signal, ("runtimePlatform", "operatingSystemFamily"))
    elif os_name == OS.UNKNOWN and instances is not None and on_ec2 and task_fields_known:
        os_name, signal, source = *instances, "template"
    elif source == "default":
        os_name, signal = _without_signal(launch_types, task_fields_known)
    return Platform(os_name, family, signal, launch_types, launch_signal, source)


def _without_signal(launch_types: tuple[str, ...], task_fields_known: bool) -> tuple[OS, str]:
    """No OS signal: Fargate's operatingSystemFamily defaults to LINUX and Managed
    Instances run Linux only; on EC2 or EXTERNAL the instance decides."""
    if task_fields_known and "FARGATE" in launch_types:
        return OS.LINUX, "default: FARGATE without runtimePlatform is LINUX"
    if task_fields_known and launch_types == ("MANAGED_INSTANCES",):
        return OS.LINUX, "default: Managed Instances run Linux containers only"
    if not task_fields_known:
        return OS.UNKNOWN, "unknown: no OS signal (task-level fields are not in this file)"
    where = ", ".join(t for t in launch_types if t in ("EC2", "EXTERNAL")) or "EC2"
    return OS.UNKNOWN, f"unknown: no OS signal ({where} without runtimePlatform)"


def _os(
    data: dict[str, Any], assumed_os: str | None, patterns: tuple[str, ...],
    resolved: Mapping[str, Resolution],
) -> tuple[OS, str | None, str, str]:
    runtime = data.get("runtimePlatform")
    if isinstance(runtime, dict):
        family = runtime.get("operatingSystemFamily")
        if isinstance(family, str) and not is_unresolved(family):
            os_name = OS.LINUX if family.upper() == "LINUX" else OS.WINDOWS
            return os_name, family, "runtimePlatform.operatingSystemFamily", "runtimePlatform"
    from_constraint = _from_constraints(data.get("placementConstraints"))
    if from_constraint is not None:
        return (*from_constraint, "placementConstraint")
    if assumed_os in (OS.WINDOWS, OS.LINUX):
        return OS(assumed_os), None, "configured platform", "configuration"
    containers = _containers(data)
    signal = next(_windows_signals(data, containers, patterns, resolved), None)
    if signal is not None:
        return OS.WINDOWS, None, signal, "definition"
    hint = _windows_hint(containers)
    if hint is not None:
        return OS.UNKNOWN, None, hint, "definition"
    for container in containers:
        image = container.get("image")
        if isinstance(image, str) and registry_os(image, resolved) == OS.LINUX:
            return OS.LINUX, None, f"image {image.strip()} has no Windows variant (registry)", \
                "definition"
        if isinstance(image, str) and is_linux_image(image) and image.strip() not in resolved:
            return OS.LINUX, None, f"Linux-only image {image.strip()}", "definition"
    return OS.UNKNOWN, None, "unknown: no OS signal", "default"


def constraint_terms(expression: str) -> Iterator[tuple[str, str, list[str]]]:
    """The ``ecs.os-type`` / ``ecs.os-family`` terms of a memberOf expression, as
    (attribute, operator, values); compound expressions (``... and ...``) work."""
    for match in _CONSTRAINT.finditer(expression):
        values = [v.strip(" '\"") for v in match.group("value").strip("[]() ").split(",")]
        yield match.group("attr").lower(), match.group("op").lower(), [v for v in values if v]


def _from_constraints(constraints: Any) -> tuple[OS, str | None, str] | None:
    if not isinstance(constraints, list):
        return None
    for index, constraint in enumerate(constraints):
        if not isinstance(constraint, dict) or constraint.get("type") != "memberOf":
            continue
        expression = constraint.get("expression")
        if not isinstance(expression, str):
            continue
        for _, operator, values in constraint_terms(expression):
            if operator not in ("==", "in") or not values:
                continue
            if all(v.lower() == "linux" for v in values):
                os_name = OS.LINUX
            elif all(v.lower() == "windows" or v.upper().startswith("WINDOWS_") for v in values):
                os_name = OS.WINDOWS
            else:
                continue
            family = values[0].upper() if len(values) == 1 and "_" in values[0] else None
            return os_name, family, f"placementConstraints[{index}] ({expression.strip()})"
    return None


def _containers(data: dict[str, Any]) -> list[dict[str, Any]]:
    items = data.get("containerDefinitions")
    return [c for c in items if isinstance(c, dict)] if isinstance(items, list) else []


def _windows_signals(
    data: dict[str, Any], containers: list[dict[str, Any]], patterns: tuple[str, ...],
    resolved: Mapping[str, Resolution],
) -> Iterator[str]:
    for container in containers:
        image = container.get("image")
        if isinstance(image, str) and registry_os(image, resolved) == OS.WINDOWS:
            yield f"Windows image {image.strip()} (registry)"
        elif isinstance(image, str) and is_windows_image(image):
            yield f"Windows image {image}"
        elif isinstance(image, str) and any(fnmatchcase(image, p) for p in patterns):
            yield f"image {image} (configured as a Windows image)"
    volumes = data.get("volumes")
    for volume in volumes if isinstance(volumes, list) else []:
        if isinstance(volume, dict) and "fsxWindowsFileServerVolumeConfiguration" in volume:
            yield "an FSx for Windows File Server volume"
    for container in containers:
        for key in ("entryPoint", "command"):
            words = container.get(key)
            first = words[0] if isinstance(words, list) and words else None
            if isinstance(first, str) and _WINDOWS_SHELL.match(first.strip().split(" ")[0]):
                yield f"Windows shell in {key} ({first.strip().split(' ')[0]})"
        options = container.get("dockerSecurityOptions")
        if isinstance(options, list) and any(
            isinstance(o, str) and o.lower().startswith("credentialspec:") for o in options
        ):
            yield "a gMSA credentialspec in dockerSecurityOptions"
    for container in containers:
        mounts = container.get("mountPoints")
        for mount in mounts if isinstance(mounts, list) else []:
            path = mount.get("containerPath") if isinstance(mount, dict) else None
            if isinstance(path, str) and (kind := _windows_path(path)):
                yield f"{kind} {path}"
    for volume in volumes if isinstance(volumes, list) else []:
        host = volume.get("host") if isinstance(volume, dict) else None
        path = host.get("sourcePath") if isinstance(host, dict) else None
        if isinstance(path, str) and (kind := _windows_path(path)):
            yield f"{kind} {path}"


def _windows_path(path: str) -> str | None:
    """How a Windows-only path reads in a signal: a drive letter, the named pipe of a
    Windows service (``\\\\.\\pipe\\docker_engine``) or a UNC share."""
    if _DRIVE_PATH.match(path):
        return "drive-letter path"
    if _NAMED_PIPE.match(path):
        return "a named pipe"
    if _UNC_PATH.match(path):
        return "UNC path"
    return None


def _windows_hint(containers: list[dict[str, Any]]) -> str | None:
    """Evidence too weak to call a task Windows but enough to doubt it is Linux."""
    images = [c.get("image") for c in containers]
    known = [i for i in images if isinstance(i, str) and not is_unresolved(i)]
    for image in known:
        if _WINDOWS_WORD.search(image.rsplit("@", 1)[0]):
            return f"unknown: image {image} is named for Windows"
    for container in containers:
        for key in ("entryPoint", "command", "workingDirectory"):
            value = container.get(key)
            words = value if isinstance(value, list) else [value]
            if any(isinstance(w, str) and _DRIVE_IN_TEXT.search(w) for w in words):
                return f"unknown: a drive-letter path in {key}"
    if containers and not known:
        return "unknown: no container image is known before deployment"
    return None


def _launch_types(
    data: dict[str, Any], default: str, task_fields_known: bool
) -> tuple[tuple[str, ...], str]:
    requires = data.get("requiresCompatibilities")
    if isinstance(requires, list) and requires:
        # Only launch types count: ECS refuses anything else (E002), and a value
        # that is not one must not decide, whether it is a bool in a register
        # input or the string CloudFormation makes of it.
        values = tuple(sorted(
            {v.upper() for v in requires if isinstance(v, str) and v.upper() in LAUNCH_TYPES}
        ))
        if values:
            return values, "requiresCompatibilities"
        return (default,), f"default {default}: requiresCompatibilities names no launch type"
    if not task_fields_known:
        return (default,), f"assumed {default}: task-level fields are not in this file"
    return (default,), f"default {default}: no requiresCompatibilities"


def task_view(task: FoundTask, options: LintOptions) -> TaskView:
    """What the rules see of ``task``: its canonical data, its platform, and what
    is known of its hosts (the configured ones, and the instances the same
    CloudFormation template launches)."""
    instances = task.instances
    platform = detect(
        task.data,
        assumed_os=options.assumed_os,
        default_launch_type=options.default_launch_type,
        task_fields_known=task.shape is not Shape.CONTAINER_LIST,
        image_patterns=[image["pattern"] for image in options.host.images],
        origin=task.origin,
        instances=(instances.os, instances.signal) if instances is not None else None,
        resolved=options.host.resolved,
    )
    host = _with_instances(options.host, instances)
    return TaskView(task.name, task.shape, task.data, platform, host)


def _with_instances(host: HostKnowledge, instances: Instances | None) -> HostKnowledge:
    """``host`` with the template's Windows instances as its hosts, unless the command
    line or the configuration already named them (they take precedence)."""
    if instances is None or instances.os != OS.WINDOWS or host.windows_release:
        return host
    return dataclasses.replace(host, windows_release=instances.release,
                               windows_edition=instances.edition, windows_source=instances.signal)


def summarize(display: str, view: TaskView) -> TaskSummary:
    """The platform decision for ``view`` in the file shown as ``display``, with the
    Windows builds of its host and images unless it is a Linux task."""
    platform = view.platform
    host_build, image_builds = build_summary(view) if not platform.is_linux else (None, ())
    return TaskSummary(display, view.name, str(view.shape), str(platform.os),
                       platform.os_family, platform.os_signal, platform.launch_types,
                       platform.launch_signal, host_build, image_builds)
