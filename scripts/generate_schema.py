"""Generate ``schemas/task-definition.json`` from botocore's ECS service model.

The schema describes the RegisterTaskDefinition input (draft 2020-12): every
botocore structure becomes ``$defs/<ShapeName>`` (closed objects), maps become
open objects whose values are checked, lists arrays, enums ``enum``. The root
also carries, marked ``readOnly``, the fields DescribeTaskDefinition returns
that register does not accept, so a described task definition validates too.
What the model states only in prose is added from the ``PROSE`` table below,
each entry citing its source.

botocore is a development dependency of this script only; the package reads the
checked-in JSON. The output is deterministic (sorted keys, model order for
lists), so ``--check`` can compare it byte for byte::

    python scripts/generate_schema.py            # rewrite the schema
    python scripts/generate_schema.py --check    # exit 1 if it is stale
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "schemas" / "task-definition.json"
REQUEST = "RegisterTaskDefinitionRequest"
DESCRIBED = "TaskDefinition"
REGENERATE = "python scripts/generate_schema.py"

JsonSchema = dict[str, Any]


@dataclass(frozen=True)
class Prose:
    """Keywords merged into one member's schema (or, with ``member=None``, the shape's)."""

    shape: str
    member: str | None
    keywords: JsonSchema
    source: str


NAME = {
    "pattern": "^[A-Za-z0-9_-]{1,255}$",
    "description": "1 to 255 letters, digits, hyphens or underscores",
}
PORT = {"minimum": 0, "maximum": 65535}
PORT_SOURCE = "TCP and UDP port numbers are 16-bit (RFC 793 §3.1, RFC 768)"

# What the model says only in its documentation, or what the service requires
# although the model does not. BOTO = the botocore docstring of that member (the
# tag windows-ecs-facts.md uses); windows-ecs-facts.md = the project knowledge base.
PROSE: tuple[Prose, ...] = (
    Prose(REQUEST, "family", NAME,
          "BOTO RegisterTaskDefinitionRequest.family: 'Up to 255 letters (uppercase and "
          "lowercase), numbers, underscores, and hyphens are allowed.'"),
    Prose("ContainerDefinition", "name", NAME,
          "BOTO ContainerDefinition.name: 'Up to 255 letters (uppercase and lowercase), "
          "numbers, underscores, and hyphens are allowed.'"),
    Prose("Volume", "name", NAME,
          "BOTO Volume.name: 'Up to 255 letters (uppercase and lowercase), numbers, "
          "underscores, and hyphens are allowed.'"),
    Prose("ContainerDefinition", None, {"required": ["name", "image"]},
          "windows-ecs-facts.md §7: botocore marks nothing required in ContainerDefinition; "
          "the service and the CloudFormation resource schema require Name and Image"),
    Prose("HealthCheck", "interval", {"minimum": 5, "maximum": 300},
          "BOTO HealthCheck.interval: 'You may specify between 5 and 300 seconds.'"),
    Prose("HealthCheck", "timeout", {"minimum": 2, "maximum": 60},
          "BOTO HealthCheck.timeout: 'You may specify between 2 and 60 seconds.'"),
    Prose("HealthCheck", "retries", {"minimum": 1, "maximum": 10},
          "BOTO HealthCheck.retries: 'You may specify between 1 and 10 retries.'"),
    Prose("HealthCheck", "startPeriod", {"minimum": 0, "maximum": 300},
          "BOTO HealthCheck.startPeriod: 'You can specify between 0 and 300 seconds.'"),
    Prose("PortMapping", "containerPort", PORT, PORT_SOURCE),
    Prose("PortMapping", "hostPort", PORT,
          PORT_SOURCE + "; BOTO PortMapping.hostPort: 'omit the hostPort (or set it to 0)'"),
    Prose("EFSVolumeConfiguration", "transitEncryptionPort", PORT, PORT_SOURCE),
    Prose("S3FilesVolumeConfiguration", "transitEncryptionPort", PORT, PORT_SOURCE),
    Prose("PortMapping", "name",
          {"pattern": "^[a-z0-9_][a-z0-9_-]{0,63}$",
           "description": "1 to 64 lowercase letters, digits, hyphens or underscores, "
                          "not starting with a hyphen"},
          "BOTO PortMapping.name: 'The name can include up to 64 characters. The characters "
          "can include lowercase letters, numbers, underscores (_), and hyphens (-). The name "
          "can't start with a hyphen.'"),
    Prose("EphemeralStorage", "sizeInGiB", {"minimum": 21, "maximum": 200},
          "BOTO EphemeralStorage.sizeInGiB: 'The minimum supported value is 21 GiB and the "
          "maximum supported value is 200 GiB.'"),
    Prose("ContainerRestartPolicy", "restartAttemptPeriod", {"minimum": 60, "maximum": 1800},
          "BOTO ContainerRestartPolicy.restartAttemptPeriod: 'a minimum restartAttemptPeriod "
          "of 60 seconds and a maximum restartAttemptPeriod of 1800 seconds'"),
    Prose("ContainerRestartPolicy", "ignoredExitCodes", {"maxItems": 50},
          "BOTO ContainerRestartPolicy.ignoredExitCodes: 'You can specify a maximum of 50 "
          "container exit codes.'"),
    Prose("ContainerDefinition", "environmentFiles", {"maxItems": 10},
          "BOTO ContainerDefinition.environmentFiles: 'You can specify up to ten environment "
          "files.'"),
    Prose("ContainerDefinition", "credentialSpecs", {"maxItems": 1},
          "BOTO ContainerDefinition.credentialSpecs: 'The maximum number of ARNs is 1.'"),
    Prose(REQUEST, "placementConstraints", {"maxItems": 10},
          "BOTO RegisterTaskDefinitionRequest.placementConstraints: 'You can specify a "
          "maximum of 10 constraints for each task.'"),
    Prose("ContainerDefinition", "cpu", {"minimum": 0},
          "BOTO ContainerDefinition.cpu: null and zero are the lowest values it describes "
          "('A null or zero CPU value is passed to Docker as 0')"),
    Prose("ContainerDefinition", "memory", {"minimum": 0},
          "BOTO ContainerDefinition.memory: 'The amount (in MiB) of memory'; its 6 MiB "
          "floor depends on the Docker version and is rule ECS406's"),
    Prose("ContainerDefinition", "memoryReservation", {"minimum": 0},
          "BOTO ContainerDefinition.memoryReservation: 'The soft limit (in MiB) of memory'; "
          "'a non-zero integer' is needed only without task memory (rule ECS408)"),
    Prose("LinuxParameters", "maxSwap", {"minimum": 0},
          "BOTO LinuxParameters.maxSwap: 'Accepted values are 0 or any positive integer.'"),
    Prose("LinuxParameters", "swappiness", {"minimum": 0, "maximum": 100},
          "BOTO LinuxParameters.swappiness: 'Accepted values are whole numbers between 0 and "
          "100.'"),
    Prose(REQUEST, "networkMode", {"enum": ["nat"]},
          "windows-ecs-facts.md §2: 'nat' is not in the API enum but CDK renders it for Windows; "
          "'Linter: accept it with an info note' (rule WIN102)"),
)


def load_model() -> tuple[dict[str, Any], str]:
    """Return botocore's raw ECS service model and botocore's version.

    Only botocore's bundled data is read: ``~/.aws/models`` overrides would make
    the output depend on the machine.
    """
    import botocore
    from botocore.loaders import Loader

    data = Path(botocore.__file__).parent / "data"
    loader = Loader(extra_search_paths=[str(data)], include_default_search_paths=False)
    return loader.load_service_model("ecs", "service-2"), botocore.__version__


def _vacuous(pattern: str) -> bool:
    # The model's patterns (TagKey, TagValue) are unanchored "([...]*)": under
    # JSON Schema's search semantics they match every string, and their \p{L}
    # classes are not Python regex syntax, so dropping them loses nothing.
    return re.fullmatch(r"\(\[[^\]]*\]\*\)", pattern) is not None


class _Builder:
    def __init__(self, shapes: dict[str, Any]) -> None:
        self.shapes = shapes
        self.defs: dict[str, JsonSchema] = {}

    def member(self, ref: dict[str, Any]) -> JsonSchema:
        schema = self.shape(ref["shape"])
        if ref.get("deprecated") or self.shapes[ref["shape"]].get("deprecated"):
            schema["deprecated"] = True
        return schema

    def shape(self, name: str) -> JsonSchema:
        shape = self.shapes[name]
        kind = shape["type"]
        if kind == "structure":
            if name not in self.defs:
                self.defs[name] = {}  # claimed first, so a recursive shape terminates
                self.defs[name] = self.structure(shape)
            return {"$ref": f"#/$defs/{name}"}
        if kind == "list":
            return self.bounded({"type": "array", "items": self.member(shape["member"])},
                                shape, "minItems", "maxItems")
        if kind == "map":
            if self.shape(shape["key"]["shape"]) != {"type": "string"}:
                raise SystemExit(f"map {name}: constrained keys are not translated")
            return {"type": "object", "additionalProperties": self.member(shape["value"])}
        if kind == "string":
            schema: JsonSchema = {"type": "string"}
            if "enum" in shape:
                schema["enum"] = list(shape["enum"])
            if "pattern" in shape and not _vacuous(shape["pattern"]):
                raise SystemExit(f"string {name}: pattern {shape['pattern']!r} not translated")
            return self.bounded(schema, shape, "minLength", "maxLength")
        if kind in ("integer", "long"):
            return self.bounded({"type": "integer"}, shape, "minimum", "maximum")
        if kind == "boolean":
            return {"type": "boolean"}
        if kind == "timestamp":
            # Raw API JSON has epoch seconds; the AWS CLI prints ISO 8601 strings.
            return {"type": ["number", "string"]}
        raise SystemExit(f"shape {name}: type {kind!r} not translated")

    @staticmethod
    def bounded(schema: JsonSchema, shape: dict[str, Any], low: str, high: str) -> JsonSchema:
        if "min" in shape:
            schema[low] = shape["min"]
        if "max" in shape:
            schema[high] = shape["max"]
        return schema

    def structure(self, shape: dict[str, Any]) -> JsonSchema:
        schema: JsonSchema = {
            "type": "object",
            "properties": {key: self.member(ref) for key, ref in shape["members"].items()},
            "additionalProperties": False,
        }
        if shape.get("required"):
            schema["required"] = list(shape["required"])
        if shape.get("union"):
            schema["minProperties"] = schema["maxProperties"] = 1
        if shape.get("deprecated"):
            schema["deprecated"] = True
        return schema


def _apply(target: JsonSchema, prose: Prose) -> None:
    """Merge one entry: ``required`` and ``enum`` are extended, other keywords set."""
    place = target if prose.member is None else target["properties"][prose.member]
    for key, value in prose.keywords.items():
        if key in ("required", "enum"):
            have = place.get(key, [])
            place[key] = have + [item for item in value if item not in have]
        else:
            place[key] = value
    comments = [c for c in (place.get("$comment"), prose.source) if c]
    place["$comment"] = "; ".join(comments)


def build_schema(model: dict[str, Any], botocore_version: str) -> JsonSchema:
    """Translate the model into the task-definition JSON Schema (a plain dict)."""
    shapes = model["shapes"]
    builder = _Builder(shapes)
    root = builder.structure(shapes[REQUEST])
    for prose in PROSE:
        _apply(root if prose.shape == REQUEST else builder.defs[prose.shape], prose)
    for key, ref in shapes[DESCRIBED]["members"].items():
        if key not in root["properties"]:
            root["properties"][key] = {**builder.member(ref), "readOnly": True}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$comment": (
            "Generated by scripts/generate_schema.py from the ECS service model in botocore "
            f"{botocore_version}; do not edit. Regenerate with: {REGENERATE}"
        ),
        "title": "Amazon ECS RegisterTaskDefinition input",
        "x-botocore-version": botocore_version,
        "x-api-version": model["metadata"]["apiVersion"],
        **root,
        "$defs": builder.defs,
    }


def render(schema: JsonSchema) -> str:
    """Serialize deterministically: sorted keys, two-space indent, trailing newline."""
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def generate() -> str:
    """Return the schema text the installed botocore produces."""
    model, version = load_model()
    return render(build_schema(model, version))


def _diff_summary(old: str, new: str) -> str:
    diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(),
                                     "checked-in", "generated", lineterm="", n=1))
    changed = sum(1 for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---"))
    shown = "\n".join(diff[:60])
    more = f"\n... ({len(diff) - 60} more diff lines)" if len(diff) > 60 else ""
    return f"{changed} lines differ:\n{shown}{more}"


def main(argv: Sequence[str] | None = None) -> int:
    """Write the schema, or with ``--check`` report whether the checked-in one is current."""
    parser = argparse.ArgumentParser(
        description="Generate schemas/task-definition.json from botocore's ECS model.")
    parser.add_argument("--check", action="store_true",
                        help="exit 1 with a diff summary if the file is stale")
    parser.add_argument("--output", type=Path, default=SCHEMA_PATH, help="file to write or check")
    args = parser.parse_args(argv)
    text = generate()
    if not args.check:
        args.output.write_text(text, encoding="utf-8", newline="\n")
        return 0
    current = args.output.read_text(encoding="utf-8") if args.output.exists() else ""
    if current == text:
        return 0
    print(f"{args.output} is out of date; regenerate with: {REGENERATE}", file=sys.stderr)
    print(_diff_summary(current, text), file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
