"""The cluster query language of ``memberOf`` constraints, as ``ecslint.hosts.matches``
judges it against an instance: exact verdicts, and never an exception."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ecslint.hosts import Instance, matches

INSTANCE = Instance("arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/0a1",
                    {"ecs.instance-type": "m5.large", "ecs.availability-zone": "eu-west-1a",
                     "stack": "prod", "ecs.os-type": "windows"}, "1.80.0")


@pytest.mark.parametrize("expression, verdict", [
    ("attribute:ecs.instance-type == m5.large", True),
    ("attribute:ecs.instance-type equals t3.small", False),
    ("attribute:ecs.instance-type =~ m5.*", True),
    ("attribute:ecs.instance-type matches g5.*", False),
    ("attribute:ecs.availability-zone in [eu-west-1a, eu-west-1b]", True),
    ("attribute:ecs.availability-zone not_in [eu-west-1a]", False),
    ("attribute:ecs.availability-zone !in ['eu-west-1b']", True),
    ("attribute:stack exists", True),
    ("attribute:team !exists", True),
    ("attribute:team not_exists", True),
    ("attribute:stack == prod and attribute:ecs.instance-type != m5.large", False),
    ("attribute:stack == dev || attribute:ecs.instance-type == m5.large", True),
    ("not(attribute:stack == prod)", False),
    ("!(attribute:stack == dev) && (attribute:stack == \"prod\")", True),
    ("agentVersion == 1.80.0", True),
    ("runningTasksCount == 0", None),           # not known before placement
    ("task:group == service:web", None),
    ("attribute:stack == prod or registeredAt > 2020-01-01", None),
    ("attribute:ecs.instance-type ==", None),   # cut short
    ("(attribute:stack == prod", None),
    ("attribute:stack == prod )", None),
    ("attribute:stack =~ [", None),             # not a regular expression
    ("attribute:team =~ [", False),             # no such attribute: no match
])
def test_verdicts(expression: str, verdict: bool | None) -> None:
    assert matches(expression, INSTANCE) is verdict


@given(st.text(alphabet=st.sampled_from(list("attribute:ecs.instance-type=!~<>()[],'\" &|"
                                              "andornotinexists m5.* ")), max_size=80))
def test_any_text_is_a_verdict_or_unjudged(expression: str) -> None:
    assert matches(expression, INSTANCE) in (True, False, None)


def windows(family: str | None = None, ami: str | None = None) -> Instance:
    attributes = {"ecs.os-type": "windows", **({"ecs.os-family": family} if family else {})}
    return Instance("arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/x", attributes,
                    ami_name=ami)


LINUX = Instance("arn:aws:ecs:eu-west-1:111122223333:container-instance/prod/l",
                 {"ecs.os-type": "linux"})


@pytest.mark.parametrize("instances, expected", [
    ([windows("WINDOWS_SERVER_2022_CORE"), windows("WINDOWS_SERVER_2022_CORE"), LINUX],
     ("2022", "CORE", "2 WINDOWS_SERVER_2022_CORE")),
    ([windows("WINDOWS_SERVER_2022_CORE"),
      windows(ami="Windows_Server-2022-English-Full-ECS_Optimized-2025.01.15")],
     ("2022", None, "1 WINDOWS_SERVER_2022_CORE, 1 WINDOWS_SERVER_2022_FULL")),
    ([windows("WINDOWS_SERVER_2019_FULL"), windows("WINDOWS_SERVER_2022_FULL")], None),
    ([windows()], None),     # neither the attribute nor the AMI's name says
    ([LINUX], None),
])
def test_the_release_of_a_clusters_windows_instances(
        instances: list[Instance], expected: tuple[str, str | None, str] | None) -> None:
    from ecslint.platform.windows import instances_release

    assert instances_release(instances) == expected


def test_where_a_service_can_land() -> None:
    from ecslint.hosts import Placement, Service

    a = Instance("arn:x/a", {"ecs.os-family": "WINDOWS_SERVER_2022_CORE",
                             "ecs.instance-type": "m5.large"})
    b = Instance("arn:x/b", {"ecs.os-family": "WINDOWS_SERVER_2022_CORE",
                             "ecs.instance-type": "g4dn.xlarge"})
    c = Instance("arn:x/c", {"ecs.os-family": "LINUX", "ecs.instance-type": "m5.large"})
    service = Service("prod", "web", "arn:s", "arn:t", 2, "EC2", (), (
        {"type": "memberOf", "expression": "attribute:ecs.instance-type =~ m5.*"},
        {"type": "distinctInstance"}))
    task = {"runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "placementConstraints": [{"type": "memberOf", "expression": "runningTasksCount == 0"}]}
    assert Placement("prod", service, (a, b, c)).landing(task) == (a,)
    assert Placement("prod", None, (a, b, c)).landing({}) == (a, b, c)
    fargate = Service("prod", "web", "arn:s", "arn:t", 2, "FARGATE")
    assert Placement("prod", fargate, (a, b, c)).landing(task) is None
    spot = Service("prod", "web", "arn:s", "arn:t", 2, None, ("FARGATE", "FARGATE_SPOT"))
    assert Placement("prod", spot, (a,)).landing({}) is None
