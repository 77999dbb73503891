"""Output injection, end to end: hostile task values and file names go through the real
engine and the real command, and no output format lets them act (issue 6, SECURITY.md).

``test_formatter_properties.py`` holds each formatter to its contract over synthetic
reports; here the text comes from linted files, as an attacker would supply it: a
container name, an image, a family, a log option, and the names of the files in a scanned
repository (any byte but ``/`` and NUL on POSIX, undecodable UTF-8 included).

- text: no control character reaches the terminal but the line ends (ESC, C1 CSI, CR,
  bidi overrides, U+2028 are shown as escapes), and each finding is one line, so a value
  can neither clear the screen nor forge a line;
- github: the Actions runner splits at CR and LF only and reads a command only at a line
  start; every line is one of ours, and the file property reads back as the real name
  (so annotations land on the right file);
- json and sarif: valid documents (SARIF against the official schema) for any input;
- gitlab and junit: valid against tests/schemas (GitLab's Code Quality table, Jenkins'
  JUnit XSD), with no raw control character and no line a workflow command, and every
  hostile file named.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from ci_schemas import gitlab_errors, junit_errors
from helpers import ECSLINT, options
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sarif_schema import sarif_validator

from ecslint.engine import lint_bytes
from ecslint.report.formatters import to_string
from ecslint.report.model import Report

ALL = options(["ALL"], raise_rule_errors=True)
SARIF = sarif_validator()
BIDI = set("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
HOSTILE = "w\x1b[2J\x1b[H\n::error file=x::forged\r::warning::cr\x9b31m\u202e\u2028%0A\x07\x7f"
FILE_NAMES = [
    b"evil\n::error file=x::forged.json", b"clear\x1b[2J\x1b[H.json", "csi\x9b2J.json".encode(),
    "bidi\u202eNOSJ.json".encode(), b"cr\rforged.json", b"pct%0A::warning::x.json",
    b"colon:comma,=.json", "sep\u2028\u0085x.json".encode(), b"bad-utf8-\xff\xfe.json",
    b"-starts-like-an-option.json",
]


def hostile_task(value: str) -> dict[str, Any]:
    """A task whose every string is ``value`` and that many rules report on."""
    return {
        "family": value, "networkMode": value, "cpu": value, "memory": value,
        "requiresCompatibilities": ["FARGATE", value],
        "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
        "containerDefinitions": [{
            "name": value, "image": "mcr.microsoft.com/windows/servercore:" + value,
            "user": value, "memory": 512, "memoryReservation": 1024, "links": [value],
            "dependsOn": [{"containerName": value, "condition": value}],
            "environment": [{"name": "AWS_SECRET_ACCESS_KEY", "value": value}],
            "logConfiguration": {"logDriver": value, "options": {value: value}},
            "portMappings": [{"containerPort": 80, "protocol": value}],
            "healthCheck": {"command": [value], "interval": 1}, value: 1}],
        "volumes": [{"name": value, "host": {"sourcePath": value}}],
        "placementConstraints": [{"type": "memberOf", "expression": value}],
    }


def raw_controls(output: str, allowed: str = "\n") -> set[str]:
    return {c for c in output if c not in allowed
            and (unicodedata.category(c) in ("Cc", "Cs") or c in BIDI)}


def runner_lines(output: str) -> list[str]:
    """Lines as the Actions runner reads them (.NET ReadLine: CR, LF or CRLF)."""
    return re.split(r"\r\n|\r|\n", output)[:-1] if output else []


def unescape_property(text: str) -> str:
    return (text.replace("%3A", ":").replace("%2C", ",").replace("%0D", "\r")
            .replace("%0A", "\n").replace("%25", "%"))


def assert_github_commands(output: str, count: int) -> list[dict[str, str]]:
    lines = runner_lines(output)
    assert len(lines) == count
    commands = []
    for line in lines:
        match = re.fullmatch(r"::(error|warning|notice) ([^:]*)::(.*)", line, re.DOTALL)
        assert match, line
        commands.append(dict(item.split("=", 1) for item in match.group(2).split(",")))
    return commands


# -- a hostile repository, through the command --------------------------------------------


@pytest.fixture(scope="module")
def repository(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if os.name != "posix":
        pytest.skip("file names with control characters need POSIX")
    root = tmp_path_factory.mktemp("hostile-repository")
    task = json.dumps(hostile_task(HOSTILE)).encode()
    for name in FILE_NAMES:
        with open(os.path.join(os.fsencode(root), name), "wb") as handle:
            handle.write(task)
    return root


def check(root: Path, output_format: str, *extra: str) -> str:
    result = subprocess.run([*ECSLINT, "check", "--isolated", "--format", output_format, *extra,
                             "."], cwd=root, capture_output=True, timeout=120)
    assert result.returncode == 1, result.stderr
    return result.stdout.decode("utf-8")


@pytest.fixture(scope="module")
def outputs(repository: Path) -> dict[str, str]:
    return {
        "text": check(repository, "text", "--verbose", "--show-fix"),
        "statistics": check(repository, "text", "--verbose", "--statistics"),
        "github": check(repository, "github"),
        "json": check(repository, "json"),
        "sarif": check(repository, "sarif"),
        "gitlab": check(repository, "gitlab"),
        "junit": check(repository, "junit"),
    }


def test_the_hostile_files_are_all_linted(outputs: dict[str, str]) -> None:
    document = json.loads(outputs["json"])
    names = {os.fsencode(f["location"]["file"]) for f in document["findings"]}
    assert names == {b"./" + name for name in FILE_NAMES}
    assert document["summary"]["findings"] > 10 * len(FILE_NAMES)


def test_text_output_has_no_control_characters_and_one_line_per_finding(
        outputs: dict[str, str]) -> None:
    text = outputs["text"]
    assert not raw_controls(text)
    assert not raw_controls(outputs["statistics"])
    document = json.loads(outputs["json"])
    findings = len(document["findings"]) + len(document["errors"])
    finding_lines = [line for line in text.splitlines() if re.match(r"\./.*:\d+:\d+: ", line)]
    assert len(finding_lines) == findings
    assert "./clear\\x1b[2J\\x1b[H.json:" in text
    assert "./evil\\n::error file=x::forged.json:" in text
    assert "./bidi\\u202eNOSJ.json:" in text


def test_github_output_cannot_be_forged(outputs: dict[str, str]) -> None:
    document = json.loads(outputs["json"])
    commands = assert_github_commands(
        outputs["github"], len(document["findings"]) + len(document["errors"]))
    files = {unescape_property(c["file"]) for c in commands}
    # Annotations land on the real file: every name reads back exactly, but the one that
    # is not UTF-8 (GitHub cannot name it; it is shown with backslash escapes).
    expected = {"./" + os.fsdecode(name).encode("utf-8", "backslashreplace").decode()
                for name in FILE_NAMES}
    assert files == expected


def test_json_and_sarif_stay_valid(outputs: dict[str, str]) -> None:
    assert not raw_controls(outputs["json"]) and not raw_controls(outputs["sarif"])
    json.loads(outputs["json"])
    log = json.loads(outputs["sarif"])
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in SARIF.iter_errors(log)]
    assert not errors


def test_gitlab_and_junit_stay_valid_and_name_every_file(outputs: dict[str, str]) -> None:
    document = json.loads(outputs["json"])
    issues = json.loads(outputs["gitlab"])
    assert not raw_controls(outputs["gitlab"]) and not gitlab_errors(issues)
    assert len(issues) == len(document["findings"]) + len(document["errors"])
    # Paths are relative to the repository (no ./), and read back as the real names (a
    # byte that is not UTF-8 as a backslash escape: no lone surrogate in the JSON).
    expected = {name.decode("utf-8", "backslashreplace") for name in FILE_NAMES}
    assert {issue["location"]["path"] for issue in issues} == expected
    junit = outputs["junit"]
    assert not raw_controls(junit) and not junit_errors(junit)
    assert junit.count("<testcase ") == len(FILE_NAMES)
    assert "name=\"./evil\\n::error file=x::forged.json\"" in junit
    assert not [line for line in runner_lines(junit) if v1_or_v2_command(line)]


# -- any string, through the engine -------------------------------------------------------

TRICKY = list("\n\r\t\x00\x07\x1b\x7f\x85\x9b\u2028\u2029\u202e\u2066%:,=/\\'\"{}$[] ")
TEXTS = st.one_of(
    st.text(st.sampled_from(TRICKY), max_size=12),
    st.text(st.characters(codec="utf-8"), max_size=16),
    st.text(st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=16),
    st.sampled_from(["::error::x", "\n::warning file=a::b", "%0A::error::x", "\x1b[2J",
                     "##[stop-commands]x", " \u3000::add-mask::x",
                     "\x1b]8;;http://x\x07link\x1b]8;;\x07", "\x9b2J"]),
)


@settings(deadline=None, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(value=TEXTS, file_name=TEXTS)
def test_any_value_and_file_name_stay_inert_in_every_format(value: str, file_name: str) -> None:
    display = file_name + ".json"
    result = lint_bytes(json.dumps(hostile_task(value)).encode(), display, True, ALL)
    report = Report(result.findings, result.errors,
                    list(ALL.enabled), result.tasks, 1)
    count = len(report.findings) + len(report.errors)
    assert count
    text = to_string("text", report, verbose=True, show_fix=True)
    assert not raw_controls(text)
    assert len([line for line in text.splitlines() if line.startswith(get_shown(display))]) \
        >= count
    commands = assert_github_commands(to_string("github", report), count)
    assert {unescape_property(c["file"]) for c in commands} == {display}
    json_output, sarif_output = to_string("json", report), to_string("sarif", report)
    json.loads(json_output)
    log = json.loads(sarif_output)
    assert not [e.message for e in SARIF.iter_errors(log)]
    gitlab_output, junit_output = to_string("gitlab", report), to_string("junit", report)
    assert not gitlab_errors(json.loads(gitlab_output)) and not junit_errors(junit_output)
    assert not raw_controls(gitlab_output) and not raw_controls(junit_output)
    assert not [line for output in (text, json_output, sarif_output, gitlab_output, junit_output)
                for line in runner_lines(output) if v1_or_v2_command(line)]


def get_shown(display: str) -> str:
    from ecslint.report.formatters._common import inert, visible

    return inert(visible(display) + ":")


# -- workflow commands in every format (issue 12, item 11) --------------------------------

# actions/runner ``ActionCommand``: TryParseV2 reads ``::`` at the start of a line once
# leading white space is trimmed (.NET's white space: U+3000, U+00A0, U+2000... too),
# TryParse ``##[`` anywhere in it. A container or a file may be named either way.
FORGED_NAMES = ["##[stop-commands]token", "x ##[add-mask]secret", "::warning file=README.md,"
                "line=1::x", "  ::error::x", "\u3000::error::x", "\u00a0\u2003::add-mask::x"]


def forged_report(name: str) -> Report:
    task = hostile_task(name)
    result = lint_bytes(json.dumps(task).encode(), name + ".json", True, ALL)
    return Report(result.findings, result.errors, list(ALL.enabled), result.tasks, 1)


def v1_or_v2_command(line: str) -> bool:
    return "##[" in line or line.lstrip().startswith("::")


@pytest.mark.parametrize("name", FORGED_NAMES)
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "gitlab", "junit"])
def test_no_line_of_text_json_sarif_gitlab_or_junit_is_a_workflow_command(
        output_format: str, name: str) -> None:
    report = forged_report(name)
    output = to_string(output_format, report, verbose=True, show_fix=True) \
        if output_format == "text" else to_string(output_format, report)
    assert [line for line in runner_lines(output) if v1_or_v2_command(line)] == []
    if output_format == "json":  # the same strings, escaped as JSON allows
        assert json.loads(output)["findings"][0]["location"]["file"] == name + ".json"


def test_text_shows_forged_commands_escaped() -> None:
    text = to_string("text", forged_report("::warning file=README.md,line=1::x"))
    assert text.startswith("\\x3a:warning file=README.md,line=1::x.json:")
    text = to_string("text", forged_report("##[stop-commands]t"))
    assert text.startswith("##\\x5bstop-commands]t.json:")
    document = json.loads(to_string("json", forged_report("##[stop-commands]t")))
    assert document["findings"][0]["location"]["file"] == "##[stop-commands]t.json"


@pytest.mark.parametrize("name", FORGED_NAMES)
def test_github_lines_are_only_our_v2_commands(name: str) -> None:
    # The runner tries TryParseV2 first and TryParse only when it fails, so a line that
    # is one of our ::error/::warning/::notice commands is never read for ``##[``.
    report = forged_report(name)
    commands = assert_github_commands(to_string("github", report),
                                      len(report.findings) + len(report.errors))
    assert {unescape_property(c["file"]) for c in commands} == {name + ".json"}
