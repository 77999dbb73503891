"""The catalogue's warning exceptions: findings of an error rule that are only
warnings because the AWS sources conflict or the behaviour changed (WIN101
bridge, FG304 Windows Server 2025, FG305 ephemeralStorage). The catalogue test
reads only a rule's default severity, so each exception is pinned here."""

from __future__ import annotations

import json

import pytest
from helpers import lint_text

WINDOWS_EC2 = {
    "family": "web", "requiresCompatibilities": ["EC2"],
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
    "containerDefinitions": [{
        "name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}],
}
WINDOWS_FARGATE = {
    "family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
    "cpu": "1024", "memory": "2048",
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
    "containerDefinitions": [{
        "name": "web",
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022"}],
}


def severities(task: dict, rule: str) -> list[str]:
    result = lint_text(json.dumps(task), select=[rule])
    assert not result.errors
    return [f.severity.value for f in result.findings if f.rule.id == rule]


@pytest.mark.parametrize("mode, expected", [
    ("bridge", ["warning"]), ("host", ["error"]), ("none", ["error"]), ("awsvpc", []),
])
def test_win101_severity_per_network_mode(mode: str, expected: list[str]) -> None:
    assert severities({**WINDOWS_EC2, "networkMode": mode}, "WIN101") == expected


def test_win101_bridge_names_the_agent_version_and_links() -> None:
    result = lint_text(json.dumps({**WINDOWS_EC2, "networkMode": "bridge"}), select=["WIN101"])
    (finding,) = result.findings
    assert "1.70.0" in finding.message and "links" in finding.message


@pytest.mark.parametrize("family, expected", [
    ("WINDOWS_SERVER_2025_CORE", ["warning"]), ("WINDOWS_SERVER_2025_FULL", ["warning"]),
    ("WINDOWS_SERVER_2016_FULL", ["error"]), ("WINDOWS_SERVER_2004_CORE", ["error"]),
    ("WINDOWS_SERVER_20H2_CORE", ["error"]),
    ("WINDOWS_SERVER_2019_FULL", []), ("WINDOWS_SERVER_2022_CORE", []),
])
def test_fg304_severity_per_family(family: str, expected: list[str]) -> None:
    task = {**WINDOWS_FARGATE, "runtimePlatform": {"operatingSystemFamily": family}}
    assert severities(task, "FG304") == expected


@pytest.mark.parametrize("extra, expected", [
    ({"ephemeralStorage": {"sizeInGiB": 50}}, ["warning"]),
    ({"pidMode": "task"}, ["error"]),
])
def test_fg305_task_feature_severity(extra: dict, expected: list[str]) -> None:
    assert severities({**WINDOWS_FARGATE, **extra}, "FG305") == expected


def test_fg305_environment_files_is_an_error() -> None:
    container = {**WINDOWS_FARGATE["containerDefinitions"][0], "environmentFiles": [
        {"value": "arn:aws:s3:::my-bucket/web.env", "type": "s3"}]}
    task = {**WINDOWS_FARGATE, "containerDefinitions": [container]}
    assert severities(task, "FG305") == ["error"]
