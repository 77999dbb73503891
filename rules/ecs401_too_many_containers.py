"""ECS401: more container definitions than a task definition may hold."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule

# windows-ecs-facts.md §7: "Containers per task definition: 10 (not adjustable)",
# Amazon ECS service quotas.
MAX_CONTAINERS = 10


@rule(
    id="ECS401",
    name="too-many-containers",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Task definition has more than 10 container definitions",
    fix_title="Split the task into several task definitions (services), or merge sidecars.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition with more than 10 entries in
    `containerDefinitions`. The finding sits on `containerDefinitions` and
    lists the containers past the tenth as related locations.

    ## Why is this bad?
    Amazon ECS allows at most 10 containers per task definition, a quota that
    cannot be raised, so registration fails. The limit is the same on Linux
    and Windows, on EC2 and Fargate. (The quota table was last confirmed in
    the 2022-2023 Developer Guide; no later source shows a change.)

    ## Example
    ```json
    {"family": "crowded", "containerDefinitions": [
      {"name": "c1", "image": "nginx"}, {"name": "c2", "image": "nginx"},
      {"name": "c3", "image": "nginx"}, {"name": "c4", "image": "nginx"},
      {"name": "c5", "image": "nginx"}, {"name": "c6", "image": "nginx"},
      {"name": "c7", "image": "nginx"}, {"name": "c8", "image": "nginx"},
      {"name": "c9", "image": "nginx"}, {"name": "c10", "image": "nginx"},
      {"name": "c11", "image": "nginx"}]}
    ```

    ## Use instead
    ```json
    {"family": "lean", "containerDefinitions": [
      {"name": "app", "image": "nginx"},
      {"name": "log-router", "image": "amazon/aws-for-fluent-bit"}]}
    ```

    ## References
    - [Amazon ECS service quotas](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html)
    """
    containers = task.data.get("containerDefinitions")
    if not isinstance(containers, list) or len(containers) <= MAX_CONTAINERS:
        return
    yield Finding.at_key(
        ("containerDefinitions",),
        f"task {task.label} has {len(containers)} container definitions; "
        f"a task definition may hold at most {MAX_CONTAINERS}",
        related=[("containerDefinitions", i) for i in range(MAX_CONTAINERS, len(containers))],
    )
