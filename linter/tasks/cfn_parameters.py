"""What a CloudFormation template's parameters and container instances tell about its tasks.

A ``Ref`` to a template parameter (``!Ref OsFamily``, ``{"Ref": "OsFamily"}``) stands
for the parameter's ``Default``, or for its only value when every ``AllowedValues``
entry is the same; a ``!Sub`` string stands for its text when every ``${Name}`` in it
resolves so. ``resolve`` puts those values in place of the references, at the same
paths, so findings land where the user wrote the reference, and records which
parameter gave each value. A parameter of an SSM type
(``AWS::SSM::Parameter::Value<...>``) is never resolved: its value is the SSM
parameter's, not the default's path.

``instance_os`` reads the container instances the template launches (a launch
template, a launch configuration or an instance): an ECS-optimized Windows AMI
(``/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-ECS_Optimized``,
directly, through an SSM parameter's default or a ``{{resolve:ssm:...}}``
reference) makes them Windows hosts of that release and edition, an ECS-optimized
Linux AMI (``/aws/service/ecs/optimized-ami/...``, Bottlerocket's ``aws-ecs``
variants) Linux hosts. Instances that disagree, or whose AMI is not known before
deployment, say nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ecslint.kinds import OS
from ecslint.load.sourcemap import Path
from ecslint.platform.windows import ami_release

_SUB_NAME = re.compile(r"\$\{([^}]*)\}")
_LINUX_AMI = re.compile(r"/aws/service/(?:ecs/optimized-ami/|bottlerocket/aws-ecs-)", re.I)
_INSTANCE_IMAGE: dict[str, Path] = {
    "AWS::EC2::LaunchTemplate": ("LaunchTemplateData", "ImageId"),
    "AWS::AutoScaling::LaunchConfiguration": ("ImageId",),
    "AWS::EC2::Instance": ("ImageId",),
}


@dataclass(frozen=True)
class Instances:
    """The OS of a template's container instances; for Windows, the host release
    (``2022``) and edition (``FULL``/``CORE``). ``signal`` says where that was read."""

    os: OS
    release: str | None
    edition: str | None
    signal: str


def parameter_values(template: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """Parameter name -> (the value a ``Ref`` to it stands for, where that value comes from)."""
    parameters = template.get("Parameters")
    found: dict[str, tuple[Any, str]] = {}
    for name, spec in (parameters.items() if isinstance(parameters, dict) else ()):
        if not isinstance(name, str) or not isinstance(spec, dict):
            continue
        kind = spec.get("Type")
        if not isinstance(kind, str) or kind.startswith("AWS::SSM::"):
            continue
        allowed = spec.get("AllowedValues")
        if isinstance(allowed, list) and allowed and all(a == allowed[0] for a in allowed):
            value, origin = allowed[0], f"parameter {name}'s only allowed value"
        elif "Default" in spec:
            value, origin = spec["Default"], f"parameter {name}'s default"
        else:
            continue
        text = _text(value)
        if text is None:
            continue
        if kind == "CommaDelimitedList" or kind.startswith("List<"):
            found[name] = ([part.strip() for part in text.split(",")], origin)
        else:
            found[name] = (text, origin)
    return found


def resolve(value: Any, known: dict[str, tuple[Any, str]], path: Path,
            origins: dict[Path, str]) -> Any:
    """``value`` with every resolvable ``Ref`` and ``Fn::Sub`` replaced; ``origins``
    gets the path of each replacement and the parameter that gave it. The input is
    never mutated."""
    if isinstance(value, dict):
        if len(value) == 1:
            (key, argument), = value.items()
            if key == "Ref" and isinstance(argument, str) and argument in known:
                resolved, origin = known[argument]
                origins[path] = origin
                return resolved
            if key == "Fn::Sub" and isinstance(argument, str):
                return _sub(value, argument, known, path, origins)
        changed = {k: resolve(v, known, path + (k,), origins) for k, v in value.items()}
        return changed if any(changed[k] is not value[k] for k in value) else value
    if isinstance(value, list):
        items = [resolve(v, known, path + (i,), origins) for i, v in enumerate(value)]
        return items if any(a is not b for a, b in zip(items, value, strict=True)) else value
    return value


def _sub(node: dict[str, Any], text: str, known: dict[str, tuple[Any, str]], path: Path,
         origins: dict[Path, str]) -> Any:
    names = [n for n in _SUB_NAME.findall(text) if not n.startswith("!")]
    if not names or any(n not in known or not isinstance(known[n][0], str) for n in names):
        return node
    origins[path] = ", ".join(dict.fromkeys(known[n][1] for n in names))
    return _SUB_NAME.sub(lambda m: m.group(0)[:2] + m.group(0)[3:] if m.group(1).startswith("!")
                         else known[m.group(1)][0], text)


def instance_os(template: dict[str, Any]) -> Instances | None:
    """What the template's container instances run, when all of them agree."""
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        return None
    parameters = template.get("Parameters")
    parameters = parameters if isinstance(parameters, dict) else {}
    found: set[tuple[OS, str | None, str | None]] = set()
    signals = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") not in _INSTANCE_IMAGE:
            continue
        image: Any = resource.get("Properties")
        for key in _INSTANCE_IMAGE[resource["Type"]]:
            image = image.get(key) if isinstance(image, dict) else None
        text, via = _image_text(image, parameters)
        decided = classify(text)
        if decided is None:
            return None
        found.add(decided)
        signals.append(f"{resource['Type'].rsplit('::', 1)[-1]} {logical_id}: {text}{via}")
    return agreed(found, signals, "the template's")


def agreed(found: set[tuple[OS, str | None, str | None]], signals: list[str],
           whose: str) -> Instances | None:
    """The ``Instances`` that every AMI ``found`` agrees on, or ``None``; ``signals``
    say where each was read, ``whose`` whose instances they are."""
    if len(found) != 1:
        return None
    (os_name, release, edition), = found
    return Instances(os_name, release, edition,
                     f"{whose} container instances (" + "; ".join(signals) + ")")


def _image_text(image: Any, parameters: dict[str, Any]) -> tuple[str | None, str]:
    if isinstance(image, dict) and list(image) == ["Ref"] and isinstance(image["Ref"], str):
        spec = parameters.get(image["Ref"])
        default = spec.get("Default") if isinstance(spec, dict) else None
        if isinstance(default, str):
            return default, f", parameter {image['Ref']}'s default"
        return None, ""
    return (image, "") if isinstance(image, str) else (None, "")


def classify(text: str | None) -> tuple[OS, str | None, str | None] | None:
    """The OS, Windows release and edition an AMI name or SSM parameter path says."""
    if text is None:
        return None
    windows = ami_release(text)
    if windows:
        return OS.WINDOWS, *windows
    if _LINUX_AMI.search(text):
        return OS.LINUX, None, None
    return None


def _text(value: Any) -> str | None:
    """A parameter value as CloudFormation passes it: always a string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        return str(value)
    return None
