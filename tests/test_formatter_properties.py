"""Properties of every output format over arbitrary reports.

Messages, file names, task names and signals are arbitrary text (controls, line
separators, bidi overrides, ``%:,=``, lone surrogates where the format allows them), as a
hostile task definition could make them.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ci_schemas import gitlab_errors, junit_errors
from hypothesis import given, settings
from hypothesis import strategies as st
from sarif_schema import sarif_validator

from ecslint.report.formatters import _common, to_string
from ecslint.report.formatters._common import Items, stream_json, write_pieces
from ecslint.report.formatters.gitlab import readable
from ecslint.report.model import InputProblem, Location, Report, ReportedFinding, TaskSummary
from ecslint.rule import Severity, engine_rule

PROPERTIES = settings(deadline=None, max_examples=200)
TRICKY = list("\n\r%:,=\t\x00\x1b\x7f\x85\x9b\u2028\u2029\u202e\u2066/\\. ")


def texts(tricky: list[str], chars: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Arbitrary text in which the tricky characters are common, not one in a thousand."""
    return st.one_of(
        st.text(st.sampled_from(tricky), max_size=12),
        st.text(chars, max_size=20),
        st.text(st.sampled_from(tricky) | chars, max_size=20),
    )


SAFE_TEXT = texts(TRICKY, st.characters())
ANY_TEXT = texts([*TRICKY, "\ud800", "\udcff"], st.characters(exclude_categories=()))
NUMBERS = st.integers(min_value=0, max_value=10**7)
FILES_EXTRA = ["", ".", "../up.json", "a/../../b.json", "a:b.json", "//srv/x", "C:\\t\\x.json"]


BIDI_AND_SEPARATORS = set("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e"
                          "\u2066\u2067\u2068\u2069")


def assert_no_raw_controls(output: str, *, allowed: str) -> None:
    bad = {
        char for char in output
        if char not in allowed
        and (unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_AND_SEPARATORS)
    }
    assert not bad, sorted(bad)


VALIDATOR = sarif_validator()


@st.composite
def reports(draw: st.DrawFn, text: st.SearchStrategy[str] = ANY_TEXT) -> Report:
    def file() -> str:
        return draw(st.one_of(text, text.map(lambda s: "/" + s), st.sampled_from(FILES_EXTRA)))

    def location() -> Location:
        end = draw(st.none() | st.tuples(NUMBERS, NUMBERS))
        pointer = draw(st.just("") | text.map(lambda s: "/" + s))
        return Location(file(), draw(NUMBERS), draw(NUMBERS), end and end[0], end and end[1],
                        pointer)

    pool = [
        engine_rule(id=rule_id, name=name, severity=draw(st.sampled_from(Severity)),
                    summary=draw(text), fix_title=draw(text), doc=draw(text))
        for rule_id, name in draw(st.lists(
            st.sampled_from([("WIN110", "windows-memory-reservation"), ("SEC501", "sec-rule"),
                             ("ACME901", "plugin-rule"), ("E001", "parse-error")]),
            min_size=1, unique=True))
    ]
    findings = [
        ReportedFinding(draw(st.sampled_from(pool)), draw(st.sampled_from(Severity)), draw(text),
                        location(), draw(st.none() | text),
                        tuple(location() for _ in range(draw(st.integers(0, 2)))))
        for _ in range(draw(st.integers(0, 4)))
    ]
    errors = [
        InputProblem(file(), draw(text), draw(st.none() | NUMBERS), draw(st.none() | NUMBERS))
        for _ in range(draw(st.integers(0, 3)))
    ]
    tasks = [
        TaskSummary(file(), draw(text), draw(text), draw(text), draw(st.none() | text),
                    draw(text), tuple(draw(st.lists(text, max_size=2))), draw(text))
        for _ in range(draw(st.integers(0, 2)))
    ]
    rules = draw(st.lists(st.sampled_from(pool), unique_by=lambda r: r.id))
    report = Report(findings, errors, rules, tasks, draw(st.integers(0, 100)))
    return report


def decoded(text: str) -> str:
    """What a JSON reader makes of ``text``: an adjacent high and low surrogate form a pair."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def runner_lines(output: str) -> list[str]:
    """Split as the Actions runner does (CR, LF or CRLF); the output ends with a newline."""
    assert output == "" or output.endswith("\n")
    return re.split(r"\r\n|\r|\n", output)[:-1] if output else []


def unescape(text: str, *, property: bool) -> str:
    if property:
        text = text.replace("%3A", ":").replace("%2C", ",")
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    match = re.fullmatch(r"::(error|warning|notice)(?: ([^:]*))?::(.*)", line, re.DOTALL)
    assert match, line
    properties = {}
    for item in (match.group(2) or "").split(","):
        if item:
            key, value = item.split("=", 1)
            properties[key] = unescape(value, property=True)
    return match.group(1), properties, unescape(match.group(3), property=False)


@PROPERTIES
@given(reports(SAFE_TEXT))
def test_github_one_line_per_finding_and_exact_round_trip(report: Report) -> None:
    lines = runner_lines(to_string("github", report))
    assert len(lines) == len(report.findings) + len(report.errors)
    for line, finding in zip(lines[:len(report.findings)], report.findings, strict=True):
        command, properties, message = parse_command(line)
        loc = finding.location
        assert command == {"error": "error", "warning": "warning", "info": "notice"}[
            finding.severity.value]
        assert message == finding.message
        assert properties["file"] == loc.file
        assert (properties["line"], properties["col"]) == (str(loc.line), str(loc.column))
        assert properties.get("endLine") == (None if loc.end_line is None else str(loc.end_line))
        assert properties["title"] == f"{finding.rule.id} {finding.rule.name}"
    for line, error in zip(lines[len(report.findings):], report.errors, strict=True):
        command, properties, message = parse_command(line)
        assert (command, message) == ("error", error.message)
        assert properties.get("file", "") == error.file
        if error.file and error.line is not None:
            assert properties["line"] == str(error.line)


@PROPERTIES
@given(reports())
def test_json_round_trips(report: Report) -> None:
    output = to_string("json", report)
    assert output.endswith("\n")
    assert_no_raw_controls(output, allowed="\n")
    document = json.loads(output)
    assert [f["message"] for f in document["findings"]] == [
        decoded(f.message) for f in report.findings]
    assert [f["task"] for f in document["findings"]] == [
        f.task and decoded(f.task) for f in report.findings]
    assert [(f["location"]["file"], f["location"]["pointer"]) for f in document["findings"]] == [
        (decoded(f.location.file), decoded(f.location.pointer)) for f in report.findings]
    assert [[r["file"] for r in f["related"]] for f in document["findings"]] == [
        [decoded(r.file) for r in f.related] for f in report.findings]
    assert [(e["file"], e["message"], e["line"]) for e in document["errors"]] == [
        (decoded(e.file), decoded(e.message), e.line) for e in report.errors]
    assert [(t["task"], t["osSignal"], t["launchTypes"]) for t in document["tasks"]] == [
        (decoded(t.task), decoded(t.os_signal), [decoded(x) for x in t.launch_types])
        for t in report.tasks]
    assert to_string("json", report) == output


@PROPERTIES
@given(reports(), st.one_of(st.sampled_from([Path("/srv/repo"), Path("/")]),
                            ANY_TEXT.map(lambda s: Path("/" + s))))
def test_sarif_validates_against_the_official_schema(report: Report, base: Path) -> None:
    output = to_string("sarif", report, base=base)
    assert_no_raw_controls(output, allowed="\n")
    log = json.loads(output)
    errors = sorted(VALIDATOR.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]
    run = log["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [rules[r["ruleIndex"]]["id"] for r in run["results"]] == [
        f.rule.id for f in report.findings]
    assert [r["message"]["text"] for r in run["results"]] == [
        decoded(f.message) for f in report.findings]
    assert {rule.id for rule in report.rules} <= {rule["id"] for rule in rules}
    notifications = run["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notifications] == [
        decoded(e.message) for e in report.errors]


@PROPERTIES
@given(reports(), st.one_of(st.sampled_from([Path("/srv/repo"), Path("/")]),
                            ANY_TEXT.map(lambda s: Path("/" + s))))
def test_gitlab_validates_and_keeps_every_finding_and_error(report: Report, base: Path) -> None:
    output = to_string("gitlab", report, base=base)
    assert output.endswith("\n")
    assert_no_raw_controls(output, allowed="\n")
    issues = json.loads(output)
    errors = gitlab_errors(issues)  # the schema, and fingerprints that never repeat
    assert not errors, errors
    assert len(issues) == len(report.findings) + len(report.errors)
    assert [i["check_name"] for i in issues] == [
        *(f.rule.id for f in report.findings), *("input-error" for _ in report.errors)]
    assert [i["description"] for i in issues[:len(report.findings)]] == [
        readable(f"{f.rule.id}: {f.message}") for f in report.findings]
    # No lone surrogate, not even as a JSON escape: every string read back is UTF-8.
    json.dumps(issues, ensure_ascii=False).encode("utf-8")
    assert all(i["severity"] == "blocker" for i in issues[len(report.findings):])


@PROPERTIES
@given(reports())
def test_junit_validates_with_one_testcase_per_file(report: Report) -> None:
    output = to_string("junit", report)
    assert output.endswith("\n")
    assert_no_raw_controls(output, allowed="\n")
    assert not {"\ufffe", "\uffff"} & set(output)
    errors = junit_errors(output)  # well-formed XML 1.0, the XSD, and the counts
    assert not errors, errors
    root = ET.fromstring(output.encode("utf-8"))
    files = ({f.location.file for f in report.findings} | {e.file for e in report.errors}
             | {t.file for t in report.tasks})
    cases = list(root.iter("testcase"))
    assert len(cases) == max(len(files), 1)
    # Every finding and every input error is one line of its file's failure or error.
    texts = [element.text or "" for case in cases for element in case
             if element.tag in ("failure", "error")]
    assert sum(len(text.split("\n")) for text in texts) == (
        len(report.findings) + len(report.errors))
    assert sum(1 for case in cases if case.find("error") is not None) == len(
        {e.file for e in report.errors})
    assert [line for line in runner_lines(output) if line.lstrip().startswith("::")
            or "##[" in line] == []


@PROPERTIES
@given(reports(), st.booleans(), st.booleans(), st.booleans())
def test_text_one_line_per_finding_without_raw_controls(
    report: Report, show_fix: bool, verbose: bool, statistics: bool
) -> None:
    options = {"show_fix": show_fix, "verbose": verbose, "statistics": statistics}
    output = to_string("text", report, **options)
    assert output.endswith("\n")
    assert_no_raw_controls(output, allowed="\n")
    # --statistics prints one line per rule instead of the findings (and their fixes).
    listed = (len({f.rule.id for f in report.findings}) if statistics else
              len(report.findings)
              + (sum(1 for f in report.findings if f.rule.fix_title) if show_fix else 0))
    expected = (
        listed + len(report.errors)
        + (len(report.tasks) if verbose else 0)
        + 1 + (1 if report.errors else 0)
    )
    assert output.count("\n") == expected
    quiet = to_string("text", report, quiet=True, **options)
    assert quiet.count("\n") == listed + len(report.errors)


@PROPERTIES
@given(reports())
def test_text_colour_adds_only_its_own_escapes(report: Report) -> None:
    coloured = to_string("text", report, color=True)
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == to_string("text", report)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | NUMBERS | st.floats(allow_nan=False) | ANY_TEXT,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(ANY_TEXT, children, max_size=4),
    max_leaves=25,
)


def lazy(value: object, choose: st.DrawFn) -> object:
    """``value`` with some lists of dicts and lists turned into ``Items``."""
    if isinstance(value, dict):
        return {key: lazy(item, choose) for key, item in value.items()}
    if isinstance(value, list):
        if choose(st.booleans()):
            return Items(iter(value))
        return [lazy(item, choose) for item in value]
    return value


@PROPERTIES
@given(value=JSON_VALUES, data=st.data())
def test_stream_json_writes_what_json_dumps_writes(value: object, data: st.DataObject) -> None:
    expected = json.dumps(value, ensure_ascii=False, indent=2)
    expected = re.sub("[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
                      "\ud800-\udfff]", lambda m: f"\\u{ord(m.group()):04x}", expected) + "\n"
    assert "".join(stream_json(lazy(value, data.draw))) == expected


@given(pieces=st.lists(ANY_TEXT, max_size=30), size=st.integers(1, 64))
def test_write_pieces_writes_every_piece_in_batches(pieces: list[str], size: int) -> None:
    class Stream(io.BytesIO):
        writes = 0

        def write(self, data: object) -> int:
            Stream.writes += 1
            return super().write(data)  # type: ignore[arg-type]

    stream = Stream()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(_common, "WRITE_SIZE", size)
        write_pieces(iter(pieces), stream)
    expected = "".join(pieces).encode("utf-8", "backslashreplace")
    assert stream.getvalue() == expected
    assert Stream.writes <= len(expected) // size + 1
