"""ECS408: an EC2 task whose container has no memory setting at all."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="ECS408",
    name="memory-required",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="EC2 task with no task memory and a container with neither memory nor reservation",
    fix_title="Set the container's memory or memoryReservation, or set the task's memory.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports, in a task definition for EC2 (or EXTERNAL, or with no
    `requiresCompatibilities`, which ECS treats as EC2) that has no task-level
    `memory`, each container that sets neither `memory` nor
    `memoryReservation`. The finding sits on the container. A file holding
    only container definitions (Terraform's `container_definitions`) is not
    checked, because its task-level memory lives elsewhere; a Fargate-only task
    is not checked either (FG302 requires its task memory).

    ## Why is this bad?
    On EC2 the scheduler must know how much memory to reserve for each
    container, so the API requires a task memory or, for every container,
    `memory` or `memoryReservation`. Registration fails with "Invalid setting
    for container ... At least one of 'memory' or 'memoryReservation' must be
    specified". This holds for Windows too (where, in addition, only the
    container `memory` limits the container: see WIN112).

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memoryReservation": 256},
       {"name": "log-router", "image": "amazon/aws-for-fluent-bit"}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memoryReservation": 256},
       {"name": "log-router", "image": "amazon/aws-for-fluent-bit", "memoryReservation": 64}]}
    ```

    ## References
    - [ContainerDefinition memory and memoryReservation (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Task definition parameters for Amazon EC2: memory](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    """
    if not task.task_fields_known or not task.platform.on_ec2:
        return
    if task.data.get("memory") is not None:
        return
    for container in task.containers:
        if (container.data.get("memory") is None
                and container.data.get("memoryReservation") is None):
            yield Finding.at_value(
                container.path,
                f"container {container.label} sets neither memory nor memoryReservation, "
                f"and task {task.label} has no task-level memory",
            )
