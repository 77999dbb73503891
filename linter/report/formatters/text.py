"""The human format: one grep-, editor- and problem-matcher-friendly line per finding.

``path:line:col: WIN110 [error] message (windows-memory-reservation)`` is the shape of
flake8's default and yamllint's ``parsable`` format; input errors read
``path:line:col: error: message``. Every string that comes from the linted files (file
names, messages, task names, platform signals) passes through ``visible``, so a container
name cannot clear the terminal, move the cursor, reorder the line or forge a second one:
each finding is exactly one line, plus its ``fix:`` line when asked. The output contains
no control character other than the line ends, unless ``color`` adds ANSI colour codes.
No line is a GitHub workflow command (``inert``): a file named ``::warning ...`` or a
container named ``##[stop-commands]`` shows as ``\\x3a:warning ...`` or ``##\\x5bstop-commands]``.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterator
from operator import itemgetter

from ecslint.report.formatters._common import inert, visible
from ecslint.report.model import BuildDecision, InputProblem, Report, ReportedFinding, TaskSummary
from ecslint.rule import Severity

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_RED = "\x1b[1;31m"
_COLOURS = {Severity.ERROR: _RED, Severity.WARNING: "\x1b[1;33m", Severity.INFO: "\x1b[1;36m"}

Paint = Callable[[str, str], str]


def render(
    report: Report,
    *,
    color: bool = False,
    show_fix: bool = False,
    verbose: bool = False,
    statistics: bool = False,
    quiet: bool = False,
) -> Iterator[str]:
    """Render ``report`` as text lines, each ending in a newline and none a workflow command.

    Findings and input errors are listed together, ordered by file and position.
    ``color`` paints the severity and the rule id (the caller decides: TTY and
    ``--no-color``). ``show_fix`` adds an indented ``fix:`` line under each finding,
    ``verbose`` starts with one line per task saying how its platform was decided,
    ``statistics`` prints a per-rule count table instead of the findings (as ruff's
    does; input errors are still listed), and the summary closes the output.
    ``quiet`` keeps only the finding (or statistics) and error lines, whatever the
    other options say.
    """
    for piece in _render(report, color, show_fix, verbose, statistics, quiet):
        yield inert(piece)


def _render(report: Report, color: bool, show_fix: bool, verbose: bool, statistics: bool,
            quiet: bool) -> Iterator[str]:
    paint = _paint if color else _plain
    if verbose and not quiet:
        for task in report.tasks:
            yield _task_line(task) + "\n"
            yield from (line + "\n" for line in _build_lines(task))
        for path, reason in report.skipped:
            yield f"{visible(path)}: skipped: {visible(reason)}\n"
    findings = () if statistics else (
        ((f.location.file, f.location.line, f.location.column), _finding_text(f, paint, show_fix))
        for f in report.findings
    )
    errors = (((e.file, e.line or 0, e.column or 0), _error_line(e, paint)) for e in report.errors)
    for _, text in heapq.merge(findings, errors, key=itemgetter(0)):
        yield text
    if statistics:
        yield from (line + "\n" for line in _statistics(report))
    if not quiet:
        yield from (line + "\n" for line in _summary(report))


def _plain(_: str, text: str) -> str:
    return text


def _paint(code: str, text: str) -> str:
    return f"{code}{text}{_RESET}"


def _finding_text(finding: ReportedFinding, paint: Paint, show_fix: bool) -> str:
    loc = finding.location
    rule = finding.rule
    line = (
        f"{visible(loc.file)}:{loc.line}:{loc.column}: {paint(_BOLD, visible(rule.id))} "
        f"[{paint(_COLOURS[finding.severity], finding.severity.value)}] "
        f"{visible(finding.message)} ({visible(rule.name)})"
    )
    if show_fix and finding.fix is not None:
        return f"{line}\n  fix ({finding.fix.applicability}): {visible(finding.fix.title)}\n"
    if show_fix and rule.fix_title:
        return f"{line}\n  fix: {visible(rule.fix_title)}\n"
    return line + "\n"


def _error_line(error: InputProblem, paint: Paint) -> str:
    position = visible(error.file)
    if error.line is not None:
        position += f":{error.line}"
        if error.column is not None:
            position += f":{error.column}"
    return f"{position}: {paint(_RED, 'error')}: {visible(error.message)}\n"


def _task_line(task: TaskSummary) -> str:
    family = f" ({visible(task.os_family)})" if task.os_family else ""
    launch_types = ", ".join(visible(t) for t in task.launch_types) or "none"
    return (
        f"{visible(task.file)}: task '{visible(task.task)}' ({visible(task.shape)}): "
        f"os {visible(task.os)}{family} decided by {visible(task.os_signal)}; "
        f"launch types {launch_types} decided by {visible(task.launch_signal)}"
    )


def _build_lines(task: TaskSummary) -> list[str]:
    if task.host_build is None:
        return []
    lines = [f"  host: {_build(task.host_build)}"]
    for image in task.image_builds:
        lines.append(f"  image {visible(image.image or '')} (container "
                     f"'{visible(image.container or '')}'): {_build(image)}")
    return lines


def _build(decision: BuildDecision) -> str:
    if decision.build is None:
        return f"Windows build unknown ({visible(decision.signal)})"
    return (f"Windows Server {visible(decision.release or '')} (build {decision.build}) "
            f"decided by {visible(decision.signal)}")


def _statistics(report: Report) -> list[str]:
    rows = sorted(report.by_rule.items(), key=lambda item: (-item[1], item[0]))
    if not rows:
        return []
    count_width = len(str(rows[0][1]))
    id_width = max(len(visible(rule_id)) for rule_id, _ in rows)
    return [
        f"{count:>{count_width}}  {visible(rule_id):<{id_width}}  "
        f"{visible(report.rule_of[rule_id].name)}"
        for rule_id, count in rows
    ]


def _summary(report: Report) -> list[str]:
    total = len(report.findings)
    files = _count(report.files, "file", "files")
    note = _not_linted(report)
    if total:
        severities = report.by_severity
        parts = [
            _count(severities[severity], singular, plural)
            for severity, singular, plural in (
                (Severity.ERROR, "error", "errors"),
                (Severity.WARNING, "warning", "warnings"),
                (Severity.INFO, "info", "info"),
            )
            if severities[severity]
        ]
        lines = [
            f"Found {_count(total, 'problem', 'problems')} ({', '.join(parts)}) "
            f"in {len(report.finding_files)} of {files}{note}."
        ]
    else:  # never "no problems" in a file no rule ran on
        linted = report.files - report.unread - report.taskless
        if not note:
            lines = [f"No problems found in {files}."]
        elif linted:
            lines = [f"No problems found in {linted} of {files}{note}."]
        else:
            lines = [f"No task definition linted in {files}{note}."]
    lines.extend(_fixes(report, total))
    hidden = _hidden(report)
    if hidden:
        lines.append(hidden)
    failed = len(report.error_files)
    if failed:
        lines.append(f"{_count(failed, 'file', 'files')} could not be linted.")
    lines.extend(_skipped(report))
    lines.extend(f"Note: {visible(notice)}" for notice in report.notices)
    return lines


def _fixes(report: Report, remaining: int) -> list[str]:
    """What ``--fix`` fixed ("Fixed 3 of 5 problems; 2 remain."), or what it could."""
    if report.fixing == "none":
        return []
    if report.fixing is not None:
        fixed, total = report.fixed, report.fixed + remaining
        if report.fixing == "diff":
            return [f"Would fix {fixed} of {_count(total, 'problem', 'problems')}; "
                    f"{remaining} would remain."]
        left = "remains" if remaining == 1 else "remain"
        return [f"Fixed {fixed} of {_count(total, 'problem', 'problems')}; {remaining} {left}."]
    safe, unsafe = report.fixable["safe"], report.fixable["unsafe"]
    if not (safe or unsafe):
        return []
    more = f" ({unsafe} more with --unsafe-fixes)" if safe and unsafe else ""
    if safe:
        return [f"{safe} fixable with --fix{more}."]
    return [f"{unsafe} fixable with --fix --unsafe-fixes."]


def _not_linted(report: Report) -> str:
    """" (2 without a task definition; 1 not read)": the files no rule ran on."""
    notes = []
    if report.taskless:
        notes.append(f"{report.taskless} without a task definition")
    if report.unread:
        notes.append(f"{report.unread} not read")
    return f" ({'; '.join(notes)})" if notes else ""


def _skipped(report: Report) -> list[str]:
    """One line per reason files were skipped: "3 files skipped (Terraform is ...)"."""
    reasons: dict[str, int] = {}
    for _, reason in report.skipped:
        reasons[reason] = reasons.get(reason, 0) + 1
    return [f"{_count(count, 'file', 'files')} skipped ({visible(reason)})."
            for reason, count in reasons.items()]


def _hidden(report: Report) -> str:
    """``3 findings hidden by the baseline, 2 by suppressions.``, or ``""``."""
    parts = [(report.hidden_by_baseline, "the baseline"),
             (report.hidden_by_suppressions, "suppressions")]
    parts = [(number, what) for number, what in parts if number]
    if not parts:
        return ""
    (first, what), *rest = parts
    later = "".join(f", {number} by {other}" for number, other in rest)
    return f"{_count(first, 'finding', 'findings')} hidden by {what}{later}."


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"
