"""WIN103: awsvpc on a Windows host that cannot give a task its own ENI."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import awsvpc_blocker


@rule(
    id="WIN103",
    name="windows-awsvpc-unsupported-host",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="awsvpc on Windows Server 2016 or on external (ECS Anywhere) Windows instances",
    fix_title="Omit networkMode (the default nat network), or run the task on Windows Server "
        "2019 or later EC2 instances.",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `networkMode: "awsvpc"` in a Windows task whose hosts cannot run
    awsvpc tasks:

    - `WINDOWS_SERVER_2016_FULL`, taken from `runtimePlatform`, from a
      `memberOf` constraint on `ecs.os-family`, or, when the task names no
      Windows version, from the configured host version
      (`host: windows-version: "2016"`);
    - a Windows task with `EXTERNAL` (ECS Anywhere) in
      `requiresCompatibilities`, or with `launch-type: EXTERNAL` configured.

    ## Why is this bad?
    awsvpc on Windows needs the task-ENI capability, which the Windows Server
    2016 ECS-optimized AMI never gets, and which external instances do not
    have at all: on ECS Anywhere, Windows tasks must use the default network
    mode. No instance can take the task, so it stays unplaced. A
    `WINDOWS_SERVER_2016_FULL` task that targets only Fargate is FG304's
    (2016 is not a Fargate platform).

    ## Example
    ```json
    {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2016_FULL"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2016"}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2016_FULL"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2016"}]}
    ```

    ## References
    - [Amazon ECS task networking for tasks on EC2 instances (awsvpc; Windows considerations)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html)
    - [Amazon ECS clusters for external instances (ECS Anywhere)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-anywhere.html)
    """
    if task.data.get("networkMode") != "awsvpc":
        return
    blocker = awsvpc_blocker(task)
    if blocker is None:
        return
    hosts, related = blocker
    yield Finding.at_value(
        ("networkMode",),
        f"networkMode 'awsvpc' cannot run on {hosts}, which have no task-ENI support; "
        "they run Windows tasks only in the default network mode",
        related=related,
    )
