"""ECS405: a dependsOn condition the target cannot meet, or a dependsOn cycle."""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.rule import (
    Container,
    Finding,
    Path,
    Severity,
    TaskView,
    is_unresolved,
    listing,
    rule,
)
from ecslint.rules._ecs import containers_by_name, essential, mappings

_EXITS = ("COMPLETE", "SUCCESS")


@rule(
    id="ECS405",
    name="depends-on-condition",
    severity=Severity.ERROR,
    since="0.1.0",
    summary="dependsOn waits for a condition its target cannot reach, or dependencies form a cycle",
    fix_title=("Use START or HEALTHY for essential targets, add a healthCheck for "
               "HEALTHY, break cycles."),
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    Checks each `dependsOn` entry against the container it waits for:
    - `COMPLETE` or `SUCCESS` on an essential container (`essential` defaults
      to true);
    - `HEALTHY` on a container without a `healthCheck`;
    - containers that wait for each other in a cycle (`a` on `b`, `b` on `a`),
      including a container that waits for itself. The cycle is reported once,
      on the first container's entry, with the other entries as related
      locations.

    A target the task does not define is ECS404's; a value only CloudFormation
    knows is skipped.

    ## Why is this bad?
    `COMPLETE` and `SUCCESS` wait for the target to exit, and an essential
    container's exit stops the task, so the API rejects them ("A dependency
    container with SUCCESS or COMPLETE condition cannot be an essential
    container"). `HEALTHY` needs the target's health check: without one its
    health status never becomes HEALTHY. In a cycle each container waits for
    another that never starts, so the task cannot start.

    ## Example
    ```json
    {"family": "app",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 256,
        "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"},
                      {"containerName": "cache", "condition": "HEALTHY"}]},
       {"name": "migrate", "image": "flyway/flyway", "memory": 256},
       {"name": "cache", "image": "redis", "memory": 256}]}
    ```

    ## Use instead
    ```json
    {"family": "app",
     "containerDefinitions": [
       {"name": "app", "image": "nginx", "memory": 256,
        "dependsOn": [{"containerName": "migrate", "condition": "SUCCESS"},
                      {"containerName": "cache", "condition": "HEALTHY"}]},
       {"name": "migrate", "image": "flyway/flyway", "memory": 256, "essential": false},
       {"name": "cache", "image": "redis", "memory": 256,
        "healthCheck": {"command": ["CMD", "redis-cli", "ping"]}}]}
    ```

    ## References
    - [ContainerDependency (API reference)](https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html)
    - [Task definition parameters: container dependency](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html)
    """
    names, _ = containers_by_name(task)
    edges: dict[int, list[tuple[int, Path]]] = {}
    for container in task.containers:
        for i, dependency in mappings(container.data.get("dependsOn")):
            target_name = dependency.get("containerName")
            target = names.get(target_name) if isinstance(target_name, str) else None
            if target is None:
                continue
            path = container.path + ("dependsOn", i)
            edges.setdefault(container.index, []).append((target.index, path + ("containerName",)))
            yield from _condition(container, dependency.get("condition"), target,
                                  path + ("condition",))
    yield from _cycles(task, edges)


def _condition(container: Container, condition: object, target: Container,
               path: Path) -> Iterator[Finding]:
    if not isinstance(condition, str) or is_unresolved(condition):
        return
    who, whom = container.label, target.label
    if condition in _EXITS and essential(target) is True:
        default = "" if "essential" in target.data else " (essential defaults to true)"
        yield Finding.at_value(
            path,
            f"container {who} waits for {whom} with condition {condition}, but {whom} is essential"
            f"{default}; COMPLETE and SUCCESS need a non-essential container",
            related=[target.path + (("essential",) if "essential" in target.data else ())],
        )
    elif condition == "HEALTHY" and target.data.get("healthCheck") is None:
        yield Finding.at_value(
            path,
            f"container {who} waits for {whom} to be HEALTHY, but {whom} has no healthCheck",
            related=[target.path],
        )


def _cycles(task: TaskView, edges: dict[int, list[tuple[int, Path]]]) -> Iterator[Finding]:
    """One finding per group of containers that wait for each other (a strongly
    connected component with a cycle), on its first container's entry."""
    containers = {c.index: c for c in task.containers}
    component = _components(edges)
    groups: dict[int, set[int]] = {}
    for node, group_id in component.items():
        groups.setdefault(group_id, set()).add(node)
    reported: set[int] = set()
    for node in sorted(edges):
        if component[node] in reported:
            continue
        group = groups[component[node]]
        if len(group) == 1 and all(target != node for target, _ in edges[node]):
            continue
        reported.add(component[node])
        cycle = _cycle_path(node, group, edges)
        steps = listing((containers[index].label for index, _ in cycle), " -> ")
        first, *rest = [path for _, path in cycle[1:]]
        yield Finding.at_value(
            first,
            f"containers wait for each other in a dependsOn cycle ({steps}), "
            "so none of them can start",
            related=rest,
        )


def _components(edges: dict[int, list[tuple[int, Path]]]) -> dict[int, int]:
    """The strongly connected component of each container with dependsOn entries
    (Tarjan's algorithm without recursion): linear in containers and entries."""
    index: dict[int, int] = {}
    low: dict[int, int] = {}
    component: dict[int, int] = {}
    stack: list[int] = []
    on_stack: set[int] = set()
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges.get(node, [])
            while next_edge < len(targets):
                target = targets[next_edge][0]
                next_edge += 1
                if target not in index:
                    work.append((node, next_edge))
                    work.append((target, 0))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                if low[node] == index[node]:
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component[member] = node
                        if member == node:
                            break
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
    return component


def _cycle_path(start: int, group: set[int],
                edges: dict[int, list[tuple[int, Path]]]) -> list[tuple[int, Path]]:
    """The shortest way from ``start`` back to itself inside ``group``, as
    (container index, path of the dependsOn entry that led there), beginning
    with ``(start, ())``."""
    previous: dict[int, tuple[int, Path]] = {}
    frontier = [start]
    while frontier and start not in previous:
        following = []
        for node in frontier:
            for target, path in edges.get(node, []):
                if target in group and target not in previous:
                    previous[target] = (node, path)
                    following.append(target)
        frontier = following
    steps: list[tuple[int, Path]] = []
    node = start
    while True:
        parent, path = previous[node]
        steps.append((node, path))
        node = parent
        if node == start:
            break
    return [(start, ())] + steps[::-1]
