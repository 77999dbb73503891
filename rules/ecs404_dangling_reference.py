"""ECS404: a reference to a volume or container that the task does not define."""

from __future__ import annotations

from collections.abc import Collection, Iterator

from ecslint.config.selection import did_you_mean
from ecslint.rule import Finding, Path, Severity, TaskView, is_unresolved, rule
from ecslint.rules._ecs import containers_by_name, mappings

_NOT_A_CONTAINER = ", which is not a container of this task"
# Dangling references per task that get a "did you mean": a task holds at most 10
# containers, so only a hostile or generated file has more to search.
MAX_SUGGESTIONS = 10


@rule(
    id="ECS404",
    name="dangling-reference",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="A mount point, volumesFrom, dependsOn or link names nothing in the task",
    fix_title="Use the name of a volume in `volumes` or of a container in `containerDefinitions`.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Checks the names one part of a task definition uses to point at another:
    - `mountPoints[].sourceVolume` must name a volume in `volumes`;
    - `volumesFrom[].sourceContainer`, `dependsOn[].containerName` and the
      target of each `links` entry (`name` or `name:alias`) must name a
      container of the task.

    The finding sits on the dangling name and suggests a close match. When a
    name in the task is only known at deployment (a CloudFormation `!Ref`), or
    the file holds only container definitions (Terraform's
    `container_definitions`, whose volumes live elsewhere), the references it
    could satisfy are not checked.

    ## Why is this bad?
    Amazon ECS rejects a task definition whose references name no volume or
    container of the task (the cross-references of the `MountPoint`,
    `VolumeFrom` and `ContainerDependency` API shapes), and Docker cannot link
    to a container that does not exist.

    ## Example
    ```json
    {"family": "web",
     "volumes": [{"name": "static-content", "host": {"sourcePath": "/srv/www"}}],
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "mountPoints": [{"sourceVolume": "static", "containerPath": "/usr/share/nginx/html"}],
        "dependsOn": [{"containerName": "init", "condition": "SUCCESS"}]}]}
    ```

    ## Use instead
    ```json
    {"family": "web",
     "volumes": [{"name": "static-content", "host": {"sourcePath": "/srv/www"}}],
     "containerDefinitions": [
       {"name": "web", "image": "nginx", "memory": 256,
        "mountPoints": [{"sourceVolume": "static-content",
                         "containerPath": "/usr/share/nginx/html"}],
        "dependsOn": [{"containerName": "init", "condition": "SUCCESS"}]},
       {"name": "init", "image": "busybox", "memory": 32, "essential": false}]}
    ```

    ## References
    - [MountPoint (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_MountPoint.html)
    - [VolumeFrom (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_VolumeFrom.html)
    - [ContainerDependency (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html)
    - [ContainerDefinition.links (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html)
    """
    containers, containers_known = containers_by_name(task)
    volumes, volumes_known = _volume_names(task)
    budget = _Budget(MAX_SUGGESTIONS)
    for container in task.containers:
        who = f"container {container.label}"
        if volumes_known:
            for i, mount in mappings(container.data.get("mountPoints")):
                yield from _dangling(
                    mount.get("sourceVolume"), volumes,
                    container.path + ("mountPoints", i, "sourceVolume"),
                    f"{who} mounts sourceVolume", ", but the task defines no volume of that name",
                    budget)
        if not containers_known:
            continue
        for i, source in mappings(container.data.get("volumesFrom")):
            yield from _dangling(
                source.get("sourceContainer"), containers,
                container.path + ("volumesFrom", i, "sourceContainer"),
                f"{who} takes volumes from", _NOT_A_CONTAINER, budget)
        for i, dependency in mappings(container.data.get("dependsOn")):
            yield from _dangling(
                dependency.get("containerName"), containers,
                container.path + ("dependsOn", i, "containerName"),
                f"{who} depends on", _NOT_A_CONTAINER, budget)
        links = container.data.get("links")
        for i, link in enumerate(links if isinstance(links, list) else []):
            if isinstance(link, str) and not is_unresolved(link):
                yield from _dangling(
                    link.split(":", 1)[0], containers, container.path + ("links", i),
                    f"{who} links to", _NOT_A_CONTAINER, budget)


def _volume_names(task: TaskView) -> tuple[set[str], bool]:
    """The volume names, and whether they are all known."""
    if not task.task_fields_known:
        return set(), False
    volumes = task.data.get("volumes", [])
    if volumes is None:
        return set(), True
    if not isinstance(volumes, list):
        return set(), False
    names: set[str] = set()
    for volume in volumes:
        name = volume.get("name") if isinstance(volume, dict) else volume
        if isinstance(name, str) and not is_unresolved(name):
            names.add(name)
        elif name is not None:
            return names, False
    return names, True


class _Budget:
    """Did-you-mean searches left for one task: each compares the name with every
    candidate, so 3,000 dangling references among 3,000 containers took minutes."""

    __slots__ = ("left",)

    def __init__(self, searches: int) -> None:
        self.left = searches

    def take(self) -> bool:
        self.left -= 1
        return self.left >= 0


def _dangling(name: object, known: Collection[str], path: Path, before: str,
              after: str, budget: _Budget) -> Iterator[Finding]:
    """A finding at ``path`` when ``name`` is not in ``known``: ``before``, the
    quoted name, ``after`` and, while the task's ``budget`` lasts, a close match."""
    if not isinstance(name, str) or is_unresolved(name) or name in known:
        return
    message = f"{before} {name!r}{after}"
    close = did_you_mean(name, known) if budget.take() else None
    if close is not None:
        message += f"; did you mean {close!r}?"
    yield Finding.at_value(path, message)
