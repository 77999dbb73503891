"""Snapshot tests of every output format over one hand-built report, plus SARIF checks.

Goldens live in ``tests/golden/formatters``; ``ECSLINT_UPDATE_GOLDEN=1 pytest
tests/test_formatters.py`` rewrites them, and the diff is reviewed like code.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sarif_schema import sarif_validator

from ecslint.report.formatters import FORMATTERS, get, to_string
from ecslint.report.model import InputProblem, Location, Report, ReportedFinding, TaskSummary
from ecslint.rule import Severity, engine_rule

GOLDEN = Path(__file__).parent / "golden" / "formatters"
BASE = Path("/srv/repo")

WIN110 = engine_rule(
    id="WIN110",
    name="windows-memory-reservation",
    severity=Severity.ERROR,
    summary="A Windows container sets memoryReservation next to memory",
    fix_title="remove memoryReservation and keep memory",
    doc="""
    ## What it does
    Flags a Windows container that sets both `memoryReservation`
    and `memory`.

    ## Why is this bad?
    Docker on Windows rejects the soft limit, so the container never starts.
    """,
)
ECS403 = engine_rule(
    id="ECS403",
    name="duplicate-container-name",
    severity=Severity.ERROR,
    summary="Two containers share a name",
    fix_title="give every container a unique name",
    doc="Containers are referenced by name, so names must be unique.",
)
WIN174 = engine_rule(
    id="WIN174",
    name="windows-placement-unpinned",
    severity=Severity.INFO,
    summary="A Windows task on EC2 is not pinned to Windows hosts",
    fix_title="",
    doc="",
)


def loc(file: str, line: int, column: int, end: tuple[int, int] | None, pointer: str) -> Location:
    return Location(file, line, column, end[0] if end else None, end[1] if end else None, pointer)


def parts() -> dict[str, Any]:
    """The report's parts, in an order other than the report's, to change before
    ``Report(**parts)``."""
    web = "tasks/web.json"
    return dict(
        findings=[
            ReportedFinding(WIN110, Severity.ERROR,
                            "container 'web' sets memoryReservation next to memory",
                            loc(web, 12, 9, (12, 28), "/containerDefinitions/0/memoryReservation"),
                            task="web"),
            ReportedFinding(ECS403, Severity.ERROR, "two containers are named 'web'",
                            loc(web, 20, 17, (20, 22), "/containerDefinitions/1/name"), task="web",
                            related=(loc(web, 8, 17, (8, 22), "/containerDefinitions/0/name"),)),
            ReportedFinding(WIN174, Severity.INFO, "task 'api' may be placed on Linux hosts",
                            loc("tasks/api.yaml", 1, 1, None, ""), task="api"),
            ReportedFinding(WIN174, Severity.WARNING, "task 'odd' may be placed on Linux hosts",
                            loc("my tasks/odd:name,100%.json", 2, 3, (9, 2), ""), task="odd"),
        ],
        errors=[InputProblem("broken.json", "expected ',' or '}' after an object member", 4, 2)],
        rules=[WIN110, WIN174, ECS403],
        tasks=[
            TaskSummary("tasks/api.yaml", "api", "cloudformation", "windows", None,
                        "the image tag mcr.microsoft.com/windows/servercore:ltsc2022",
                        ("EC2",), "default (no requiresCompatibilities)"),
            TaskSummary("tasks/web.json", "web", "register", "windows",
                        "WINDOWS_SERVER_2022_CORE", "runtimePlatform.operatingSystemFamily",
                        ("EC2", "EXTERNAL"), "requiresCompatibilities"),
        ],
        files=5,
    )


def make_report() -> Report:
    return Report(**parts())


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("ECSLINT_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs; rerun with ECSLINT_UPDATE_GOLDEN=1 and review"


def test_text_golden() -> None:
    assert_golden("text.txt", to_string("text", make_report()))


def test_text_golden_with_every_option() -> None:
    # --statistics replaces the findings: test_text_statistics_replace_the_findings.
    output = to_string("text", make_report(), show_fix=True, verbose=True)
    assert_golden("text-all.txt", output)


def test_text_color_paints_only_id_and_severity() -> None:
    output = to_string("text", make_report(), color=True)
    first = output.splitlines()[0]
    assert "\x1b[1mECS403\x1b[0m [\x1b[1;31merror\x1b[0m]" in output
    assert "\x1b[1;36minfo\x1b[0m" in output and "\x1b[1;33mwarning\x1b[0m" in output
    assert re.sub(r"\x1b\[[0-9;]*m", "", output) == to_string("text", make_report())
    assert first.startswith("broken.json:4:2: \x1b[1;31merror\x1b[0m: ")


def test_text_quiet_prints_findings_and_errors_only() -> None:
    output = to_string("text", make_report(), quiet=True, verbose=True, show_fix=False)
    assert output.splitlines() == to_string("text", make_report()).splitlines()[:5]


def test_text_statistics_replace_the_findings() -> None:
    """As ruff's --statistics: counts per rule, most frequent first, and no finding
    lines; input errors are still listed."""
    lines = to_string("text", make_report(), statistics=True, show_fix=True).splitlines()
    assert lines[:4] == [
        "broken.json:4:2: error: expected ',' or '}' after an object member",
        "2  WIN174  windows-placement-unpinned",
        "1  ECS403  duplicate-container-name",
        "1  WIN110  windows-memory-reservation",
    ]
    assert lines[4].startswith("Found 4 problems")
    quiet = to_string("text", make_report(), statistics=True, quiet=True).splitlines()
    assert quiet == lines[:4]


def test_summaries_count_what_the_baseline_and_suppressions_hid() -> None:
    report = make_report()
    report.hidden_by_baseline, report.hidden_by_suppressions = 3, 2
    text = to_string("text", report).splitlines()
    assert text[-2:] == ["3 findings hidden by the baseline, 2 by suppressions.",
                         "1 file could not be linted."]
    summary = json.loads(to_string("json", report))["summary"]
    assert (summary["hiddenByBaseline"], summary["hiddenBySuppressions"]) == (3, 2)
    assert summary["byRule"] == {"ECS403": 1, "WIN110": 1, "WIN174": 2}
    clean = Report(files=1)
    clean.hidden_by_suppressions = 1
    assert to_string("text", clean) == (
        "No problems found in 1 file.\n1 finding hidden by suppressions.\n")


def test_text_summary_without_problems() -> None:
    assert to_string("text", Report(files=1)) == "No problems found in 1 file.\n"


def test_text_neutralises_hostile_container_name() -> None:
    changed = parts()
    hostile = "container 'a\x1b[2J\nb.json:1:1: WIN110 [error] forged\u202e\x9b' is bad"
    changed["findings"][0] = dataclasses.replace(changed["findings"][0], message=hostile)
    report = Report(**changed)
    output = to_string("text", report)
    lines = output.splitlines()
    assert len(lines) == len(report.findings) + len(report.errors) + 2
    assert "\x1b" not in output and "\u202e" not in output and "\x9b" not in output
    assert "a\\x1b[2J\\nb.json:1:1: WIN110 [error] forged\\u202e\\x9b" in output
    assert not any(line.startswith("b.json") for line in lines)


def test_every_terminal_control_is_escaped_in_text_json_and_sarif() -> None:
    controls = ("\x00\x07\t\n\x0b\x0c\r\x1b\x7f\x85\x9b\u061c\u200e\u200f\u2028\u2029"
                "\u202a\u202e\u2066\u2069\ud800\udcff")
    changed = parts()
    findings, errors, tasks = changed["findings"], changed["errors"], changed["tasks"]
    findings[0] = dataclasses.replace(findings[0], message=f"m{controls}", task=controls)
    errors[0] = dataclasses.replace(errors[0], file=f"f{controls}")
    tasks[0] = dataclasses.replace(tasks[0], os_signal=controls)
    report = Report(**changed)
    text = to_string("text", report, verbose=True)
    assert "m\\x00\\x07\\t\\n\\x0b\\x0c\\r\\x1b\\x7f\\x85\\x9b\\u061c" in text
    outputs = [text, to_string("json", report), to_string("sarif", report, base=BASE)]
    for output in outputs:
        assert not (set(controls) - {"\n"}) & set(output)
        output.encode("utf-8")
    assert len(text.splitlines()) == len(report.tasks) + 5 + 2


def test_json_golden() -> None:
    output = to_string("json", make_report())
    assert_golden("report.json", output)
    document = json.loads(output)
    assert [f["rule"]["severity"] for f in document["findings"]] == [
        "warning", "info", "error", "error"]


def test_json_escapes_terminal_controls_json_leaves_raw() -> None:
    changed = parts()
    changed["findings"] = [
        dataclasses.replace(f, message="a\x9b\u202e\ud800") for f in changed["findings"]
    ]
    output = to_string("json", Report(**changed))
    assert "\x9b" not in output and "\u202e" not in output
    output.encode("utf-8")
    assert json.loads(output)["findings"][0]["message"] == "a\x9b\u202e\ud800"


def test_sarif_golden_validates() -> None:
    output = to_string("sarif", make_report(), base=BASE)
    assert_golden("report.sarif", output)
    sarif_validator().validate(json.loads(output))


def test_schema_check_rejects_malformed_uris() -> None:
    log = json.loads(to_string("sarif", make_report(), base=BASE))
    physical = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    for bad in ("my tasks/a.json", "tasks/\u00fc.json", "100%.json", "a|b"):
        physical["artifactLocation"]["uri"] = bad
        assert not sarif_validator().is_valid(log), bad


def test_sarif_uris() -> None:
    changed = parts()
    changed["findings"].append(dataclasses.replace(
        changed["findings"][0], location=loc("/elsewhere/ü x.json", 1, 1, None, "/a")))
    run = json.loads(to_string("sarif", Report(**changed), base=BASE))["runs"][0]
    uris = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert uris == [
        {"uri": "file:///elsewhere/%C3%BC%20x.json"},
        {"uri": "my%20tasks/odd%3Aname%2C100%25.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "tasks/api.yaml", "uriBaseId": "%SRCROOT%"},
        {"uri": "tasks/web.json", "uriBaseId": "%SRCROOT%"},
        {"uri": "tasks/web.json", "uriBaseId": "%SRCROOT%"},
    ]
    assert run["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///srv/repo/"}}


def test_sarif_rule_index_points_at_the_rule() -> None:
    run = json.loads(to_string("sarif", make_report(), base=BASE))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["WIN110", "WIN174", "ECS403"]
    assert [r["ruleIndex"] for r in run["results"]] == [1, 1, 0, 2]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_rule_missing_from_report_rules_is_added() -> None:
    changed = parts()
    changed["rules"] = [WIN110]
    run = json.loads(to_string("sarif", Report(**changed), base=BASE))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in rules] == ["WIN110", "WIN174", "ECS403"]
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_fingerprint_ignores_line_moves() -> None:
    def fingerprints(report: Report) -> list[str]:
        run = json.loads(to_string("sarif", report, base=BASE))["runs"][0]
        return [r["partialFingerprints"]["ecslint/v2"] for r in run["results"]]

    before = make_report()
    moved = parts()
    moved["findings"] = [
        dataclasses.replace(f, location=dataclasses.replace(f.location, line=f.location.line + 7,
                                                            column=f.location.column + 2))
        for f in moved["findings"]
    ]
    assert fingerprints(Report(**moved)) == fingerprints(before)
    assert len(set(fingerprints(before))) == len(before.findings)
    repointed = parts()
    last = sorted(repointed["findings"], key=ReportedFinding.sort_key)[3]
    repointed["findings"][repointed["findings"].index(last)] = dataclasses.replace(
        last, location=dataclasses.replace(last.location, pointer="/family"))
    changed = [a != b for a, b in
               zip(fingerprints(before), fingerprints(Report(**repointed)), strict=True)]
    assert changed == [False, False, False, True]


def test_sarif_fingerprint_is_the_baseline_identity() -> None:
    """A finding a baseline keeps matching keeps its code-scanning alert: the
    fingerprint hashes the identity baselines match on, so a new message or a
    container moved to another position changes neither."""
    from ecslint.report.identity import fingerprint, identity

    def first(finding: ReportedFinding) -> str:
        run = json.loads(to_string("sarif", Report(findings=[finding], rules=[WIN110]),
                                   base=BASE))["runs"][0]
        return run["results"][0]["partialFingerprints"]["ecslint/v2"]

    finding = dataclasses.replace(parts()["findings"][0], container="web")
    expected = fingerprint(identity("tasks/web.json", "web", "web",
                                    "/containerDefinitions/0/memoryReservation", "WIN110"))
    assert first(finding) == expected
    reworded = dataclasses.replace(finding, message="reworded")
    moved = dataclasses.replace(finding, location=dataclasses.replace(
        finding.location, pointer="/containerDefinitions/3/memoryReservation"))
    assert first(reworded) == first(moved) == expected
    renamed = dataclasses.replace(finding, container="api")
    assert first(renamed) != expected


def test_sarif_input_error_fails_the_invocation() -> None:
    run = json.loads(to_string("sarif", make_report(), base=BASE))["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    clean = json.loads(to_string("sarif", Report(files=1), base=BASE))["runs"][0]
    assert clean["invocations"] == [{"executionSuccessful": True, "toolExecutionNotifications": []}]


def test_github_golden() -> None:
    assert_golden("github.txt", to_string("github", make_report()))


def test_registry_imports_formatters_lazily() -> None:
    code = (
        "import sys, ecslint.report.formatters as f\n"
        "loaded = lambda: sorted(m for m in sys.modules if m.startswith('ecslint.report.formatters.'))\n"
        "print(loaded())\n"
        "f.get('github')\n"
        "print(loaded())\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.splitlines() == ["[]", "['ecslint.report.formatters.github']"]


def test_registry_names() -> None:
    assert list(FORMATTERS) == ["text", "json", "sarif", "github", "gitlab", "junit"]
    assert all(callable(FORMATTERS[name]) for name in FORMATTERS)
    with pytest.raises(KeyError):
        get("xml")
