"""SEC507: a Linux container's root filesystem is writable."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._security import linux_task


@rule(
    id="SEC507",
    name="writable-root-filesystem",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Linux container without readonlyRootFilesystem: true",
    fix_title='Set "readonlyRootFilesystem": true and mount a volume (or tmpfs) for the paths '
        "the application writes.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Linux task that does not set
    `readonlyRootFilesystem: true`. This mirrors the AWS Config managed rule
    `ecs-containers-readonly-access` and the Control Tower control
    CT.ECS.PR.6. The Config rule's page names an explicit `false`; this rule
    also reports a container that leaves the field unset, because the
    default is a writable root filesystem.
    It never reports Windows containers: Windows does not support
    `readonlyRootFilesystem` (the API reference says so), so the Config rule
    cannot be satisfied there and WIN120 reports the parameter if it is set.
    A value that is not a boolean (the string `"true"` in a register-task-definition
    input) is left to E002, which reports its type.
    A task that is Linux only by default (no `runtimePlatform`) is skipped
    when it hints at Windows (a `credentialspec:` Docker security option, a
    `C:\\` path in a command, an image named for Windows) or when no image
    is known (`!Ref`).

    ## Why is this bad?
    A writable root filesystem lets an attacker who gets code execution in
    the container drop tools, change binaries or configuration, and persist
    until the task stops. A read-only root with explicit volumes for data and
    temporary files makes tampering visible and limited.

    ## Example
    ```json
    {"family": "web", "runtimePlatform": {"operatingSystemFamily": "LINUX"},
     "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 256}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "runtimePlatform": {"operatingSystemFamily": "LINUX"},
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256, "readonlyRootFilesystem": true,
        "mountPoints": [{"sourceVolume": "cache", "containerPath": "/var/cache/nginx"}]}],
     "volumes": [{"name": "cache"}]}
    ```

    ## References
    - [AWS Config rule ecs-containers-readonly-access](https://docs.aws.amazon.com/config/latest/developerguide/ecs-containers-readonly-access.html)
    - [Control Tower controls for Amazon ECS (CT.ECS.PR.6)](https://docs.aws.amazon.com/controltower/latest/controlreference/ecs-rules.html)
    - [ContainerDefinition API reference: readonlyRootFilesystem](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    if not linux_task(task):
        return
    for container in task.containers:
        value = container.data.get("readonlyRootFilesystem")
        if value is None:
            yield Finding.at_value(
                container.path,
                f"container {container.label} does not set readonlyRootFilesystem, so its "
                "root filesystem is writable",
            )
        elif value is False:
            yield Finding.at_value(
                container.path + ("readonlyRootFilesystem",),
                f"container {container.label} sets readonlyRootFilesystem to "
                "false, so its root filesystem is writable",
            )
