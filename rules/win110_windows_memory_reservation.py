"""WIN110: a Windows container sets memoryReservation next to memory."""

from collections.abc import Iterator

from ecslint.rule import Applicability, AppliesTo, Finding, Fix, Remove, Severity, TaskView, rule
from ecslint.rules._windows_resources import amount


@rule(
    id="WIN110",
    name="windows-memory-reservation",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows container sets memoryReservation together with memory",
    fix_title="Remove memoryReservation and keep memory as the container's limit.",
    applies_to=AppliesTo.WINDOWS,
    fix=Applicability.SAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container in a Windows task that sets both `memory` and
    `memoryReservation` (both non-zero).

    ## Why is this bad?
    Docker on Windows has no soft memory limit: it refuses to create a
    container with a memory reservation ("invalid option: Windows does not
    support MemoryReservation"), and the task stops with
    `CannotCreateContainerError`. The agent's only workaround,
    `ECS_ENABLE_MEMORY_UNBOUNDED_WINDOWS_WORKAROUND=true`, drops the
    reservation only when `memory` is unset, so it does not help here: with a
    hard limit present, the reservation always reaches Docker. The API
    accepts the definition; the failure comes when the task starts.

    On EC2 and external instances this is an error. For a task that targets
    only Fargate the finding is a warning: the Docker check is the same, but
    AWS documents no Fargate-specific behaviour for Windows memory
    reservations.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048, "memoryReservation": 1024,
        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022"}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8.1-windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [Amazon ECS task definition parameters for Amazon EC2: memory and memoryReservation](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    - [Amazon ECS container agent configuration (ECS_ENABLE_MEMORY_UNBOUNDED_WINDOWS_WORKAROUND)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-agent-config.html)
    """
    platform = task.platform
    fargate_only = platform.on_fargate and not platform.on_ec2
    outcome = ("so the container is likely to fail to start (AWS documents no Fargate exception)"
               if fargate_only else "so the container cannot start")
    for container in task.containers:
        data = container.data
        memory, reservation = data.get("memory"), data.get("memoryReservation")
        if amount(memory) != "positive" or amount(reservation) != "positive":
            continue
        yield Finding.at_key(
            container.path + ("memoryReservation",),
            f"container {container.label} sets memoryReservation ({reservation}) next to memory "
            f"({memory}); Docker on Windows rejects a memory soft limit, {outcome}",
            related=[container.path + ("memory",)],
            severity=Severity.WARNING if fargate_only else None,
            fix=Fix("Remove memoryReservation",
                    (Remove(container.path + ("memoryReservation",)),)),
        )
