"""WIN114: a Windows container on EC2 with cpu unset, 0 or tiny gets a few percent of a CPU."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import amount

# CPU units per vCPU, and the smallest cpu the rule accepts: 0.125 vCPU, the
# smallest task-level cpu on EC2 (RegisterTaskDefinition API reference). The cut-off
# does not depend on the host: below it a container gets at most 1/8 of one vCPU.
UNITS_PER_VCPU = 1024
SMALLEST = 128


@rule(
    id="WIN114",
    name="windows-cpu-zero",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Windows container on EC2 with cpu unset, 0 or below 128 units is capped at a "
            "few percent of a CPU",
    fix_title="Set cpu on the container to what it needs (1024 units = one vCPU; at least 128). "
        "For cpu unset or 0 only, running the hosts with "
        "ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND=true also lifts the cap; say so in the "
        "ecslint configuration (host: cpu-unbounded-workaround: true).",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task that targets EC2 or external (ECS
    Anywhere) instances and has no `cpu`, `cpu: 0`, or a `cpu` below 128
    units (0.125 vCPU, the smallest task-level `cpu` on EC2).

    ## Why is this bad?
    On Linux, container `cpu` is a relative share and a small value lets a
    container use idle CPU freely. Windows enforces `cpu` as an **absolute
    cap** ("Windows containers only have access to the specified amount of
    CPU that's described in the task definition"). The ECS agent converts
    it to a percentage of the whole instance:
    `max(1, cpu × 100 ÷ (vCPUs × 1024))` percent, in whole numbers rounded
    down, where a missing, 0 or 1 `cpu` counts as 2 units. So a missing or
    zero `cpu` becomes the minimum, 1 % of the host, and a small value is
    just as bad: `cpu: 20` is 20/1024 = 2 % of one vCPU, which the agent
    rounds down to whole percents of the host and never below 1 %. The
    container starts but crawls (slow start-up, failing health checks), and
    task-level `cpu` does not help because Windows ignores it.

    The ECS agent setting `ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND=true`
    changes only the unset case: with it, a container whose `cpu` is unset
    or 0 runs with no CPU limit. When the configuration says the hosts use
    it (`host: cpu-unbounded-workaround: true`), the rule does not report
    unset or 0; small non-zero values are still capped and still reported.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"],
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 20, "memory": 2048,
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
    - [RegisterTaskDefinition API reference: the smallest task cpu on EC2 (128 units)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [Amazon ECS container agent configuration (ECS_ENABLE_CPU_UNBOUNDED_WINDOWS_WORKAROUND)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html)
    - [ECS agent: how cpu becomes a Windows CPU percent (agent/api/task/task_windows.go)](https://github.com/aws/amazon-ecs-agent/blob/master/agent/api/task/task_windows.go)
    - [Implementing resource controls for Windows containers (Microsoft)](https://learn.microsoft.com/en-us/virtualization/windowscontainers/manage-containers/resource-controls)
    """
    unbounded = task.host.cpu_unbounded_workaround
    for container in task.containers:
        value = container.data.get("cpu")
        cpu = amount(value)
        if cpu == "absent" and not unbounded:
            yield Finding.at_value(
                container.path,
                f"container {container.label} sets no cpu; on EC2 Windows that caps it at 1% "
                "of the instance's CPU",
            )
        elif cpu == "zero" and not unbounded:
            yield Finding.at_value(
                container.path + ("cpu",),
                f"container {container.label} sets cpu 0; on EC2 Windows that caps it at 1% "
                "of the instance's CPU",
            )
        elif cpu == "positive" and isinstance(value, int) and value < SMALLEST:
            yield Finding.at_value(
                container.path + ("cpu",),
                f"container {container.label} sets cpu {value}, a hard cap on Windows: "
                f"{value}/{UNITS_PER_VCPU} = {value / UNITS_PER_VCPU:.1%} of one vCPU, which "
                "the agent rounds down to whole percents of the instance's CPU, never below 1%",
            )
