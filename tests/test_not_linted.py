"""Nothing read is reported clean: files without a task, unreadable files, templates found."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import run_cli

from ecslint.load.readers import walked
from ecslint.load.sources import Source, discover

CONTAINER = {"name": "web", "image": "nginx:1.27", "memory": 512, "user": "1000",
             "readonlyRootFilesystem": True,
             "logConfiguration": {"logDriver": "awslogs", "options": {
                 "awslogs-group": "web", "awslogs-region": "eu-west-1"}}}
GOOD = json.dumps({"family": "web", "containerDefinitions": [CONTAINER]}) + "\n"
TEMPLATE = """{
  "family": "web",
  "memory": ${memory},
  "containerDefinitions": [
    {"name": "web", "image": "nginx:1.27", "memory": $MEMORY, "user": "1000",
     "readonlyRootFilesystem": {{ read_only }}, "privileged": true,
     "logConfiguration": $LOG_CONFIGURATION}
  ]
}
"""


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def run(args: list[str], cwd: Path, stdin: str | None = None):
    return run_cli(["check", "--isolated", *args], cwd, stdin)


def test_the_summary_never_calls_a_file_without_a_task_clean(tmp_path: Path) -> None:
    (tmp_path / "package.json").write_text('{"name": "x"}')
    (tmp_path / "web.json").write_text(GOOD)
    (tmp_path / "k8s.yaml").write_text("kind: Deployment\nimage: nginx\n")
    result = run(["package.json"], tmp_path)
    assert result.exit_code == 0
    assert result.stdout == "No task definition linted in 1 file (1 without a task definition).\n"
    result = run(["."], tmp_path)
    assert result.stdout == "No problems found in 1 of 3 files (2 without a task definition).\n"
    report = json.loads(run(["--format", "json", "."], tmp_path).stdout)
    assert report["summary"]["filesWithoutTaskDefinition"] == 2


def test_the_summary_counts_unreadable_files_apart(tmp_path: Path) -> None:
    (tmp_path / "web.json").write_text(GOOD)
    (tmp_path / "bin.json").write_bytes(b'{"containerDefinitions": \xff\xfe\x00}')
    result = run(["web.json", "bin.json"], tmp_path)
    assert result.exit_code == 2
    assert result.stdout.splitlines()[-2:] == [
        "No problems found in 1 of 2 files (1 not read).", "1 file could not be linted."]


def test_templates_are_found_by_a_directory_scan(tmp_path: Path) -> None:
    for name in ("a.json.tpl", "b.tftpl", "c.json.template", "d.tpl", "e.tf", "f.json"):
        (tmp_path / name).write_text("{}")
    found = sorted(
        (type(item).__name__, os.path.basename(item.path)) for item in discover([str(tmp_path)], walked)
    )
    assert found == [("Source", "a.json.tpl"), ("Source", "b.tftpl"),
                     ("Source", "c.json.template"), ("Source", "d.tpl"), ("Source", "e.tf"),
                     ("Source", "f.json")]
    assert all(isinstance(item, Source) for item in discover([str(tmp_path)], walked))


def test_a_template_with_unquoted_placeholders_is_linted_the_same_named_or_found(
        tmp_path: Path) -> None:
    # Before: E001 when named (it names containerDefinitions), and .tpl files were never found.
    (tmp_path / "task.json.tpl").write_text(TEMPLATE)
    named = run(["--format", "json", "task.json.tpl"], tmp_path)
    found = run(["--format", "json", "."], tmp_path)
    findings = [(f["rule"]["id"], f["location"]["line"], f["location"]["pointer"])
                for f in json.loads(named.stdout)["findings"]]
    assert findings == [(f["rule"]["id"], f["location"]["line"], f["location"]["pointer"])
                        for f in json.loads(found.stdout)["findings"]]
    assert ("SEC501", 6, "/containerDefinitions/0/privileged") in findings
    assert not [f for f in findings if f[0] in ("E001", "E002")], findings
    placeholders = {"/memory", "/containerDefinitions/0/memory",
                    "/containerDefinitions/0/readonlyRootFilesystem",
                    "/containerDefinitions/0/logConfiguration"}
    assert not {f[2] for f in findings} & placeholders, findings
    assert named.exit_code == 1, named.output


BROKEN = '{"family": "web", "containerDefinitions": [\n'


@pytest.mark.parametrize("args", [[], ["--select", "WIN110"], ["--ignore", "E001"],
                                  ["--ignore", "parse-error", "--fail-on", "never"]])
def test_a_file_that_does_not_parse_exits_2_whatever_the_selection(
        tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "task.json").write_text(BROKEN)
    result = run([*args, "task.json"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "task.json:2:1:" in result.stdout
    assert "Expecting value" in result.stdout
    assert "No problems found" not in result.stdout


def test_an_ignore_comment_on_a_parse_error_does_not_make_the_run_pass(tmp_path: Path) -> None:
    (tmp_path / "task.yaml").write_text(
        "family: web\ncontainerDefinitions:\n  - name: a\n"
        "# ecslint: ignore[parse-error]\n    bad: : [\n")
    result = run(["task.yaml"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "task.yaml:5:10: error: mapping values are not allowed in this context" in result.stdout
    assert "E001" not in result.stdout
    assert "1 file could not be linted." in result.stdout


def _big_lock_file(path: Path) -> None:
    """A package-lock.json over the 5 MiB limit (sparse: no disk used)."""
    with path.open("wb") as handle:
        handle.write(b'{"lockfileVersion": 3, "packages": {}}')
        handle.truncate(5 * 1024 * 1024 + 1)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_directory_scan_skips_a_file_over_the_size_limit(tmp_path: Path, jobs: str) -> None:
    _big_lock_file(tmp_path / "package-lock.json")
    (tmp_path / "task.json").write_text(GOOD)
    result = run(["--jobs", jobs, "."], tmp_path)
    assert result.exit_code == 0, result.output
    assert "error" not in result.stdout
    assert "1 file skipped (larger than the 5 MiB limit for a file to lint)." in result.stdout
    verbose = run(["--jobs", jobs, "--verbose", "."], tmp_path)
    assert ("package-lock.json: skipped: larger than the 5 MiB limit for a file to lint\n"
            in verbose.stdout)


def test_a_named_file_over_the_size_limit_is_still_an_error(tmp_path: Path) -> None:
    _big_lock_file(tmp_path / "package-lock.json")
    result = run(["package-lock.json"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "package-lock.json: error: file is larger than the 5 MiB limit" in result.stdout
