"""``--resolve-images``: the run asks the registries about the images of its Windows
(and possibly Windows) tasks once, lints with the answers, and says what it could not
learn; a default run never asks. ``ecslint.distribution.resolve`` is replaced here by
a recorder (the client itself is tested against real registries in
tests/test_distribution_*.py)."""

from __future__ import annotations

import json
import socket
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from helpers import run_cli

from ecslint.distribution.resolution import Platform, Resolved, ResolveSettings, Unresolved

WINDOWS_2022 = {"os": "windows", "architecture": "amd64", "os_version": "10.0.20348.2582"}
WINDOWS_2019 = {"os": "windows", "architecture": "amd64", "os_version": "10.0.17763.6054"}
PRIVATE = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/billing:1.4.2"
LIST = "mcr.microsoft.com/dotnet/framework/aspnet:4.8"
GONE = "contoso.azurecr.io/gone:1"
LINUX_ONLY_TASK = "public.ecr.aws/docker/library/nginx:1.27"


def task(family: str, family_os: str | None, *images: str) -> str:
    data: dict[str, Any] = {"family": family, "containerDefinitions": [
        {"name": f"c{index}", "image": image, "cpu": 512, "memory": 1024, "essential": True}
        for index, image in enumerate(images)]}
    if family_os:
        data["runtimePlatform"] = {"operatingSystemFamily": family_os}
    return json.dumps(data, indent=2)


class Recorder:
    """Stands for ``ecslint.distribution.resolve``: answers from a table, records
    each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[str], ResolveSettings]] = []
        self.answers = {
            PRIVATE: Resolved(PRIVATE, (Platform(**WINDOWS_2019),), False, "sha256:1111",
                              "ECR BatchGetImage image config"),
            LIST: Resolved(LIST, (Platform(**WINDOWS_2019), Platform(**WINDOWS_2022)), True,
                           "sha256:2222", "registry manifest list"),
            GONE: Unresolved(GONE, "401 Unauthorized from contoso.azurecr.io"),
        }

    def resolve(self, references: Any, settings: ResolveSettings) -> dict[str, Any]:
        references = list(references)
        self.calls.append((references, settings))
        return {reference: self.answers[reference] for reference in references}


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> Recorder:
    recorder = Recorder()
    module = types.ModuleType("ecslint.distribution.resolve")
    module.resolve = recorder.resolve  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "ecslint.distribution.resolve", module)
    return recorder


@pytest.fixture
def estate(tmp_path: Path) -> Path:
    (tmp_path / "billing.json").write_text(task(
        "billing", "WINDOWS_SERVER_2022_CORE", PRIVATE, LIST, GONE))
    (tmp_path / "web.json").write_text(task("web", "LINUX", LINUX_ONLY_TASK))
    return tmp_path


def test_a_default_run_opens_no_socket(estate: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("a default run opened a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.delitem(sys.modules, "ecslint.distribution.resolve", raising=False)
    result = run_cli(["check", "--isolated", "--select", "WIN2", "."], estate)
    assert result.exit_code == 1, result.output  # WIN205 from the tag alone
    assert "ecslint.distribution.resolve" not in sys.modules


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_the_windows_tasks_images_are_asked_about_once_and_judged(
        estate: Path, registry: Recorder, jobs: str) -> None:
    result = run_cli(["check", "--isolated", "--select", "WIN201,WIN205", "--resolve-images",
                      "--jobs", jobs, "."], estate)
    [(asked, settings)] = registry.calls
    assert asked == sorted([GONE, PRIVATE, LIST])
    assert LINUX_ONLY_TASK not in asked  # a Linux task's images are never asked about
    assert not settings.offline
    lines = result.stdout.splitlines()
    assert [line.split(": ", 1) for line in lines if line.startswith("./")] == [
        ["./billing.json:6:16", "WIN201 [error] container 'c0' uses a Windows Server 2019 (build "
         "17763) image (ECR BatchGetImage image config: windows 10.0.17763.6054) but the task "
         "runs on Windows Server 2022 (build 20348) hosts (runtimePlatform.operatingSystemFamily"
         " WINDOWS_SERVER_2022_CORE); Windows does not start a process-isolated container of "
         "another build (windows-image-host-mismatch)"],
        ["./billing.json:13:16", "WIN205 [warning] container 'c1' image "
         "'mcr.microsoft.com/dotnet/framework/aspnet:4.8' is a multi-platform tag offering "
         "Windows builds 17763, 20348 (registry manifest list): each host pulls the variant of "
         "its build, so a task runs reproducibly only when pinned by digest "
         "(mcr.microsoft.com/dotnet/framework/aspnet@sha256:2222) (windows-image-unpinned)"]]
    assert lines[-1] == ("Note: image contoso.azurecr.io/gone:1: not resolved: 401 "
                         "Unauthorized from contoso.azurecr.io")


def test_json_shows_the_digest_and_the_notices(estate: Path, registry: Recorder) -> None:
    result = run_cli(["check", "--isolated", "--select", "WIN201", "--resolve-images",
                      "--format", "json", "."], estate)
    report = json.loads(result.stdout)
    [billing] = [t for t in report["tasks"] if t["task"] == "billing"]
    assert billing["windows"]["images"][0] == {
        "container": "c0", "image": PRIVATE, "release": "2019", "build": 17763,
        "signal": "ECR BatchGetImage image config: windows 10.0.17763.6054",
        "digest": "sha256:1111"}
    assert report["notices"] == [
        "image contoso.azurecr.io/gone:1: not resolved: 401 Unauthorized from contoso.azurecr.io"]


def test_sarif_and_github_carry_the_notices(estate: Path, registry: Recorder) -> None:
    sarif = json.loads(run_cli(["check", "--isolated", "--select", "WIN201", "--resolve-images",
                                "--format", "sarif", "."], estate).stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notes == [{"level": "note", "message": {"text": (
        "image contoso.azurecr.io/gone:1: not resolved: 401 Unauthorized from "
        "contoso.azurecr.io")}}]
    github = run_cli(["check", "--isolated", "--select", "WIN201", "--resolve-images",
                      "--format", "github", "."], estate).stdout
    assert github.splitlines()[-1] == (
        "::notice title=ecslint::image contoso.azurecr.io/gone:1: not resolved: 401 "
        "Unauthorized from contoso.azurecr.io")


def test_the_configuration_turns_it_on_and_the_command_line_off(
        estate: Path, registry: Recorder) -> None:
    (estate / ".ecslint.yaml").write_text("resolve-images: true\nimage-tag-ttl: 600\n")
    run_cli(["check", "--select", "WIN201", "."], estate)
    [(_, settings)] = registry.calls
    assert settings.tag_ttl == 600
    run_cli(["check", "--select", "WIN201", "--no-resolve-images", "."], estate)
    assert len(registry.calls) == 1


def test_offline_uses_the_cache_in_the_user_cache_directory(
        estate: Path, registry: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(estate / "cache"))
    monkeypatch.setenv("DOCKER_CONFIG", str(estate / "docker"))
    run_cli(["check", "--isolated", "--select", "WIN201", "--offline", "."], estate)
    [(_, settings)] = registry.calls
    assert settings.offline
    assert settings.cache_dir == str(estate / "cache" / "ecslint")
    assert settings.docker_config == str(estate / "docker" / "config.json")


def test_a_run_without_windows_tasks_asks_nothing(tmp_path: Path, registry: Recorder) -> None:
    (tmp_path / "web.json").write_text(task("web", "LINUX", LINUX_ONLY_TASK))
    result = run_cli(["check", "--isolated", "--resolve-images", "."], tmp_path)
    assert result.exit_code == 0, result.output
    assert registry.calls == []


def test_the_registry_decides_the_os_of_a_task_that_gives_none(
        tmp_path: Path, registry: Recorder) -> None:
    registry.answers["contoso.azurecr.io/agent:3"] = Resolved(
        "contoso.azurecr.io/agent:3", (Platform("linux", "amd64"),), False, "sha256:3333",
        "registry image config")
    (tmp_path / "billing.json").write_text(task("billing", None, PRIVATE))
    (tmp_path / "agent.json").write_text(task("agent", None, "contoso.azurecr.io/agent:3"))
    result = run_cli(["check", "--isolated", "--resolve-images", "--format", "json", "."],
                     tmp_path)
    tasks = {t["task"]: (t["os"], t["osSignal"]) for t in json.loads(result.stdout)["tasks"]}
    assert tasks == {
        "billing": ("windows", f"Windows image {PRIVATE} (registry)"),
        "agent": ("linux", "image contoso.azurecr.io/agent:3 has no Windows variant (registry)")}
    alone = run_cli(["check", "--isolated", "--format", "json", "."], tmp_path)
    assert {t["os"] for t in json.loads(alone.stdout)["tasks"]} == {"unknown"}
