"""SEC501: a container runs privileged."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="SEC501",
    name="privileged-container",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Container runs with privileged: true",
    fix_title="Remove privileged and add only the Linux capabilities the container needs "
        "(linuxParameters.capabilities.add).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container that sets `privileged: true`. This mirrors the AWS
    Config managed rule `ecs-containers-nonprivileged` and the Security Hub
    control ECS.4 ("ECS containers should run as non-privileged").

    It never reports a container of a Windows task: Docker on Windows refuses
    privileged mode, so such a container does not start at all, and WIN120
    reports that as an error. When the task's OS is unknown (nothing in it
    says Linux or Windows), the message says what privileged mode means on
    Linux.

    ## Why is this bad?
    A privileged container gets every Linux capability and access to the
    host's devices: a compromise of the container is a compromise of the
    container instance and of every other task on it. (Privileged mode is
    also invalid on Fargate; FG303 reports that case as an error.)

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
    if task.platform.is_windows:
        return
    effect = ("with every Linux capability and the host's devices" if task.platform.is_linux
              else "which on Linux gives it every Linux capability and the host's devices")
    for container in task.containers:
        if container.data.get("privileged") is True:
            yield Finding.at_value(
                container.path + ("privileged",),
                f"container {container.label} runs privileged, {effect}",
            )
