"""FG301: a Fargate task without networkMode awsvpc."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, is_unresolved, rule
from ecslint.rules._fargate import fargate_task, task_fields_known


@rule(
    id="FG301",
    name="fargate-requires-awsvpc",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Fargate task without networkMode awsvpc",
    fix_title='Set "networkMode": "awsvpc"; Fargate gives every task its own network interface.',
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition that targets FARGATE (alone or together with
    EC2) and either sets no `networkMode` or sets one other than `awsvpc`.
    A missing `networkMode` is reported on the task, with
    `requiresCompatibilities` as the related location.

    ## Why is this bad?
    Fargate supports only the `awsvpc` network mode, for Linux and Windows
    tasks alike. Registering a task definition that requires FARGATE with
    `bridge`, `host`, `none` or no network mode (which means `bridge` on
    Linux) fails with a `ClientException`.

    ## Example
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"],
     "cpu": "256", "memory": "512", "networkMode": "bridge",
     "containerDefinitions": [{"name": "web", "image": "nginx"}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "requiresCompatibilities": ["FARGATE"],
     "cpu": "256", "memory": "512", "networkMode": "awsvpc",
     "containerDefinitions": [{"name": "web", "image": "nginx"}]}
    ```

    ## References
    - [Amazon ECS task definition differences for Fargate](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html)
    - [RegisterTaskDefinition: networkMode](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    """
    if not fargate_task(task) or not task_fields_known(task):
        return
    mode = task.data.get("networkMode")
    if is_unresolved(mode):
        return
    if mode is None:
        related = [("requiresCompatibilities",)] if "requiresCompatibilities" in task.data else []
        yield Finding.at_key(
            (),
            f"task {task.label} targets FARGATE but sets no networkMode; "
            "Fargate supports only awsvpc",
            related=related,
        )
    elif isinstance(mode, str) and mode != "awsvpc":
        yield Finding.at_value(
            ("networkMode",),
            f"task {task.label} targets FARGATE with networkMode {mode!r}; "
            "Fargate supports only awsvpc",
        )
