"""The real hosts of a cluster: its container instances and the services placed on them.

``ecslint aws --cluster`` reads these from ECS (``ecslint.load.ecs_hosts``) and the
rules check each service's task definition against the instances it can land on
(``HostKnowledge.placement``), instead of what ``--windows-host`` says. The model holds
what ECS reports, as ECS names it: an instance's attributes (``ecs.os-type``,
``ecs.os-family``, ``ecs.ami-id``, ``ecs.instance-type``, ``ecs.availability-zone`` and
custom ones), its agent version and its registered resources.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from ecslint.rule import ON_SERVICE


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
    definition's are in the task definition, entries that are not mappings kept as
    ``{}`` so that indexes are those ECS gave); ``launch_type`` is ``None`` when a
    capacity provider strategy places it. ``described`` is the service as
    ``ecs:DescribeServices`` answered it, in the text ``--save-dir`` writes
    (``{"services": [...]}``): findings on the service point into it, under its ARN."""

    cluster: str
    name: str
    arn: str
    task_definition: str
    desired_count: int = 0
    launch_type: str | None = None
    capacity_providers: tuple[str, ...] = ()
    placement_constraints: tuple[dict[str, Any], ...] = ()
    described: str | None = field(default=None, compare=False, repr=False)

    @staticmethod
    def path(*parts: str | int) -> tuple[str | int, ...]:
        """A finding's path to ``parts`` of the service (``"placementConstraints", 0,
        "expression"``), where a rule's paths are otherwise the task definition's."""
        return (ON_SERVICE, *parts)


@dataclass(frozen=True)
class Placement:
    """Where a task definition is checked: the cluster, the service that runs it
    (``None`` for a standalone task's definition) and the cluster's container
    instances (all of them; rules narrow them by the task's and the service's
    constraints)."""

    cluster: str
    service: Service | None
    instances: tuple[Instance, ...]

    @property
    def on_instances(self) -> bool:
        """Whether the tasks run on the cluster's container instances: not for a service
        that Fargate runs (its launch type, or Fargate capacity providers only)."""
        service = self.service
        if service is None:
            return True
        if service.launch_type is not None:
            return service.launch_type in ("EC2", "EXTERNAL")
        return not service.capacity_providers or not all(
            provider.startswith("FARGATE") for provider in service.capacity_providers)

    def landing(self, task: dict[str, Any]) -> tuple[Instance, ...] | None:
        """The instances a task definition (API-shaped) of this placement can land on:
        those of its ``operatingSystemFamily`` that meet every ``memberOf`` constraint of
        the task definition and the service (one ecslint cannot judge keeps them);
        ``None`` when Fargate runs the service."""
        if not self.on_instances:
            return None
        runtime = task.get("runtimePlatform")
        family = runtime.get("operatingSystemFamily") if isinstance(runtime, dict) else None
        written = task.get("placementConstraints")
        constraints = [*(written if isinstance(written, list) else ()),
                       *(self.service.placement_constraints if self.service else ())]
        expressions = [item["expression"] for item in constraints
                       if isinstance(item, dict) and item.get("type") == "memberOf"
                       and isinstance(item.get("expression"), str)]
        return tuple(
            instance for instance in self.instances
            if (not isinstance(family, str) or instance.os_family in (None, family))
            and all(matches(expression, instance) is not False for expression in expressions))

    def of_os(self, os: str) -> tuple[tuple[Instance, ...], str]:
        """The instances a task of ``os`` (``windows``, ``linux``, else any) can run on,
        those whose ``ecs.os-type`` says so (an instance that does not say is kept),
        and how a message names their kind (``Windows ``, ``Linux `` or nothing)."""
        if os not in ("windows", "linux"):
            return self.instances, ""
        return tuple(i for i in self.instances if i.os_type in (None, os)), f"{os.capitalize()} "


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

    def inventory(self) -> dict[str, Any]:
        """What ``--format json`` shows of the cluster's hosts: how many instances of
        each OS family, AMI and agent version."""
        def counted(values: Iterable[str | None]) -> dict[str, int]:
            return dict(sorted(Counter(value or "unknown" for value in values).items()))

        return {"cluster": self.name, "arn": self.arn, "instances": len(self.instances),
                "instancesRead": self.instances_read,
                "byOsFamily": counted(i.os_family for i in self.instances),
                "byAmi": counted(i.ami_name or i.attribute("ecs.ami-id")
                                 for i in self.instances),
                "byAgentVersion": counted(i.agent_version for i in self.instances)}

    def placement(self, service: Service | None) -> Placement:
        """Where ``service``'s task definition (``None``: a standalone task's) is checked."""
        return Placement(self.name, service, self.instances)


def matches(expression: str, instance: Instance) -> bool | None:
    """Whether ``instance`` satisfies a ``memberOf`` expression of ECS's cluster query
    language, ``None`` when the expression cannot be judged from what ecslint knows
    (a subject such as ``runningTasksCount`` or ``task:group``, or text it cannot
    parse). Terms are ``attribute:NAME``, ``agentVersion`` and ``ec2InstanceId`` with
    ``==``, ``!=``, ``in``, ``!in``, ``exists``, ``!exists``, ``=~``, ``!~`` (and their
    word forms), joined by ``and``/``&&``, ``or``/``||``, ``not``/``!`` and parentheses.
    """
    try:
        tokens = _TOKENS.findall(expression)
        parser = _Parser([token for token in tokens if not token.isspace()], instance)
        value = parser.disjunction()
        return value if parser.done() else None
    except (_Unjudged, IndexError, re.error):
        return None


class _Unjudged(Exception):
    """The expression cannot be judged from what ecslint knows."""


_TOKENS = re.compile(r"\s+|&&|\|\||!=|==|!~|=~|>=|<=|[()\[\],!<>]|'[^']*'|\"[^\"]*\""
                     r"|[^\s()\[\],!=<>~&|]+")
_OPERATORS = {"==": "==", "equals": "==", "!=": "!=", "not_equals": "!=", "exists": "exists",
              "not_exists": "!exists", "=~": "=~", "matches": "=~", "!~": "!~",
              "not_matches": "!~", "in": "in", "not_in": "!in"}


class _Parser:
    """Three-valued (True, False, unknown raises) recursive descent over the tokens."""

    def __init__(self, tokens: list[str], instance: Instance) -> None:
        self.tokens, self.at, self.instance = tokens, 0, instance

    def done(self) -> bool:
        return self.at == len(self.tokens)

    def peek(self) -> str:
        return self.tokens[self.at] if self.at < len(self.tokens) else ""

    def take(self) -> str:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def disjunction(self) -> bool:
        value = self.conjunction()
        while self.peek().lower() in ("or", "||"):
            self.take()
            right = self.conjunction()
            value = value or right
        return value

    def conjunction(self) -> bool:
        value = self.negation()
        while self.peek().lower() in ("and", "&&"):
            self.take()
            right = self.negation()
            value = value and right
        return value

    def negation(self) -> bool:
        if self.peek().lower() in ("not", "!") and self.tokens[self.at + 1:self.at + 2] == ["("]:
            self.take()
            return not self.negation()
        if self.peek() == "(":
            self.take()
            value = self.disjunction()
            if self.take() != ")":
                raise _Unjudged
            return value
        return self.term()

    def term(self) -> bool:
        subject = self.take()
        operator = self.take()
        if operator == "!" and self.peek() in ("exists", "in"):
            operator = "!" + self.take()
        operator = _OPERATORS.get(operator.lower(), operator)
        value = self._subject(subject)
        if operator in ("exists", "!exists"):
            return (value is not None) == (operator == "exists")
        if operator in ("in", "!in"):
            if self.take() != "[":
                raise _Unjudged
            values = []
            while self.peek() != "]":
                values.append(_unquoted(self.take()))
                if self.peek() == ",":
                    self.take()
            self.take()
            return (value in values) == (operator == "in")
        argument = _unquoted(self.take())
        if operator in ("==", "!="):
            return (value == argument) == (operator == "==")
        if operator in ("=~", "!~"):
            found = value is not None and re.fullmatch(argument, value) is not None
            return found == (operator == "=~")
        raise _Unjudged

    def _subject(self, subject: str) -> str | None:
        if subject.startswith("attribute:"):
            return self.instance.attributes.get(subject[len("attribute:"):])
        if subject == "agentVersion" and self.instance.agent_version:
            return self.instance.agent_version
        if subject == "ec2InstanceId" and "ec2InstanceId" in self.instance.attributes:
            return self.instance.attributes["ec2InstanceId"]
        raise _Unjudged


def _unquoted(token: str) -> str:
    return token[1:-1] if token[:1] in ("'", '"') and token[-1:] == token[:1] else token
