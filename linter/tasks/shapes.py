"""Find the task definitions in a parsed document, whatever its shape.

Six shapes map onto one model with canonical camelCase API keys:

1. ``register-task-definition`` input (``--cli-input-json`` style);
2. ``describe-task-definition`` output, ``{"taskDefinition": {...}}``;
3. CloudFormation templates: every ``AWS::ECS::TaskDefinition`` resource's
   ``Properties`` (PascalCase, renamed to the API's keys by ``canonical``);
4. Terraform: every ``aws_ecs_task_definition`` resource of a module, as Terraform's
   JSON syntax writes it (``{"resource": {"aws_ecs_task_definition": {"web": {...}}}}``,
   which the HCL reader gives too), mapped onto the API by ``ecslint.tasks.terraform``;
5. Terraform plan JSON (``terraform show -json plan.out``): every
   ``aws_ecs_task_definition`` the plan will register, named by its address;
6. a bare list of container definitions (Terraform's ``container_definitions``),
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
# worth an E001 when it does not parse. A Terraform module call (``module "web"``,
# ``"module":`` in .tf.json) may hold a task of the module it calls.
STRONG_MARKERS = ("ontainerDefinitions", "AWS::ECS::TaskDefinition", "aws_ecs_task_definition")
TASK_MARKERS = STRONG_MARKERS + ("image", 'module "', '"module"')
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
    """Every ``aws_ecs_task_definition`` resource of a module in Terraform's JSON syntax,
    and the task definitions of its terraform-aws-modules/ecs calls; a module claims
    its document even when it holds no task definition."""
    if not _is_terraform_module(module):
        return None
    calls = module.get("module")
    from ecslint.tasks.terraform import RESOURCE_TYPE, calls_ecs_module, instances, module_tasks

    blocks = module.get("resource", [])
    tasks = []
    for index, block in enumerate(blocks if isinstance(blocks, list) else [blocks]):
        at: Path = ("resource", index) if isinstance(blocks, list) else ("resource",)
        resources = block.get(RESOURCE_TYPE) if isinstance(block, dict) else None
        if not isinstance(resources, dict):
            continue
        for name, arguments in resources.items():
            if isinstance(arguments, dict):
                tasks.append(_terraform_task(f"{RESOURCE_TYPE}.{name}", Shape.TERRAFORM,
                                             arguments, at + (RESOURCE_TYPE, name)))
    for name, arguments in (calls.items() if isinstance(calls, dict) else ()):
        called = arguments.get("resource") if isinstance(arguments, dict) else None
        if isinstance(called, dict):  # a module of the repository, read through its call
            resources = called.get(RESOURCE_TYPE)
            for task, values in (resources.items() if isinstance(resources, dict) else ()):
                if isinstance(values, dict):
                    tasks.append(_terraform_task(
                        f"module.{name}.{RESOURCE_TYPE}.{task}", Shape.TERRAFORM, values,
                        ("module", name, "resource", RESOURCE_TYPE, task)))
        elif isinstance(arguments, dict) and calls_ecs_module(arguments):
            for address, data, paths in module_tasks(str(name), arguments, ("module", name)):
                tasks.append(_terraform_task_of(address, data, paths))
    hosts = instances(module) if tasks else None
    for task in tasks:
        task.instances = hosts
    return tasks


def _is_terraform_module(module: Any) -> bool:
    """Terraform's JSON syntax: resources, or module calls (each with a ``source``)."""
    if not isinstance(module, dict):
        return False
    calls = module.get("module")
    return "resource" in module or isinstance(calls, dict) and bool(calls) and all(
        isinstance(call, dict) and "source" in call for call in calls.values())


def _terraform_task(name: str, shape: Shape, arguments: dict[str, Any], root: Path
                    ) -> FoundTask:
    """The task of a resource whose arguments sit at ``root``."""
    from ecslint.tasks.terraform import to_api

    data, paths = to_api(arguments, root)
    return _terraform_task_of(name, data, paths, shape)


def _terraform_task_of(name: str, data: dict[str, Any], paths: dict[Path, Path],
                       shape: Shape = Shape.TERRAFORM) -> FoundTask:
    """A Terraform task, null containers' members dropped (the provider drops them; a
    rule must not read a null as a value)."""
    if isinstance(data.get("containerDefinitions"), list):
        data["containerDefinitions"] = _without_nulls(data["containerDefinitions"])
    return FoundTask(name, shape, data, paths=paths)


# A Terraform plan's JSON (``terraform show -json``) has ``format_version`` and these.
_PLAN_KEYS = frozenset({"planned_values", "resource_changes", "terraform_version"})
# What stands for a value Terraform knows only after apply: ``is_unresolved`` text.
_UNKNOWN = "${unknown after apply}"


def _terraform_plan(plan: Any, _default_name: str) -> list[FoundTask] | None:
    """Every ``aws_ecs_task_definition`` a plan will register, named by its address:
    from ``planned_values`` (root and child modules), or from ``resource_changes`` in
    a plan without them, so none is found twice. Values the plan knows only after
    apply are unknown (``after_unknown``), nulls are dropped; a plan claims its
    document even when it holds no task definition."""
    if not isinstance(plan, dict) or "format_version" not in plan or not (
            _PLAN_KEYS & plan.keys()):
        return None
    unknown = _after_unknown(plan.get("resource_changes"))
    planned = plan.get("planned_values")
    found = (_planned(planned.get("root_module"), ("planned_values", "root_module"))
             if isinstance(planned, dict) else _changed(plan.get("resource_changes")))
    return [
        _terraform_task(address, Shape.TERRAFORM_PLAN,
                        _without_nulls(_with_unknowns(values, unknown.get(address))), root)
        for address, values, root in found]


# A resource of a plan: its address, its values and where they sit in the document.
_PlanResource = tuple[str, dict[str, Any], Path]


def _planned(module: Any, at: Path) -> list[_PlanResource]:
    """The task definitions of a module of ``planned_values`` and of its child
    modules, in the plan's order."""
    if not isinstance(module, dict):
        return []
    from ecslint.tasks.terraform import RESOURCE_TYPE

    found: list[_PlanResource] = []
    resources = module.get("resources")
    for index, resource in enumerate(resources if isinstance(resources, list) else []):
        if (isinstance(resource, dict) and resource.get("type") == RESOURCE_TYPE
                and resource.get("mode") != "data" and isinstance(resource.get("values"), dict)):
            found.append((_address(resource), resource["values"],
                          at + ("resources", index, "values")))
    children = module.get("child_modules")
    for index, child in enumerate(children if isinstance(children, list) else []):
        found += _planned(child, at + ("child_modules", index))
    return found


def _changed(changes: Any) -> list[_PlanResource]:
    """The task definitions ``resource_changes`` leaves behind: each change's
    ``after``, except for data sources and deletions (which register nothing)."""
    from ecslint.tasks.terraform import RESOURCE_TYPE

    found: list[_PlanResource] = []
    for index, resource in enumerate(changes if isinstance(changes, list) else []):
        change = resource.get("change") if isinstance(resource, dict) else None
        if (not isinstance(change, dict) or resource.get("type") != RESOURCE_TYPE
                or resource.get("mode") == "data" or change.get("actions") == ["delete"]
                or not isinstance(change.get("after"), dict)):
            continue
        found.append((_address(resource), change["after"],
                      ("resource_changes", index, "change", "after")))
    return found


def _address(resource: dict[str, Any]) -> str:
    """A resource's address as the plan writes it (``module.web.x.this["k"]``)."""
    address = resource.get("address")
    return address if isinstance(address, str) and address else str(resource.get("name"))


def _after_unknown(changes: Any) -> dict[str, Any]:
    """Each changed resource's ``after_unknown`` by address: ``planned_values`` leaves
    such values out (or null), and only ``resource_changes`` says they are unknown."""
    unknown: dict[str, Any] = {}
    for resource in changes if isinstance(changes, list) else []:
        change = resource.get("change") if isinstance(resource, dict) else None
        if isinstance(change, dict) and change.get("after_unknown"):
            unknown.setdefault(_address(resource), change["after_unknown"])
    return unknown


def _with_unknowns(value: Any, unknown: Any) -> Any:
    """``value`` with what ``unknown`` (an ``after_unknown`` tree: ``true`` where a
    value is unknown, objects and lists around it) marks replaced by
    ``_UNKNOWN``, so no rule takes a missing or null value for the real one."""
    if unknown is True:
        return _UNKNOWN
    if isinstance(unknown, dict) and isinstance(value, dict):
        result = dict(value)
        for key, part in unknown.items():
            marked = _with_unknowns(value.get(key), part)
            if marked is not None:
                result[key] = marked
        return result
    if isinstance(unknown, list) and isinstance(value, list):
        return [_with_unknowns(item, unknown[index]) if index < len(unknown) else item
                for index, item in enumerate(value)]
    return value


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
    (Shape.TERRAFORM_PLAN, _terraform_plan),
    (Shape.REGISTER, _register),
    (Shape.CONTAINER_LIST, _containers),
)
