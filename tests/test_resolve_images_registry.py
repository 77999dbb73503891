"""``ecslint check --resolve-images`` end to end, against the real CNCF distribution
registry (``docker-registry``, see ``distribution_servers``) holding images shaped as
Microsoft publishes its public ones: ``windows/servercore:ltsc2019`` and
``windows/nanoserver:ltsc2022`` are manifest lists of one Windows entry each, and
``dotnet/framework/aspnet:4.8`` a list of the 2019, 2022 and 2025 builds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from distribution_servers import RunningRegistry, image, push_list, run_registry
from helpers import run_cli

LTSC2019, LTSC2022, LTSC2025 = "10.0.17763.6054", "10.0.20348.2582", "10.0.26100.1297"


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningRegistry]:
    tmp = tmp_path_factory.mktemp("microsoft")
    with run_registry(tmp, tmp / "storage") as running:
        push_list(running.host, "windows/servercore", "ltsc2019",
                  [image("windows", LTSC2019)], oci=False)
        push_list(running.host, "windows/nanoserver", "ltsc2022",
                  [image("windows", LTSC2022)], oci=False)
        push_list(running.host, "dotnet/framework/aspnet", "4.8",
                  [image("windows", version) for version in (LTSC2019, LTSC2022, LTSC2025)],
                  oci=False)
        yield running


def lint(registry: RunningRegistry, tmp_path: Path, family: str, *args: str
         ) -> tuple[list[str], dict]:
    host = registry.host
    (tmp_path / "task.json").write_text(json.dumps({
        "family": "web", "runtimePlatform": {"operatingSystemFamily": family},
        "containerDefinitions": [
            {"name": name, "image": f"{host}/{repository}", "cpu": 512, "memory": 1024,
             "essential": True}
            for name, repository in (("core", "windows/servercore:ltsc2019"),
                                     ("nano", "windows/nanoserver:ltsc2022"),
                                     ("app", "dotnet/framework/aspnet:4.8"))]}, indent=2))
    base = ["check", "--isolated", "--select", "WIN201,WIN205", "--resolve-images", *args]
    text = run_cli([*base, "task.json"], tmp_path).stdout
    report = json.loads(run_cli([*base, "--format", "json", "task.json"], tmp_path).stdout)
    return [line.replace(host, "REGISTRY") for line in text.splitlines()], report


def test_the_three_public_shapes_on_2022_hosts(registry: RunningRegistry, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lines, report = lint(registry, tmp_path, "WINDOWS_SERVER_2022_CORE")
    assert [line.split(" [", 1)[0] for line in lines[:-1]] == [
        "task.json:9:16: WIN201", "task.json:23:16: WIN205"]
    assert "uses a Windows Server 2019 (build 17763) image (registry manifest list: windows " \
           f"{LTSC2019})" in lines[0]
    assert "offering Windows builds 17763, 20348, 26100 (registry manifest list)" in lines[1]
    assert "REGISTRY/dotnet/framework/aspnet@sha256:" in lines[1]
    images = report["tasks"][0]["windows"]["images"]
    assert [(i["container"], i["release"], i["build"]) for i in images] == [
        ("core", "2019", 17763), ("nano", "2022", 20348), ("app", None, None)]
    assert all(i["digest"].startswith("sha256:") for i in images)


def test_on_2019_hosts_the_list_gives_its_2019_image(registry: RunningRegistry, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    lines, _ = lint(registry, tmp_path, "WINDOWS_SERVER_2019_CORE")
    assert [line.split(" [", 1)[0] for line in lines[:-1]] == [
        "task.json:16:16: WIN201", "task.json:23:16: WIN205"]
    assert "uses a Windows Server 2022 (build 20348) image" in lines[0]


def test_a_warm_cache_asks_nothing_and_offline_gives_the_same(
        registry: RunningRegistry, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    first, _ = lint(registry, tmp_path, "WINDOWS_SERVER_2022_CORE")
    before = len(registry.requests())
    again, _ = lint(registry, tmp_path, "WINDOWS_SERVER_2022_CORE")
    offline, _ = lint(registry, tmp_path, "WINDOWS_SERVER_2022_CORE", "--offline")
    assert len(registry.requests()) == before
    assert first == again == offline
