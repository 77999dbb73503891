"""FG306: a Windows task on Fargate maps a container port Fargate reserves."""

import re
from collections.abc import Iterator

from ecslint.facts import table
from ecslint.rule import AppliesTo, Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._fargate import fargate_task, port_number

# At most 18 digits a bound: int() refuses more than 4300, and no port has them.
_RANGE = re.compile(r"^\s*(\d{1,18})\s*-\s*(\d{1,18})\s*$")


@rule(
    id="FG306",
    name="fargate-windows-reserved-port",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task on Fargate uses container port 3150, which Fargate reserves",
    fix_title="Listen on another port in the container and map that one.",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a port mapping of a Windows task that targets FARGATE whose
    `containerPort` is 3150, or whose `containerPortRange` includes it.

    ## Why is this bad?
    The Amazon ECS Developer Guide reserves container port 3150 for Windows
    containers on Fargate for the platform's own use, so a mapping
    on it is refused. (The statement comes from the 2023 edition of the
    task definition parameters page; no later source contradicts it.)

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "portMappings": [{"containerPort": 3150}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "portMappings": [{"containerPort": 8080}]}]}
    ```

    ## References
    - [Amazon ECS task definition parameters for Fargate: port mappings](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    if not fargate_task(task):
        return
    reserved = {entry["port"] for entry in table("fargate-windows-reserved-ports")["ports"]}
    for container in task.containers:
        mappings = container.data.get("portMappings")
        for index, mapping in enumerate(mappings if isinstance(mappings, list) else []):
            if not isinstance(mapping, dict):
                continue
            path = container.path + ("portMappings", index)
            port = port_number(mapping.get("containerPort"))
            if port in reserved:
                yield Finding.at_value(
                    path + ("containerPort",),
                    f"container {container.label} maps containerPort {port}, "
                    "which Windows on Fargate reserves",
                )
            span = mapping.get("containerPortRange")
            match = _RANGE.match(span) if isinstance(span, str) else None
            if match and not is_unresolved(span):
                low, high = int(match.group(1)), int(match.group(2))
                for port in sorted(p for p in reserved if low <= p <= high):
                    yield Finding.at_value(
                        path + ("containerPortRange",),
                        f"container {container.label} maps containerPortRange {span!r}, "
                        f"which includes port {port} that Windows on Fargate reserves",
                    )
