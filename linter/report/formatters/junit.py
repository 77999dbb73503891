"""``--format junit``: JUnit XML for Jenkins (``junit``), Azure DevOps
(``PublishTestResults@2``) and GitLab (``artifacts:reports:junit``).

One ``<testsuite name="ecslint">`` in ``<testsuites>``, and **one testcase per file**
(``classname="ecslint"``, ``name`` the file as given): a file with findings fails, with
one ``<failure>`` whose ``message`` counts them and whose text lists them one a line
(``path:line:col: WIN110 [error] message (rule-name)``); a file that could not be linted
has an ``<error type="input-error">`` instead (its findings, if any, listed after the
error); a file with task definitions and nothing to report is a passing testcase, and a
run that names no file at all is one passing testcase ``ecslint``, so a clean run shows
as passed tests rather than as no tests. Why per file: the CI systems key a test's
history on classname and name, so a file keeps the same test across runs whatever its
findings, lines and messages do, and a fixed file shows as a test that passes again
(Jenkins "fixed", Azure DevOps' passed and failed trends) instead of a test that
vanishes; ``tests`` stays the number of files while findings come and go; and Azure
DevOps and GitLab show only the first ``<failure>`` of a testcase, so one failure per
testcase whose text lists every finding loses nothing. Every finding fails its file,
whatever ``--fail-on`` says. Times are ``0`` and there is no timestamp: equal reports give
identical output.

Escaping: names, messages and rule names come from the linted files. Each goes through
``visible`` (C0 and C1 controls, NUL, DEL, U+2028/U+2029, bidi controls and lone
surrogates become ``\\x00``, ``\\u2028``-style escapes: XML 1.0 forbids most of them even as
character references) and U+FFFE/U+FFFF become ``\\ufffe``/``\\uffff``; then ``&``, ``<``,
``>`` and ``"`` become entity references, so ``]]>`` or a forged element stays text. A
finding is one line of the failure text. ``##[`` is written ``##&#91;`` (the same text to
an XML reader) so that no line is a GitHub Actions command. The document is UTF-8 and ends
with a newline.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import groupby

from ecslint.report.formatters._common import inert, visible
from ecslint.report.model import InputProblem, Report, ReportedFinding
from ecslint.rule import Severity

SUITE = "ecslint"
INPUT_ERROR = "input-error"
_NONCHARACTERS = re.compile("[\ufffe\uffff]")
_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def xml_text(text: str, *, line: bool = False) -> str:
    """``text`` as XML 1.0 character data or attribute value: unsafe characters shown
    as visible escapes, markup characters as entity references. A ``line`` of the
    failure text also gets ``inert``: it starts a line of the output."""
    text = visible(text)
    if line:
        text = inert(text)
    text = _NONCHARACTERS.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text.translate(_ENTITIES).replace("##[", "##&#91;")


def render(report: Report) -> Iterator[str]:
    """Render ``report`` as a JUnit XML document, one testcase per file, in pieces."""
    errors: dict[str, list[InputProblem]] = {}
    for error in report.errors:
        errors.setdefault(error.file, []).append(error)
    failing = {finding.location.file for finding in report.findings}
    files = sorted(failing | errors.keys() | {task.file for task in report.tasks})
    tests = len(files) or 1
    counts = (f'tests="{tests}" failures="{len(failing - errors.keys())}" '
              f'errors="{len(errors)}"')
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<testsuites name="{SUITE}" {counts} time="0">\n'
    yield f'  <testsuite name="{SUITE}" {counts} skipped="0" time="0">\n'
    if not files:
        yield (f'    <testcase classname="{SUITE}" name="{SUITE}" time="0">\n'
               f"      <system-out>{report.files} files examined, nothing to report"
               "</system-out>\n    </testcase>\n")
    by_file = groupby(report.findings, key=lambda finding: finding.location.file)
    current = next(by_file, None)
    for file in files:
        findings: list[ReportedFinding] = []
        if current is not None and current[0] == file:
            findings = list(current[1])
            current = next(by_file, None)
        yield _testcase(file, findings, errors.get(file, []))
    yield "  </testsuite>\n</testsuites>\n"


def _testcase(file: str, findings: list[ReportedFinding], errors: list[InputProblem]) -> str:
    head = f'    <testcase classname="{SUITE}" name="{xml_text(file or SUITE)}" time="0"'
    if not findings and not errors:
        return head + "/>\n"
    lines = [_error_line(file, e) for e in errors] + [_finding_line(f) for f in findings]
    body = "\n".join(xml_text(line, line=True) for line in lines)
    if errors:
        element, kind = "error", INPUT_ERROR
        message = f"not linted: {errors[0].message}"
    else:
        element, kind = "failure", findings[0].rule.id if len(
            {f.rule.id for f in findings}) == 1 else SUITE
        message = _summary(findings)
    return (f'{head}>\n      <{element} message="{xml_text(message)}" type="{xml_text(kind)}">'
            f"{body}</{element}>\n    </testcase>\n")


def _summary(findings: list[ReportedFinding]) -> str:
    counts = [(severity.value, sum(1 for f in findings if f.severity is severity))
              for severity in Severity]
    plural = {"error": "errors", "warning": "warnings", "info": "info"}
    parts = ", ".join(f"{count} {name if count == 1 else plural[name]}"
                      for name, count in counts if count)
    noun = "finding" if len(findings) == 1 else "findings"
    return f"{len(findings)} {noun} ({parts})"


def _finding_line(finding: ReportedFinding) -> str:
    loc, rule = finding.location, finding.rule
    return (f"{loc.file}:{loc.line}:{loc.column}: {rule.id} [{finding.severity.value}] "
            f"{finding.message} ({rule.name})")


def _error_line(file: str, error: InputProblem) -> str:
    position = "".join(f":{n}" for n in (error.line, error.column) if n is not None)
    return f"{file}{position}: {INPUT_ERROR} {error.message}"
