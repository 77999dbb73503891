"""WIN150: a static host port the ECS agent on Windows reserves for the host."""

from collections.abc import Iterator
from functools import cache
from typing import Any

from ecslint.facts import table
from ecslint.rule import AppliesTo, Finding, Severity, TaskView, is_unresolved, rule

# Network modes in which a port mapping binds a port of the container instance itself:
# the Windows default (networkMode omitted, Docker's nat network, windows-ecs-facts.md §2)
# and the modes WIN101 reports. awsvpc binds the task's own ENI and none binds nothing.
_HOST_BINDING_MODES = (None, "nat", "bridge", "host")


@cache
def _reserved() -> tuple[dict[int, str], dict[int, str]]:
    """Ports reserved always, and ports reserved when task IAM roles are on: port -> service."""
    always: dict[int, str] = {}
    with_role: dict[int, str] = {}
    for entry in table("windows-reserved-ports")["ports"]:
        if entry["protocol"] != "tcp":
            continue
        target = with_role if entry["when"] == "task-iam-role" else always
        target[entry["port"]] = entry["service"]
    return always, with_role


def _port(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


@rule(
    id="WIN150",
    name="windows-reserved-host-port",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Static hostPort that the ECS agent on Windows reserves",
    fix_title="Map the container port to another host port, or omit hostPort for a dynamic one.",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a port mapping of a Windows task on EC2 or EXTERNAL whose static TCP
    `hostPort` is one the ECS agent on Windows reserves: 53, 135, 139, 445,
    2375, 2376, 3389, 5985, 5986, 51678, 51679, and 80 when the task sets
    `taskRoleArn`. Only network modes that bind ports of the instance are
    checked (the default nat mode; `bridge` and `host` are reported by WIN101):
    in `awsvpc` mode each task has its own network interface.

    ## Why is this bad?
    The agent on Windows registers these ports (DNS, RPC, NetBIOS, SMB, Docker,
    RDP, WinRM and its own endpoints) as used, so no container instance
    offers them and the task is never placed. With task IAM roles enabled the
    agent's credential proxy also takes port 80
    ([Amazon ECS task IAM role](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html),
    [PortMapping API reference: hostPort](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html);
    the list follows the agent's [config_windows.go](https://github.com/aws/amazon-ecs-agent/blob/master/agent/config/config_windows.go)).

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "taskRoleArn": "arn:aws:iam::111122223333:role/web-task",
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "taskRoleArn": "arn:aws:iam::111122223333:role/web-task",
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
        "memory": 2048, "cpu": 1024,
        "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}
    ```

    ## References
    - [PortMapping API reference (hostPort, reserved ports)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html)
    - [Amazon ECS task IAM role (Windows: credential proxy on port 80)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html)
    """
    mode = task.data.get("networkMode")
    if is_unresolved(mode) or mode not in _HOST_BINDING_MODES:
        return
    # A bare container list does not say its network mode or task role: only a hostPort
    # that differs from its containerPort is surely a host binding (awsvpc forbids that).
    known = task.task_fields_known
    role = task.data.get("taskRoleArn")
    with_role = known and role is not None and role != ""
    always, role_ports = _reserved()
    for container in task.containers:
        mappings = container.data.get("portMappings")
        for index, mapping in enumerate(mappings if isinstance(mappings, list) else []):
            if not isinstance(mapping, dict):
                continue
            protocol = mapping.get("protocol", "tcp")
            if isinstance(protocol, str) and protocol.lower() == "udp":
                continue
            container_port = _port(mapping.get("containerPort"))
            host_port = _port(mapping.get("hostPort"))
            if mode == "host" and host_port is None:
                host_port = container_port
            if host_port is None or (not known and host_port == container_port):
                continue
            path = container.path + ("portMappings", index,
                                     "hostPort" if "hostPort" in mapping else "containerPort")
            if host_port in always:
                yield Finding.at_value(
                    path,
                    f"container {container.label} maps host port {host_port}, which the ECS "
                    f"agent on Windows reserves ({always[host_port]})",
                )
            elif with_role and host_port in role_ports:
                yield Finding.at_value(
                    path,
                    f"container {container.label} maps host port {host_port}, which the ECS "
                    f"agent on Windows reserves for the {role_ports[host_port]} when the task "
                    "has a taskRoleArn",
                    related=[("taskRoleArn",)],
                )
