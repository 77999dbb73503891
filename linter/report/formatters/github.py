"""``--format github``: GitHub Actions workflow commands that annotate the changed files.

One line per finding, ``::error file=F,line=L,col=C,endLine=EL,endColumn=EC,title=WIN110
windows-memory-reservation::message`` (info becomes ``notice``), and one ``::error
file=F[,line=L[,col=C]]::message`` per input error. Nothing else is printed.

Escaping is exactly ``@actions/core``'s: the message (data) gets ``%`` to ``%25``, CR to
``%0D`` and LF to ``%0A``; property values additionally get ``:`` to ``%3A`` and ``,`` to
``%2C``. The runner splits its output into lines at CR and LF only, and a command is
recognised only at the start of a line, so once CR and LF are escaped a hostile message
cannot start a command of its own. A ``::`` inside the message is harmless: the runner
ends the properties at the first ``::`` after the command name, and escaped property
values cannot contain a colon. The runner reverses the escapes, so annotations show the
text unchanged. ``file`` is the name as given; GitHub attaches annotations to paths
relative to the repository root (it also accepts absolute paths inside the workspace).
"""

from __future__ import annotations

from collections.abc import Iterator

from ecslint.report.model import InputProblem, Report, ReportedFinding
from ecslint.rule import Severity

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report) -> Iterator[str]:
    """Render ``report`` as workflow commands, one line per finding and input error."""
    for finding in report.findings:
        yield _finding(finding) + "\n"
    for error in report.errors:
        yield _error(error) + "\n"
    for notice in report.notices:
        yield _command("notice", [("title", "ecslint")], notice) + "\n"


def escape_data(text: str) -> str:
    """Escape a command's message as ``@actions/core`` ``escapeData`` does."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """Escape a property value as ``@actions/core`` ``escapeProperty`` does."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _command(name: str, properties: list[tuple[str, object]], message: str) -> str:
    rendered = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    head = f"{name} {rendered}" if rendered else name
    return f"::{head}::{escape_data(message)}"


def _finding(finding: ReportedFinding) -> str:
    loc = finding.location
    properties: list[tuple[str, object]] = [
        ("file", loc.file), ("line", loc.line), ("col", loc.column)
    ]
    if loc.end_line is not None:
        properties.append(("endLine", loc.end_line))
        if loc.end_column is not None:
            properties.append(("endColumn", loc.end_column))
    properties.append(("title", f"{finding.rule.id} {finding.rule.name}"))
    return _command(COMMANDS[finding.severity], properties, finding.message)


def _error(error: InputProblem) -> str:
    properties: list[tuple[str, object]] = [("file", error.file)] if error.file else []
    if error.file and error.line is not None:
        properties.append(("line", error.line))
        if error.column is not None:
            properties.append(("col", error.column))
    return _command("error", properties, error.message)
