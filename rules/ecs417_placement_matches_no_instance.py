"""ECS417: a memberOf placement constraint that no container instance of the cluster meets."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ecslint.rule import Finding, Severity, TaskView, rule
from ecslint.rules._ecs import mappings
from ecslint.rules._windows_host import tests_os


@rule(
    id="ECS417",
    name="placement-matches-no-instance",
    severity=Severity.ERROR,
    since="0.2.0",
    summary="memberOf placement constraint that no container instance of the cluster meets",
    fix_title="Fix the expression (instance type, zone, custom attribute) or add instances "
              "that meet it to the cluster.",
)
def check(task: TaskView) -> Iterator[Finding]:
    """## What it does
    With the cluster's real hosts known (`ecslint aws --cluster`), reports a
    `memberOf` placement constraint of the task definition, or of the service
    that runs it, that none of the cluster's container instances (of the
    task's OS) meets: an instance type, an Availability Zone or a custom
    attribute that no instance has. Expressions are read in ECS's cluster
    query language (`attribute:NAME`, `agentVersion`, `ec2InstanceId` with
    `==`, `!=`, `in`, `exists`, `=~` ..., `and`, `or`, `not`); one that names
    what ecslint does not know (`runningTasksCount`, `task:group`) is not
    judged. A constraint on `ecs.os-type` or `ecs.os-family` is left to
    WIN210, which says which Windows release the hosts run. A finding on
    the service's own constraint points into the service's describe JSON
    (named by its ARN, written by `--save-dir`).

    ## Why is this bad?
    ECS places a task only on an instance that meets every constraint; when
    none does, the tasks stay `PENDING` ("MemberOf placement constraint
    unsatisfied") and the service never starts them.

    ## Example
    ```json
    {"family": "gpu", "requiresCompatibilities": ["EC2"],
     "placementConstraints": [{"type": "memberOf",
       "expression": "attribute:ecs.instance-type =~ g5.*"}],
     "containerDefinitions": [{"name": "gpu", "image": "gpu:1", "memory": 2048}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": null, "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "attributes": {"ecs.instance-type": "m5.large"}}]}
    ```

    ## Use instead
    ```json
    {"family": "gpu", "requiresCompatibilities": ["EC2"],
     "placementConstraints": [{"type": "memberOf",
       "expression": "attribute:ecs.instance-type =~ m5.*"}],
     "containerDefinitions": [{"name": "gpu", "image": "gpu:1", "memory": 2048}]}
    ```

    on the cluster:

    ```json
    {"cluster": "prod", "service": null, "instances": [
      {"arn": "arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
       "attributes": {"ecs.instance-type": "m5.large"}}]}
    ```

    ## References
    - [Amazon ECS task placement constraints](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-placement-constraints.html)
    - [Cluster query language](https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cluster-query-language.html)
    """
    placement = task.host.placement
    if placement is None or not placement.instances or not placement.on_instances:
        return
    from ecslint.hosts import Service, matches

    instances, kind = placement.of_os(task.platform.os)
    written: list[tuple[tuple[Any, ...], str, str]] = [
        (("placementConstraints", index, "expression"), item["expression"], "")
        for index, item in mappings(task.data.get("placementConstraints"))
        if item.get("type") == "memberOf" and isinstance(item.get("expression"), str)]
    service = placement.service
    if service is not None:
        written += [(Service.path("placementConstraints", index, "expression"),
                     item["expression"], f" of service {service.name!r}")
                    for index, item in enumerate(service.placement_constraints)
                    if item.get("type") == "memberOf" and isinstance(item.get("expression"), str)]
    for path, expression, whose in written:
        if tests_os(expression):  # WIN210's (and WIN203's) to judge, with better words
            continue
        verdicts = [matches(expression, instance) for instance in instances]
        if verdicts and all(verdict is False for verdict in verdicts):
            which = (f"does not match the only {kind}container instance" if len(instances) == 1
                     else f"matches none of the {len(instances)} {kind}container instances")
            yield Finding.at_value(
                path,
                f"the memberOf constraint{whose} {expression.strip()!r} {which} of cluster "
                f"{placement.cluster!r}, so ECS cannot place the task",
            )
