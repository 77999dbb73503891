"""FG307: a Fargate container uses a log driver Fargate does not offer."""

from collections.abc import Iterator
from typing import Literal

from ecslint.facts import table
from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._fargate import fargate_task


@rule(
    id="FG307",
    name="fargate-log-driver",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Fargate container uses a log driver other than awslogs, splunk or awsfirelens",
    fix_title="Use awslogs, splunk or (Linux only) awsfirelens; for other destinations, "
        "route logs through a FireLens (Fluent Bit) sidecar on Linux.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container of a task that targets FARGATE (alone or together
    with EC2) whose `logConfiguration.logDriver` is not one Fargate offers:
    `awslogs`, `splunk` or `awsfirelens` for Linux tasks, `awslogs` or
    `splunk` for Windows tasks (FireLens is not available for Windows
    containers).

    ## Why is this bad?
    On Fargate there is no container instance whose agent could register
    other drivers (`ECS_AVAILABLE_LOGGING_DRIVERS`), so ECS accepts only the
    drivers it runs itself. `json-file`, `journald`, `syslog`, `gelf` or
    `fluentd` make registration or the task fail.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "containerDefinitions": [
       {"name": "web", "image": "nginx",
        "logConfiguration": {"logDriver": "json-file"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
     "cpu": "256", "memory": "512",
     "containerDefinitions": [
       {"name": "web", "image": "nginx",
        "logConfiguration": {"logDriver": "awslogs",
                             "options": {"awslogs-group": "/ecs/web",
                                         "awslogs-region": "us-east-1",
                                         "awslogs-stream-prefix": "web"}}}]}
    ```

    ## References
    - [LogConfiguration API reference (supported log drivers on Fargate)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html)
    - [Amazon ECS task definition differences for Fargate](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html)
    - [Send Amazon ECS logs to an AWS service or AWS Partner (FireLens; not for Windows)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html)
    """
    if not fargate_task(task):
        return
    os_name: Literal["windows", "linux"] = "windows" if task.platform.is_windows else "linux"
    allowed = table("fargate-log-drivers")[os_name]["drivers"]
    where = "Windows on Fargate" if task.platform.is_windows else "Fargate"
    offered = ", ".join(allowed[:-1]) + f" or {allowed[-1]}"
    for container in task.containers:
        config = container.data.get("logConfiguration")
        driver = config.get("logDriver") if isinstance(config, dict) else None
        if not isinstance(driver, str) or is_unresolved(driver):
            continue
        if driver.strip().lower() not in allowed:
            yield Finding.at_value(
                container.path + ("logConfiguration", "logDriver"),
                f"container {container.label} uses log driver {driver!r}, which {where} "
                f"does not support; use {offered}",
            )
