"""The real hosts of a cluster: its container instances and the services placed on them.

``ecslint aws --cluster`` reads these from ECS (``ecslint.load.ecs_hosts``) and the
rules check each service's task definition against the instances it can land on
(``HostKnowledge.placement``), instead of what ``--windows-host`` says. The model holds
what ECS reports, as ECS names it: an instance's attributes (``ecs.os-type``,
``ecs.os-family``, ``ecs.ami-id``, ``ecs.instance-type``, ``ecs.availability-zone`` and
custom ones), its agent version and its registered resources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Instance:
    """One container instance. ``cpu`` and ``memory`` are its registered CPU units and
    MiB, ``ports`` the host ports its registered ``PORTS`` resource reserves (the agent's
    and those of tasks already running: the tasks ecslint checks are not among them);
    ``ami_name`` comes from EC2 (``DescribeImages``), ``None`` when it was not read."""

    arn: str
    attributes: dict[str, str] = field(default_factory=dict)
    agent_version: str | None = None
    cpu: int | None = None
    memory: int | None = None
    ports: tuple[int, ...] = ()
    ami_name: str | None = None

    @property
    def id(self) -> str:
        """The instance's id as the console shows it (the ARN's last part)."""
        return self.arn.rsplit("/", 1)[-1]

    @property
    def os_type(self) -> str | None:
        return self.attributes.get("ecs.os-type")

    @property
    def os_family(self) -> str | None:
        return self.attributes.get("ecs.os-family")

    def attribute(self, name: str) -> str | None:
        return self.attributes.get(name)


@dataclass(frozen=True)
class Service:
    """One service of a cluster: its task definition, where it may be placed and how
    many tasks it wants. ``placement_constraints`` are the service's own (the task
    definition's are in the task definition); ``launch_type`` is ``None`` when a
    capacity provider strategy places it."""

    cluster: str
    name: str
    arn: str
    task_definition: str
    desired_count: int = 0
    launch_type: str | None = None
    capacity_providers: tuple[str, ...] = ()
    placement_constraints: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class Placement:
    """Where a task definition is checked: the cluster, the service that runs it
    (``None`` for a standalone task's definition) and the cluster's container
    instances (all of them; rules narrow them by the task's and the service's
    constraints)."""

    cluster: str
    service: Service | None
    instances: tuple[Instance, ...]


@dataclass(frozen=True)
class Cluster:
    """One cluster as ``ecs_hosts.read_cluster`` read it: its ACTIVE container instances
    (sorted by ARN), its services (sorted by name; only those asked for when narrowed),
    the task definition ARNs of its standalone tasks (running tasks no service started,
    sorted, each once) and ``notices``, one sentence for each thing that could not be read.
    ``instances_read`` is ``False`` when the instances could not be listed (no permission):
    ``instances`` is then empty although the cluster may have some, and checks against
    the hosts are skipped."""

    name: str
    arn: str
    instances: tuple[Instance, ...] = ()
    services: tuple[Service, ...] = ()
    standalone_task_definitions: tuple[str, ...] = ()
    notices: tuple[str, ...] = ()
    instances_read: bool = True

    def placement(self, service: Service | None) -> Placement:
        """Where ``service``'s task definition (``None``: a standalone task's) is checked."""
        return Placement(self.name, service, self.instances)
