"""WIN102: a Windows task spells the default network mode as ``nat``."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule


@rule(
    id="WIN102",
    name="windows-network-mode-nat",
    severity=Severity.INFO,
    since="0.1.0",
    summary='Windows task sets networkMode "nat" instead of omitting it',
    fix_title='Remove networkMode: omitting it selects the default (nat) network on Windows.',
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `networkMode: "nat"` in a Windows task that can run on EC2 or
    external (ECS Anywhere) instances.

    ## Why is this bad?
    The ECS API documents four network modes (`awsvpc`, `bridge`, `host`,
    `none`); Windows's default network, Docker's `nat` driver, is selected by
    leaving `networkMode` out. Some tools, the AWS CDK's `NetworkMode.NAT`
    among them, write `"nat"` instead, a value the API reference does not
    list. Omitting the field is the documented form and keeps the definition
    valid for every tool that checks against the API's list. On Fargate,
    FG301 reports any mode other than `awsvpc`.

    ## Example
    ```json
    {"family": "web", "networkMode": "nat",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"}]}
    ```

    ## References
    - [Amazon ECS task definition parameters for Amazon EC2: network mode](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    - [RegisterTaskDefinition API reference (networkMode values)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    """
    if task.data.get("networkMode") != "nat":
        return
    yield Finding.at_value(
        ("networkMode",),
        "networkMode 'nat' is not a documented API value; Windows selects its default "
        "(nat) network when networkMode is omitted",
    )
