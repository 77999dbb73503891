"""WIN120: a Windows container sets a parameter Windows does not support."""

from collections.abc import Iterator
from typing import Any

from ecslint.facts import table
from ecslint.rule import Applicability, AppliesTo, Finding, Fix, Remove, Severity, TaskView, rule
from ecslint.rules._windows_resources import effective


@rule(
    id="WIN120",
    name="windows-unsupported-container-parameter",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows container sets a container parameter Windows does not support",
    fix_title="Remove the parameter from the Windows container definition.",
    applies_to=AppliesTo.WINDOWS,
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports each of these container parameters in a Windows task, one
    finding per parameter, on its key: `links`, `linuxParameters`,
    `privileged`, `readonlyRootFilesystem`, `ulimits`, `dnsServers`,
    `dnsSearchDomains`, `extraHosts`, `disableNetworking`, `systemControls`,
    `firelensConfiguration`, and a `resourceRequirements` entry of type `GPU`
    (reported on its type). The fix removes the parameter (not a GPU entry);
    unsafe, since what the container asked for (a read-only disk, a log
    router, extra hosts) is then silently gone: decide what replaces it.

    A value that only restates the default asks for nothing and is not
    reported: `false`, an empty list or an empty object (tools that export
    task definitions often write `"systemControls": []` or
    `"privileged": false`).

    ## Why is this bad?
    The API reference marks these parameters "not supported for Windows
    containers": the Docker engine on Windows rejects some of them when it
    creates the container (`privileged`, `readonlyRootFilesystem`, `ulimits`),
    and the ECS agent has no Windows support for the others (FireLens, GPUs),
    so the task fails to start or cannot be placed. `user`, which the API
    reference also lists, is not reported: current AWS Config and Security
    Hub controls require it on Windows (see SEC502). On Fargate, FG303 and
    FG305 report some of the same keys for Fargate's own reasons.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048, "readonlyRootFilesystem": true,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "ulimits": [{"name": "nofile", "softLimit": 1024, "hardLimit": 4096}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [ContainerDefinition API reference ("not supported for Windows containers")](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Amazon ECS task definition parameters for Amazon EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    """
    facts = table("windows-unsupported-parameters")
    gpu_types = {entry["type"]: entry["reason"] for entry in facts["resourceRequirementTypes"]}
    for container in task.containers:
        data = container.data
        for entry in facts["container"]:
            key = entry["key"]
            if effective(data.get(key)):
                reason = entry.get("reason")
                yield Finding.at_key(
                    container.path + (key,),
                    f"container {container.label} sets {key}, which Windows containers do not "
                    "support" + (f": {reason}" if reason else ""),
                    fix=Fix(f"Remove {key}", (Remove(container.path + (key,)),)),
                )
        for index, kind in _requirement_types(data.get("resourceRequirements")):
            if kind in gpu_types:
                yield Finding.at_value(
                    container.path + ("resourceRequirements", index, "type"),
                    f"container {container.label} requests a {kind} resource, which Windows "
                    f"containers do not support: {gpu_types[kind]}",
                )


def _requirement_types(requirements: Any) -> Iterator[tuple[int, str]]:
    if not isinstance(requirements, list):
        return
    for index, item in enumerate(requirements):
        kind = item.get("type") if isinstance(item, dict) else None
        if isinstance(kind, str):
            yield index, kind
