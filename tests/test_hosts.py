"""Where the Windows version of the hosts comes from, and which source wins: the
command line over the configuration file over a template's own container instances."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import run_cli as run

from ecslint.config.settings import Config

TASK_2019 = {
    "family": "web",
    "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_FULL"},
    "containerDefinitions": [{
        "name": "web", "cpu": 1024, "memory": 2048,
        "image": "mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019"}],
}


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    (tmp_path / "web.json").write_text(json.dumps(TASK_2019))
    return tmp_path


def findings(result) -> list[dict]:
    return json.loads(result.output)["findings"]


def test_windows_host_on_the_command_line_reports_a_2019_task(tree: Path) -> None:
    clean = run(["check", "--select", "WIN201,WIN210", "web.json"], tree)
    assert clean.exit_code == 0, clean.output
    result = run(["check", "--select", "WIN201,WIN210", "--windows-host", "2022",
                  "--format", "json", "web.json"], tree)
    assert result.exit_code == 1
    got = {f["rule"]["id"] if isinstance(f["rule"], dict) else f["rule"]: f["message"]
           for f in findings(result)}
    assert set(got) == {"WIN201", "WIN210"}
    assert all("--windows-host on the command line" in m for m in got.values())


def test_the_command_line_wins_over_the_configuration(tree: Path) -> None:
    (tree / ".ecslint.yaml").write_text('host:\n  windows-version: "2019"\n')
    from_config = run(["check", "--select", "WIN210", "web.json"], tree)
    assert from_config.exit_code == 0, from_config.output
    result = run(["check", "--select", "WIN210", "--windows-host", "2022", "web.json"], tree)
    assert result.exit_code == 1
    assert "--windows-host on the command line" in result.output


def test_win172_names_the_source_of_the_host(tree: Path) -> None:
    task = dict(TASK_2019, runtimePlatform={})
    del task["runtimePlatform"]
    (tree / "web.json").write_text(json.dumps(task))
    (tree / ".ecslint.yaml").write_text('host:\n  windows-version: "2019"\n')
    result = run(["check", "--select", "WIN172", "--windows-host", "2016", "web.json"], tree)
    assert "Windows Server 2016 (--windows-host on the command line)" in result.output
    (tree / ".ecslint.yaml").write_text('host:\n  windows-version: "2016"\n')
    result = run(["check", "--select", "WIN172", "web.json"], tree)
    assert "Windows Server 2016 (host: windows-version in .ecslint.yaml)" in result.output


def test_verbose_and_json_show_the_source_of_the_host(tree: Path) -> None:
    task = dict(TASK_2019)
    del task["runtimePlatform"]
    (tree / "web.json").write_text(json.dumps(task))
    result = run(["check", "--windows-host", "2022", "--format", "json", "web.json"], tree)
    (summary,) = json.loads(result.output)["tasks"]
    assert summary["windows"]["host"] == {
        "release": "2022", "build": 20348,
        "signal": "2022 from --windows-host on the command line"}
    verbose = run(["check", "--windows-host", "2022", "--verbose", "web.json"], tree)
    assert "decided by 2022 from --windows-host on the command line" in verbose.output


def test_verbose_and_json_show_configured_hosts_a_task_does_not_name(tree: Path) -> None:
    """A task that names its own family still shows the hosts it is checked against."""
    result = run(["check", "--windows-host", "2022", "--format", "json", "web.json"], tree)
    (summary,) = json.loads(result.output)["tasks"]
    assert summary["windows"]["host"] == {
        "release": "2019", "build": 17763,
        "signal": "runtimePlatform.operatingSystemFamily WINDOWS_SERVER_2019_FULL; the configured "
                  "hosts run Windows Server 2022 (build 20348) (2022 from --windows-host on the "
                  "command line)"}
    verbose = run(["check", "--windows-host", "2019", "--verbose", "web.json"], tree)
    assert "configured hosts" not in verbose.output


def test_merged_records_where_the_windows_version_came_from(tmp_path: Path) -> None:
    configured = Config(root=tmp_path, source=tmp_path / ".ecslint.yaml",
                        windows_version="2019", windows_version_source="configuration file")
    assert configured.host_knowledge().windows_source == "host: windows-version in .ecslint.yaml"
    overridden = configured.merged(windows_version="2022")
    host = overridden.host_knowledge()
    assert (host.windows_release, host.windows_source) == (
        "2022", "--windows-host on the command line")
    assert configured.merged(windows_version=None).host_knowledge().windows_release == "2019"
