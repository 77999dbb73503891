"""FG303: a Fargate task sets a parameter Fargate does not support."""

from collections.abc import Iterator
from typing import Any

from ecslint.facts import table
from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._fargate import fargate_task, is_set


@rule(
    id="FG303",
    name="fargate-unsupported-parameter",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Fargate task sets a parameter that is not valid on Fargate",
    fix_title="Remove the parameter, or run the task on EC2 where it is supported.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports, one finding each, the parameters that are not valid in a task
    definition that targets FARGATE (alone or together with EC2):
    `ipcMode`, `placementConstraints` and `pidMode: "host"` (Fargate accepts
    only `task`) on the task; `disableNetworking`,
    `dnsSearchDomains`, `dnsServers`, `dockerSecurityOptions`, `extraHosts`,
    `links`, `privileged` and a GPU `resourceRequirements` entry on a
    container; `maxSwap`, `swappiness`, `devices`, `sharedMemorySize`,
    `tmpfs` and any added capability other than `SYS_PTRACE` in
    `linuxParameters`; `dockerVolumeConfiguration` and a host `sourcePath` on
    a volume. Values that configure nothing (`false`, `[]`, `{}`) are not
    reported, except an empty `dockerVolumeConfiguration`, which still asks
    for a Docker volume. On a Windows task, FG305 reports `linuxParameters`
    and `pidMode` as a whole and gMSA `credentialspec:` options, so this rule
    leaves them out.

    ## Why is this bad?
    Fargate runs each task in its own managed VM with a fixed network and
    security setup, so ECS rejects these parameters when it validates the
    task definition against the FARGATE compatibility: registration fails with
    a `ClientException`.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "privileged": true,
        "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"]}}}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "containerDefinitions": [
       {"name": "web", "image": "nginx",
        "linuxParameters": {"capabilities": {"add": ["SYS_PTRACE"]}}}]}
    ```

    ## References
    - [Amazon ECS task definition differences for Fargate](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html)
    - [KernelCapabilities API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_KernelCapabilities.html)
    - [HostVolumeProperties API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HostVolumeProperties.html)
    """
    if not fargate_task(task):
        return
    facts = table("fargate-unsupported-parameters")
    windows = task.platform.is_windows
    for entry in facts["task"]:
        key = entry["key"]
        value = task.data.get(key)
        if not is_set(value) or is_unresolved(value):
            continue
        if "values" not in entry:
            yield Finding.at_key(
                (key,), f"task {task.label} sets {key}, which Fargate does not support")
        elif not windows and isinstance(value, str) and value in entry["values"]:
            yield Finding.at_value(
                (key,), f"task {task.label} sets {key} {value!r}, which Fargate does not support")
    for container in task.containers:
        yield from _container(container.data, container.path, container.label, facts, windows)
    volumes = task.data.get("volumes")
    for index, volume in enumerate(volumes if isinstance(volumes, list) else []):
        if isinstance(volume, dict):
            yield from _volume(volume, ("volumes", index), facts)


def _container(data: dict[str, Any], path: tuple[Any, ...], name: str, facts: Any,
               windows: bool) -> Iterator[Finding]:
    for entry in facts["container"]:
        key = entry["key"]
        value = data.get(key)
        if not is_set(value) or is_unresolved(value):
            continue
        if key == "dockerSecurityOptions" and windows and _only_gmsa(value):
            continue
        yield Finding.at_key(
            path + (key,), f"container {name} sets {key}, which Fargate does not support")
    gpu_types = {entry["type"] for entry in facts["resourceTypes"]}
    requirements = data.get("resourceRequirements")
    for index, requirement in enumerate(requirements if isinstance(requirements, list) else []):
        kind = requirement.get("type") if isinstance(requirement, dict) else None
        if isinstance(kind, str) and kind in gpu_types:
            yield Finding.at_value(
                path + ("resourceRequirements", index, "type"),
                f"container {name} requests a {kind} resource, which Fargate does not offer",
            )
    linux = data.get("linuxParameters")
    if windows or not isinstance(linux, dict):
        return
    linux_path = path + ("linuxParameters",)
    for entry in facts["linuxParameters"]:
        key = entry["key"]
        value = linux.get(key)
        if value is not None and value != [] and not is_unresolved(value):
            yield Finding.at_key(
                linux_path + (key,),
                f"container {name} sets linuxParameters.{key}, which Fargate does not support",
            )
    capabilities = linux.get("capabilities")
    added = capabilities.get("add") if isinstance(capabilities, dict) else None
    allowed = {entry["capability"] for entry in facts["allowedCapabilities"]}
    for index, capability in enumerate(added if isinstance(added, list) else []):
        if not isinstance(capability, str) or is_unresolved(capability):
            continue
        bare = capability.strip().upper().removeprefix("CAP_")
        if bare not in allowed:
            yield Finding.at_value(
                linux_path + ("capabilities", "add", index),
                f"container {name} adds capability {capability!r}; Fargate allows only "
                + " or ".join(sorted(allowed)),
            )


def _volume(volume: dict[str, Any], path: tuple[Any, ...], facts: Any) -> Iterator[Finding]:
    name = volume.get("name")
    shown = repr(name) if isinstance(name, str) else f"#{path[-1] + 1}"
    for entry in facts["volume"]:
        parent_key, _, child_key = entry["key"].rpartition(".")
        holder = volume.get(parent_key) if parent_key else volume
        if not isinstance(holder, dict):
            continue
        value = holder.get(child_key)
        # An empty dockerVolumeConfiguration still asks for a Docker volume.
        present = value is not None if entry.get("presence") else is_set(value)
        if not present or is_unresolved(value):
            continue
        key_path = path + ((parent_key, child_key) if parent_key else (child_key,))
        yield Finding.at_key(
            key_path,
            f"volume {shown} sets {entry['key']}, which Fargate does not support",
        )


def _only_gmsa(options: Any) -> bool:
    if not isinstance(options, list):
        return False
    return all(isinstance(o, str) and o.lower().startswith("credentialspec") for o in options)
