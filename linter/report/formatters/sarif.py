"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.

One run. ``tool.driver.rules`` lists every rule that ran, with its documentation as
``fullDescription`` and ``help`` (GitHub shows ``help`` and ignores ``helpUri``), so
``ruleIndex`` always points at the result's rule. Results carry a real region (1-based,
end exclusive, columns in code points: ``columnKind`` is ``unicodeCodePoints``), the
JSON pointer and the task's name (kind ``resource``: a family, a CloudFormation logical
id, a Terraform resource address) as logical locations, related locations, and a
``partialFingerprints`` entry ``ecslint/v2`` hashed from the finding's identity
(``ecslint.report.identity``, which baselines match on too: file URI, task, rule, pointer
and container name), never from line numbers or messages, so code-scanning alerts survive
edits elsewhere in the file.

File URIs are relative to ``base`` (the working directory by default) under the
``%SRCROOT%`` base id, with forward slashes and percent-encoding; files outside ``base``
get absolute ``file://`` URIs. Relative file names are taken as relative to ``base``, so
run from the repository root (or pass absolute names) for URIs GitHub can match. Input
errors become tool execution notifications and make ``executionSuccessful`` false. The
output validates against the official 2.1.0 schema for any report, whatever the file
names and messages hold.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any
from urllib.parse import quote_from_bytes

from ecslint import HOMEPAGE, __version__
from ecslint.report.formatters._common import Items, help_uri, stream_json
from ecslint.report.identity import fingerprint, of_finding
from ecslint.report.model import InputProblem, Location, Report, ReportedFinding, ReportedFix
from ecslint.rule import FAMILIES, Rule, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "ecslint/v2"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}


def render(report: Report, *, base: Path | None = None) -> Iterator[str]:
    """Render ``report`` as a SARIF 2.1.0 log, in pieces; ``base`` defaults to the
    working directory."""
    root = Path(os.path.abspath(Path.cwd() if base is None else base))
    rules = _rules_of(report)
    index = {rule.id: position for position, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "ecslint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": HOMEPAGE,
                "rules": [_descriptor(rule) for rule in rules],
            }
        },
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": Items(chain(
                    (_notification(e, root) for e in report.errors),
                    ({"level": "note", "message": {"text": notice}} for notice in report.notices))),
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"uri": _file_uri(root, directory=True)}},
        "columnKind": "unicodeCodePoints",
        "results": Items(_result(f, index[f.rule.id], root) for f in report.findings),
    }
    return stream_json({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]})


def _rules_of(report: Report) -> list[Rule]:
    """The rules that ran, then any rule a finding names that they lack, in the order of
    its first finding; one per id."""
    rules: dict[str, Rule] = {}
    for rule in report.rules:
        rules.setdefault(rule.id, rule)
    if report.rule_of.keys() - rules.keys():
        for finding in report.findings:
            rules.setdefault(finding.rule.id, finding.rule)
    return list(rules.values())


def _descriptor(rule: Rule) -> dict[str, Any]:
    doc = rule.doc.strip() or rule.summary
    text, markdown = doc, doc
    if rule.fix_title:
        text += f"\n\nFix: {rule.fix_title}"
        markdown += f"\n\n**Fix:** {rule.fix_title}"
    family = FAMILIES.get(rule.family)
    former: dict[str, Any] = {}
    if rule.former_ids:
        former["deprecatedIds"] = list(rule.former_ids)
    if rule.former_names:
        former["deprecatedNames"] = list(rule.former_names)
    return {
        "id": rule.id,
        **former,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": _what_it_does(rule.doc) or rule.summary},
        "help": {"text": text, "markdown": markdown},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "properties": {"tags": [rule.family, family.tag] if family else [rule.family]},
    }


def _what_it_does(doc: str) -> str:
    """The first paragraph under ``## What it does``, joined into one line; "" if none."""
    lines = [line.strip() for line in doc.splitlines()]
    if "## What it does" not in lines:
        return ""
    paragraph: list[str] = []
    for line in lines[lines.index("## What it does") + 1 :]:
        if line.startswith("#") or (not line and paragraph):
            break
        if line:
            paragraph.append(line)
    return " ".join(paragraph)


def _result(finding: ReportedFinding, rule_index: int, root: Path) -> dict[str, Any]:
    result: dict[str, Any] = {
        "ruleId": finding.rule.id,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [_location(finding.location, root)],
    }
    if finding.task is not None:
        result["locations"][0]["logicalLocations"].append(
            {"fullyQualifiedName": finding.task, "kind": "resource"})
    if finding.related:
        result["relatedLocations"] = [
            {"id": number, **_location(location, root)}
            for number, location in enumerate(finding.related, start=1)
        ]
    result["partialFingerprints"] = {FINGERPRINT: _fingerprint(finding, root)}
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix, finding.location.file, root)]
    if finding.task is not None:
        result["properties"] = {"task": finding.task}
    return result


def _fix(fix: ReportedFix, file: str, root: Path) -> dict[str, Any]:
    """A SARIF ``fix``: its replacements, each a deleted region (empty for an insertion)
    and the text inserted there, as reviewdog turns them into suggested changes."""
    return {
        "description": {"text": f"{fix.title} ({fix.applicability} fix)"},
        "artifactChanges": [{
            "artifactLocation": _artifact(file, root),
            "replacements": [{
                "deletedRegion": _region(edit.line, edit.column, edit.end_line, edit.end_column),
                "insertedContent": {"text": edit.text},
            } for edit in fix.edits],
        }],
        "properties": {"applicability": fix.applicability},
    }


def _fingerprint(finding: ReportedFinding, root: Path) -> str:
    return fingerprint(of_finding(finding, _artifact(finding.location.file, root)["uri"]))


def _location(location: Location, root: Path) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": _artifact(location.file, root)}
    region = _region(location.line, location.column, location.end_line, location.end_column)
    if region:
        physical["region"] = region
    return {
        "physicalLocation": physical,
        "logicalLocations": [{"fullyQualifiedName": location.pointer or "/"}],
    }


def _region(
    line: int | None, column: int | None, end_line: int | None, end_column: int | None
) -> dict[str, int]:
    """A region from whichever positions are known; none without a valid start line."""
    if line is None or line < 1:
        return {}
    named = (("startLine", line), ("startColumn", column), ("endLine", end_line),
             ("endColumn", end_column))
    return {key: value for key, value in named if value is not None and value >= 1}


def _notification(error: InputProblem, root: Path) -> dict[str, Any]:
    notification: dict[str, Any] = {"level": "error", "message": {"text": error.message}}
    if error.file:
        physical: dict[str, Any] = {"artifactLocation": _artifact(error.file, root)}
        region = _region(error.line, error.column, None, None)
        if region:
            physical["region"] = region
        notification["locations"] = [{"physicalLocation": physical}]
    return notification


@lru_cache(maxsize=1024)
def _artifact(file: str, root: Path) -> dict[str, str]:
    """How SARIF names ``file`` (callers must not change the dict: it is cached, as
    findings come file by file and pathlib is slow)."""
    path = Path(os.path.normpath(os.path.join(root, file)))
    try:
        relative = path.relative_to(root)
    except ValueError:
        return {"uri": _file_uri(path)}
    return {"uri": _quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _file_uri(path: Path, directory: bool = False) -> str:
    posix = path.as_posix()
    uri = "file://" + ("" if posix.startswith("/") else "/") + _quote(posix, safe="/:")
    return uri + "/" if directory and not uri.endswith("/") else uri


def _quote(text: str, safe: str) -> str:
    """Percent-encode ``text`` as UTF-8; undecodable file-name bytes keep their value."""
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        data = text.encode("utf-8", "surrogatepass")
    return quote_from_bytes(data, safe=safe)
