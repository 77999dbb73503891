"""ECS403: two containers of one task definition share a name."""

from collections.abc import Iterator

from ecslint.rule import Container, Finding, Severity, TaskView, is_unresolved, rule


@rule(
    id="ECS403",
    name="duplicate-container-name",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Two containers in the task definition have the same name",
    fix_title="Give every container a unique name (references such as dependsOn use it).",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a container whose `name` another container of the same task
    definition already uses. The finding sits on the later name, with the
    first one as a related location. Names are compared exactly, as the API
    does; a name only CloudFormation knows is skipped.

    ## Why is this bad?
    A container name identifies the container within its task: `dependsOn`,
    `volumesFrom`, `links`, load balancer and Service Connect settings all
    refer to it. Amazon ECS rejects a task definition in which two containers
    share a name.

    ## Example
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 256},
       {"name": "app", "image": "amazon/aws-xray-daemon", "memory": 64}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 256},
       {"name": "xray", "image": "amazon/aws-xray-daemon", "memory": 64}]}
    ```

    ## References
    - [ContainerDefinition.name (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    - [Task definition parameters: name](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    seen: dict[str, Container] = {}
    for container in task.containers:
        name = container.data.get("name")
        if not isinstance(name, str) or is_unresolved(name):
            continue
        first = seen.setdefault(name, container)
        if first is not container:
            yield Finding.at_value(
                container.path + ("name",),
                f"container name {name!r} is already used by containerDefinitions[{first.index}]; "
                "container names must be unique within a task definition",
                related=[first.path + ("name",)],
            )
