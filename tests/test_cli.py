"""The command line end to end: exit codes, options, configuration errors, stdin."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecslint.cli import main

CONTAINER = {"name": "web", "image": "nginx", "memory": 512, "user": "1000",
             "readonlyRootFilesystem": True,
             "logConfiguration": {"logDriver": "awslogs", "options": {
                 "awslogs-group": "web", "awslogs-region": "eu-west-1"}}}
GOOD = json.dumps({"family": "web", "containerDefinitions": [CONTAINER]}) + "\n"
BAD = json.dumps({"family": "web", "networkMode": "bridged", "containerDefinitions": [CONTAINER]}) + "\n"


def run(args: list[str], cwd: Path, stdin: str | None = None):
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "good.json").write_text(GOOD)
    (tmp_path / "bad.json").write_text(BAD)
    (tmp_path / "package.json").write_text('{"name": "x"}')
    return tmp_path


def test_exit_codes(tree: Path) -> None:
    assert run(["check", "good.json"], tree).exit_code == 0
    result = run(["check", "bad.json"], tree)
    assert result.exit_code == 1
    assert result.output.startswith("bad.json:1:34: E002 [error] networkMode must be one of")
    assert run(["check", "bad.json", "--fail-on", "never"], tree).exit_code == 0
    assert run(["check", "bad.json", "--ignore", "E002"], tree).exit_code == 0
    (tree / "broken.json").write_text("{")
    broken = run(["check", "broken.json", "good.json"], tree)
    assert broken.exit_code == 2
    assert "broken.json:1:2: E001 [error]" in broken.output
    assert run(["check", "missing.json"], tree).exit_code == 2


def test_usage_errors_exit_2(tree: Path) -> None:
    assert run(["check", "--select", "NOPE", "good.json"], tree).exit_code == 2
    assert run(["check", "--format", "xml", "good.json"], tree).exit_code == 2
    assert run(["check", "--windows-host", "1999", "good.json"], tree).exit_code == 2
    assert run(["rule", "WIN999"], tree).exit_code == 2


def test_directory_scan_skips_non_task_files_but_explicit_e003(tree: Path) -> None:
    scanned = run(["check", "--extend-select", "E003", "--format", "json", "."], tree)
    data = json.loads(scanned.output)
    assert sorted({f["location"]["file"] for f in data["findings"]}) == ["./bad.json"]
    explicit = run(["check", "--extend-select", "E003", "--fail-on", "info", "package.json"], tree)
    assert explicit.exit_code == 1
    assert "package.json:1:1: E003 [info] the file holds no ECS task definition" in explicit.output
    assert run(["check", "package.json"], tree).exit_code == 0


def test_stdin_with_filename(tree: Path) -> None:
    result = run(["check", "-", "--stdin-filename", "td.yaml"], tree,
                 stdin="family: web\nnetworkMode: bridged\ncontainerDefinitions: []\n")
    assert result.exit_code == 1
    assert result.output.startswith("td.yaml:2:14: E002")


def test_select_family_does_not_select_ecs(tree: Path) -> None:
    many = {"family": "f", "containerDefinitions": [{"name": f"c{i}", "image": "x", "memory": 64}
                                                    for i in range(11)]}
    (tree / "many.json").write_text(json.dumps(many))
    assert run(["check", "--select", "E", "many.json"], tree).exit_code == 0
    assert run(["check", "--select", "ECS", "many.json"], tree).exit_code == 1
    assert run(["check", "--select", "too-many-containers", "many.json"], tree).exit_code == 1


def test_config_file_is_found_upwards_and_errors_are_located(tree: Path) -> None:
    (tree / ".ecslint.yaml").write_text("ignore: [E002]\n")
    sub = tree / "sub"
    sub.mkdir()
    (sub / "bad.json").write_text(BAD)
    assert run(["check", "bad.json"], sub).exit_code == 0
    assert run(["check", "--isolated", "bad.json"], sub).exit_code == 1
    (tree / ".ecslint.yaml").write_text("ignore: [E002]\nfail_on: error\n")
    result = run(["check", "bad.json"], sub)
    assert result.exit_code == 2
    assert ".ecslint.yaml:2:1:" in result.output


def test_output_file_and_formats(tree: Path) -> None:
    for fmt in ("json", "sarif", "github", "text"):
        result = run(["check", "--format", fmt, "--output", f"out.{fmt}", "bad.json"], tree)
        assert result.exit_code == 1 and result.output == ""
        assert "networkMode" in (tree / f"out.{fmt}").read_text()


def test_json_carries_platform_decisions(tree: Path) -> None:
    data = json.loads(run(["check", "--format", "json", "good.json"], tree).output)
    assert data["tasks"] == [{
        "file": "good.json", "task": "web", "source": "register", "os": "linux", "osFamily": None,
        "osSignal": "default: no Windows signal in the definition", "launchTypes": ["EC2"],
        "launchSignal": "default EC2: no requiresCompatibilities", "windows": None,
    }]


def test_rules_and_rule_commands(tree: Path) -> None:
    listing = run(["rules"], tree).output
    assert "ECS401  too-many-containers" in listing
    explained = run(["rule", "too-many-containers"], tree).output
    assert explained.startswith("# too-many-containers (ECS401)\n")
    assert json.loads(run(["rule", "E002", "--format", "json"], tree).output)[0]["id"] == "E002"
    assert run(["--version"], tree).output.startswith("ecslint, version ")


def test_a_crashing_rule_is_contained(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ecslint.registry as registry
    from ecslint.rule import Severity, rule

    @rule(id="ECS499", name="always-crashes", severity=Severity.ERROR, summary="s", fix="f")
    def crash(task):
        """Crash."""
        raise ZeroDivisionError("boom")
        yield

    rules = registry.all_rules() + (crash,)
    monkeypatch.setattr(registry, "all_rules", lambda: rules)
    result = run(["check", "good.json", "bad.json"], tree)
    assert result.exit_code == 2
    assert ("good.json:1:1: error: internal error in rule ECS499 (always-crashes) on task 'web': "
            "ZeroDivisionError: boom") in result.output
    assert "bad.json:1:34: E002" in result.output


def test_github_format_cannot_be_injected_through_a_container_name(tree: Path) -> None:
    hostile = {"family": "web", "containerDefinitions": [
        {**CONTAINER, "name": "web\n::error file=x::forged"}]}
    (tree / "hostile.json").write_text(json.dumps(hostile))
    result = run(["check", "--format", "github", "hostile.json"], tree)
    lines = result.output.splitlines()
    assert len(lines) == 1 and lines[0].startswith("::error file=hostile.json,line=1,")
    (tree / "x\n::error file=y::forged.json").write_text(BAD)
    result = run(["check", "--format", "github", "x\n::error file=y::forged.json"], tree)
    lines = result.output.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("::error file=x%0A%3A%3Aerror file=y%3A%3Aforged.json,line=1,col=34,")


def test_cdk_out_is_scanned_and_its_templates_linted(tree: Path) -> None:
    cdk = tree / "cdk.out"
    cdk.mkdir()
    template = {"Resources": {"TaskDef1234": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
        "NetworkMode": "bridged", "ContainerDefinitions": [{"Name": "web", "Image": "nginx"}]}}}}
    (cdk / "App.template.json").write_text(json.dumps(template))
    (tree / "node_modules").mkdir()
    (tree / "node_modules" / "td.json").write_text(BAD)
    data = json.loads(run(["check", "--format", "json", "."], tree).output)
    assert {(f["location"]["file"], f["task"]) for f in data["findings"]} == {
        ("./cdk.out/App.template.json", "TaskDef1234"), ("./bad.json", "web")}
