"""``--jobs``: worker processes give the report of a serial run, byte for byte, and
contain a crashing rule exactly as one process does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import CORPUS, ROOT, install_plugin, run_cli

import ecslint.parallel as parallel
from ecslint import registry
from ecslint.cli.options import GC_THRESHOLD, fewer_collections
from ecslint.config.settings import Config
from ecslint.engine import LintOptions, lint_paths
from ecslint.report.formatters import to_string
from ecslint.report.model import Report

TASK = {"family": "web", "networkMode": "bridged",
        "containerDefinitions": [{"name": "web", "image": "nginx", "memory": 512}]}
# One task name twice in a YAML stream, findings on equal positions in two files,
# a file that does not parse, one that cannot be read, one without tasks.
STREAM = "family: web\nnetworkMode: bridged\ncontainerDefinitions: []\n---\n" * 2
PLUGIN = '''
import gc
import os

from ecslint.rule import Finding, Severity, rule


@rule(id="XYZ901", name="always-crashes", severity=Severity.ERROR, summary="s", fix_title="f",
      default=False)
def crash(task):
    """Crash."""
    raise ZeroDivisionError("boom")
    yield


@rule(id="XYZ902", name="kills-its-process", severity=Severity.ERROR, summary="s", fix_title="f",
      default=False)
def kill(task):
    """Exit the process, as a segfault or the OOM killer would."""
    os._exit(3)
    yield


@rule(id="XYZ903", name="reports-gc-threshold", severity=Severity.INFO, summary="s", fix_title="f",
      default=False)
def threshold(task):
    """Report how often the process linting the task collects garbage."""
    yield Finding.at_value(("family",), f"gc threshold {gc.get_threshold()[0]}")
'''


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("a", "b", "c"):
        (tmp_path / f"{name}.json").write_text(json.dumps(TASK))
    (tmp_path / "stream.yaml").write_text(STREAM)
    (tmp_path / "broken.json").write_text('{"containerDefinitions": [')
    (tmp_path / "not-a-task.yaml").write_text("image: x\n")
    (tmp_path / "dir.json").mkdir()
    return tmp_path


def options(root: Path, **settings: object) -> LintOptions:
    return LintOptions.from_config(Config(root=root).merged(**settings))


def rendered(report: Report) -> dict[str, str]:
    outputs = {name: to_string(name, report) for name in ("json", "sarif", "github", "gitlab", "junit")}
    outputs["text"] = to_string("text", report, verbose=True, statistics=True, show_fix=True)
    return outputs


@pytest.mark.parametrize("method", [None, "spawn"])
def test_parallel_report_is_the_serial_report(tree: Path, method: str | None,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", method)
    paths = [str(tree), str(tree / "dir.json"), str(tree / "missing.json"), str(ROOT / "examples")]
    if CORPUS.is_dir():
        paths.append(str(CORPUS))
    opts = options(tree, extend_select=["E003"])
    serial = lint_paths(paths, opts)
    assert serial.files > 10 and serial.errors and serial.tasks
    calls: list[tuple[int, int]] = []
    in_two = lint_paths(paths, opts, jobs=2, progress=lambda done, total: calls.append((done, total)))
    assert rendered(in_two) == rendered(serial)
    assert calls == [(done, serial.files) for done in range(serial.files + 1)]


def test_cli_output_is_identical_with_jobs(tree: Path) -> None:
    outputs = [
        run_cli(["check", "--isolated", "--format", "json", "-j", jobs,
                 ".", "-", "--stdin-filename", "in.json"], tree, json.dumps(TASK))
        for jobs in ("1", "2", "auto")
    ]
    assert [r.exit_code for r in outputs] == [2, 2, 2]
    assert outputs[0].output == outputs[1].output == outputs[2].output
    files = {f["location"]["file"] for f in json.loads(outputs[0].output)["findings"]}
    assert "in.json" in files and "./stream.yaml" in files


def test_parallel_needs_options_made_from_a_config(tree: Path) -> None:
    from helpers import options as bare_options

    with pytest.raises(ValueError, match="from_config"):
        lint_paths([str(tree)], bare_options(), jobs=2)


@pytest.fixture
def plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An installed plugin whose rules crash: a module plus a dist-info directory
    declaring it under the ``ecslint.rules`` entry-point group. Worker processes find it
    as any run does: by importing plugins (sys.path travels to spawned workers)."""
    monkeypatch.syspath_prepend(str(install_plugin(tmp_path / "site", "crashplugin", PLUGIN)))
    registry.all_rules.cache_clear()
    yield
    registry.all_rules.cache_clear()


@pytest.mark.parametrize("method", [None, "spawn"])
def test_a_rule_crashing_in_a_worker_is_contained(tree: Path, plugin: None, method: str | None,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", method)
    opts = options(tree, extend_select=["XYZ901"])
    serial = lint_paths([str(tree)], opts)
    in_two = lint_paths([str(tree)], opts, jobs=2)
    crashes = [e for e in in_two.errors if "internal error" in e.message]
    assert [(Path(e.file).name, e.line) for e in crashes] == [
        ("a.json", 1), ("b.json", 1), ("c.json", 1), ("stream.yaml", 1), ("stream.yaml", 5)]
    assert crashes[0].message == ("internal error in rule XYZ901 (always-crashes) on task 'web': "
                                  "ZeroDivisionError: boom")
    assert any(f.rule.id == "E002" for f in in_two.findings)
    assert rendered(in_two) == rendered(serial)


@pytest.mark.parametrize("method", [None, "spawn"])
def test_workers_collect_garbage_as_rarely_as_a_serial_run(
    tree: Path, plugin: None, method: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "START_METHOD", method)
    opts = options(tree, select=["XYZ903"])
    with fewer_collections():  # as the commands lint
        messages = {f.message for f in lint_paths([str(tree)], opts, jobs=2).findings}
        assert messages == {f"gc threshold {GC_THRESHOLD}"}
        assert {f.message for f in lint_paths([str(tree)], opts).findings} == messages


def test_a_rule_crash_is_raised_from_a_worker_in_tests(tree: Path, plugin: None) -> None:
    config = Config(root=tree).merged(extend_select=["XYZ901"])
    opts = LintOptions.from_config(config, raise_rule_errors=True)
    with pytest.raises(ZeroDivisionError, match="boom"):
        lint_paths([str(tree)], opts, jobs=2)


def test_a_worker_that_dies_is_an_error_not_a_hang(tree: Path, plugin: None) -> None:
    result = run_cli(["check", "--isolated", "--extend-select", "XYZ902", "-j", "2", "."], tree)
    assert result.exit_code == 2
    assert result.output.startswith("ecslint: error: a worker process ended unexpectedly")
