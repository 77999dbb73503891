"""SEC501: a container runs privileged."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="SEC501",
    name="privileged-container",
    severity=Severity.WARNING,
    summary="Container runs with privileged: true",
    fix="Remove privileged and add only the Linux capabilities the container needs "
        "(linuxParameters.capabilities.add).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container that sets `privileged: true`. This mirrors the AWS
    Config managed rule `ecs-containers-nonprivileged` and the Security Hub
    control ECS.4 ("ECS containers should run as non-privileged").

    ## Why is this bad?
    A privileged container gets every Linux capability and access to the
    host's devices: a compromise of the container is a compromise of the
    container instance and of every other task on it. (Privileged mode is
    also invalid on Fargate and unsupported for Windows containers; FG303 and
    the Windows rules report those cases as errors.)

    ## Example
    ```json
    {"family": "agent",
     "containerDefinitions": [
       {"name": "agent", "image": "amazonlinux:2023", "memory": 256, "privileged": true}]}
    ```

    ## Use instead
    ```json
    {"family": "agent",
     "containerDefinitions": [
       {"name": "agent", "image": "amazonlinux:2023", "memory": 256,
        "linuxParameters": {"capabilities": {"add": ["NET_ADMIN"]}}}]}
    ```

    ## References
    - [AWS Config rule ecs-containers-nonprivileged](https://docs.aws.amazon.com/config/latest/developerguide/ecs-containers-nonprivileged.html)
    - [Security Hub controls for Amazon ECS (ECS.4)](https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html)
    - [ContainerDefinition API reference: privileged](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    for container in task.containers:
        if container.data.get("privileged") is True:
            yield Finding.at_value(
                container.path + ("privileged",),
                f"container {container.label} runs privileged, with every Linux capability "
                "and the host's devices",
            )
