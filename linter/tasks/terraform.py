"""Turn a Terraform ``aws_ecs_task_definition`` resource into API-shaped data.

Terraform spells the RegisterTaskDefinition fields in snake_case and writes the
nested ones as blocks (``runtime_platform { ... }``, one ``volume { ... }`` per
volume); ``container_definitions`` holds the API's own JSON, as a string or as
the value ``jsonencode`` encodes. Every reader of Terraform (HCL, Terraform's
JSON syntax, plan JSON) gives the resource's arguments as Terraform's JSON
syntax has them: blocks as lists of objects, arguments as values; ``to_api`` maps
them onto the API's keys (AWS provider, ``resource_ecs_task_definition.go`` and
its ``expand*`` functions) and records, for every node it makes, the path of the
node it came from, so findings sit on what the user wrote.

An empty string is an argument left unset, as the provider reads it (``GetOk``): state,
and so the plan of a resource that exists, writes one for every unset string.

Arguments the API does not have (``skip_destroy``, ``track_latest``, ``tags_all``,
meta-arguments such as ``count``) are left out: they are Terraform's to check.
A value ecslint cannot know stays what the reader made of it, an unresolved
placeholder (``ecslint.rule.is_unresolved``), which no rule reports on.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from ecslint.load.hcl_reader import ECS_MODULE, RESOURCE_TYPE
from ecslint.load.sourcemap import Path
from ecslint.rule import is_unresolved

if TYPE_CHECKING:
    from ecslint.tasks.cfn_parameters import Instances

__all__ = ["RESOURCE_TYPE", "instances", "module_tasks", "to_api"]

# A block's fields: Terraform name -> (API name, how): None for a value taken as it
# is; the fields of a block that appears once; ("list", fields) for a block that
# repeats; "map" for a map(string) the API has as a list of {name, value};
# "strings" for a map(string) the API has as a map; "host" for the volume's
# host_path, which the API has as host.sourcePath. Terraform turns the numbers and
# booleans of a map(string) into strings; so does ``to_api``.
Fields = dict[str, tuple[str, Any]]

_AUTHORIZATION_EFS: Fields = {"access_point_id": ("accessPointId", None), "iam": ("iam", None)}
_AUTHORIZATION_FSX: Fields = {"credentials_parameter": ("credentialsParameter", None),
                              "domain": ("domain", None)}
_VOLUME: Fields = {
    "name": ("name", None),
    "host_path": ("host", "host"),
    "configure_at_launch": ("configuredAtLaunch", None),
    "docker_volume_configuration": ("dockerVolumeConfiguration", {
        "scope": ("scope", None), "autoprovision": ("autoprovision", None),
        "driver": ("driver", None), "driver_opts": ("driverOpts", "strings"),
        "labels": ("labels", "strings")}),
    "efs_volume_configuration": ("efsVolumeConfiguration", {
        "file_system_id": ("fileSystemId", None), "root_directory": ("rootDirectory", None),
        "transit_encryption": ("transitEncryption", None),
        "transit_encryption_port": ("transitEncryptionPort", None),
        "authorization_config": ("authorizationConfig", _AUTHORIZATION_EFS)}),
    "fsx_windows_file_server_volume_configuration": (
        "fsxWindowsFileServerVolumeConfiguration", {
            "file_system_id": ("fileSystemId", None), "root_directory": ("rootDirectory", None),
            "authorization_config": ("authorizationConfig", _AUTHORIZATION_FSX)}),
}
TASK: Fields = {
    "family": ("family", None),
    "container_definitions": ("containerDefinitions", None),
    "network_mode": ("networkMode", None),
    "requires_compatibilities": ("requiresCompatibilities", None),
    "cpu": ("cpu", None),
    "memory": ("memory", None),
    "execution_role_arn": ("executionRoleArn", None),
    "task_role_arn": ("taskRoleArn", None),
    "pid_mode": ("pidMode", None),
    "ipc_mode": ("ipcMode", None),
    "enable_fault_injection": ("enableFaultInjection", None),
    "runtime_platform": ("runtimePlatform", {
        "operating_system_family": ("operatingSystemFamily", None),
        "cpu_architecture": ("cpuArchitecture", None)}),
    "ephemeral_storage": ("ephemeralStorage", {"size_in_gib": ("sizeInGiB", None)}),
    "proxy_configuration": ("proxyConfiguration", {
        "type": ("type", None), "container_name": ("containerName", None),
        "properties": ("properties", "map")}),
    "placement_constraints": ("placementConstraints", ("list", {
        "type": ("type", None), "expression": ("expression", None)})),
    "inference_accelerator": ("inferenceAccelerators", ("list", {
        "device_name": ("deviceName", None), "device_type": ("deviceType", None)})),
    "volume": ("volumes", ("list", _VOLUME)),
}
# Arguments Terraform takes as strings where HCL lets a number stand (cpu = 1024).
_STRINGS = frozenset({"family", "cpu", "memory"})


# What terraform-aws-modules/ecs (v5 to v7) does with a container: it drops these
# Linux-only parameters when runtime_platform is not LINUX, and fills these in when
# they are not given (a CloudWatch log configuration, a read-only root filesystem in
# v5, user 0 in v5...). Neither is known from the call: such keys are unknown.
_MODULE_LINUX_ONLY = ("disableNetworking", "dnsSearchDomains", "dnsServers", "extraHosts",
                      "links", "linuxParameters", "privileged", "readonlyRootFilesystem",
                      "ulimits", "user")
_MODULE_FILLED = ("logConfiguration", "readonlyRootFilesystem", "user", "linuxParameters",
                  "essential", "startTimeout", "stopTimeout", "privileged")
# Task arguments of the module that map onto the API. Absent ones take the module's
# defaults: these three are the same from v5.0 to v7.5 (modules/service/variables.tf),
# the others (family, cpu, memory) are left unknown.
_MODULE_TASK = {"family": "family", "cpu": "cpu", "memory": "memory",
                "network_mode": "networkMode",
                "requires_compatibilities": "requiresCompatibilities",
                "runtime_platform": "runtimePlatform"}
_MODULE_DEFAULTS: dict[str, Any] = {
    "requires_compatibilities": ["FARGATE"], "network_mode": "awsvpc",
    "runtime_platform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"}}
_MODULE_DEFAULT = "${module default}"


def calls_ecs_module(arguments: Mapping[str, Any]) -> bool:
    """Whether a module call's ``source`` is terraform-aws-modules/ecs (a call read
    from HCL is kept only then; one from ``.tf.json`` is checked here)."""
    source = arguments.get("source")
    return isinstance(source, str) and ECS_MODULE.search(json.dumps(source)) is not None


def module_tasks(name: str, arguments: Mapping[str, Any], root: Path
                 ) -> list[tuple[str, dict[str, Any], dict[Path, Path]]]:
    """The task definitions of a terraform-aws-modules/ecs call at ``root``: its own
    (the service module) or one per entry of ``services`` (the root module), each
    named by its module address."""
    services = arguments.get("services")
    if isinstance(services, Mapping):
        return [_module_task(f"module.{name}.module.service[{key!r}]".replace("'", '"'), item,
                             root + ("services", key))
                for key, item in services.items() if isinstance(item, Mapping)]
    if "container_definitions" in arguments:
        return [_module_task(f"module.{name}", arguments, root)]
    return []


def _module_task(address: str, arguments: Mapping[str, Any], root: Path
                 ) -> tuple[str, dict[str, Any], dict[Path, Path]]:
    paths: dict[Path, Path] = {(): root}
    data: dict[str, Any] = {}
    for key, target in _MODULE_TASK.items():
        value = arguments.get(key)
        if value is None:
            data[target] = _MODULE_DEFAULTS.get(key, _MODULE_DEFAULT)
            continue
        paths[(target,)] = root + (key,)
        if key == "runtime_platform" and isinstance(value, Mapping):
            block = _block(value, TASK["runtime_platform"][1], (target,), root + (key,), paths)
            data[target] = block
        else:
            data[target] = _scalar(key, value)
    platform = data["runtimePlatform"]
    linux = isinstance(platform, Mapping) and platform.get("operatingSystemFamily") == "LINUX"
    definitions = arguments.get("container_definitions")
    containers: Any = []
    if isinstance(definitions, Mapping):
        paths[("containerDefinitions",)] = root + ("container_definitions",)
        for index, (key, fields) in enumerate(definitions.items()):
            at = root + ("container_definitions", key)
            paths[("containerDefinitions", index)] = at
            containers.append(_module_container(key, fields, index, at, linux, paths)
                              if isinstance(fields, Mapping) else fields)
    elif definitions is not None:
        containers = definitions  # unknown (a variable): stays what the reader made of it
    data["containerDefinitions"] = containers
    return address, data, paths


def _module_container(key: str, fields: Mapping[str, Any], index: int, at: Path, linux: bool,
                      paths: dict[Path, Path]) -> dict[str, Any]:
    """A container of the module's map: v5's snake_case inputs or v6's camelCase ones,
    named by its key unless it says otherwise."""
    container: dict[str, Any] = {}
    for name, value in fields.items():
        target = _MODULE_RENAMES.get(name) or _camel(name)
        if target in ("create",) or name.startswith(("enable_", "create_", "cloudwatch_")):
            continue
        paths[("containerDefinitions", index, target)] = at + (name,)
        container[target] = (_MODULE_DEFAULT if not linux and target in _MODULE_LINUX_ONLY
                             else value)
    container.setdefault("name", key)
    for target in _MODULE_FILLED:
        container.setdefault(target, _MODULE_DEFAULT)
    return container


# v5 names that are not the API's in camelCase (depends_on is a reserved word there).
_MODULE_RENAMES = {"dependencies": "dependsOn"}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def instances(module: Mapping[str, Any]) -> Instances | None:
    """What a module's container instances run, from the AMIs it looks up: the names
    of ``aws_ssm_parameter`` data sources (``/aws/service/ami-windows-latest/
    Windows_Server-2022-English-Core-ECS_Optimized``) and the name filters of
    ``aws_ami`` ones, when every one that names an ECS-optimized AMI agrees."""
    from ecslint.tasks.cfn_parameters import agreed, classify

    found = set()
    signals = []
    for kind, name, text in _ami_texts(module.get("data")):
        decided = classify(text)
        if decided is not None:
            found.add(decided)
            signals.append(f"data {kind} {name}: {text}")
    return agreed(found, signals, "the module's")


def _ami_texts(data: Any) -> Iterator[tuple[str, str, str]]:
    for block in data if isinstance(data, list) else [data]:
        if not isinstance(block, Mapping):
            continue
        for kind, keys in (("aws_ssm_parameter", ("name",)), ("aws_ami", ("name_regex",))):
            sources = block.get(kind)
            for name, arguments in (sources.items() if isinstance(sources, Mapping) else ()):
                if not isinstance(arguments, Mapping):
                    continue
                texts = [arguments.get(key) for key in keys]
                for condition in _blocks(arguments.get("filter")):
                    if isinstance(condition, Mapping) and condition.get("name") == "name":
                        values = condition.get("values")
                        texts += values if isinstance(values, list) else []
                yield from ((kind, str(name), text) for text in texts
                            if isinstance(text, str) and not is_unresolved(text))


def to_api(arguments: Mapping[str, Any], root: Path) -> tuple[dict[str, Any], dict[Path, Path]]:
    """The RegisterTaskDefinition data of a resource whose arguments sit at ``root``
    of their document, and its path table: canonical path -> document path, for
    every node made (deeper paths follow the longest recorded prefix)."""
    paths: dict[Path, Path] = {(): root}
    return _block(arguments, TASK, (), root, paths), paths


def _block(arguments: Mapping[str, Any], fields: Fields, at: Path, source: Path,
           paths: dict[Path, Path]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in arguments.items():
        if key not in fields or value == "":
            continue
        name, inner = fields[key]
        target, origin = at + (name,), source + (key,)
        if inner is None:
            paths[target] = origin
            result[name] = _scalar(key, value)
        elif inner in ("map", "strings"):
            paths[target] = origin
            strings = _strings(value)
            result[name] = _name_values(strings) if inner == "map" else strings
        elif inner == "host":
            paths[target] = paths[target + ("sourcePath",)] = origin
            result[name] = {"sourcePath": value}
        elif isinstance(inner, tuple):  # a block that repeats
            paths[target] = origin
            items = _blocks(value)
            result[name] = [
                item if not isinstance(item, Mapping) else
                _block(item, inner[1], target + (index,), origin + (index,), paths)
                for index, item in enumerate(items)]
            for index in range(len(items)):
                paths.setdefault(target + (index,), origin + (index,))
        else:  # a block that appears once: the first
            items = _blocks(value)
            if not items:
                continue
            first = items[0]
            paths[target] = origin + (0,) if isinstance(value, list) else origin
            result[name] = (first if not isinstance(first, Mapping) else
                            _block(first, inner, target, paths[target], paths))
        if key == "container_definitions":
            result[name] = _containers(result[name])
    return result


def _blocks(value: Any) -> list[Any]:
    """A block's occurrences: Terraform's JSON syntax allows one object or a list."""
    if isinstance(value, list):
        return value
    return [value] if value is not None else []


def _scalar(key: str, value: Any) -> Any:
    if key in _STRINGS and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _strings(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return {key: ("true" if item else "false") if isinstance(item, bool) else
            str(item) if isinstance(item, (int, float)) else item
            for key, item in value.items()}


def _name_values(value: Any) -> Any:
    if not isinstance(value, Mapping):
        return value
    return [{"name": key, "value": item} for key, item in value.items()]


def _containers(value: Any) -> Any:
    """``container_definitions`` as a list: a JSON string (plan JSON, Terraform's
    JSON syntax) is decoded; anything else stays as the reader gave it."""
    if isinstance(value, str) and not is_unresolved(value):
        try:
            return json.loads(value)
        except (ValueError, RecursionError):
            return value
    return value
