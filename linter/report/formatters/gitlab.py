"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array, one object per finding and per input error, with the fields GitLab's
"Code Quality report format" table names (https://docs.gitlab.com/ci/testing/code_quality/,
a subset of the Code Climate spec): ``description``, ``check_name``, ``fingerprint``,
``severity``, ``location.path`` and ``location.lines.begin`` (and ``end``), plus Code
Climate's ``type``, ``categories`` and ``content.body``. The tests validate it against
``tests/schemas/gitlab-codequality.schema.json``, written from that table.

- ``description`` is ``WIN110: message``: the merge request widget shows only this text.
- ``severity``: info is ``info``, warning ``major``, error ``critical`` (ecslint's errors
  are task definitions that do not register or do not start, its warnings real problems,
  never style); an input error is ``blocker``.
- ``fingerprint`` hashes the finding's baseline identity (``ecslint.report.identity``:
  path, task, rule, pointer and container name; as SARIF's ``partialFingerprints``),
  never its line or message, so GitLab keeps a finding the same when lines move. GitLab
  counts equal fingerprints as one issue, so a second finding with the same identity
  gets the hash of the identity and its ordinal (the fingerprints given are remembered
  for that: about 100 bytes a finding, the only memory that grows with the report).
- ``location.path`` is relative to ``base`` (the working directory: run from the
  repository root), with forward slashes and no ``./``; a file outside ``base`` keeps
  its absolute path. Lines are 1-based; ``end`` is the last line the finding covers.
- An input error (a file ecslint could not lint) is an entry with ``check_name``
  ``input-error`` and severity ``blocker`` on that file, so a file that could not be
  read never looks clean.

Strings are JSON-escaped by ``stream_json``: controls, bidi marks and U+2028/U+2029
appear only as ``\\uXXXX`` escapes; the document ends with a newline. Lone surrogates
(undecodable file-name bytes) are written as backslash escapes (``\\xff``) instead, as
``--format github`` does: a JSON parser may reject a lone ``\\udcff``, and one bad name
must not cost GitLab the whole report.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from itertools import chain
from pathlib import Path
from typing import Any

from ecslint.report.formatters._common import Items, help_uri, stream_json
from ecslint.report.identity import fingerprint, of_finding
from ecslint.report.model import InputProblem, Report, ReportedFinding
from ecslint.rule import Severity

SEVERITIES = {Severity.INFO: "info", Severity.WARNING: "major", Severity.ERROR: "critical"}
INPUT_ERROR = "input-error"
INPUT_ERROR_SEVERITY = "blocker"
# Code Climate's categories; the security family is "Security", everything else a risk
# of a task that does not start or does not behave.
CATEGORIES = {"SEC": "Security"}


def render(report: Report, *, base: Path | None = None) -> Iterator[str]:
    """Render ``report`` as a Code Quality JSON array, in pieces; ``base`` defaults to
    the working directory."""
    root = os.path.abspath(Path.cwd() if base is None else base)
    seen: dict[str, int] = {}
    issues = chain((_finding(f, root, seen) for f in report.findings),
                   (_error(e, root, seen) for e in report.errors))
    return stream_json(Items(issues))


def readable(text: str) -> str:
    """``text`` with lone surrogates as backslash escapes: an undecodable file-name byte
    as ``\\xff``, any other as ``\\ud800``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            data = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            data = text.encode("utf-8", "backslashreplace")
        return data.decode("utf-8", "backslashreplace")
    return text


def relative_path(file: str, root: str) -> str:
    """``file`` as GitLab names it: relative to ``root`` with forward slashes, or
    absolute when it lies outside ``root``; ``readable``."""
    path = os.path.normpath(os.path.join(root, file))
    relative = os.path.relpath(path, root)
    if relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return readable(Path(path).as_posix())
    return readable(Path(relative).as_posix())


def _unique(digest: str, key: list[Any], seen: dict[str, int]) -> str:
    """``digest``, or for its n-th repetition the hash of ``key`` and n."""
    count = seen.get(digest, 0)
    seen[digest] = count + 1
    if not count:
        return digest
    data = json.dumps([*key, count]).encode("ascii")
    unique = hashlib.sha256(data).hexdigest()[:32]
    return unique if unique not in seen else _unique(unique, [*key, count], seen)


def _lines(line: int | None, end_line: int | None, end_column: int | None) -> dict[str, int]:
    begin = line if line is not None and line >= 1 else 1
    lines = {"begin": begin}
    if end_line is not None:
        # The end is exclusive: a region ending at column 1 stops on the line before.
        last = end_line - 1 if end_column == 1 and end_line > begin else end_line
        if last >= begin:
            lines["end"] = last
    return lines


def _finding(finding: ReportedFinding, root: str, seen: dict[str, int]) -> dict[str, Any]:
    rule, loc = finding.rule, finding.location
    path = relative_path(loc.file, root)
    key = of_finding(finding, path)
    body = readable(f"{rule.summary}\n\n{help_uri(rule)}" if rule.summary else help_uri(rule))
    return {
        "type": "issue",
        "description": readable(f"{rule.id}: {finding.message}"),
        "check_name": rule.id,
        "fingerprint": _unique(fingerprint(key), list(key), seen),
        "severity": SEVERITIES[finding.severity],
        "categories": [CATEGORIES.get(rule.family, "Bug Risk")],
        "content": {"body": body},
        "location": {"path": path,
                     "lines": _lines(loc.line, loc.end_line, loc.end_column)},
    }


def _error(error: InputProblem, root: str, seen: dict[str, int]) -> dict[str, Any]:
    path = relative_path(error.file, root) if error.file else "."
    key: list[Any] = [INPUT_ERROR, path]
    digest = hashlib.sha256(json.dumps(key).encode("ascii")).hexdigest()[:32]
    return {
        "type": "issue",
        "description": readable(f"{INPUT_ERROR}: not linted: {error.message}"),
        "check_name": INPUT_ERROR,
        "fingerprint": _unique(digest, key, seen),
        "severity": INPUT_ERROR_SEVERITY,
        "categories": ["Bug Risk"],
        "location": {"path": path, "lines": _lines(error.line, None, None)},
    }
