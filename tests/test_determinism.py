"""Determinism and isolation (issue 6): the same input gives the same output, byte for byte,
across processes (each with its own hash seed), across ``--jobs`` values and across the
order the files are given in; a rule that raises is contained and changes nothing else.

``test_parallel.py`` compares one serial and one parallel run of one tree, and
``test_lint_properties.py`` the CLI twice in one process; here the hash seed, the file
order and the crash's neighbours vary.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import CORPUS, ROOT

from ecslint.cli.options import exit_code
from ecslint.config.selection import Selection
from ecslint.config.settings import Config
from ecslint.engine import LintOptions, lint_paths
from ecslint.registry import all_rules
from ecslint.report import spool
from ecslint.report.formatters import to_string
from ecslint.report.model import Report
from ecslint.rule import Finding, Severity, TaskView, rule

WINDOWS = {"family": "win", "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
           "containerDefinitions": [{"name": "web", "image": "mcr.microsoft.com/windows/"
                                     "servercore/iis:windowsservercore-ltsc2019",
                                     "memory": 512, "memoryReservation": 1024}]}
LINUX = {"family": "api", "networkMode": "bridged", "cpu": "1 vCPU",
         "containerDefinitions": [{"name": "api", "image": "nginx", "memroy": 1,
                                   "environment": [{"name": "AWS_SECRET_ACCESS_KEY",
                                                    "value": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEX"}]}]}
STREAM = "family: web\nnetworkMode: bridged\ncontainerDefinitions: []\n---\n" * 3
TEMPLATE = {"Resources": {"B": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
    "ContainerDefinitions": [{"Name": "b", "Image": "nginx", "Memory": 64,
                              "MemoryReservation": 128}]}},
    "A": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"NetworkMode": "nat"}}}}


@pytest.fixture(scope="module")
def tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Files whose findings tie on file, line and column, several tasks per file, tasks
    sharing a name, files that cannot be read or parsed, and one without a task."""
    root = tmp_path_factory.mktemp("determinism")
    for number in range(12):
        data = WINDOWS if number % 2 else LINUX
        (root / f"task-{number:02d}.json").write_text(json.dumps(data))
    (root / "compact.json").write_text(json.dumps([LINUX["containerDefinitions"][0]] * 3))
    (root / "stream.yaml").write_text(STREAM)
    (root / "template.yaml").write_text(json.dumps(TEMPLATE))
    (root / "broken.json").write_text('{"containerDefinitions": [')
    (root / "binary.json").write_bytes(b'{"containerDefinitions": "\x00"}')
    (root / "no-task.yaml").write_text("image: x\n")
    (root / "sub").mkdir()
    (root / "sub" / "task.yaml").write_text("# ecslint: ignore[ECS406]\n" + json.dumps(WINDOWS))
    return root


def rendered(report: Report) -> dict[str, str]:
    outputs = {name: to_string(name, report) for name in ("json", "sarif", "github", "gitlab", "junit")}
    outputs["text"] = to_string("text", report, verbose=True, statistics=True, show_fix=True)
    return outputs


def files(root: Path) -> list[str]:
    return sorted(str(path) for path in root.rglob("*") if path.is_file())


def config_options(root: Path) -> LintOptions:
    return LintOptions.from_config(Config(root=root).merged(select=["ALL"]))


_SCRIPT = """
import json, sys
from pathlib import Path
from ecslint.report import spool
from ecslint.config.settings import Config
from ecslint.engine import LintOptions, lint_paths
from ecslint.report.formatters import to_string
root = Path(sys.argv[1])
options = LintOptions.from_config(Config(root=root).merged(select=["ALL"]))
report = lint_paths(sys.argv[2:], options)
outputs = {name: to_string(name, report) for name in ("json", "sarif", "github", "gitlab", "junit")}
outputs["text"] = to_string("text", report, verbose=True, statistics=True, show_fix=True)
sys.stdout.write(json.dumps(outputs))
"""


def test_every_process_gives_the_same_bytes_whatever_its_hash_seed(tree: Path) -> None:
    paths = [str(tree), str(ROOT / "examples")] + ([str(CORPUS)] if CORPUS.is_dir() else [])
    runs = []
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run([sys.executable, "-c", _SCRIPT, str(tree), *paths], env=env,
                                cwd=tree, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        runs.append(json.loads(result.stdout))
    assert runs[0] == runs[1] == runs[2]
    assert json.loads(runs[0]["json"])["summary"]["findings"] > 50


def orders(paths: list[str]) -> Iterator[list[str]]:
    yield paths
    yield paths[::-1]
    shuffled = paths[:]
    random.Random(6).shuffle(shuffled)
    yield shuffled


def test_the_same_report_whatever_the_file_order_and_the_jobs(tree: Path) -> None:
    options = config_options(tree)
    paths = files(tree)
    expected = rendered(lint_paths(paths, options))
    assert json.loads(expected["json"])["errors"]  # broken.json and binary.json
    for jobs in (1, 2):
        for order in orders(paths):
            assert rendered(lint_paths(order, options, jobs=jobs)) == expected, (jobs, order)


def test_the_same_report_when_the_report_spills_to_disk(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With blocks of two items every spool spills and, given files out of name order
    and twice, keeps runs aside; the output must not change."""
    options = config_options(tree)
    paths = files(tree) + [str(ROOT / "examples")] + ([str(CORPUS)] if CORPUS.is_dir() else [])
    twice = paths[::-1] + paths[:3]
    expected = rendered(lint_paths(paths, options))
    expected_twice = rendered(lint_paths(twice, options))
    monkeypatch.setattr(spool, "BLOCK", 2)
    report = lint_paths(paths, options)
    assert report.findings._file is not None and report.tasks._file is not None
    assert rendered(report) == expected
    report = lint_paths(twice, options)
    assert len(report.findings._runs) > 1
    assert rendered(report) == expected_twice
    assert rendered(lint_paths(twice, options, jobs=2)) == expected_twice


def test_the_same_report_for_a_directory_and_its_files(tree: Path) -> None:
    options = config_options(tree)
    walked = json.loads(to_string("json", lint_paths([str(tree)], options)))
    named = json.loads(to_string("json", lint_paths(files(tree), options)))
    # Named files are linted whatever they hold (E003 for one without a task); the
    # findings the two runs share are the same, in the same order.
    shared = [f for f in named["findings"] if f["rule"]["id"] != "E003"]
    assert walked["findings"] == shared


# -- a rule that raises --------------------------------------------------------------------


@rule(id="XYZ990", name="crashes-on-windows", severity=Severity.ERROR, summary="s", fix_title="f")
def crashes_on_windows(task: TaskView) -> Iterator[Finding]:
    """Reports a key no other rule reports, then crashes on Windows tasks half-way through.
    (A finding on a whole task or container would hide E002's missing keys there: bug B6,
    ``test_differential.py``.)"""
    yield Finding.at_key(("xyz990",), "seen")
    if task.platform.is_windows:
        raise RecursionError("maximum recursion depth exceeded")


def test_a_rule_that_raises_changes_nothing_but_its_own_findings(tree: Path) -> None:
    builtin = all_rules()
    rules: list[Any] = [*builtin, crashes_on_windows]
    crashing = LintOptions(rules=rules, selection=Selection(rules, ["ALL"]))
    plain = LintOptions(rules=builtin, selection=Selection(builtin, ["ALL"]))
    paths = files(tree)
    report = lint_paths(paths, crashing)
    baseline = lint_paths(paths, plain)
    crashes = [e for e in report.errors if "XYZ990" in e.message]
    assert len(crashes) == 7  # the Windows tasks: 6 files, and sub/task.yaml
    assert crashes[0].message == ("internal error in rule XYZ990 (crashes-on-windows) on task "
                                  "'win': RecursionError: maximum recursion depth exceeded")
    # At the start of the crashing task (the YAML file starts with a comment).
    assert {(Path(e.file).name, e.line, e.column) for e in crashes} == {
        *((f"task-{n:02d}.json", 1, 1) for n in range(1, 12, 2)), ("task.yaml", 2, 1)}
    # Its findings on the other tasks stay, none survive from a task it crashed on, and
    # every other rule's findings and errors are those of a run without it.
    own = {f.task for f in report.findings if f.rule.id == "XYZ990"}
    assert own and "win" not in own
    assert [f for f in report.findings if f.rule.id != "XYZ990"] == list(baseline.findings)
    assert [e for e in report.errors if e not in crashes] == list(baseline.errors)
    assert exit_code(report, "never") == 2
