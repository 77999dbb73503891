"""ECS406: a container's memory limit is not above its reservation, or below Docker's minimum."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._ecs import as_int, limits


@rule(
    id="ECS406",
    name="memory-below-reservation",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Container memory is below its memoryReservation, or below 6 MiB",
    fix_title="Set memory (the hard limit) above memoryReservation and to at least 6 MiB.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container whose `memory` (the hard limit, MiB) is
    - below 6 MiB, the least Docker 20.10 and later reserves for a container
      (older Docker, 19.03 and before, reserved 4 MiB); or
    - below its `memoryReservation` (the soft limit).

    The finding sits on `memory`. Equal values are not reported: the API
    reference says `memory` must be *greater than* `memoryReservation`, but ECS
    registers equal values (the ECS CLI itself writes them when only a
    reservation is given, and a correction to the Developer Guide, 2023, reads
    "greater than or equal to"). On Windows the comparison is left to WIN110,
    because Windows rejects any `memoryReservation` next to `memory`.

    ## Why is this bad?
    A soft limit above the hard limit cannot be honoured: the container is
    killed before it reaches what the scheduler reserved for it, and
    registration fails. A hard limit below what Docker reserves cannot start a
    container.

    ## Example
    ```json
    {"family": "api",
     "containerDefinitions": [
       {"name": "api", "image": "nginx", "memory": 256, "memoryReservation": 512}]}
    ```

    ## Use instead
    ```json
    {"family": "api",
     "containerDefinitions": [
       {"name": "api", "image": "nginx", "memory": 1024, "memoryReservation": 512}]}
    ```

    ## References
    - [ContainerDefinition memory and memoryReservation (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Task definition parameters: memory](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    minimum = limits()["containerMemoryMinimum"]["mib"]
    for container in task.containers:
        memory = as_int(container.data.get("memory"))
        if memory is None:
            continue
        path = container.path + ("memory",)
        reservation = as_int(container.data.get("memoryReservation"))
        if memory < minimum:
            yield Finding.at_value(
                path,
                f"container {container.label} sets memory to {memory} MiB, below the "
                f"{minimum} MiB Docker reserves for a container",
            )
        elif reservation is not None and memory < reservation and not task.platform.is_windows:
            yield Finding.at_value(
                path,
                f"container {container.label} sets memory ({memory} MiB) below "
                f"memoryReservation ({reservation} MiB); the hard limit cannot be below the soft "
                "limit",
                related=[container.path + ("memoryReservation",)],
            )
