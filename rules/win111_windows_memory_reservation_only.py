"""WIN111: a Windows container sets memoryReservation without memory."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import amount, unset

WORKAROUND = "ECS_ENABLE_MEMORY_UNBOUNDED_WINDOWS_WORKAROUND"


@rule(
    id="WIN111",
    name="windows-memory-reservation-only",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Windows container sets memoryReservation but no memory",
    fix_title="Replace memoryReservation with memory (a hard limit), or run the hosts with "
        "ECS_ENABLE_MEMORY_UNBOUNDED_WINDOWS_WORKAROUND=true and say so in the ecslint "
        "configuration (host: memory-unbounded-workaround: true).",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container in a Windows task that sets `memoryReservation` (the
    soft limit) but no `memory` (the hard limit).

    ## Why is this bad?
    Docker on Windows rejects any memory reservation, so by default the
    container fails with `CannotCreateContainerError`. The ECS agent has one
    way around it: with `ECS_ENABLE_MEMORY_UNBOUNDED_WINDOWS_WORKAROUND=true`
    on the container instance (agent 1.32.1 or later; the default is false)
    and `memory` unset, the agent uses the reservation only to place the
    task and does not pass it to Docker. The container then starts, **with
    no memory limit at all**.

    When the configuration says the hosts run with the workaround
    (`host: memory-unbounded-workaround: true`), the container does start, so
    the finding drops to **info**: it is then a note that the container can
    take all of the instance's memory and starve its neighbours, not a
    predicted failure. On a task that targets only Fargate the workaround
    cannot be configured, and the finding stays a warning.

    ## Example
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memoryReservation": 1024,
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
    workaround = platform.on_ec2 and task.host.memory_unbounded_workaround
    for container in task.containers:
        data = container.data
        reservation = data.get("memoryReservation")
        if amount(reservation) != "positive" or not unset(data.get("memory")):
            continue
        head = f"container {container.label} sets memoryReservation ({reservation}) without memory"
        if workaround:
            message = (f"{head}; with {WORKAROUND} the agent drops the reservation, so it only "
                       "places the task and the container runs with no memory limit")
        elif platform.on_ec2:
            message = (f"{head}; Docker on Windows rejects a memory soft limit, so the container "
                       f"cannot start unless the hosts set {WORKAROUND}=true (and then it runs "
                       "with no memory limit)")
        else:
            message = (f"{head}; Docker on Windows rejects a memory soft limit, and the agent's "
                       f"{WORKAROUND} cannot be set on Fargate")
        yield Finding.at_key(
            container.path + ("memoryReservation",), message,
            severity=Severity.INFO if workaround else None,
        )
