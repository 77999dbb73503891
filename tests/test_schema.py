"""The generated task-definition schema and ``ecslint.validation.schema.validate`` (rule E002)."""

from __future__ import annotations

import copy
import importlib.util
import re
import sys
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from helpers import ROOT
from jsonschema import Draft202012Validator

from ecslint.rule import Finding, Fix, RenameKey
from ecslint.validation.schema import load_schema, readonly_fields, validate

SCRIPT = ROOT / "scripts" / "generate_schema.py"

WINDOWS_EC2: dict[str, Any] = {
    "family": "aspnet-win",
    "requiresCompatibilities": ["EC2"],
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE",
                        "cpuArchitecture": "X86_64"},
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "taskRoleArn": "arn:aws:iam::123456789012:role/aspnet",
    "containerDefinitions": [{
        "name": "web",
        "image": "mcr.microsoft.com/dotnet/framework/aspnet:4.8-windowsservercore-ltsc2022",
        "cpu": 1024,
        "memory": 2048,
        "essential": True,
        "entryPoint": ["powershell", "-Command"],
        "command": ["C:\\ServiceMonitor.exe w3svc"],
        "portMappings": [{"containerPort": 80, "hostPort": 8080, "protocol": "tcp"}],
        "environment": [{"name": "ASPNETCORE_ENVIRONMENT", "value": "Production"}],
        "mountPoints": [{"sourceVolume": "share", "containerPath": "C:\\data",
                         "readOnly": False}],
        "credentialSpecs": ["credentialspecdomainless:arn:aws:ssm:eu-west-1:123456789012:"
                            "parameter/gmsa-credspec"],
        "logConfiguration": {"logDriver": "awslogs", "options": {
            "awslogs-group": "/ecs/aspnet-win", "awslogs-region": "eu-west-1",
            "awslogs-stream-prefix": "web"}},
        "healthCheck": {"command": ["CMD-SHELL", "powershell -Command exit 0"],
                        "interval": 30, "timeout": 5, "retries": 3, "startPeriod": 60},
        "dockerLabels": {"com.example.team": "web"},
    }],
    "volumes": [{"name": "share", "fsxWindowsFileServerVolumeConfiguration": {
        "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "share",
        "authorizationConfig": {
            "credentialsParameter": "arn:aws:secretsmanager:eu-west-1:123456789012:secret:fsx",
            "domain": "corp.example.com"}}}],
    "tags": [{"key": "team", "value": "web"}],
}

FARGATE_LINUX: dict[str, Any] = {
    "family": "api",
    "networkMode": "awsvpc",
    "requiresCompatibilities": ["FARGATE"],
    "cpu": "512",
    "memory": "1024",
    "runtimePlatform": {"operatingSystemFamily": "LINUX", "cpuArchitecture": "ARM64"},
    "executionRoleArn": "arn:aws:iam::123456789012:role/ecsTaskExecutionRole",
    "ephemeralStorage": {"sizeInGiB": 30},
    "pidMode": "task",
    "containerDefinitions": [
        {"name": "api", "image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/api:1.4.2",
         "essential": True, "cpu": 256, "memory": 512, "memoryReservation": 256,
         "portMappings": [{"containerPort": 8080, "name": "http", "appProtocol": "http"}],
         "secrets": [{"name": "DB_PASSWORD",
                      "valueFrom": "arn:aws:ssm:eu-west-1:123456789012:parameter/db"}],
         "restartPolicy": {"enabled": True, "ignoredExitCodes": [0],
                           "restartAttemptPeriod": 300},
         "linuxParameters": {"initProcessEnabled": True,
                             "capabilities": {"add": ["SYS_PTRACE"], "drop": ["ALL"]}},
         "readonlyRootFilesystem": True,
         "logConfiguration": {"logDriver": "awsfirelens", "options": {"Name": "cloudwatch"}},
         "dependsOn": [{"containerName": "log_router", "condition": "START"}]},
        {"name": "log_router", "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:2",
         "essential": False, "memoryReservation": 64,
         "firelensConfiguration": {"type": "fluentbit",
                                   "options": {"enable-ecs-log-metadata": "true"}}},
    ],
}

EVERY_VOLUME: dict[str, Any] = {
    "family": "volumes",
    "containerDefinitions": [{"name": "app", "image": "busybox", "memory": 128}],
    "volumes": [
        {"name": "bind", "host": {"sourcePath": "/srv/data"}},
        {"name": "scratch"},
        {"name": "docker", "dockerVolumeConfiguration": {
            "scope": "shared", "autoprovision": True, "driver": "local",
            "driverOpts": {"type": "tmpfs"}, "labels": {"purpose": "cache"}}},
        {"name": "efs", "efsVolumeConfiguration": {
            "fileSystemId": "fs-12345678", "rootDirectory": "/", "transitEncryption": "ENABLED",
            "transitEncryptionPort": 2049,
            "authorizationConfig": {"accessPointId": "fsap-1234", "iam": "ENABLED"}}},
        {"name": "fsx", "fsxWindowsFileServerVolumeConfiguration": {
            "fileSystemId": "fs-0123456789abcdef0", "rootDirectory": "share",
            "authorizationConfig": {"credentialsParameter": "arn:aws:ssm:::parameter/x",
                                    "domain": "corp.example.com"}}},
        {"name": "s3files", "s3filesVolumeConfiguration": {
            "fileSystemArn": "arn:aws:s3files:eu-west-1:123456789012:file-system/fs-1"}},
        {"name": "ebs", "configuredAtLaunch": True},
    ],
}

DESCRIBED: dict[str, Any] = {
    **FARGATE_LINUX,
    "taskDefinitionArn": "arn:aws:ecs:eu-west-1:123456789012:task-definition/api:7",
    "revision": 7,
    "status": "ACTIVE",
    "requiresAttributes": [{"name": "com.amazonaws.ecs.capability.logging-driver.awslogs"},
                           {"name": "ecs.capability.execution-role-awslogs"}],
    "compatibilities": ["EC2", "FARGATE"],
    "registeredAt": "2024-05-01T10:04:48.263000+02:00",
    "registeredBy": "arn:aws:sts::123456789012:assumed-role/deploy/ci",
    "deregisteredAt": 1714550688.263,
}


def with_change(base: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A deep copy of ``base`` with the node at ``path`` set to ``value``."""
    data = copy.deepcopy(base)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return data


@cache
def load_generator() -> ModuleType:
    """Import scripts/generate_schema.py (a script, not a package module)."""
    spec = importlib.util.spec_from_file_location("generate_schema", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("data", [WINDOWS_EC2, FARGATE_LINUX, EVERY_VOLUME, DESCRIBED],
                         ids=["windows-ec2", "fargate-linux", "every-volume", "described"])
def test_valid_task_definitions_have_no_findings(data: dict[str, Any]) -> None:
    assert validate(data) == []


C0 = ("containerDefinitions", 0)


@pytest.mark.parametrize(("path", "value", "expected"), [
    (C0 + ("portMappings", 0, "protocl"), "tcp", Finding.at_key(
        C0 + ("portMappings", 0, "protocl"),
        "unknown key 'protocl' in portMappings[0]; did you mean 'protocol'?",
        fix=Fix("Rename 'protocl' to 'protocol'",
                (RenameKey(C0 + ("portMappings", 0, "protocl"), "protocol"),)))),
    (("famly",), "web", Finding.at_key(
        ("famly",), "unknown key 'famly' in the task definition; did you mean 'family'?",
        fix=Fix("Rename 'famly' to 'family'", (RenameKey(("famly",), "family"),)))),
    (C0 + ("Image",), "x", Finding.at_key(
        C0 + ("Image",), "unknown key 'Image' in containerDefinitions[0]; did you mean 'image'?",
        fix=Fix("Rename 'Image' to 'image'", (RenameKey(C0 + ("Image",), "image"),)))),
    (C0 + ("gpuCount",), 1, Finding.at_key(
        C0 + ("gpuCount",), "unknown key 'gpuCount' in containerDefinitions[0]")),
    (C0 + ("memory",), "512", Finding.at_value(
        C0 + ("memory",), "containerDefinitions[0].memory must be an integer, got string '512'")),
    (C0 + ("essential",), None, Finding.at_value(
        C0 + ("essential",), "containerDefinitions[0].essential must be a boolean, got null")),
    (C0 + ("healthCheck",), "CMD true", Finding.at_value(
        C0 + ("healthCheck",), "containerDefinitions[0].healthCheck must be an object, got string 'CMD true'")),
    (C0 + ("command",), {"a": 1}, Finding.at_value(
        C0 + ("command",), "containerDefinitions[0].command must be an array, got an object")),
    (("cpu",), 512, Finding.at_value(("cpu",), "cpu must be a string, got integer 512")),
    (("registeredAt",), True, Finding.at_value(
        ("registeredAt",), "registeredAt must be a number or a string, got boolean true")),
    (("networkMode",), "bridgee", Finding.at_value(
        ("networkMode",), "networkMode must be one of bridge, host, awsvpc, none, nat, got 'bridgee'")),
    (("networkMode",), 5, Finding.at_value(
        ("networkMode",), "networkMode must be a string, got integer 5")),
    (C0 + ("healthCheck", "interval"), 3, Finding.at_value(
        C0 + ("healthCheck", "interval"), "3 is below the minimum of 5 for healthCheck.interval")),
    (C0 + ("healthCheck", "timeout"), 61, Finding.at_value(
        C0 + ("healthCheck", "timeout"), "61 is above the maximum of 60 for healthCheck.timeout")),
    (C0 + ("memory",), -1, Finding.at_value(
        C0 + ("memory",), "-1 is below the minimum of 0 for containerDefinitions[0].memory")),
    (C0 + ("portMappings", 0, "hostPort"), 70000, Finding.at_value(
        C0 + ("portMappings", 0, "hostPort"),
        "70000 is above the maximum of 65535 for portMappings[0].hostPort")),
    (("family",), "my app", Finding.at_value(
        ("family",), "'my app' is not a valid family: "
                     "expected 1 to 255 letters, digits, hyphens or underscores")),
    (C0 + ("portMappings", 0, "name"), "-http", Finding.at_value(
        C0 + ("portMappings", 0, "name"),
        "'-http' is not a valid portMappings[0].name: expected 1 to 64 lowercase letters, "
        "digits, hyphens or underscores, not starting with a hyphen")),
    (("tags", 0, "key"), "", Finding.at_value(
        ("tags", 0, "key"), "'' is shorter than the minimum length of 1 for tags[0].key")),
    (("tags", 0, "value"), "v" * 300, Finding.at_value(
        ("tags", 0, "value"), "'" + "v" * 57 + "...' is 300 characters long, "
                              "above the maximum of 256 for tags[0].value")),
    (C0 + ("credentialSpecs",), ["credentialspec:a", "credentialspec:b"], Finding.at_value(
        C0 + ("credentialSpecs",),
        "containerDefinitions[0].credentialSpecs has 2 items, above the maximum of 1")),
    (C0 + ("resourceRequirements",), [{"type": "GPU", "sharingStrategy": {}}], Finding.at_value(
        C0 + ("resourceRequirements", 0, "sharingStrategy"),
        "resourceRequirements[0].sharingStrategy must set exactly one of nvidiaMps")),
])
def test_each_error_kind_gives_exactly_one_finding(
        path: tuple[Any, ...], value: Any, expected: Finding) -> None:
    assert validate(with_change(WINDOWS_EC2, path, value)) == [expected]


def test_missing_required_keys_are_reported_on_the_parent_object() -> None:
    data = copy.deepcopy(WINDOWS_EC2)
    del data["family"]
    del data["containerDefinitions"][0]["image"]
    del data["volumes"][0]["fsxWindowsFileServerVolumeConfiguration"]["authorizationConfig"][
        "domain"]
    fsx_auth = ("volumes", 0, "fsxWindowsFileServerVolumeConfiguration", "authorizationConfig")
    assert validate(data) == [
        Finding.at_value((), "missing required key 'family'"),
        Finding.at_value(C0, "missing required key 'image'"),
        Finding.at_value(fsx_auth, "missing required key 'domain'"),
    ]


def test_findings_are_sorted_by_path_and_one_per_unknown_key() -> None:
    data = with_change(WINDOWS_EC2, C0 + ("zeta",), 1)
    data = with_change(data, C0 + ("alpha",), 2)
    data = with_change(data, ("volumes", 0, "name"), 3)
    data["containerDefinitions"].append({"name": "b", "image": "x", "cpu": "1"})
    assert [(f.path, f.on_key) for f in validate(data)] == [
        (C0 + ("alpha",), True),
        (C0 + ("zeta",), True),
        (("containerDefinitions", 1, "cpu"), False),
        (("volumes", 0, "name"), False),
    ]


def test_cloudformation_messages_use_pascal_case_and_family_is_optional() -> None:
    data = with_change(FARGATE_LINUX, C0 + ("healthCheck",),
                       {"command": ["CMD", "true"], "interval": 400, "retrys": 2})
    del data["family"]
    assert validate(data, cloudformation=True) == [
        Finding.at_value(C0 + ("healthCheck", "interval"),
                         "400 is above the maximum of 300 for HealthCheck.Interval"),
        Finding.at_key(C0 + ("healthCheck", "retrys"),
                       "unknown key 'retrys' in ContainerDefinitions[0].HealthCheck; "
                       "did you mean 'Retries'?"),
    ]
    assert validate(data) == [
        Finding.at_value((), "missing required key 'family'"),
        Finding.at_value(C0 + ("healthCheck", "interval"),
                         "400 is above the maximum of 300 for healthCheck.interval"),
        Finding.at_key(C0 + ("healthCheck", "retrys"),
                       "unknown key 'retrys' in containerDefinitions[0].healthCheck; "
                       "did you mean 'retries'?"),
    ]


@pytest.mark.parametrize(("path", "value"), [
    (C0 + ("memory",), {"Ref": "ContainerMemory"}),
    (C0 + ("image",), {"Fn::Sub": "${Repository}:latest"}),
    (("family",), "{{resolve:ssm:/app/family}}"),
    (C0 + ("environment",), {"Fn::If": ["IsProd", [{"name": 1}], {"Ref": "AWS::NoValue"}]}),
    (C0 + ("portMappings", 0), {"Fn::If": ["Public", {"containerPort": "80", "bad": 1},
                                           {"Ref": "AWS::NoValue"}]}),
    (("containerDefinitions",), [{"Fn::If": ["C", {"image": 5}, {"Ref": "AWS::NoValue"}]}]),
    (("volumes",), {"Fn::FindInMap": ["Volumes", {"Ref": "Env"}, "list"]}),
    (C0 + ("dockerLabels",), {"Fn::If": ["C", {"team": "web"}, {"Ref": "AWS::NoValue"}]}),
])
def test_unresolved_values_never_produce_findings(path: tuple[Any, ...], value: Any) -> None:
    assert validate(with_change(WINDOWS_EC2, path, value)) == []


def test_readonly_fields_are_the_describe_only_fields() -> None:
    ecs416 = {"taskDefinitionArn", "revision", "status", "requiresAttributes",
              "compatibilities", "registeredAt", "registeredBy", "deregisteredAt"}
    assert readonly_fields() == ecs416 | {"deleteRequestedAt"}
    assert validate(with_change(DESCRIBED, ("revision",), "7")) == [
        Finding.at_value(("revision",), "revision must be an integer, got string '7'")]


def test_readonly_fields_are_not_suggested_for_unknown_keys() -> None:
    (finding,) = validate(with_change(FARGATE_LINUX, ("revison",), 1))
    assert finding.message == "unknown key 'revison' in the task definition"


def test_schema_is_valid_and_records_its_botocore_version() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    # tomllib is 3.11+; the project supports 3.10.
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.findall(r'"botocore==([^"]+)"', pyproject) == [schema["x-botocore-version"]]
    assert "python scripts/generate_schema.py" in schema["$comment"]


def test_schema_uses_only_keywords_validate_explains() -> None:
    explained = {"type", "enum", "minimum", "maximum", "pattern", "minLength", "maxLength",
                 "minItems", "maxItems", "minProperties", "maxProperties", "required",
                 "additionalProperties", "properties", "items", "$ref"}
    annotations = {"$schema", "$comment", "$defs", "title", "description", "readOnly",
                   "deprecated", "x-botocore-version", "x-api-version"}
    used: set[str] = set()

    def walk(node: dict[str, Any]) -> None:
        used.update(node)
        for key, sub in node.items():
            if key in ("properties", "$defs"):
                for child in sub.values():
                    walk(child)
            elif key in ("items", "additionalProperties") and isinstance(sub, dict):
                walk(sub)

    walk(load_schema())
    assert used <= explained | annotations, used - explained - annotations


def test_every_prose_constraint_is_in_the_schema() -> None:
    schema = load_schema()
    for prose in load_generator().PROSE:
        shape = schema if prose.shape == "RegisterTaskDefinitionRequest" else \
            schema["$defs"][prose.shape]
        target = shape if prose.member is None else shape["properties"][prose.member]
        for key, value in prose.keywords.items():
            if isinstance(value, list):
                assert set(value) <= set(target[key]), (prose, key)
            else:
                assert target[key] == value, (prose, key)


def test_regenerating_gives_the_checked_in_schema_byte_for_byte(tmp_path: Path) -> None:
    pytest.importorskip("botocore", reason="botocore (test extra) generates the schema")
    generator = load_generator()
    out = tmp_path / "task-definition.json"
    assert generator.main(["--output", str(out)]) == 0
    checked_in = ROOT / "schemas" / "task-definition.json"
    assert out.read_bytes() == checked_in.read_bytes(), \
        "schema is stale: run python scripts/generate_schema.py"
    assert generator.main(["--check", "--output", str(out)]) == 0


def test_check_reports_a_stale_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("botocore", reason="botocore (test extra) generates the schema")
    generator = load_generator()
    out = tmp_path / "task-definition.json"
    text = (ROOT / "schemas" / "task-definition.json").read_text(encoding="utf-8")
    out.write_text(text.replace('"maximum": 300', '"maximum": 301', 1), encoding="utf-8")
    assert generator.main(["--check", "--output", str(out)]) == 1
    err = capsys.readouterr().err
    assert "out of date" in err and "2 lines differ" in err and '"maximum": 301' in err


def test_root_properties_match_the_installed_botocore_model() -> None:
    botocore_session = pytest.importorskip(
        "botocore.session", reason="botocore (test extra) is the source of truth")
    model = botocore_session.get_session().get_service_model("ecs")
    request = model.operation_model("RegisterTaskDefinition").input_shape
    described = model.shape_for("TaskDefinition")
    properties = load_schema()["properties"]
    writable = {key for key, sub in properties.items() if not sub.get("readOnly")}
    assert writable == set(request.members)
    assert readonly_fields() == set(described.members) - set(request.members)
    assert load_schema()["required"] == list(request.required_members)
