"""Read a cluster's real hosts from ECS: its container instances, its services and the
task definitions of its standalone tasks, as ``ecslint.hosts`` models them.

Like ``ecs_api`` (whose ``Account`` gives the clients and whose ``translated`` turns
botocore's exceptions into ``AwsError`` and ``NotFound``) it imports boto3 at the top,
and only ``ecslint aws`` imports it. Every listing is paginated and every describe
batched to the API's maximum (100 container instances, 10 services, 100 tasks, 100 AMI
ids per EC2 filter); the clients retry throttled calls in botocore's standard mode.
Responses are turned into the model page by page and dropped, and equal attribute
sets, port sets and strings are shared between instances, so a cluster of thousands of
instances costs a few MB (``benchmarks/cluster_hosts.py``).

Missing permissions degrade instead of stopping the run, each with one notice: without
``ecs:ListContainerInstances`` or ``ecs:DescribeContainerInstances`` the cluster has no
instances (``Cluster.instances_read`` is ``False``); without ``ec2:DescribeImages`` no
instance has an AMI name; without ``ecs:ListTasks`` or ``ecs:DescribeTasks`` no
standalone task is known. A missing cluster or named service is ``NotFound``; missing
credentials or region, and a denied ``ecs:DescribeClusters``, ``ecs:ListServices`` or
``ecs:DescribeServices``, are ``AwsError``.

The least-privilege IAM policy, with ``ecs:DescribeTaskDefinition`` for linting the
services' task definitions (``Resource`` may name the clusters' ARNs and their
``container-instance/CLUSTER/*``, ``service/CLUSTER/*`` and ``task/CLUSTER/*`` ARNs)::

    {
      "Version": "2012-10-17",
      "Statement": [{
        "Effect": "Allow",
        "Action": [
          "ecs:DescribeClusters",
          "ecs:ListContainerInstances", "ecs:DescribeContainerInstances",
          "ecs:ListServices", "ecs:DescribeServices",
          "ecs:ListTasks", "ecs:DescribeTasks",
          "ecs:DescribeTaskDefinition",
          "ec2:DescribeImages"
        ],
        "Resource": "*"
      }]
    }
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import boto3  # noqa: F401  (the import that fails first without the aws extra)
from botocore.exceptions import ClientError

from ecslint.hosts import Cluster, Instance, Service
from ecslint.load.ecs_api import (
    Account,
    AwsError,
    NotFound,
    _strings,
    denied,
    serialize,
    translated,
)

INSTANCES_BATCH = 100
SERVICES_BATCH = 10
TASKS_BATCH = 100
IMAGES_BATCH = 100
_SERVICE_TASK = "ecs-svc/"


def read_cluster(account: Account, cluster: str, services: Sequence[str] = ()) -> Cluster:
    """Read ``cluster`` (a name or an ARN) in the account's region.

    With ``services`` (names or ARNs) only those services are read, and no standalone
    task (they belong to none of them); a service that does not exist, or was deleted,
    is ``NotFound``, as is a cluster that does not exist."""
    ecs = account.client()
    notices: list[str] = []
    with translated():
        name, arn = _describe_cluster(ecs, cluster, account.region)
        # Services first: a misspelt --service fails before thousands of instances are read.
        read_services = _read_services(ecs, arn, name, services)
        instances, instances_read = _read_instances(ecs, arn, name, notices)
        standalone = () if services else _standalone_task_definitions(ecs, arn, name, notices)
    if instances:
        instances = _with_ami_names(account, name, instances, notices)
    return Cluster(name, arn, instances, read_services, standalone, tuple(notices),
                   instances_read)


def _describe_cluster(ecs: Any, cluster: str, region: str) -> tuple[str, str]:
    response = ecs.describe_clusters(clusters=[cluster])
    for item in _items(response, "clusters", "DescribeClusters"):
        name, arn = item.get("clusterName"), item.get("clusterArn")
        if item.get("status") != "INACTIVE" and isinstance(name, str) and isinstance(arn, str):
            return name, arn
    raise NotFound(f"ECS has no cluster {cluster!r} in {region}")


def _read_instances(ecs: Any, cluster_arn: str, cluster: str,
                    notices: list[str]) -> tuple[tuple[Instance, ...], bool]:
    shared = _Shared()
    instances: list[Instance] = []
    inactive: dict[str, int] = {}
    try:
        for item in _container_instances(ecs, cluster_arn):
            status = item.get("status")
            if status == "ACTIVE":
                instances.append(_instance(item, shared))
            else:
                inactive[str(status)] = inactive.get(str(status), 0) + 1
    except ClientError as exc:
        if not denied(exc):
            raise
        notices.append(f"cluster {cluster}: ecs:{exc.operation_name} is not allowed, so its "
                       "container instances are unknown and the checks against the hosts "
                       "are skipped")
        return (), False
    if inactive:
        counts = ", ".join(f"{count} {status}" for status, count in sorted(inactive.items()))
        notices.append(f"cluster {cluster}: container instances that are not ACTIVE ({counts}) "
                       "are left out, as ECS places no task on them")
    instances.sort(key=lambda instance: instance.arn)
    return tuple(instances), True


def _container_instances(ecs: Any, cluster_arn: str) -> Iterator[dict[str, Any]]:
    pages = ecs.get_paginator("list_container_instances")
    for page in pages.paginate(cluster=cluster_arn,
                               PaginationConfig={"PageSize": INSTANCES_BATCH}):
        arns = _strings(page, "containerInstanceArns", "ListContainerInstances")
        for batch in _batches(arns, INSTANCES_BATCH):
            response = ecs.describe_container_instances(cluster=cluster_arn,
                                                        containerInstances=batch)
            yield from _items(response, "containerInstances", "DescribeContainerInstances")


class _Shared:
    """One copy of each string, attribute set and port set, whatever the instance count:
    the instances of one Auto Scaling group differ in their ARN alone."""

    def __init__(self) -> None:
        self.strings: dict[str, str] = {}
        self.attributes: dict[tuple[tuple[str, str], ...], dict[str, str]] = {}
        self.ports: dict[tuple[int, ...], tuple[int, ...]] = {}

    def string(self, text: str) -> str:
        return self.strings.setdefault(text, text)


def _instance(item: dict[str, Any], shared: _Shared) -> Instance:
    arn = item.get("containerInstanceArn")
    if not isinstance(arn, str):
        raise AwsError("ecs:DescribeContainerInstances answered an instance without "
                       "containerInstanceArn: the endpoint does not answer as ECS does")
    pairs = []
    for attribute in _list(item.get("attributes")):
        name, value = attribute.get("name"), attribute.get("value", "")
        if isinstance(name, str) and isinstance(value, str):
            pairs.append((shared.string(name), shared.string(value)))
    key = tuple(sorted(pairs))
    attributes = shared.attributes.setdefault(key, dict(key))
    resources = {resource.get("name"): resource
                 for resource in _list(item.get("registeredResources"))}
    reserved = resources.get("PORTS", {}).get("stringSetValue")
    ports = tuple(sorted({int(port) for port in reserved if isinstance(port, str)
                          and port.isascii() and port.isdigit()}
                         if isinstance(reserved, list) else ()))
    version = item.get("versionInfo")
    agent = version.get("agentVersion") if isinstance(version, dict) else None
    return Instance(arn, attributes,
                    shared.string(agent) if isinstance(agent, str) else None,
                    _integer(resources.get("CPU")), _integer(resources.get("MEMORY")),
                    shared.ports.setdefault(ports, ports))


def _integer(resource: Any) -> int | None:
    value = resource.get("integerValue") if isinstance(resource, dict) else None
    return value if type(value) is int else None


def _with_ami_names(account: Account, cluster: str, instances: tuple[Instance, ...],
                    notices: list[str]) -> tuple[Instance, ...]:
    """``instances`` with the name EC2 gives their ``ecs.ami-id``, one notice for all
    instances whose name stays unknown for each reason."""
    ids = sorted({ami for instance in instances
                  if (ami := instance.attributes.get("ecs.ami-id"))})
    without = sum(1 for instance in instances if not instance.attributes.get("ecs.ami-id"))
    if without:
        notices.append(f"cluster {cluster}: {without} container instance(s) have no "
                       "ecs.ami-id attribute "
                       "(ECS Anywhere, or an agent that does not set it): their AMI name, "
                       "and the Windows release it tells, is unknown")
    if not ids:
        return instances
    names: dict[str, str] = {}
    ec2 = account.client(service="ec2")
    with translated(service="ec2"):
        try:
            for batch in _batches(ids, IMAGES_BATCH):
                # A filter, not ImageIds: an AMI deregistered since is left out, where
                # ImageIds fails the whole call with InvalidAMIID.NotFound.
                pages = ec2.get_paginator("describe_images").paginate(
                    Filters=[{"Name": "image-id", "Values": batch}], IncludeDeprecated=True)
                for page in pages:
                    for image in _items(page, "Images", "DescribeImages", "ec2"):
                        ami, name = image.get("ImageId"), image.get("Name")
                        if isinstance(ami, str) and isinstance(name, str):
                            names[ami] = name
        except ClientError as exc:
            if not denied(exc):
                raise
            code = exc.response.get("Error", {}).get("Code", "403")
            notices.append(f"cluster {cluster}: ec2:DescribeImages is not allowed ({code}): "
                           "the AMI names of the container instances, and the Windows "
                           "releases they tell, are unknown")
            return instances
    missing = [ami for ami in ids if ami not in names]
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if missing[5:] else "")
        notices.append(f"cluster {cluster}: EC2 describes no AMI {shown} (deregistered, or "
                       "not shared with this account): the AMI name of the instances started "
                       "from it is unknown")
    return tuple(_named(instance, names) for instance in instances)


def _named(instance: Instance, names: dict[str, str]) -> Instance:
    name = names.get(instance.attributes.get("ecs.ami-id", ""))
    if name is None:
        return instance
    return Instance(instance.arn, instance.attributes, instance.agent_version, instance.cpu,
                    instance.memory, instance.ports, name)


def _read_services(ecs: Any, cluster_arn: str, cluster: str,
                   wanted: Sequence[str]) -> tuple[Service, ...]:
    if wanted:
        names = list(dict.fromkeys(wanted))
    else:
        pages = ecs.get_paginator("list_services").paginate(
            cluster=cluster_arn, PaginationConfig={"PageSize": 100})
        names = [arn for page in pages for arn in _strings(page, "serviceArns", "ListServices")]
    read: list[Service] = []
    missing: list[str] = []
    for batch in _batches(names, SERVICES_BATCH):
        response = ecs.describe_services(cluster=cluster_arn, services=batch)
        for failure in _list(response.get("failures")):
            missing.append(str(failure.get("arn", "?")).rsplit("/", 1)[-1])
        for item in _items(response, "services", "DescribeServices"):
            if item.get("status") == "INACTIVE":
                missing.append(str(item.get("serviceName")))
            else:
                read.append(_service(item, cluster))
    if missing:
        raise NotFound(f"cluster {cluster} has no service {', '.join(sorted(missing))}")
    read.sort(key=lambda service: service.name)
    return tuple(read)


def _service(item: dict[str, Any], cluster: str) -> Service:
    name, arn = item.get("serviceName"), item.get("serviceArn")
    task_definition = item.get("taskDefinition")
    if task_definition is None:
        # An EXTERNAL deployment controller's service runs task sets: the PRIMARY's counts.
        task_definition = next((task_set.get("taskDefinition")
                                for task_set in _list(item.get("taskSets"))
                                if task_set.get("status") == "PRIMARY"), None)
    if not (isinstance(name, str) and isinstance(arn, str) and isinstance(task_definition, str)):
        raise AwsError("ecs:DescribeServices answered a service without serviceName, "
                       "serviceArn or taskDefinition: the endpoint does not answer as ECS does")
    desired = item.get("desiredCount")
    launch_type = item.get("launchType")
    return Service(
        cluster, name, arn, task_definition,
        desired if type(desired) is int else 0,
        launch_type if isinstance(launch_type, str) else None,
        tuple(str(strategy.get("capacityProvider"))
              for strategy in _list(item.get("capacityProviderStrategy"))),
        tuple({key: value for key, value in constraint.items()
               if key in ("type", "expression")} if isinstance(constraint, dict) else {}
              for constraint in _any_list(item.get("placementConstraints"))),
        # Its events are a log of up to 100 sentences, not its configuration.
        serialize({"services": [{key: value for key, value in item.items() if key != "events"}],
                   "failures": []}),
    )


def _standalone_task_definitions(ecs: Any, cluster_arn: str, cluster: str,
                                 notices: list[str]) -> tuple[str, ...]:
    found: set[str] = set()
    try:
        pages = ecs.get_paginator("list_tasks").paginate(
            cluster=cluster_arn, desiredStatus="RUNNING",
            PaginationConfig={"PageSize": TASKS_BATCH})
        for page in pages:
            arns = _strings(page, "taskArns", "ListTasks")
            for batch in _batches(arns, TASKS_BATCH):
                response = ecs.describe_tasks(cluster=cluster_arn, tasks=batch)
                for task in _items(response, "tasks", "DescribeTasks"):
                    started_by = task.get("startedBy") or ""
                    definition = task.get("taskDefinitionArn")
                    if not started_by.startswith(_SERVICE_TASK) and isinstance(definition, str):
                        found.add(definition)
    except ClientError as exc:
        if not denied(exc):
            raise
        notices.append(f"cluster {cluster}: ecs:{exc.operation_name} is not allowed, so the "
                       "task definitions of its standalone tasks are not checked")
        return ()
    return tuple(sorted(found))


def _batches(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield list(items[start:start + size])


def _any_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _list(value: Any) -> list[dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _items(response: Any, key: str, operation: str, service: str = "ecs") -> list[dict[str, Any]]:
    items = response.get(key) if isinstance(response, dict) else None
    if not isinstance(items, list):
        raise AwsError(f"{service}:{operation} answered without {key}: the endpoint does not "
                       f"answer as {service.upper()} does")
    return _list(items)
