"""FG308: policy rule, off by default: a Windows task that targets Fargate."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule
from ecslint.rules._fargate import fargate_task


@rule(
    id="FG308",
    name="windows-on-fargate",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Windows task targets Fargate (opt-in policy rule)",
    fix_title=("Run the Windows task on EC2 (requiresCompatibilities EC2), as the "
               "project's policy asks."),
    default=False,
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports every Windows task that targets FARGATE (alone or together with
    EC2). The rule is disabled by default; select it (`--select FG308`) if
    your team runs Windows containers only on EC2 container instances, for
    example to use gMSA, FSx for Windows File Server, or a golden AMI.

    **This is a policy rule, not a correctness check.** Windows containers on
    Fargate are supported: Windows Server 2019 since October 2021 and Windows
    Server 2022 since August 2022. Blog posts from 2020 that say "Fargate does
    not support Windows containers" are out of date. The feature limits of
    Windows on Fargate are checked by FG304 to FG307, which are on by default.

    ## Why is this bad?
    It is not wrong in itself. Some teams standardise on EC2 for Windows (gMSA
    with domain-joined hosts, FSx for Windows File Server volumes, their own
    AMIs and agents, cost at scale) and want a Windows task that slipped onto
    Fargate flagged in review.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [Fargate Windows platform versions](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-windows-fargate.html)
    - [Architect for AWS Fargate for Amazon ECS](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/AWS_Fargate.html)
    """
    if not fargate_task(task):
        return
    requires = task.data.get("requiresCompatibilities")
    runtime = task.data.get("runtimePlatform")
    if isinstance(runtime, dict) and isinstance(runtime.get("operatingSystemFamily"), str):
        path: tuple[str | int, ...] = ("runtimePlatform", "operatingSystemFamily")
    elif isinstance(requires, list) and "FARGATE" in requires:
        path = ("requiresCompatibilities", requires.index("FARGATE"))
    else:
        path = ()
    yield Finding.at_value(
        path,
        f"Windows task {task.label} targets FARGATE; this project runs Windows "
        "containers on EC2 only (policy rule FG308)",
    )
