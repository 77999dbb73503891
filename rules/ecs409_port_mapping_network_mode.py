"""ECS409: port mappings the task's network mode does not allow, or a host port mapped twice."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.rule import Finding, Path, Severity, TaskView, is_unresolved, rule
from ecslint.rules._ecs import as_int, mappings

# BOTO PortMapping.hostPort: with awsvpc or host networking the host port is
# the container port ("left blank or set to the same value as the containerPort").
_SAME_PORT_MODES = ("awsvpc", "host")


@rule(
    id="ECS409",
    name="port-mapping-network-mode",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Port mappings that the network mode forbids, or one host port mapped twice",
    fix_title=("Omit hostPort (or set it to containerPort) in awsvpc/host mode; map "
               "each host port once."),
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Checks `portMappings` against the task's `networkMode`:
    - with `awsvpc` or `host`, a `hostPort` other than the `containerPort`
      (0 and an omitted `hostPort` are fine);
    - with `none`, any port mapping;
    - in any mode, the same static host port and protocol mapped twice in the
      task (in `awsvpc`/`host` mode a mapping's host port is its container
      port). The later mapping is reported, with the first as related
      location. Dynamic host ports (`hostPort` 0 or omitted in bridge mode)
      never clash.

    Without a `networkMode` in the file (a bare list of container
    definitions) only the explicit host ports are compared.

    ## Why is this bad?
    Registration fails: "When networkMode=awsvpc, the host ports and container
    ports in port mappings must match", "TCP host port '3000' is mapped
    multiple times in task". A task in `none` mode has no external network, so
    nothing can reach a mapped port.

    ## Example
    ```json
    {"family": "web", "networkMode": "awsvpc",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "portMappings": [{"containerPort": 80, "hostPort": 8080}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "networkMode": "awsvpc",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "portMappings": [{"containerPort": 80}]}]}
    ```

    ## References
    - [PortMapping (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html)
    - [Task definition parameters: network mode](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    mode = task.data.get("networkMode") if task.task_fields_known else None
    mode = mode if isinstance(mode, str) and not is_unresolved(mode) else None
    seen: dict[tuple[str, int], tuple[str, Path]] = {}
    for container in task.containers:
        who = container.label
        ports = container.data.get("portMappings")
        if mode == "none" and isinstance(ports, list) and ports:
            yield Finding.at_key(
                container.path + ("portMappings",),
                f"container {who} has portMappings, but networkMode none gives the task no "
                "external network")
            continue
        for i, mapping in mappings(ports):
            path = container.path + ("portMappings", i)
            container_port = as_int(mapping.get("containerPort"))
            host_port = as_int(mapping.get("hostPort"))
            if mode in _SAME_PORT_MODES and host_port and container_port is not None \
                    and host_port != container_port:
                yield Finding.at_value(
                    path + ("hostPort",),
                    f"container {who} maps hostPort {host_port} to containerPort "
                    f"{container_port}, but networkMode {mode} needs hostPort omitted or equal "
                    "to containerPort")
                continue
            key, where = _host_port(mode, host_port, container_port, path)
            if key is None:
                continue
            protocol = mapping.get("protocol")
            protocol = "udp" if isinstance(protocol, str) and protocol.lower() == "udp" else "tcp"
            first = seen.setdefault((protocol, key), (who, where))
            if first[1] != where:
                yield Finding.at_value(
                    where,
                    f"container {who} maps {protocol.upper()} host port {key}, which "
                    f"container {first[0]} already maps; a host port can be mapped once per task",
                    related=[first[1]])


def _host_port(mode: str | None, host_port: int | None, container_port: int | None,
               path: Path) -> tuple[int | None, Path]:
    """The static host port of a mapping and the path that sets it, or None when
    the host port is dynamic or unknown."""
    if host_port:
        return host_port, path + ("hostPort",)
    if mode in _SAME_PORT_MODES and container_port:
        return container_port, path + ("containerPort",)
    return None, path
