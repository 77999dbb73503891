"""SEC503: a Linux container runs as root."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._security import linux_task, no_user, user_account

ROOT = frozenset({"root", "0"})


@rule(
    id="SEC503",
    name="linux-root-user",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Linux container sets no user, or runs as root",
    fix_title='Set "user" to a non-root account or UID the image has, e.g. "1000:1000".',
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Linux task that sets no `user`, or sets `root` or
    UID `0` (also as `root:root`, `0:0` or with any group). This mirrors the
    AWS Config managed rule `ecs-task-definition-linux-user-non-root` and the
    Security Hub control ECS.20. A task counts as Linux when its
    `runtimePlatform`, a placement constraint or the configuration says so, or
    by default when nothing says Windows; a task that is Linux only by default
    is skipped when it hints at Windows (a `credentialspec:` Docker security
    option, a `C:\\` path in a command, an image named for Windows) or when
    no image is known (`!Ref`), since its OS is then unknown. A `user` that is
    not a string (the number `0` in a register-task-definition input) is left
    to E002, which reports its type.

    ## Why is this bad?
    Without `user`, a container runs as the image's default user, which is
    root for most images. A process running as root in the container is root
    on the host's kernel: a container escape or a writable host mount gives
    full control of the instance. Many images work as a non-root user; check
    that yours does (file permissions, ports below 1024) before you change it.
    Windows containers are left to SEC502.

    ## Example
    ```json
    {"family": "web", "runtimePlatform": {"operatingSystemFamily": "LINUX"},
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256, "user": "0:0"}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "runtimePlatform": {"operatingSystemFamily": "LINUX"},
     "containerDefinitions": [
       {"name": "web", "image": "nginxinc/nginx-unprivileged", "memory": 256,
        "user": "101:101"}]}
    ```

    ## References
    - [AWS Config rule ecs-task-definition-linux-user-non-root](https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-linux-user-non-root.html)
    - [Security Hub controls for Amazon ECS (ECS.20)](https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html)
    - [ContainerDefinition API reference: user](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    if not linux_task(task):
        return
    for container in task.containers:
        value = container.data.get("user")
        if no_user(value):
            yield Finding.at_value(
                container.path,
                f"container {container.label} sets no user, so it runs as the image's default "
                "user (root for most images)",
            )
        elif isinstance(value, str) and (user_account(value) or "").lower() in ROOT:
            yield Finding.at_value(
                container.path + ("user",),
                f"container {container.label} runs as root (user {value!r})",
            )
