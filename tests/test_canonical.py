"""CloudFormation PascalCase properties to API-shaped data (``ecslint.tasks.canonical``)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest

from ecslint.load.sourcemap import Path
from ecslint.rule import Finding, Fix, RenameKey
from ecslint.tasks.canonical import canonicalize, source_path
from ecslint.validation.schema import load_schema, validate

PROPERTIES: dict[str, Any] = {
    "Family": {"Fn::Sub": "${AWS::StackName}-web"},
    "Cpu": 1024,
    "Memory": "2048",
    "NetworkMode": "awsvpc",
    "RequiresCompatibilities": ["FARGATE"],
    "ExecutionRoleArn": {"Fn::GetAtt": ["ExecutionRole", "Arn"]},
    "ContainerDefinitions": [{
        "Name": "web",
        "Image": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/web:1"},
        "Essential": "true",
        "Memory": "1024",
        "PortMappings": [{"ContainerPort": "8080", "Protocol": "tcp"}],
        "Environment": [{"Name": "DEBUG", "Value": False}, {"Name": "WORKERS", "Value": 4}],
        "LogConfiguration": {"LogDriver": "awslogs", "Options": {
            "awslogs-group": {"Ref": "LogGroup"}, "awslogs-region": {"Ref": "AWS::Region"},
            "awslogs-stream-prefix": "web", "Mode": "non-blocking"}},
        "DockerLabels": {"Name": "web", "com.example.port": 8080},
        "HealthCheck": {"Fn::If": ["WithHealthCheck",
                                   {"Command": ["CMD", "true"], "Interval": "30"},
                                   {"Ref": "AWS::NoValue"}]},
    }],
    "ProxyConfiguration": {"Type": "APPMESH", "ContainerName": "envoy",
                           "ProxyConfigurationProperties": [{"Name": "AppPorts",
                                                             "Value": "8080"}]},
    "Volumes": [{"Name": "shared", "EFSVolumeConfiguration": {
        "FilesystemId": {"Ref": "FileSystem"}, "TransitEncryption": "ENABLED",
        "TransitEncryptionPort": "2049", "AuthorizationConfig": {"IAM": "ENABLED"}}}],
    "Tags": [{"Key": "team", "Value": "web"}],
}

CANONICAL: dict[str, Any] = {
    "family": {"Fn::Sub": "${AWS::StackName}-web"},
    "cpu": "1024",
    "memory": "2048",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "executionRoleArn": {"Fn::GetAtt": ["ExecutionRole", "Arn"]},
    "containerDefinitions": [{
        "name": "web",
        "image": {"Fn::Sub": "${AWS::AccountId}.dkr.ecr.${AWS::Region}.amazonaws.com/web:1"},
        "essential": True,
        "memory": 1024,
        "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "DEBUG", "value": "false"}, {"name": "WORKERS", "value": "4"}],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": {"Ref": "LogGroup"}, "awslogs-region": {"Ref": "AWS::Region"},
            "awslogs-stream-prefix": "web", "Mode": "non-blocking"}},
        "dockerLabels": {"Name": "web", "com.example.port": "8080"},
        "healthCheck": {"Fn::If": ["WithHealthCheck",
                                   {"Command": ["CMD", "true"], "Interval": "30"},
                                   {"Ref": "AWS::NoValue"}]},
    }],
    "proxyConfiguration": {"type": "APPMESH", "containerName": "envoy",
                           "properties": [{"name": "AppPorts", "value": "8080"}]},
    "volumes": [{"name": "shared", "efsVolumeConfiguration": {
        "fileSystemId": {"Ref": "FileSystem"}, "transitEncryption": "ENABLED",
        "transitEncryptionPort": 2049, "authorizationConfig": {"iam": "ENABLED"}}}],
    "tags": [{"key": "team", "value": "web"}],
}

C0 = ("containerDefinitions", 0)
RENAMES: dict[Path, dict[str, str]] = {
    (): {"family": "Family", "cpu": "Cpu", "memory": "Memory", "networkMode": "NetworkMode",
         "requiresCompatibilities": "RequiresCompatibilities",
         "executionRoleArn": "ExecutionRoleArn", "containerDefinitions": "ContainerDefinitions",
         "proxyConfiguration": "ProxyConfiguration", "volumes": "Volumes", "tags": "Tags"},
    C0: {"name": "Name", "image": "Image", "essential": "Essential", "memory": "Memory",
         "portMappings": "PortMappings", "environment": "Environment",
         "logConfiguration": "LogConfiguration", "dockerLabels": "DockerLabels",
         "healthCheck": "HealthCheck"},
    C0 + ("portMappings", 0): {"containerPort": "ContainerPort", "protocol": "Protocol"},
    C0 + ("environment", 0): {"name": "Name", "value": "Value"},
    C0 + ("environment", 1): {"name": "Name", "value": "Value"},
    C0 + ("logConfiguration",): {"logDriver": "LogDriver", "options": "Options"},
    ("proxyConfiguration",): {"type": "Type", "containerName": "ContainerName",
                              "properties": "ProxyConfigurationProperties"},
    ("proxyConfiguration", "properties", 0): {"name": "Name", "value": "Value"},
    ("volumes", 0): {"name": "Name", "efsVolumeConfiguration": "EFSVolumeConfiguration"},
    ("volumes", 0, "efsVolumeConfiguration"): {
        "fileSystemId": "FilesystemId", "transitEncryption": "TransitEncryption",
        "transitEncryptionPort": "TransitEncryptionPort",
        "authorizationConfig": "AuthorizationConfig"},
    ("volumes", 0, "efsVolumeConfiguration", "authorizationConfig"): {"iam": "IAM"},
    ("tags", 0): {"key": "Key", "value": "Value"},
}


def paths(value: Any, path: Path = ()) -> Iterator[Path]:
    """Every path of a document, parents first."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, path + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from paths(item, path + (index,))


def lookup(value: Any, path: Path) -> Any:
    for part in path:
        value = value[part]
    return value


def test_cloudformation_properties_canonicalize_to_the_api_shape() -> None:
    original = copy.deepcopy(PROPERTIES)
    data, renames = canonicalize(PROPERTIES)
    assert data == CANONICAL
    assert renames == RENAMES
    assert PROPERTIES == original, "the input must not be mutated"
    assert validate(data, cloudformation=True) == []


def test_source_path_finds_every_canonical_node_in_the_source() -> None:
    data, renames = canonicalize(PROPERTIES)
    for path in paths(data):
        source = lookup(PROPERTIES, source_path(path, renames))  # KeyError if lost
        canonical = lookup(data, path)
        if isinstance(canonical, dict | list):
            assert type(source) is type(canonical), path
    assert source_path(C0 + ("logConfiguration", "options", "awslogs-group"), renames) == (
        "ContainerDefinitions", 0, "LogConfiguration", "Options", "awslogs-group")
    assert source_path(("proxyConfiguration", "properties", 0, "value"), renames) == (
        "ProxyConfiguration", "ProxyConfigurationProperties", 0, "Value")
    assert source_path(("nothing", 3, "here"), renames) == ("nothing", 3, "here")


def test_unknown_pascal_case_key_is_kept_and_reported_with_a_pascal_case_suggestion() -> None:
    props = copy.deepcopy(PROPERTIES)
    props["ContainerDefinitions"][0]["PortMappings"][0]["Protocl"] = "udp"
    data, renames = canonicalize(props)
    assert data["containerDefinitions"][0]["portMappings"][0]["Protocl"] == "udp"
    (finding,) = validate(data, cloudformation=True)
    assert finding == Finding.at_key(
        C0 + ("portMappings", 0, "Protocl"),
        "unknown key 'Protocl' in PortMappings[0]; did you mean 'Protocol'?",
        fix=Fix("Rename 'Protocl' to 'Protocol'",
                (RenameKey(C0 + ("portMappings", 0, "Protocl"), "protocol"),)))
    assert source_path(finding.path, renames) == (
        "ContainerDefinitions", 0, "PortMappings", 0, "Protocl")


def test_a_key_spelled_both_ways_keeps_the_api_spelling_and_leaves_the_other_unknown() -> None:
    data, renames = canonicalize({"Family": "a", "family": "b", "ContainerDefinitions": []})
    assert data == {"Family": "a", "family": "b", "containerDefinitions": []}
    assert renames == {(): {"containerDefinitions": "ContainerDefinitions"}}
    assert validate(data, cloudformation=True) == [
        Finding.at_key(("Family",), "unknown key 'Family' in the task definition")]


@pytest.mark.parametrize(("path", "value", "expected"), [
    (("Memory",), 2048, "2048"),
    (("Memory",), True, "true"),
    (("Memory",), 0.5, 0.5),
    (("ContainerDefinitions", 0, "Memory"), "0512", "0512"),
    (("ContainerDefinitions", 0, "Memory"), "1_024", "1_024"),
    (("ContainerDefinitions", 0, "Memory"), "512.0", "512.0"),
    (("ContainerDefinitions", 0, "Memory"), "-1", -1),
    (("ContainerDefinitions", 0, "Memory"), False, False),
    (("ContainerDefinitions", 0, "Essential"), "True", True),
    (("ContainerDefinitions", 0, "Essential"), "False", False),
    (("ContainerDefinitions", 0, "Essential"), "yes", "yes"),
    (("ContainerDefinitions", 0, "Essential"), 1, 1),
    (("NetworkMode",), 5, "5"),
])
def test_scalars_are_coerced_only_when_the_conversion_is_exact(
        path: Path, value: Any, expected: Any) -> None:
    props = {"Family": "web", "ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}
    lookup(props, path[:-1])[path[-1]] = value
    data, _ = canonicalize(props)
    canonical = tuple(part if isinstance(part, int) else part[:1].lower() + part[1:]
                      for part in path)
    result = lookup(data, canonical)
    assert result == expected and type(result) is type(expected)


def test_camel_case_input_is_left_as_it_is() -> None:
    data, renames = canonicalize(copy.deepcopy(CANONICAL))
    assert data == CANONICAL
    assert renames == {}


def test_unresolved_values_are_not_descended_into() -> None:
    value = {"Fn::If": ["C", [{"ContainerPort": "80"}], {"Ref": "AWS::NoValue"}]}
    data, renames = canonicalize({"ContainerDefinitions": [{"PortMappings": value}]})
    assert data == {"containerDefinitions": [{"portMappings": value}]}
    assert C0 + ("portMappings",) not in renames
    # {"Condition": name} is only an intrinsic inside Fn::And/Or/Not; as a property
    # value it is ContainerDependency's "condition" key and is renamed like any other.
    data, renames = canonicalize({"ContainerDefinitions": [{"DependsOn": [{"Condition": "START"}]}]})
    assert data == {"containerDefinitions": [{"dependsOn": [{"condition": "START"}]}]}
    assert canonicalize({"Fn::If": ["C", {"Family": "a"}, {"Family": "b"}]}) == (
        {"Fn::If": ["C", {"Family": "a"}, {"Family": "b"}]}, {})


def test_case_insensitive_matching_is_unambiguous_in_every_schema_object() -> None:
    schema = load_schema()
    for name, node in [("root", schema), *schema["$defs"].items()]:
        keys = list(node.get("properties", {}))
        assert len({key.lower() for key in keys}) == len(keys), name
