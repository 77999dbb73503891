"""SEC502: a Windows container runs as the container administrator."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._security import no_user, user_account

ADMINISTRATOR = "containeradministrator"


@rule(
    id="SEC502",
    name="windows-admin-user",
    severity=Severity.WARNING,
    summary="Windows container sets no user, or runs as ContainerAdministrator",
    fix='Set "user": "ContainerUser" (or another non-administrator account the image has).',
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task that sets no `user`, or sets
    `ContainerAdministrator` (in any letter case). This mirrors the AWS Config
    managed rule `ecs-task-definition-windows-user-non-admin` and the Security
    Hub control ECS.21, which mark such a container NON_COMPLIANT.

    **The sources conflict**: the
    [ContainerDefinition API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    for `user` still says the parameter "is not
    supported for Windows containers", while the newer AWS Config rule and
    Security Hub control require a non-administrator `user` on Windows. Docker
    on Windows accepts `--user ContainerUser`, so the API note looks stale,
    but this is why the rule is a warning and not an error. Test the account
    on your hosts before you roll it out.

    ## Why is this bad?
    Server Core based images run as `ContainerAdministrator` by default, an
    account with administrator rights inside the container: a compromised
    process can change the container's system configuration and is one step
    closer to the host. `ContainerUser` (the Nano Server default) has no
    administrator rights.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048, "user": "ContainerUser",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [AWS Config rule ecs-task-definition-windows-user-non-admin](https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-windows-user-non-admin.html)
    - [Security Hub controls for Amazon ECS (ECS.21)](https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html)
    - [ContainerDefinition API reference: user](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    if not task.platform.is_windows:
        return
    for container in task.containers:
        value = container.data.get("user")
        if no_user(value):
            yield Finding.at_value(
                container.path,
                f"Windows container {container.label} sets no user, so it runs as the image's "
                "default account (ContainerAdministrator for Server Core images)",
            )
        elif not is_unresolved(value) and (user_account(value) or "").lower() == ADMINISTRATOR:
            yield Finding.at_value(
                container.path + ("user",),
                f"Windows container {container.label} runs as {value!r}, an administrator "
                "inside the container",
            )
