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

    def of_os(self, os: str | None) -> tuple[Instance, ...]:
        """The instances a task of ``os`` (``windows``, ``linux``, else any) can run on:
        those whose ``ecs.os-type`` says so (an instance that does not say is kept)."""
        if os not in ("windows", "linux"):
            return self.instances
        return tuple(i for i in self.instances if i.os_type in (None, os))

    def named(self, instances: tuple[Instance, ...] | list[Instance], limit: int = 5) -> str:
        """Instances as a message names them: ``0a1, 0a2 and 3 more``."""
        shown = ", ".join(instance.id for instance in instances[:limit])
        return shown + (f" and {len(instances) - limit} more" if len(instances) > limit else "")
