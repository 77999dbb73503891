"""SEC502: a Windows container runs as the container administrator."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, is_unresolved, quoted, rule
from ecslint.rules._security import no_user, user_account

ADMINISTRATOR = "containeradministrator"


@rule(
    id="SEC502",
    name="windows-admin-user",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Windows container sets no user, or runs as ContainerAdministrator "
            "(compliance mirror of AWS Config and Security Hub ECS.21)",
    fix_title='Only for an image that needs no administrator rights (no IIS or ServiceMonitor, '
        'no Windows services or machine-wide settings configured at start-up, no mounts '
        'only Administrators may use): set "user": "ContainerUser" and test it on your '
        'hosts. Otherwise keep the default account and record an exception for the '
        'compliance control.',
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    r"""## What it does
    Reports a container of a Windows task that sets no `user`, or sets
    `ContainerAdministrator` (in any letter case). This is a **compliance
    mirror**: the AWS Config managed rule
    `ecs-task-definition-windows-user-non-admin` and the Security Hub control
    ECS.21 mark such a container NON_COMPLIANT, and this rule shows the same
    before deployment. It is **info**, so a correct Windows task passes a
    default run: many correct Windows tasks trip it.

    The AWS sources conflict. The
    [ContainerDefinition API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    says `user` "is not supported for Windows containers", while the newer
    AWS Config rule and Security Hub control require a non-administrator
    `user` on Windows. Docker on Windows accepts `--user ContainerUser`.

    ## Why is this bad?
    Server Core based images run as `ContainerAdministrator` by default, an
    account with administrator rights inside the container: a compromised
    process can change the container's system configuration. `ContainerUser`
    (the Nano Server default) has no administrator rights.

    **When setting `user` breaks the image.** Many Windows images need
    `ContainerAdministrator`; do not set `ContainerUser` on them:
    - IIS and ASP.NET (.NET Framework) images, whose entrypoint is
      `C:\ServiceMonitor.exe w3svc`: "the service monitor tool requires
      administrative privileges to configure and monitor the service"
      (Microsoft), and with `ContainerUser` the container stops with "Failed
      to stop or query status of service 'w3svc' error [80070005]"
      (microsoft/iis-docker#181, microsoft/IIS.ServiceMonitor#77);
    - agents that talk to Docker through the named pipe
      `\\.\pipe\docker_engine`, such as the Datadog agent;
    - images whose entrypoint installs, starts or configures Windows
      services or software, or changes machine-wide settings such as the
      time zone;
    - containers that use bind mounts or files whose access lists grant
      only Administrators (under process isolation the container's account
      is the one checked against the host folder's ACL).

    For these, keep the default account and record an exception for the
    compliance control. Set `ContainerUser` where the application needs no
    administrator rights (a self-hosted ASP.NET Core or console app, most
    Nano Server images), and test it on your hosts first.

    ## Example
    ```json
    {"family": "api",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "api", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022"}]}
    ```

    ## Use instead
    ```json
    {"family": "api",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "api", "cpu": 1024, "memory": 2048, "user": "ContainerUser",
        "image": "mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [AWS Config rule ecs-task-definition-windows-user-non-admin](https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-windows-user-non-admin.html)
    - [Security Hub controls for Amazon ECS (ECS.21)](https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html)
    - [ContainerDefinition API reference: user ("not supported for Windows containers")](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Secure Windows containers: ContainerAdministrator and ContainerUser, Windows services (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/container-security)
    - [Persistent storage in containers: bind mounts and the container account (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/persistent-storage)
    - [IIS image with a non-admin user fails: microsoft/iis-docker#181](https://github.com/microsoft/iis-docker/issues/181)
    - [ServiceMonitor needs administrator rights: microsoft/IIS.ServiceMonitor#77](https://github.com/microsoft/IIS.ServiceMonitor/issues/77)
    """
    for container in task.containers:
        value = container.data.get("user")
        if no_user(value):
            yield Finding.at_value(
                container.path,
                f"Windows container {container.label} sets no user, so it runs as the image's "
                "default account (ContainerAdministrator for Server Core images); AWS Config "
                "and Security Hub ECS.21 want a non-administrator user",
            )
        elif not is_unresolved(value) and (user_account(value) or "").lower() == ADMINISTRATOR:
            yield Finding.at_value(
                container.path + ("user",),
                f"Windows container {container.label} runs as {quoted(str(value))}, an "
                "administrator inside the container (AWS Config and Security Hub ECS.21 "
                "want a non-administrator user)",
            )
