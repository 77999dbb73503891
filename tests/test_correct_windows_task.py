"""A correct, modern Windows task passes the default run: on EC2 and on Fargate, with
and without the hosts named on the command line, it exits 0 with nothing at warning or
above. A linter that fails its own idea of a correct task gets switched off."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecslint.cli.main import main

AWSLOGS = {
    "logDriver": "awslogs",
    "options": {
        "awslogs-group": "/ecs/web",
        "awslogs-region": "eu-west-1",
        "awslogs-stream-prefix": "web",
    },
}
IIS = {
    "name": "web",
    "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2022",
    "cpu": 1024,
    "memory": 2048,
    "essential": True,
    "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
    "logConfiguration": AWSLOGS,
}
EC2 = {
    "family": "web",
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE",
                        "cpuArchitecture": "X86_64"},
    "requiresCompatibilities": ["EC2"],
    "containerDefinitions": [IIS],
}
FARGATE = {
    "family": "web",
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE",
                        "cpuArchitecture": "X86_64"},
    "requiresCompatibilities": ["FARGATE"],
    "networkMode": "awsvpc",
    "cpu": "1024",
    "memory": "2048",
    "executionRoleArn": "arn:aws:iam::111122223333:role/ecsTaskExecutionRole",
    "containerDefinitions": [IIS],
}


@pytest.mark.parametrize("task", [EC2, FARGATE], ids=["ec2", "fargate"])
@pytest.mark.parametrize("extra", [(), ("--windows-host", "2022")], ids=["", "host-2022"])
def test_correct_windows_task_passes_by_default(tmp_path: Path, task: dict, extra: tuple) -> None:
    path = tmp_path / "task.json"
    path.write_text(json.dumps(task, indent=2))
    result = CliRunner().invoke(
        main, ["check", "--isolated", "--format", "json", *extra, str(path)],
        catch_exceptions=False)
    report = json.loads(result.output)
    loud = [f for f in report["findings"] if f["rule"]["severity"] in ("error", "warning")]
    assert loud == []
    assert result.exit_code == 0
    assert report["tasks"][0]["os"] == "windows"
