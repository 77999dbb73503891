"""WIN121: a Windows task sets a task parameter Windows does not support."""

from collections.abc import Iterator

from ecslint.facts import table
from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule
from ecslint.rules._windows_resources import effective


@rule(
    id="WIN121",
    name="windows-unsupported-task-parameter",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task sets pidMode, ipcMode, proxyConfiguration or inferenceAccelerators",
    fix_title="Remove the parameter from the Windows task definition.",
    applies_to=AppliesTo.WINDOWS,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports each of the task-level parameters `pidMode`, `ipcMode`,
    `proxyConfiguration` and `inferenceAccelerators` in a Windows task, one
    finding per parameter, on its key. An empty list or object is not
    reported.

    ## Why is this bad?
    Windows has no PID or IPC namespace sharing, and the ECS agent on Windows
    has no App Mesh proxy or Elastic Inference support: the API reference
    marks `pidMode` and `ipcMode` "not supported for Windows containers", and
    the Developer Guide says the same of proxy configuration and inference
    accelerators. The task cannot run as defined. (The last two are also
    deprecated features on every platform, which ECS415 reports.)

    ## Example
    ```json
    {"family": "web", "pidMode": "task",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
     "containerDefinitions": [
       {"name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}]}
    ```

    ## References
    - [RegisterTaskDefinition API reference (pidMode, ipcMode)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    - [Amazon ECS task definition parameters for Amazon EC2](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    """
    for entry in table("windows-unsupported-parameters")["task"]:
        key = entry["key"]
        if effective(task.data.get(key)):
            yield Finding.at_key(
                (key,),
                f"{key} is not supported for Windows containers: {entry['reason']}",
            )
