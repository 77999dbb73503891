"""WIN104: awsvpc on EC2 Windows: agent version and ENI density."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import awsvpc_blocker

# windows-ecs-facts.md §2: Windows task networking arrived in ECS agent 1.54.0.
MINIMUM_AGENT = "1.54.0"


@rule(
    id="WIN104",
    name="windows-awsvpc-density",
    severity=Severity.INFO,
    since="0.1.0",
    summary="awsvpc on EC2 Windows needs agent 1.54.0+ and has no ENI trunking",
    fix_title="Size the instances for one ENI per task (or use the default nat network), and run "
        "ECS agent 1.54.0 or later with task networking enabled at bootstrap.",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Notes `networkMode: "awsvpc"` in a Windows task that targets EC2, where
    awsvpc works but with limits worth knowing before you size a cluster.

    ## Why is this bad?
    Nothing is wrong with the definition, but:

    - Windows task networking needs ECS agent 1.54.0 or later (2021-07) and
      instances bootstrapped with task networking on (they register
      `ecs.capability.task-eni`); older or differently configured instances
      cannot take the task.
    - Windows has no ENI trunking, so each awsvpc task uses one of the
      instance's own ENIs (minus the primary one): a `c5.large`, with 3 ENIs,
      runs at most 2 awsvpc tasks whatever its CPU and memory. Tasks that do
      not fit wait in PROVISIONING or fail placement.
    - Task ENIs get no public IP address; use private subnets with a NAT
      gateway, and `ip` target groups for load balancers.

    The Windows Server 2016 and ECS Anywhere cases, where awsvpc cannot run at
    all, are WIN103's.

    ## Example
    ```json
    {"family": "web", "networkMode": "awsvpc", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
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
    - [Amazon ECS task networking for tasks on EC2 instances (awsvpc; Windows considerations)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html)
    - [Elastic network interfaces per instance type](https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/AvailableIpPerENI.html)
    """
    platform = task.platform
    if (task.data.get("networkMode") != "awsvpc"
            or "EC2" not in platform.launch_types or awsvpc_blocker(task) is not None):
        return
    yield Finding.at_value(
        ("networkMode",),
        f"awsvpc on EC2 Windows needs ECS agent {MINIMUM_AGENT} or later, and with no ENI "
        "trunking on Windows each task takes one of the instance's ENIs, which caps the "
        "tasks per instance",
    )
