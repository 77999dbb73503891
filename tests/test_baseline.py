"""Baselines: ``--write-baseline`` records findings, ``--baseline`` hides them, matching
by file, task, rule and pointer (containers by name) and counting duplicates."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import run_cli

from ecslint.report import spool
from ecslint.suppress.baseline import Baseline, BaselineError, Entry

IMAGE = "mcr.microsoft.com/windows/servercore:ltsc2022"
LOGS = {"logDriver": "awslogs", "options": {"awslogs-group": "g", "awslogs-region": "eu-west-1"}}


def container(name: str | None, **extra: object) -> dict[str, object]:
    item: dict[str, object] = {"image": IMAGE, "memory": 1024, "cpu": 256,
                               "user": "ContainerUser", "logConfiguration": LOGS}
    if name is not None:
        item["name"] = name
    return {**item, **extra}


def task(*containers: dict[str, object], indent: int | None = None) -> str:
    data = {"family": "web",
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},
            "containerDefinitions": list(containers)}
    return json.dumps(data, indent=indent) + "\n"


# WIN110 (memoryReservation next to memory) and WIN120 (privileged) on container 'web'.
WEB = container("web", memoryReservation=512, privileged=True)
SELECT = ["--select", "WIN110,WIN120", "--isolated", "--format", "json"]


def run(args: list[str], cwd: Path):
    return run_cli(["check", *args], cwd)


def findings(result) -> list[tuple[str, str]]:
    return [(f["rule"]["id"], f["location"]["pointer"]) for f in json.loads(result.output)["findings"]]


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "tasks").mkdir()
    (tmp_path / "tasks" / "web.json").write_text(task(WEB))
    return tmp_path


def test_write_then_baseline_hides_everything(tree: Path) -> None:
    written = run([*SELECT, "--write-baseline", "baseline.json", "tasks"], tree)
    assert written.exit_code == 0, written.output
    assert written.stdout == ""
    assert "recorded 2 findings in baseline.json" in written.stderr
    assert findings(run([*SELECT, "tasks"], tree)) == [
        ("WIN110", "/containerDefinitions/0/memoryReservation"),
        ("WIN120", "/containerDefinitions/0/privileged"),
    ]
    result = run([*SELECT, "--baseline", "baseline.json", "tasks"], tree)
    assert result.exit_code == 0
    assert findings(result) == []


def test_file_format_is_versioned_sorted_relative_and_deterministic(tree: Path) -> None:
    (tree / "tasks" / "api.json").write_text(task(WEB))
    (tree / "out").mkdir()
    run([*SELECT, "--write-baseline", "out/b.json", "tasks"], tree)
    first = (tree / "out" / "b.json").read_bytes()
    data = json.loads(first)
    assert data["version"] == 1
    assert [(e["file"], e["rule"]) for e in data["findings"]] == [
        ("../tasks/api.json", "WIN110"), ("../tasks/api.json", "WIN120"),
        ("../tasks/web.json", "WIN110"), ("../tasks/web.json", "WIN120"),
    ]
    assert list(data["findings"][0]) == ["file", "task", "container", "pointer", "rule",
                                         "name", "message"]
    assert data["findings"][0]["container"] == "web"
    assert data["findings"][0]["name"] == "windows-memory-reservation"
    assert first.endswith(b"}\n") and b"\r" not in first
    # Run from elsewhere, naming the files another way: same file, byte for byte.
    run([*SELECT, "--write-baseline", str(tree / "out" / "b.json"),
         str(tree / "tasks" / "web.json"), str(tree / "tasks" / "api.json")], tree / "out")
    assert (tree / "out" / "b.json").read_bytes() == first
    assert findings(run([*SELECT, "--baseline", "b.json", "../tasks"], tree / "out")) == []


def test_a_baseline_written_through_a_spilling_spool_is_the_same(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("api", "db", "cache"):
        (tree / "tasks" / f"{name}.json").write_text(task(WEB))
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    expected = (tree / "b.json").read_bytes()
    data = json.loads(expected)
    assert len(data["findings"]) == 8
    assert expected.decode() == json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    monkeypatch.setattr(spool, "BLOCK", 1)
    (tree / "b.json").unlink()
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    assert (tree / "b.json").read_bytes() == expected


def test_reformatting_and_rewording_keep_findings_matched(tree: Path) -> None:
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    (tree / "tasks" / "web.json").write_text(task(WEB, indent=4))
    data = json.loads((tree / "b.json").read_text())
    for entry in data["findings"]:
        entry["message"], entry["name"] = "reworded", "renamed"
    (tree / "b.json").write_text(json.dumps(data))
    assert findings(run([*SELECT, "--baseline", "b.json", "tasks"], tree)) == []


def test_a_container_added_above_keeps_old_findings_and_reports_its_own(tree: Path) -> None:
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    (tree / "tasks" / "web.json").write_text(task(container("init", memoryReservation=256), WEB))
    assert findings(run([*SELECT, "--baseline", "b.json", "tasks"], tree)) == [
        ("WIN110", "/containerDefinitions/0/memoryReservation"),
    ]


def test_unnamed_containers_are_matched_by_position(tree: Path) -> None:
    unnamed = container(None, memoryReservation=512)
    (tree / "tasks" / "web.json").write_text(task(unnamed))
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    assert json.loads((tree / "b.json").read_text())["findings"][0]["container"] is None
    (tree / "tasks" / "web.json").write_text(task(container("new"), unnamed))
    assert findings(run([*SELECT, "--baseline", "b.json", "tasks"], tree)) == [
        ("WIN110", "/containerDefinitions/1/memoryReservation"),
    ]


def test_matching_counts_equal_entries(tree: Path) -> None:
    # Two containers named 'web' give two findings with one key (ECS403 reports the name).
    (tree / "tasks" / "web.json").write_text(task(WEB, WEB))
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    assert findings(run([*SELECT, "--baseline", "b.json", "tasks"], tree)) == []
    data = json.loads((tree / "b.json").read_text())
    assert [e["rule"] for e in data["findings"]] == ["WIN110", "WIN120", "WIN110", "WIN120"]
    del data["findings"][0]
    (tree / "b.json").write_text(json.dumps(data))
    assert [rule for rule, _ in findings(run([*SELECT, "--baseline", "b.json", "tasks"], tree))] == ["WIN110"]


def test_line_and_message_are_never_compared(tree: Path) -> None:
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    (tree / "tasks" / "web.json").write_text(task(container("web", memoryReservation=128, privileged=True)))
    assert findings(run([*SELECT, "--baseline", "b.json", "tasks"], tree)) == []


def test_cloudformation_containers_match_by_name(tmp_path: Path) -> None:
    def template(*names: str) -> str:
        containers = "".join(
            f"        - Name: {name}\n          Image: {IMAGE}\n          Memory: 1024\n"
            f"          MemoryReservation: 512\n" for name in names
        )
        return ("Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
                "      RuntimePlatform: {OperatingSystemFamily: WINDOWS_SERVER_2022_CORE}\n"
                f"      ContainerDefinitions:\n{containers}")

    (tmp_path / "stack.yaml").write_text(template("web"))
    args = ["--select", "WIN110", "--isolated", "--format", "json"]
    run([*args, "--write-baseline", "b.json", "stack.yaml"], tmp_path)
    entry = json.loads((tmp_path / "b.json").read_text())["findings"][0]
    assert (entry["task"], entry["container"], entry["pointer"]) == (
        "Task", "web", "/Resources/Task/Properties/ContainerDefinitions/0/MemoryReservation")
    (tmp_path / "stack.yaml").write_text(template("api", "web"))
    assert findings(run([*args, "--baseline", "b.json", "stack.yaml"], tmp_path)) == [
        ("WIN110", "/Resources/Task/Properties/ContainerDefinitions/0/MemoryReservation"),
    ]


def test_key_ignores_the_container_index_in_every_shape() -> None:
    def key(pointer: str, container: str | None = "web") -> tuple:
        return Entry("f.json", "t", container, pointer, "WIN110").key

    assert key("/containerDefinitions/3/memory") == key("/containerDefinitions/0/memory")
    assert key("/taskDefinition/containerDefinitions/2/x") == key("/taskDefinition/containerDefinitions/0/x")
    assert key("/4/portMappings/0") == key("/1/portMappings/0")
    assert key("/4/portMappings/0") != key("/4/portMappings/1")
    assert key("/containerDefinitions/3/memory", None) != key("/containerDefinitions/0/memory", None)
    assert key("/containerDefinitions/0/memory", "api") != key("/containerDefinitions/0/memory")


def test_parse_errors_are_never_recorded_and_the_run_exits_2(tree: Path) -> None:
    (tree / "tasks" / "broken.json").write_text('{"containerDefinitions": [')
    select = ["--select", "E001,WIN110,WIN120", *SELECT[2:]]
    result = run([*select, "--write-baseline", "b.json", "tasks"], tree)
    assert result.exit_code == 2
    assert "broken.json:1:27: E001 [error]" in result.stderr
    rules = [e["rule"] for e in json.loads((tree / "b.json").read_text())["findings"]]
    assert rules == ["WIN110", "WIN120"]
    again = run([*select, "--baseline", "b.json", "tasks"], tree)
    assert again.exit_code == 2
    assert [rule for rule, _ in findings(again)] == ["E001"]


@pytest.mark.parametrize("content, message", [
    (None, "b.json: baseline file not found"),
    ("{", "b.json:1:2: Expecting property name enclosed in double quotes"),
    ("[]", "b.json:1:1: not an ecslint baseline"),
    ('{"version": 2, "findings": []}', "b.json:1:13: unsupported baseline version 2"),
    ('{"version": {"b": [1], "a": null}, "findings": []}',
     'b.json:1:13: unsupported baseline version {"a": null, "b": [1]};'),
    ('{"version": 1, "findings": {}}', "b.json:1:28: \"findings\" must be a list"),
    ('{"version": 1, "findings": [\n {"file": "a.json", "pointer": "", "rule": 7}]}',
     "b.json:2:2: findings[0]: 'rule' must be a string"),
    ('{"version": 1, "version": 1, "findings": []}', "b.json:1:16: duplicate key"),
])
def test_missing_or_malformed_baseline_exits_2(tree: Path, content: str | None, message: str) -> None:
    if content is not None:
        (tree / "b.json").write_text(content)
    result = run([*SELECT, "--baseline", "b.json", "tasks"], tree)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"ecslint: error: {message}")


def test_baseline_and_write_baseline_exclude_each_other(tree: Path) -> None:
    result = run([*SELECT, "--baseline", "a.json", "--write-baseline", "b.json", "tasks"], tree)
    assert result.exit_code == 2
    assert "cannot be used together" in result.stderr


def test_unused_entries_are_e004_only_for_files_linted_or_gone(tree: Path) -> None:
    (tree / "tasks" / "api.json").write_text(task(WEB))
    (tree / "tasks" / "old.json").write_text(task(WEB))
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    (tree / "tasks" / "web.json").write_text(task(container("web", privileged=True)))
    (tree / "tasks" / "api.json").write_text(task(container("web")))
    (tree / "tasks" / "old.json").unlink()
    flag = "--report-unused-suppressions"
    # Only web.json is linted: api.json is not judged, old.json no longer exists.
    result = run([*SELECT, flag, "--format", "text", "--baseline", "b.json", "tasks/web.json"],
                 tree)
    entries = json.loads((tree / "b.json").read_text())["findings"]
    lines = [line for line in result.output.splitlines() if "E004" in line]
    where = {(e["file"], e["rule"]): i for i, e in enumerate(entries)}
    assert len(lines) == 3, result.output
    assert lines[0].startswith("b.json:") and "unused baseline entry: 'tasks/old.json' does not exist" in lines[0]
    assert "nothing reports WIN110 at /containerDefinitions/0/memoryReservation in 'tasks/web.json'" in lines[2]
    assert where[("tasks/web.json", "WIN110")] > where[("tasks/old.json", "WIN120")]
    everything = run([*SELECT, flag, "--baseline", "b.json", "tasks"], tree)
    pointers = sorted(f["location"]["pointer"] for f in json.loads(everything.output)["findings"]
                      if f["rule"]["id"] == "E004")
    assert pointers == sorted(f"/findings/{i}" for i in (0, 1, 2, 3, 4))
    assert run([*SELECT, "--baseline", "b.json", "tasks"], tree).exit_code == 0


def test_unused_entries_never_tell_whether_a_file_outside_the_baseline_folder_exists(
        tmp_path: Path) -> None:
    """A pull request controls the baseline: entries naming ``../x``, an absolute path or
    a symlink out of the folder must not turn ``--report-unused-suppressions`` into an
    oracle for the runner's files. Only files inside the baseline's folder are looked at."""
    tree = tmp_path / "repo"
    (tree / "tasks").mkdir(parents=True)
    (tree / "tasks" / "web.json").write_text(task(WEB))
    outside = tmp_path / "secret"
    (tree / "link.json").symlink_to(outside)
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    document = json.loads((tree / "b.json").read_text())
    probes = ["../secret", str(outside), "link.json", "tasks/gone.json"]
    for entry, name in zip(document["findings"] * 2, probes, strict=False):
        document["findings"].append({**entry, "file": name})
    (tree / "b.json").write_text(json.dumps(document, indent=2))
    args = [*SELECT, "--report-unused-suppressions", "--format", "text", "--baseline",
            "b.json", "tasks/web.json"]
    absent = run(args, tree).output
    outside.write_text("{}")
    present = run(args, tree).output
    assert present == absent
    assert "'tasks/gone.json' does not exist" in absent
    assert "secret" not in absent and "link.json" not in absent


def test_write_baseline_replaces_a_planted_symlink_instead_of_writing_through_it(
        tmp_path: Path) -> None:
    tree = tmp_path / "repo"
    (tree / "tasks").mkdir(parents=True)
    (tree / "tasks" / "web.json").write_text(task(WEB))
    outside = tmp_path / "outside.txt"
    outside.write_text("keep me\n")
    (tree / "b.json").symlink_to(outside)
    result = run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    assert result.exit_code == 0, result.output
    assert outside.read_text() == "keep me\n"
    assert not (tree / "b.json").is_symlink()
    assert len(json.loads((tree / "b.json").read_text())["findings"]) == 2


def test_unused_entries_need_their_rule_to_have_run(tree: Path) -> None:
    run([*SELECT, "--write-baseline", "b.json", "tasks"], tree)
    (tree / "tasks" / "web.json").write_text(task(container("web")))
    result = run(["--select", "WIN120,E004", "--isolated", "--format", "json",
                  "--baseline", "b.json", "tasks"], tree)
    assert [f["message"] for f in json.loads(result.output)["findings"]] == [
        "unused baseline entry: nothing reports WIN120 at /containerDefinitions/0/privileged "
        "in 'tasks/web.json'"
    ]


def test_load_reports_entry_positions(tmp_path: Path) -> None:
    path = tmp_path / "b.json"
    path.write_text('{"version": 1, "findings": [\n  {"file": "a.json", "task": null,'
                    ' "pointer": "", "rule": "E002"}\n]}\n')
    baseline = Baseline.load(path)
    assert [(e.file, e.task, e.container, e.line, e.column) for e in baseline.entries] == [
        ("a.json", None, None, 2, 3)]
    with pytest.raises(BaselineError):
        Baseline.load(tmp_path / "missing.json")


def test_findings_about_configuration_ignores_can_be_baselined(tree: Path) -> None:
    (tree / ".ecslint.yaml").write_text(
        "ignores:\n  - {path: tasks/web.json, pointer: /family, rules: [WIN110], reason: r}\n")
    args = ["--select", "WIN110,E004", "--format", "json"]
    assert [r for r, _ in findings(run([*args, "tasks"], tree))] == ["E004", "WIN110"]
    run([*args, "--write-baseline", "b.json", "tasks"], tree)
    assert findings(run([*args, "--baseline", "b.json", "tasks"], tree)) == []


def _many_findings(count: int, directory: Path) -> list:
    from ecslint.registry import all_rules
    from ecslint.report.model import Location, ReportedFinding
    from ecslint.rule import Severity

    rule = next(r for r in all_rules() if r.id == "WIN110")
    message = ("container 'web' sets memoryReservation without a hard memory limit; on "
               "Windows the reservation is not enforced")
    return [ReportedFinding(rule, Severity.WARNING, message, Location(
        str(directory / f"services/svc{i // 10}/task.json"), 1, 1, None, None,
        f"/containerDefinitions/{i % 10}/memoryReservation"), f"svc{i // 10}", None, "web")
        for i in range(count)]


def test_a_baseline_over_5_mib_that_write_wrote_is_read_back(tmp_path: Path) -> None:
    from ecslint.suppress.baseline import write

    path = tmp_path / "baseline.json"
    assert write(path, _many_findings(16_000, tmp_path)) == 16_000
    assert path.stat().st_size > 5 * 1024 * 1024
    assert len(Baseline.load(path).entries) == 16_000


def test_write_refuses_a_baseline_read_would_refuse_and_keeps_the_old_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from ecslint.suppress import baseline

    monkeypatch.setattr(baseline, "MAX_BASELINE_BYTES", 100_000)
    path = tmp_path / "baseline.json"
    path.write_text("old\n")
    with pytest.raises(BaselineError) as error:
        baseline.write(path, _many_findings(1_000, tmp_path))
    assert str(error.value) == (
        f"cannot write {path}: a baseline of 1,000 findings is larger than the 0.1 MB "
        "a baseline can be (about 250 findings); fix some findings, or leave some "
        "out with --ignore or per-file-ignores, before recording the rest")
    assert path.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["baseline.json"]
    assert baseline.write(path, _many_findings(200, tmp_path)) == 200
    path.write_bytes(path.read_bytes() + b" " * 100_000)
    with pytest.raises(BaselineError, match=r"larger than the 0.1 MB limit for a baseline \(about 250 findings\)"):
        baseline.Baseline.load(path)
