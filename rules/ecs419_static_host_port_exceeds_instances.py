"""ECS419: a static host port caps a service below its desired count."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._ecs import as_int, mappings


@rule(
    id="ECS419",
    name="static-host-port-exceeds-instances",
    severity=Severity.ERROR,
    since="0.2.0",
    summary="Static host port allows fewer tasks than the service's desired count",
    fix_title="Use a dynamic host port (hostPort 0 or omitted) with a load balancer, "
              "awsvpc, or enough instances for the desired count.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    With the cluster's real hosts known (`ecslint aws --cluster`), reports a
    container port mapping with a static `hostPort` (not 0) in a service whose
    desired count is larger than the number of container instances that can
    hold it: one task per instance can bind a host port, and an instance whose
    agent reserves the port (`ECS_RESERVED_PORTS`) holds none. In `awsvpc`
    each task has its own network interface, so nothing is reported.

    ## Why is this bad?
    ECS places a task only on an instance where its host ports are free. With
    a static port the service can run at most one task per instance; the rest
    stay unplaced ("already using a port required by your task") and the
    service never reaches its desired count. A rolling deployment needs a free
    instance too.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 1024,
       "memory": 2048, "portMappings": [{"containerPort": 80, "hostPort": 80}]}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": {"cluster": "prod", "name": "web",
       "arn": "arn:aws:ecs:eu-west-1:111122223333:service/prod/web",
       "task_definition": "web:3", "desired_count": 3},
     "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "attributes": {"ecs.os-type": "windows"}},
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a2",
       "attributes": {"ecs.os-type": "windows"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 1024,
       "memory": 2048, "portMappings": [{"containerPort": 80, "hostPort": 0}]}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": {"cluster": "prod", "name": "web",
       "arn": "arn:aws:ecs:eu-west-1:111122223333:service/prod/web",
       "task_definition": "web:3", "desired_count": 3},
     "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "attributes": {"ecs.os-type": "windows"}},
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a2",
       "attributes": {"ecs.os-type": "windows"}}]}
    ```

    ## References
    - [Amazon ECS port mappings (hostPort, dynamic ports)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_PortMapping.html)
    - [Amazon ECS task placement](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement.html)
    """
    placement = task.host.placement
    service = placement.service if placement is not None else None
    if (placement is None or service is None or not placement.on_instances
            or task.data.get("networkMode") == "awsvpc"):
        return
    instances, kind = placement.of_os(task.platform.os)
    if not instances:
        return
    from ecslint.hosts import Service

    for container in task.containers:
        for index, mapping in mappings(container.data.get("portMappings")):
            port = as_int(mapping.get("hostPort"))
            if not port:
                continue
            free = [i for i in instances if port not in i.ports]
            if service.desired_count <= len(free):
                continue
            reserved = len(instances) - len(free)
            held = (f"; {reserved} {'reserves' if reserved == 1 else 'reserve'} it"
                    if reserved else "")
            yield Finding.at_value(
                container.path + ("portMappings", index, "hostPort"),
                f"service {service.name!r} wants {service.desired_count} tasks, but container "
                f"{container.label} binds host port {port}, which one task per instance can "
                f"hold, and only {len(free)} of the {len(instances)} {kind}container instances "
                f"of cluster {placement.cluster!r} can take it{held}",
                related=[Service.path("desiredCount")],
            )
