"""WIN113: task-level cpu or memory in a Windows task on EC2, where they are ignored."""

from collections.abc import Iterator

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, is_unresolved, rule


@rule(
    id="WIN113",
    name="windows-task-resources-ignored",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Windows task on EC2 sets task-level cpu or memory, which are ignored",
    fix_title="Move the sizes to the containers (cpu and memory on each container definition) and "
        "remove the task-level values.",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports the task-level `cpu` and `memory` of a Windows task that targets
    only EC2 or external (ECS Anywhere) instances, one finding per field.

    ## Why is this bad?
    Task-level CPU and memory are ignored for Windows containers: the agent
    applies no task-wide limit on Windows. A reader (or a reviewer) takes the
    task size for a limit that does not exist; only each container's own
    `cpu` and `memory` are enforced.

    A task that also targets Fargate is not reported, because Fargate requires
    the task size and uses it. Values that are CloudFormation intrinsics
    (often `!If [IsFargate, ..., !Ref AWS::NoValue]`) are not reported.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["EC2"], "cpu": "1024", "memory": "2048",
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
    - [RegisterTaskDefinition API reference: task-level cpu and memory are ignored for Windows containers](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [Amazon ECS task definition parameters for Amazon EC2: task size](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    """
    if task.platform.on_fargate:
        return
    where = "EC2" if "EC2" in task.platform.launch_types else "external instances"
    for key in ("cpu", "memory"):
        value = task.data.get(key)
        if not isinstance(value, (str, int)) or isinstance(value, bool) or value == "" \
                or is_unresolved(value):
            continue
        yield Finding.at_key(
            (key,),
            f"task-level {key} ({value}) is ignored for Windows containers on {where} and "
            f"limits nothing; only each container's {key} is enforced",
        )
