"""``--format gitlab`` and ``--format junit``: goldens over the hand-built report of
``test_formatters``, validated against the schemas in ``tests/schemas``, and the choices
their docstrings promise.

GitLab: the report is checked against a JSON Schema written from the field table of
"Code Quality report format", https://docs.gitlab.com/ci/testing/code_quality/.
JUnit: against an XSD after the Jenkins xUnit plugin's junit-10.xsd
(jenkinsci/xunit-plugin) and https://llg.cubic.org/docs/junit/.
"""

from __future__ import annotations

import dataclasses
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from ci_schemas import gitlab_errors, junit_errors
from test_formatters import BASE, WIN110, assert_golden, loc, make_report, parts

from ecslint.report.formatters import to_string
from ecslint.report.identity import fingerprint, of_finding
from ecslint.report.model import InputProblem, Report, ReportedFinding
from ecslint.rule import Severity

# -- gitlab ---------------------------------------------------------------------------------


def gitlab(report: Report, base: Path = BASE) -> list[dict[str, object]]:
    output = to_string("gitlab", report, base=base)
    document = json.loads(output)
    assert not gitlab_errors(document), gitlab_errors(document)
    assert isinstance(document, list)
    return document


def test_gitlab_golden_validates() -> None:
    output = to_string("gitlab", make_report(), base=BASE)
    assert_golden("report.gitlab.json", output)
    assert not gitlab_errors(json.loads(output))


def test_gitlab_severity_mapping_and_input_errors() -> None:
    issues = gitlab(make_report())
    assert [(i["check_name"], i["severity"]) for i in issues] == [
        ("WIN174", "major"), ("WIN174", "info"), ("WIN110", "critical"),
        ("ECS403", "critical"), ("input-error", "blocker")]
    error = issues[-1]
    assert error["location"] == {"path": "broken.json", "lines": {"begin": 4}}
    assert "expected ',' or '}'" in str(error["description"])


def test_gitlab_schema_rejects_what_gitlab_does_not_read() -> None:
    issue = gitlab(make_report())[0]
    for key, bad in (("severity", "error"), ("fingerprint", ""), ("location", {"path": "a"}),
                     ("location", {"path": "./a", "lines": {"begin": 1}})):
        assert gitlab_errors([{**issue, key: bad}]), (key, bad)
    assert gitlab_errors([issue, issue]) == ["fingerprints repeat"]
    assert gitlab_errors([{k: v for k, v in issue.items() if k != "check_name"}])


def test_gitlab_paths_are_relative_to_the_repository() -> None:
    changed = parts()
    changed["findings"] += [
        dataclasses.replace(changed["findings"][0], location=loc(name, 1, 1, None, "/a"))
        for name in ("/elsewhere/ü x.json", "./tasks/dot.json", "/srv/repo/tasks/abs.json",
                     "tasks/../up.json")]
    paths = {i["location"]["path"] for i in gitlab(Report(**changed))}  # type: ignore[index]
    assert paths == {"/elsewhere/ü x.json", "tasks/dot.json", "tasks/abs.json", "up.json",
                     "tasks/web.json", "tasks/api.yaml", "my tasks/odd:name,100%.json",
                     "broken.json"}


def test_gitlab_lines_end_at_the_last_line_covered() -> None:
    issues = {i["description"]: i["location"] for i in gitlab(make_report())}
    assert issues["WIN174: task 'odd' may be placed on Linux hosts"] == {
        "path": "my tasks/odd:name,100%.json", "lines": {"begin": 2, "end": 9}}
    finding = dataclasses.replace(parts()["findings"][0],
                                  location=loc("a.json", 3, 1, (5, 1), "/a"))
    [issue] = gitlab(Report(findings=[finding], rules=[WIN110]))
    assert issue["location"] == {"path": "a.json", "lines": {"begin": 3, "end": 4}}
    zero = dataclasses.replace(finding, location=loc("a.json", 0, 0, None, ""))
    [issue] = gitlab(Report(findings=[zero], rules=[WIN110]))
    assert issue["location"] == {"path": "a.json", "lines": {"begin": 1}}


def test_gitlab_fingerprint_is_the_baseline_identity_and_ignores_line_moves() -> None:
    before = make_report()
    moved = parts()
    moved["findings"] = [
        dataclasses.replace(f, location=dataclasses.replace(f.location, line=f.location.line + 7),
                            message=f.message + " (reworded)")
        for f in moved["findings"]]
    assert [i["fingerprint"] for i in gitlab(Report(**moved))] == [
        i["fingerprint"] for i in gitlab(before)]
    first = sorted(parts()["findings"], key=ReportedFinding.sort_key)[0]
    assert gitlab(before)[0]["fingerprint"] == fingerprint(
        of_finding(first, "my tasks/odd:name,100%.json"))


def test_gitlab_fingerprints_stay_unique_when_identities_repeat() -> None:
    finding = parts()["findings"][0]
    twins = [dataclasses.replace(finding, location=dataclasses.replace(
        finding.location, line=line)) for line in (12, 30, 31)]
    errors = [InputProblem("broken.json", "a"), InputProblem("broken.json", "b")]
    issues = gitlab(Report(findings=twins, errors=errors, rules=[WIN110]))
    assert len({i["fingerprint"] for i in issues}) == 5
    # The first keeps the identity's hash: adding a twin does not move the first.
    assert issues[0]["fingerprint"] == gitlab(
        Report(findings=twins[:1], rules=[WIN110]))[0]["fingerprint"]


def test_gitlab_clean_run_is_an_empty_array() -> None:
    assert to_string("gitlab", Report(files=3), base=BASE) == "[]\n"


# -- junit ----------------------------------------------------------------------------------


def junit(report: Report) -> ET.Element:
    output = to_string("junit", report)
    assert output.endswith("\n")
    assert not junit_errors(output), junit_errors(output)
    return ET.fromstring(output.encode("utf-8"))


def cases(root: ET.Element) -> dict[str, ET.Element]:
    return {case.get("name", ""): case for case in root.iter("testcase")}


def test_junit_golden_validates() -> None:
    output = to_string("junit", make_report())
    assert_golden("report.junit.xml", output)
    assert not junit_errors(output)


def test_junit_one_testcase_per_file() -> None:
    root = junit(make_report())
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "3", "1")
    by_name = cases(root)
    assert sorted(by_name) == ["broken.json", "my tasks/odd:name,100%.json", "tasks/api.yaml",
                               "tasks/web.json"]
    web = by_name["tasks/web.json"].find("failure")
    assert web is not None and web.get("message") == "2 findings (2 errors)"
    assert (web.text or "").splitlines() == [
        "tasks/web.json:12:9: WIN110 [error] container 'web' sets memoryReservation next to "
        "memory (windows-memory-reservation)",
        "tasks/web.json:20:17: ECS403 [error] two containers are named 'web' "
        "(duplicate-container-name)"]
    broken = by_name["broken.json"]
    assert broken.find("failure") is None
    error = broken.find("error")
    assert error is not None and error.get("type") == "input-error"
    assert error.text == "broken.json:4:2: input-error expected ',' or '}' after an object member"


def test_junit_clean_files_and_clean_runs_are_passing_tests() -> None:
    changed = parts()
    changed["findings"] = [f for f in changed["findings"] if f.location.file != "tasks/api.yaml"]
    api = cases(junit(Report(**changed)))["tasks/api.yaml"]
    assert list(api) == [] and api.get("classname") == "ecslint"
    root = junit(Report(files=2))
    assert [(c.get("name"), list(c)) for c in root.iter("testcase")][0][0] == "ecslint"
    assert root.get("tests") == "1" and root.get("failures") == "0"


def test_junit_same_testcases_when_findings_change() -> None:
    """A test's history follows its classname and name: moving, rewording or adding
    findings in a file changes no testcase and no count but the failure text."""
    before = cases(junit(make_report()))
    more = parts()
    more["findings"].append(dataclasses.replace(
        more["findings"][0], message="another", location=loc("tasks/web.json", 40, 1, None, "")))
    after = cases(junit(Report(**more)))
    assert sorted(before) == sorted(after)


HOSTILE = ["evil\n</failure></testcase><testcase name=\"forged\">", "cdata]]>end", "a<b&c\"d'e",
           "nul\x00bell\x07", "sep\u2028para\u2029", "bidi\u202eRLO", "c1\x85\x9b",
           "nonchar\ufffe\uffff", "lone\ud800surrogate", "##[stop-commands]t", "  ::error::x",
           "tab\tcr\r"]


def test_junit_escapes_hostile_names_and_messages() -> None:
    findings, errors = [], []
    for number, text in enumerate(HOSTILE):
        findings.append(ReportedFinding(WIN110, Severity.ERROR, f"message {text}",
                                        loc(f"{number}{text}.json", 1, 1, None, ""), task=text))
        errors.append(InputProblem(f"{number}{text}.json", text, 1, None))
    findings.append(ReportedFinding(WIN110, Severity.WARNING, "x", loc(HOSTILE[0], 1, 1, None, "")))
    output = to_string("junit", Report(findings=findings, errors=errors, rules=[WIN110]))
    assert not junit_errors(output)
    assert "\x00" not in output and "\ud800" not in output and "\u2028" not in output
    assert "]]>" not in output and "##[" not in output
    assert not [line for line in output.splitlines() if line.lstrip().startswith("::")]
    root = ET.fromstring(output.encode("utf-8"))
    names = [case.get("name") for case in root.iter("testcase")]
    assert "forged" not in names and len(names) == len(HOSTILE) + 1
    assert f"0{HOSTILE[0]}.json".replace("\n", "\\n") in names
    assert "1cdata]]>end.json" in names and "3nul\\x00bell\\x07.json" in names
    assert "4sep\\u2028para\\u2029.json" in names and "7nonchar\\ufffe\\uffff.json" in names
    text = "".join(case.find("error").text or "" for case in root.iter("testcase")  # type: ignore[union-attr]
                   if case.find("error") is not None)
    assert "message evil\\n</failure></testcase>" in text
