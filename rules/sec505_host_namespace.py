"""SEC505: a task shares the host's network or process namespace."""

from collections.abc import Iterator

from ecslint.rule import Finding, Severity, TaskView, rule

_EFFECT = {
    "networkMode": "its containers share the host's network stack, interfaces and ports",
    "pidMode": "its containers see and can signal every process on the host",
}


@rule(
    id="SEC505",
    name="host-namespace",
    severity=Severity.WARNING,
    since="0.1.0",
    summary="Task uses networkMode host or pidMode host",
    fix_title='Use networkMode "awsvpc" (or "bridge") and pidMode "task" or none, unless the task '
        "is a host agent that needs the host namespaces.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports a task definition with `networkMode: "host"` (AWS Config
    `ecs-task-definition-network-mode-not-host`, Security Hub ECS.17) or
    `pidMode: "host"` (AWS Config `ecs-task-definition-pid-mode-check`,
    Security Hub ECS.3). Each is one finding, on the value.

    ## Why is this bad?
    Host namespaces remove the isolation between the task and the container
    instance. With the host network, containers bind directly to the host's
    interfaces and ports and share its network stack with every other host
    network task; with the host PID namespace, they see and can signal every
    process on the host, other tasks' included. Monitoring agents sometimes
    need this; application tasks do not.

    ## Example
    ```json
    {"family": "web", "networkMode": "host", "pidMode": "host",
     "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 256}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "networkMode": "awsvpc",
     "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 256}]}
    ```

    ## References
    - [AWS Config rule ecs-task-definition-network-mode-not-host](https://docs.aws.amazon.com/config/latest/developerguide/ecs-task-definition-network-mode-not-host.html)
    - [Security Hub controls for Amazon ECS (ECS.3, ECS.17)](https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html)
    - [RegisterTaskDefinition API reference: networkMode and pidMode](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_RegisterTaskDefinition.html)
    """
    for key, effect in _EFFECT.items():
        value = task.data.get(key)
        if isinstance(value, str) and value.strip().lower() == "host":
            yield Finding.at_value(
                (key,), f"task {task.label} uses {key} {value!r}: {effect}"
            )
