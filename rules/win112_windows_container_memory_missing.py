"""WIN112: a Windows container on EC2 has no container-level memory."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._windows_resources import amount, unset


@rule(
    id="WIN112",
    name="windows-container-memory-missing",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Windows container on EC2 has no container-level memory",
    fix_title="Set memory (the hard limit, in MiB) on every Windows container.",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a Windows task that targets EC2 or external (ECS
    Anywhere) instances and sets neither `memory` nor `memoryReservation`,
    while the task sets a task-level `memory`.

    ## Why is this bad?
    On EC2 and external Windows instances the task-level `cpu` and `memory`
    are ignored: the agent applies no task-level limit on Windows, so a
    container without its own `memory` runs with no memory limit, however
    small the task size looks. It can take all of the instance's memory, and
    the task's memory reservation says nothing about what it really uses.
    Give each Windows container its own `memory`.

    Related cases belong to other rules: a container with
    `memoryReservation` but no `memory` is WIN111's; with no task-level memory
    either, the API refuses the definition (ECS408); `memory: 0` is ECS406's.
    For a bare list of container definitions (task fields unknown) every
    Windows container without memory is reported.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"], "cpu": "1024", "memory": "2048",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024,
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
    - [RegisterTaskDefinition API reference: task-level cpu and memory are ignored for Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [Amazon ECS task definition parameters for Amazon EC2: container memory](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    """
    task_memory = task.data.get("memory")
    list_only = not task.task_fields_known
    if task_memory is None and not list_only:
        return
    if list_only:
        reason = "a Windows container on EC2 gets no limit from the task-level memory"
    elif isinstance(task_memory, (str, int)) and not isinstance(task_memory, bool) \
            and not is_unresolved(task_memory):
        reason = f"on EC2 Windows the task-level memory ({task_memory}) does not limit containers"
    else:
        reason = "on EC2 Windows the task-level memory does not limit containers"
    related = [] if list_only else [("memory",)]
    for container in task.containers:
        data = container.data
        if amount(data.get("memory")) != "absent" or not unset(data.get("memoryReservation")):
            continue
        yield Finding.at_value(
            container.path,
            f"container {container.label} sets no memory; {reason}, "
            "so it runs with no memory limit",
            related=related,
        )
