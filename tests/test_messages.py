"""What messages show: values as JSON (never a Python repr), a container without a
name by its position, and a value of the wrong type reported once, by E002."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml
from helpers import FIXTURES, lint_text, options

from ecslint.engine import lint_bytes
from ecslint.rule import QUOTED_LIMIT, shown

ALL = options(["ALL"], raise_rule_errors=True)
PYTHON_REPR = re.compile(r"\{'|\['|\bNone\b|\bTrue\b|\bFalse\b")

WINDOWS_EC2 = {
    "family": "web",
    "taskRoleArn": "arn:aws:iam::111122223333:role/web",
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
    "cpu": "1024", "memory": "2048",
    "volumes": [{"name": "data", "host": {"sourcePath": "D:\\data"}}],
    "containerDefinitions": [
        {"image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019",
         "cpu": 512, "memory": 1024, "memoryReservation": 512, "privileged": True,
         "user": "ContainerAdministrator",
         "portMappings": [{"containerPort": 80, "hostPort": 80}],
         "mountPoints": [{"sourceVolume": "data", "containerPath": "C:\\data"},
                         {"sourceVolume": "data", "containerPath": "/data"}],
         "dockerSecurityOptions": ["credentialspec:arn:aws:ssm:us-east-1:111122223333:x"],
         "logConfiguration": {"logDriver": "fluentd"}},
        {"name": None, "image": "microsoft/iis", "essential": False,
         "logConfiguration": {"logDriver": "awsfirelens"}},
    ],
}

FARGATE_LINUX = {
    "family": "api", "requiresCompatibilities": ["FARGATE"], "networkMode": "bridge",
    "cpu": "3 vCPU", "memory": "1 GB", "pidMode": "host", "ipcMode": "host",
    "volumes": [{"name": "docker", "dockerVolumeConfiguration": {"driver": "local"}}],
    "containerDefinitions": [
        {"name": "api", "image": "nginx", "privileged": True, "user": "root",
         "readonlyRootFilesystem": False, "dependsOn": [{"containerName": "db",
                                                         "condition": "HEALTHY"}],
         "environment": [{"name": "AWS_SECRET_ACCESS_KEY", "value": "x"}],
         "linuxParameters": {"capabilities": {"add": ["SYS_ADMIN"]}, "devices": [{}]},
         "logConfiguration": {"logDriver": "syslog"}},
    ],
}

WRONG_TYPES = [{"b": 1, "a": None}, [True, None], None, False]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, path + (index,))


def _replaced(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(data)
    holder = result
    for part in path[:-1]:
        holder = holder[part]
    holder[path[-1]] = value
    return result


def test_shown_quotes_strings_and_renders_anything_else_as_json() -> None:
    assert shown("web") == "'web'"
    assert shown({"b": 1, "a": None}) == '{"a": null, "b": 1}'
    assert shown([1, True, None, "x", 1.5]) == '[1, true, null, "x", 1.5]'
    assert shown(None) == "null" and shown(False) == "false"
    assert shown({"a": "x" * 400_000}) == ('{"a": "' + "x" * 400_000)[: QUOTED_LIMIT - 3] + "..."
    assert shown(["y" * 1000], 10) == '["yyyyy...'


def test_shown_is_the_same_whatever_the_key_order() -> None:
    assert shown({"b": {"d": 1, "c": 2}, "a": 0}) == shown({"a": 0, "b": {"c": 2, "d": 1}})


@pytest.mark.parametrize("data", [WINDOWS_EC2, FARGATE_LINUX], ids=["windows-ec2", "fargate"])
def test_no_message_shows_a_python_repr_whatever_value_a_key_has(data: dict[str, Any]) -> None:
    for path in list(_paths(data))[1:]:
        for value in WRONG_TYPES:
            result = lint_bytes(json.dumps(_replaced(data, path, value)).encode(), "td.json",
                                True, ALL)
            for finding in result.findings:
                assert not PYTHON_REPR.search(finding.message), (path, value, finding.message)


@pytest.mark.parametrize(("data", "path", "value"), [
    (FARGATE_LINUX, ("cpu",), {"b": 1, "a": None}),
    (FARGATE_LINUX, ("cpu",), True),
    (FARGATE_LINUX, ("memory",), ["2 GB"]),
    (FARGATE_LINUX, ("networkMode",), {"mode": "bridge"}),
    (FARGATE_LINUX, ("containerDefinitions", 0, "readonlyRootFilesystem"), "false"),
    (FARGATE_LINUX, ("containerDefinitions", 0, "readonlyRootFilesystem"), {"a": 1}),
    (FARGATE_LINUX, ("containerDefinitions", 0, "user"), 0),
], ids=["cpu-object", "cpu-boolean", "memory-list", "network-mode-object",
        "read-only-string", "read-only-object", "user-number"])
def test_a_value_of_the_wrong_type_is_reported_once_by_e002(data: dict[str, Any],
                                                             path: tuple[Any, ...],
                                                             value: Any) -> None:
    result = lint_bytes(json.dumps(_replaced(data, path, value)).encode(), "td.json", True, ALL)
    at = "/" + "/".join(str(part) for part in path)
    assert [f.rule.id for f in result.findings if f.location.pointer == at] == ["E002"]


def test_fg302_message_on_a_mapping_does_not_depend_on_the_source_format() -> None:
    """The example hypothesis saved: FG302 showed the dict's repr, whose key order
    YAML (sorted keys) and JSON (source order) give differently."""
    data = {"family": "", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "cpu": {"b": 0, "a": 0}, "memory": "512", "containerDefinitions": []}
    as_json = lint_text(json.dumps(data), "td.json", ["ALL"])
    as_yaml = lint_text(yaml.safe_dump(data), "td.yaml", ["ALL"])
    assert ([(f.rule.id, f.location.pointer, f.message) for f in as_json.findings]
            == [(f.rule.id, f.location.pointer, f.message) for f in as_yaml.findings])


def test_a_container_without_a_name_is_named_by_its_position() -> None:
    result = lint_text(json.dumps(WINDOWS_EC2), "td.json", ["ALL"])
    on_containers = [f for f in result.findings
                     if f.location.pointer.startswith("/containerDefinitions/")]
    assert len({f.rule.id for f in on_containers}) >= 8
    assert not [f.message for f in result.findings if "None" in f.message]
    assert any("container #1 " in f.message for f in on_containers)
    assert any("container #2 " in f.message for f in on_containers)


def test_win120_and_win121_say_once_that_windows_does_not_support_a_parameter() -> None:
    messages = [f.message for rule in ("WIN120", "WIN121")
                for path in sorted((FIXTURES / rule).glob("bad-*"))
                if path.suffix != ".expected"
                for f in lint_text(path.read_text(), path.name, [rule]).findings]
    assert len(messages) >= 15
    for message in messages:
        assert message.count("not support") == 1, message
        assert "Windows containers cannot" not in message, message
