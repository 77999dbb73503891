"""WIN101: a Windows task on EC2 uses the bridge, host or none network mode."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import windows_on_ec2

# windows-ecs-facts.md §2: Windows container instances offer only the default
# (nat) network and awsvpc. "none" is documented as unsupported too, but the ECS
# agent's Windows functional tests use it (mdservice-validator-windows), so it is
# only a warning.
UNSUPPORTED = ("bridge", "host", "none")


@rule(
    id="WIN101",
    name="windows-network-mode",
    severity=Severity.ERROR,
    summary="Windows task uses the bridge, host or none network mode",
    fix="Omit networkMode (the default nat network) or use awsvpc.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `networkMode` `bridge`, `host` or `none` in a Windows task that
    can run on EC2 or external (ECS Anywhere) instances.

    ## Why is this bad?
    Windows container instances support only two network modes: the default
    one, which you select by omitting `networkMode` (Docker's `nat` network),
    and `awsvpc`. `bridge` and `host` are Linux modes; the task cannot run on
    a Windows instance. On Fargate, where every task needs `awsvpc`, FG301
    reports the network mode instead.

    `none` is reported as a **warning**: the Developer Guide lists it as
    unsupported on Windows, but Docker on Windows has a `none` network and
    the ECS agent's own Windows functional tests run a task with
    `networkMode: "none"`, so the documented limit may be stricter than the
    behaviour. Prefer the documented modes.

    ## Example
    ```json
    {"family": "web", "networkMode": "bridge",
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
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [Amazon ECS task networking options for EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html)
    - [Amazon ECS task definition parameters for Amazon EC2: network mode](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    """
    mode = task.data.get("networkMode")
    if mode not in UNSUPPORTED or not windows_on_ec2(task):
        return
    yield Finding.at_value(
        ("networkMode",),
        f"networkMode {mode!r} is not supported for Windows containers; Windows "
        "instances offer only the default (nat) network and awsvpc",
        severity=Severity.WARNING if mode == "none" else None,
    )
