"""WIN101: a Windows task on EC2 uses the bridge, host or none network mode."""

from collections.abc import Iterator

from ecslint.rule import (
    Applicability,
    AppliesTo,
    Finding,
    Fix,
    Remove,
    SetValue,
    Severity,
    TaskView,
    rule,
)

# Windows container instances offer only the default (nat) network and awsvpc
# (Developer Guide task-networking table). The agent maps bridge to nat since
# 1.70.0 (aws/amazon-ecs-agent#3564), so bridge is a warning; nothing maps host
# or none.
UNSUPPORTED = ("bridge", "host", "none")


@rule(
    id="WIN101",
    name="windows-network-mode",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="Windows task uses the bridge, host or none network mode",
    fix_title="Omit networkMode (the default nat network) or use awsvpc.",
    applies_to=AppliesTo.WINDOWS_EC2,
    fix=Applicability.UNSAFE,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Reports `networkMode` `bridge`, `host` or `none` in a Windows task that
    can run on EC2 or external (ECS Anywhere) instances. `host` and `none`
    are errors; `bridge` is a warning.

    ## Why is this bad?
    Windows container instances support only two network modes: the default
    one, which you select by omitting `networkMode` (Docker's `nat` network),
    and `awsvpc`. The Developer Guide's task networking table lists
    `bridge`, `host` and `none` as not supported on Windows. Nothing in the
    ECS agent maps `host` or `none` to a Windows network, so a task with
    them cannot run on a Windows instance. On Fargate, where every task
    needs `awsvpc`, FG301 reports the network mode instead.

    `bridge` is reported as a **warning**: it is still documented as
    unsupported, but since ECS agent 1.70.0 (2023, aws/amazon-ecs-agent#3564)
    the agent runs a `bridge` task on the Windows `nat` network, so the task
    starts on current ECS-optimized Windows AMIs (an older agent fails it:
    Docker on Windows has no `bridge` network). It gets the default network,
    not Linux bridge semantics: bridge-only features such as `links` still
    do not work. Prefer omitting `networkMode`.

    ## Example
    ```json
    {"family": "web", "networkMode": "host",
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

    ## Fix
    `host` and `none` become `awsvpc`, the one explicit network mode Windows
    supports both on EC2 and on Fargate. Like `host`, it keeps each
    container port at its own number (on the task's network interface),
    where the default network would give a mapping without `hostPort` a
    random host port; `none` has no Windows equivalent, and both choices
    give the task a network. The cost, on EC2, is density: a Windows
    instance has no ENI trunking, so it runs only as many awsvpc tasks as
    it has spare network interfaces (WIN104), and the service or RunTask
    call must name subnets. `bridge` on a task only for EC2 or external
    instances is removed instead: the agent already runs it on the default
    network, which keeps its host ports (awsvpc would refuse a `hostPort`
    other than the `containerPort`). A `bridge` task that can also run on
    Fargate gets `awsvpc`, unless a port mapping's `hostPort` differs from
    its `containerPort`: then there is no fix. It is unsafe: the task's
    network changes, and with it what can reach the task.

    ## References
    - [Amazon ECS task networking options for EC2 (network modes by OS)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html)
    - [Amazon ECS task definition parameters for Amazon EC2: network mode](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters_ec2.html)
    - [ECS agent 1.70.0: bridge network mode runs on the nat network (aws/amazon-ecs-agent#3564)](https://github.com/aws/amazon-ecs-agent/pull/3564)
    """
    mode = task.data.get("networkMode")
    if mode not in UNSUPPORTED:
        return
    fix = _fix(task, mode)
    if mode == "bridge":
        yield Finding.at_value(
            ("networkMode",),
            "networkMode bridge is documented as unsupported for Windows containers; ECS "
            "agent 1.70.0 and later run it on the default nat network, but bridge-only "
            "features such as links still do not work; omit networkMode instead",
            severity=Severity.WARNING,
            fix=fix,
        )
        return
    yield Finding.at_value(
        ("networkMode",),
        f"networkMode {mode} is not supported for Windows containers; Windows "
        "instances offer only the default (nat) network and awsvpc",
        fix=fix,
    )


def _fix(task: TaskView, mode: str) -> Fix | None:
    """Remove ``bridge`` on a task only for EC2 or external instances (the nat network
    the agent runs it on); else ``awsvpc``, when every port mapping allows it."""
    if mode == "bridge" and not task.platform.on_fargate:
        return Fix("Remove networkMode (the default nat network)", (Remove(("networkMode",)),))
    for container in task.containers:
        mappings = container.data.get("portMappings")
        for mapping in mappings if isinstance(mappings, list) else ():
            if not isinstance(mapping, dict):
                return None
            host_port = mapping.get("hostPort")
            if host_port is not None and host_port != mapping.get("containerPort"):
                return None  # awsvpc requires the host port to be the container port
    return Fix("Set networkMode to awsvpc", (SetValue(("networkMode",), "awsvpc"),))
