"""ECS402: no container of the task is essential."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._ecs import essential


@rule(
    id="ECS402",
    name="no-essential-container",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="No container in the task definition is essential",
    fix_title="Mark the main container essential (remove `essential: false`; it defaults to true).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition in which every container sets `essential` to
    `false`. The finding sits on `containerDefinitions` and names each
    `essential: false` as a related location. A container without `essential`
    counts as essential (the default), and a value only CloudFormation knows
    (`!If ...`) is never reported.

    ## Why is this bad?
    Amazon ECS requires at least one essential container in a task
    definition: a task is stopped when an essential container exits, and a
    task with none could never be ended by its own work. Registration fails
    (cfn-lint reports the same case as E3042). The rule is the same on Linux and
    Windows, EC2 and Fargate.

    ## Example
    ```json
    {"family": "workers",
     "containerDefinitions": [
       {"name": "worker", "image": "busybox", "memory": 128, "essential": false},
       {"name": "log-router", "image": "amazon/aws-for-fluent-bit", "memory": 64,
        "essential": false}]}
    ```

    ## Use instead
    ```json
    {"family": "workers",
     "containerDefinitions": [
       {"name": "worker", "image": "busybox", "memory": 128},
       {"name": "log-router", "image": "amazon/aws-for-fluent-bit", "memory": 64,
        "essential": false}]}
    ```

    ## References
    - [ContainerDefinition.essential (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Task definition parameters: essential](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    items = task.data.get("containerDefinitions")
    containers = task.containers
    # An entry that is not a mapping (an intrinsic function) may be essential.
    if not containers or not isinstance(items, list) or len(containers) != len(items):
        return
    if any(essential(c) is not False for c in containers):
        return
    if len(containers) == 1:
        message = (f"the only container, {containers[0].label}, "
                   "sets essential to false; a task needs at least one essential container")
    else:
        message = (f"all {len(containers)} containers of task {task.label} set essential to "
                   "false; a task needs at least one essential container")
    yield Finding.at_key(("containerDefinitions",), message,
                         related=[c.path + ("essential",) for c in containers])
