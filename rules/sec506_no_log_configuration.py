"""SEC506: a container has no logConfiguration."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule


@rule(
    id="SEC506",
    name="no-log-configuration",
    severity=Severity.INFO,
    since="0.1.0",
    summary="Container without logConfiguration",
    fix_title="Add a logConfiguration, e.g. the awslogs driver with a log group and stream prefix.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports each container that has no `logConfiguration`. This mirrors the
    AWS Config managed rule `ecs-task-definition-log-configuration` and the
    Security Hub control ECS.9.

    ## Why is this bad?
    Without a log configuration, a container's output goes to the Docker
    daemon's default driver on the container instance (usually `json-file`,
    rotated and lost with the instance) and, on Fargate, nowhere you can read.
    Incidents then have no application log to investigate, and audits flag
    the task definition.

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 256}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/web",
                                         "awslogs-region": "us-east-1",
                                         "awslogs-stream-prefix": "web"}}}]}
    ```

    ## References
    - [AWS Config rule ecs-task-definition-log-configuration](https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-log-configuration.html)
    - [Security Hub controls for Amazon ECS (ECS.9)](https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html)
    - [LogConfiguration API reference](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html)
    """
    for container in task.containers:
        if container.data.get("logConfiguration") is None:
            yield Finding.at_value(
                container.path,
                f"container {container.label} has no logConfiguration; its output is not "
                "sent to any log service",
            )
