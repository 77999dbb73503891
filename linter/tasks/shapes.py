"""Find the task definitions in a parsed document, whatever its shape.

Four shapes map onto one model with canonical camelCase API keys:

1. ``register-task-definition`` input (``--cli-input-json`` style);
2. ``describe-task-definition`` output, ``{"taskDefinition": {...}}``;
3. CloudFormation templates: every ``AWS::ECS::TaskDefinition`` resource's
   ``Properties`` (PascalCase, renamed to the API's keys by ``canonical``);
4. Terraform: every ``aws_ecs_task_definition`` resource of a module, as Terraform's
   JSON syntax writes it (``{"resource": {"aws_ecs_task_definition": {"web": {...}}}}``,
   which the HCL reader gives too), mapped onto the API by ``ecslint.tasks.terraform``;
5. a bare list of container definitions (Terraform's ``container_definitions``),
   linted as the containers of a task whose task-level fields are unknown.

Each shape registers a ``Finder`` in ``SHAPES``, tried in order: the first that
claims a document finds its tasks, possibly none. Each ``FoundTask`` knows how
to turn a canonical path back into the path in the document, so positions
always point at the original keys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ecslint.kinds import Shape
from ecslint.load.sourcemap import Path
from ecslint.rule import is_unresolved

if TYPE_CHECKING:
    from ecslint.tasks.cfn_parameters import Instances

# Text that any file holding a task definition contains; a directory scan skips
# files without it before parsing them. The strong markers alone make a file
# worth an E001 when it does not parse.
STRONG_MARKERS = ("ontainerDefinitions", "AWS::ECS::TaskDefinition", "aws_ecs_task_definition")
TASK_MARKERS = STRONG_MARKERS + ("image",)
_TASK_KEYS = frozenset(
    {"containerDefinitions", "taskRoleArn", "executionRoleArn", "networkMode",
     "requiresCompatibilities", "runtimePlatform", "volumes", "placementConstraints"}
)


@dataclass
class FoundTask:
    """One task definition found in a document."""

    name: str
    shape: Shape
    data: dict[str, Any]
    root: Path = ()
    renames: dict[Path, dict[str, str]] = field(default_factory=dict)
    origins: dict[Path, str] = field(default_factory=dict)
    instances: Instances | None = None
    # Canonical path -> document path of each node a shape rebuilt (Terraform's blocks);
    # a deeper path follows its longest prefix here.
    paths: dict[Path, Path] = field(default_factory=dict)

    def to_document(self, path: Path) -> Path:
        """Translate a canonical path into the path of the same node in the document."""
        if self.shape == Shape.CONTAINER_LIST:
            return path[1:] if path[:1] == ("containerDefinitions",) else ()
        if self.paths:
            for cut in range(len(path), -1, -1):
                found = self.paths.get(path[:cut])
                if found is not None:
                    return found + path[cut:]
        if not self.renames:
            return self.root + path
        from ecslint.tasks.canonical import source_path

        return self.root + source_path(path, self.renames)

    def origin(self, path: Path) -> str | None:
        """Where the value at canonical ``path`` came from when the file names it only
        by reference (``parameter OsFamily's default``); ``None`` when written there."""
        return self.origins.get(self.to_document(path)) if self.origins else None


# How to find the tasks of one shape: the tasks of a document the shape claims
# (maybe none), ``None`` for a document that is not its own.
Finder = Callable[[Any, str], "list[FoundTask] | None"]


def extract(data: Any, default_name: str) -> list[FoundTask]:
    """Return every task definition in ``data``; an empty list when there is none.
    ``default_name`` names a task whose document gives it no family."""
    for _, find in SHAPES:
        found = find(data, default_name)
        if found is not None:
            return found
    return []


def _describe(data: Any, default_name: str) -> list[FoundTask] | None:
    inner = data.get("taskDefinition") if isinstance(data, dict) else None
    if not isinstance(inner, dict):
        return None
    return [FoundTask(_family(inner, default_name), Shape.DESCRIBE, inner, ("taskDefinition",))]


def _register(data: Any, default_name: str) -> list[FoundTask] | None:
    if not isinstance(data, dict) or not (
            "containerDefinitions" in data or ("family" in data and _TASK_KEYS & data.keys())):
        return None
    return [FoundTask(_family(data, default_name), Shape.REGISTER, data)]


def _containers(data: Any, default_name: str) -> list[FoundTask] | None:
    if not _container_list(data):
        return None
    containers = [_without_nulls(item) for item in data]
    return [FoundTask(default_name, Shape.CONTAINER_LIST, {"containerDefinitions": containers})]


def _container_list(data: Any) -> bool:
    """A bare list of container definitions (Terraform's ``container_definitions``):
    every item a mapping with an ``image``, or a template's unknown stand-in for one
    (a ``%{ if }`` block), and at least one real container."""
    if not isinstance(data, list):
        return False
    real = [item for item in data if isinstance(item, dict) and "image" in item]
    return bool(real) and all(
        isinstance(item, dict) and "image" in item or is_unresolved(item) for item in data)


def _family(data: dict[str, Any], default: str) -> str:
    family = data.get("family")
    return family if isinstance(family, str) and family else default


def _cloudformation(template: Any, _default_name: str) -> list[FoundTask] | None:
    """Every task definition resource, with references to the template's parameters
    resolved (``ecslint.tasks.cfn_parameters``) and what its container instances run; a
    template claims its document even when it holds no task definition."""
    if not isinstance(template, dict) or not isinstance(template.get("Resources"), dict):
        return None
    from ecslint.tasks.canonical import canonicalize
    from ecslint.tasks.cfn_parameters import instance_os, parameter_values, resolve

    resources = template["Resources"]
    known = parameter_values(template) if "Parameters" in template else {}
    instances = instance_os(template)
    tasks = []
    for logical_id, resource in resources.items():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::ECS::TaskDefinition":
            continue
        properties = resource.get("Properties", {})
        if not isinstance(properties, dict) or is_unresolved(properties):
            continue
        root = ("Resources", logical_id, "Properties")
        origins: dict[Path, str] = {}
        if known:
            properties = resolve(properties, known, root, origins)
        canonical, renames = canonicalize(properties)
        tasks.append(
            FoundTask(str(logical_id), Shape.CLOUDFORMATION, canonical, root, renames, origins,
                       instances)
        )
    return tasks


def _terraform(module: Any, _default_name: str) -> list[FoundTask] | None:
    """Every ``aws_ecs_task_definition`` resource of a module in Terraform's JSON syntax;
    a module claims its document even when it holds no task definition."""
    if not isinstance(module, dict) or "resource" not in module:
        return None
    from ecslint.tasks.terraform import RESOURCE_TYPE, to_api

    blocks = module["resource"]
    tasks = []
    for index, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
        at: Path = ("resource", index) if isinstance(blocks, list) else ("resource",)
        resources = block.get(RESOURCE_TYPE) if isinstance(block, dict) else None
        if not isinstance(resources, dict):
            continue
        for name, arguments in resources.items():
            if not isinstance(arguments, dict):
                continue
            data, paths = to_api(arguments, at + (RESOURCE_TYPE, name))
            if isinstance(data.get("containerDefinitions"), list):
                data["containerDefinitions"] = _without_nulls(data["containerDefinitions"])
            tasks.append(FoundTask(f"{RESOURCE_TYPE}.{name}", Shape.TERRAFORM, data,
                                   paths=paths))
    return tasks


def _without_nulls(value: Any) -> Any:
    """Drop null members, as Terraform's AWS provider does before registering."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


# In order: the first shape that claims a document finds its tasks.
SHAPES: tuple[tuple[Shape, Finder], ...] = (
    (Shape.DESCRIBE, _describe),
    (Shape.CLOUDFORMATION, _cloudformation),
    (Shape.TERRAFORM, _terraform),
    (Shape.REGISTER, _register),
    (Shape.CONTAINER_LIST, _containers),
)
