"""WIN211: the cluster's Windows instances run an ECS agent too old for the task."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ecslint.rule import AppliesTo, Finding, Severity, TaskView, rule

if TYPE_CHECKING:
    from ecslint.hosts import Instance

# windows-ecs-facts.md §2: the agent version each Windows network mode needs.
NEEDED = {"awsvpc": (1, 54, 0), "bridge": (1, 70, 0)}
# How many instances a message names; the count says how many there are in all.
NAMED = 5


@rule(
    id="WIN211",
    name="windows-agent-too-old",
    severity=Severity.ERROR,
    since="0.2.0",
    summary="Windows container instances run an ECS agent too old for the task",
    fix_title="Update the ECS agent of those instances (or move them to a current "
              "ECS-optimized Windows AMI), or omit networkMode.",
    applies_to=AppliesTo.WINDOWS_EC2,
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    With the cluster's real hosts known (`ecslint aws --cluster`), reports a
    Windows task whose network mode needs a newer ECS agent than some of the
    cluster's Windows container instances run: `awsvpc` needs agent 1.54.0,
    and `bridge` runs (as the default `nat` network) from agent 1.70.0 on.
    The message names the instances concerned and their agent versions.

    ## Why is this bad?
    An agent older than 1.54.0 has no task networking on Windows, so an
    `awsvpc` task placed there fails to start; before 1.70.0 the agent passes
    `bridge` to Docker, which has no `bridge` network on Windows. ECS places
    tasks on any instance that matches, so the service fails on some hosts
    and not on others, which is the hardest kind of failure to find.

    ## Example
    ```json
    {"family": "web", "networkMode": "awsvpc",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 1024,
                               "memory": 2048}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": null, "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "agent_version": "1.50.2", "attributes": {"ecs.os-type": "windows"}}]}
    ```

    ## Use instead
    ```json
    {"family": "web", "networkMode": "awsvpc",
     "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
     "containerDefinitions": [{"name": "web", "image": "web:1", "cpu": 1024,
                               "memory": 2048}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": null, "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "agent_version": "1.94.0", "attributes": {"ecs.os-type": "windows"}}]}
    ```

    Current ECS-optimized Windows AMIs ship agent 1.94.0 or later; or omit
    `networkMode` to use the default `nat` network.

    ## References
    - [Amazon ECS task networking for Windows (awsvpc needs agent 1.54.0)](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html)
    - [ECS agent CHANGELOG: 1.54.0 Windows task networking, 1.70.0 bridge as nat](https://github.com/aws/amazon-ecs-agent/blob/master/CHANGELOG.md)
    - [aws/amazon-ecs-agent#3564: bridge translated to nat on Windows](https://github.com/aws/amazon-ecs-agent/pull/3564)
    """
    placement = task.host.placement
    mode = task.data.get("networkMode")
    needed = NEEDED.get(mode) if isinstance(mode, str) else None
    if placement is None or needed is None or not placement.on_instances:
        return
    windows = [i for i in placement.instances if i.os_type == "windows"]
    old = [i for i in windows if _older(i, needed)]
    if not old:
        return
    named = ", ".join(f"{i.id} ({i.agent_version})" for i in old[:NAMED])
    more = f" and {len(old) - NAMED} more" if len(old) > NAMED else ""
    yield Finding.at_value(
        ("networkMode",),
        f"networkMode {mode} needs ECS agent {'.'.join(map(str, needed))} or later on "
        f"Windows, but {len(old)} of the {len(windows)} Windows container instances of "
        f"cluster {placement.cluster!r} {'runs' if len(old) == 1 else 'run'} an older one: "
        f"{named}{more}",
    )


def _older(instance: Instance, needed: tuple[int, int, int]) -> bool:
    """Whether the instance's agent is older than ``needed`` (an unknown version is not)."""
    version = (instance.agent_version or "").lstrip("v").split("-", 1)[0].split(".")
    if len(version) != 3 or not all(part.isdigit() for part in version):
        return False
    return tuple(int(part) for part in version) < needed
