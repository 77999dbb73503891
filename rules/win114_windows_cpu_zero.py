"""WIN114: a Windows container on EC2 with cpu unset or 0 gets about 1% of the host."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import amount, windows_on_ec2


@rule(
    id="WIN114",
    name="windows-cpu-zero",
    severity=Severity.WARNING,
    summary="Windows container on EC2 with cpu unset or 0 is capped at about 1% of the host",
    fix="Set cpu on the container (1024 units = one vCPU), or run the hosts with "
        "ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND=true and say so in the ecslint "
        "configuration (host: cpu-unbounded-workaround: true).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task that targets EC2 or external (ECS
    Anywhere) instances and has no `cpu`, or `cpu: 0`.

    ## Why is this bad?
    On Linux, container `cpu` is a relative share and 0 lets a container use
    idle CPU freely. Windows enforces `cpu` as an **absolute cap**: the agent
    turns it into a percentage of the instance's CPU, and a missing or zero
    value becomes the minimum, about 1% of the host. The container starts but
    crawls (slow start-up, failing health checks), and task-level `cpu` does
    not help because Windows ignores it.

    The ECS agent setting `ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND=true`
    changes this: with it, a container whose `cpu` is unset or 0 runs with no
    CPU limit. When the configuration says the hosts use it
    (`host: cpu-unbounded-workaround: true`), the rule reports nothing.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "memory": 2048,
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
    - [ContainerDefinition API reference: cpu on Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Amazon ECS container agent configuration (ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html)
    """
    if not windows_on_ec2(task) or task.host.cpu_unbounded_workaround:
        return
    for container in task.containers:
        cpu = amount(container.data.get("cpu"))
        if cpu == "absent":
            yield Finding.at_value(
                container.path,
                f"container {container.label} sets no cpu; on EC2 Windows that caps it at about 1% "
                "of the instance's CPU",
            )
        elif cpu == "zero":
            yield Finding.at_value(
                container.path + ("cpu",),
                f"container {container.label} sets cpu 0; on EC2 Windows that caps it at about 1% "
                "of the instance's CPU",
            )
