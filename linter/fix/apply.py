"""Apply fixes to a file's bytes, in passes, and keep only results that are better.

``fix_bytes`` lints the bytes, takes the fixes allowed (safe ones, and unsafe ones
with ``unsafe``), applies those whose edits do not overlap (ordered by where they
start, then by rule id: the same choice on every run), lints again and repeats until
nothing is left to fix or ``MAX_PASSES`` is reached. A pass whose result does not
parse, or has a finding at warning or above that the original file did not have, is
retried fix by fix; a fix that still does that is dropped with a notice, as is one
whose edits change nothing (it would be "applied" in every pass).

Edits hold offsets into the decoded text (``ecslint.load.decoding``: no BOM, line
endings ``\\n``). ``splice`` maps them back onto the original bytes: the BOM, the
encoding (UTF-8, UTF-16, UTF-32) and CRLF or CR line endings are the file's, new
line breaks take the file's style, and every byte outside the edits is copied as is.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from ecslint.builtin_ids import PARSE_ERROR
from ecslint.config.lint_options import LintOptions
from ecslint.load.decoding import decode, encoding
from ecslint.report.model import FileResult, ReportedEdit, ReportedFinding
from ecslint.rule import Severity

MAX_PASSES = 10
Lint = Callable[[bytes], FileResult]


@dataclass
class Fixed:
    """What fixing one file gave: its new bytes, how many findings the applied fixes
    repaired (one edit may repair two), the result of linting the new bytes, and a
    notice for each fix dropped."""

    data: bytes
    applied: int
    result: FileResult
    notices: list[str] = field(default_factory=list)


def fix_bytes(raw: bytes, display: str, options: LintOptions, *, unsafe: bool = False,
              wanted: Callable[[ReportedFinding], bool] = lambda finding: True,
              explicit: bool = True) -> Fixed:
    """Fix ``raw`` (the file shown as ``display``) as far as it can be; ``wanted``
    leaves out findings that are not to be fixed (those a baseline records). A file
    not named ``explicit``ly (a walk's, or pre-commit's with ``--sniff``) that
    mentions no task definition is passed over unparsed, as linting does."""
    from ecslint.engine import lint_bytes

    def lint(data: bytes) -> FileResult:
        return lint_bytes(data, display, explicit, options)

    original = lint(raw)
    allowed = ("safe", "unsafe") if unsafe else ("safe",)
    before = _serious(original)
    current, result, applied = raw, original, 0
    notices: list[str] = []
    idle: set[tuple[str, str | None, str, str]] = set()
    dropped: set[tuple[str, str | None, str, str]] = set()
    for _ in range(MAX_PASSES):
        fixable = [finding for finding in result.findings
                   if finding.fix is not None and finding.fix.applicability in allowed
                   and finding.location.file == display and wanted(finding)
                   and _key(finding) not in dropped]
        if not fixable:
            break
        text = decode(current)
        eligible = [finding for finding in fixable
                    if not _idle(text, finding, display, idle, notices)]
        fixes = _choose(eligible)
        if not fixes:
            break
        candidate = splice(current, [edit for finding in fixes for edit in _edits(finding)])
        checked = lint(candidate)
        if not _better(checked, before):
            kept = []
            for finding in fixes:
                one = splice(current, list(_edits(finding)))
                if _better(lint(one), before):
                    kept.append(finding)
                else:  # said once: the next passes leave it out
                    dropped.add(_key(finding))
                    notices.append(_dropped(display, finding))
            if not kept:
                continue
            fixes = kept
            candidate = splice(current, [edit for finding in kept for edit in _edits(finding)])
            checked = lint(candidate)
            if not _better(checked, before):
                notices.append(f"{display}: fixes that each keep the file sound break it "
                               "together; they were not applied")
                break
        # Findings whose fix is among those made are repaired too (WIN201 and WIN205
        # retag one image alike): the summary counts problems, not edits.
        made = {(edit.start, edit.end, edit.text) for finding in fixes for edit in _edits(finding)}
        repaired = sum(1 for finding in eligible
                       if {(edit.start, edit.end, edit.text) for edit in _edits(finding)} <= made)
        current, result, applied = candidate, checked, applied + repaired
    return Fixed(current, applied, result, notices)


def _key(finding: ReportedFinding) -> tuple[str, str | None, str, str]:
    return (finding.rule.id, finding.task, finding.location.pointer,
            finding.fix.title if finding.fix is not None else "")


def _idle(text: str, finding: ReportedFinding, display: str,
          idle: set[tuple[str, str | None, str, str]], notices: list[str]) -> bool:
    """Whether ``finding``'s fix changes nothing in ``text``, the decoded file (then it
    is not applied, nor counted, in any pass; a notice says so once)."""
    if any(text[edit.start:edit.end] != edit.text for edit in _edits(finding)):
        return False
    key = (finding.rule.id, finding.task, finding.location.pointer, finding.message)
    if key not in idle:
        idle.add(key)
        where = finding.location
        notices.append(f"{display}:{where.line}:{where.column}: the fix of {finding.rule.id} "
                       f"({finding.fix.title if finding.fix else ''}) was not applied: "
                       "it changes nothing")
    return True


def _choose(findings: Iterable[ReportedFinding]) -> list[ReportedFinding]:
    """The fixes to apply in one pass: none overlapping another, in a fixed order."""
    chosen: list[ReportedFinding] = []
    taken: list[tuple[int, int]] = []
    for finding in sorted(findings, key=lambda f: (_edits(f)[0].start if _edits(f) else 0,
                                                   f.rule.id, f.location.pointer, f.message)):
        edits = _edits(finding)
        if not edits or any(_overlap(edit, start, end) for edit in edits for start, end in taken):
            continue
        chosen.append(finding)
        taken.extend((edit.start, edit.end) for edit in edits)
    return chosen


def _edits(finding: ReportedFinding) -> tuple[ReportedEdit, ...]:
    return finding.fix.edits if finding.fix is not None else ()


def _overlap(edit: ReportedEdit, start: int, end: int) -> bool:
    return (edit.start < end and start < edit.end) or edit.start == start or (
        edit.start == edit.end and start < edit.start < end) or (
        start == end and edit.start < start < edit.end)


def _serious(result: FileResult) -> Counter[tuple[str, str | None, str]]:
    """The findings at warning or above, by rule, task and pointer: a fix may reword
    another finding (WIN201 names the hosts' new release) without adding one."""
    return Counter((f.rule.id, f.task, f.location.pointer) for f in result.findings
                   if f.severity.rank >= Severity.WARNING.rank)


def _better(result: FileResult, before: Counter[tuple[str, str | None, str]]) -> bool:
    """Whether a fixed file still parses and has no serious finding the original lacked."""
    if result.errors or any(f.rule.id == PARSE_ERROR for f in result.findings):
        return False
    return not (_serious(result) - before)


def _dropped(display: str, finding: ReportedFinding) -> str:
    where = finding.location
    return (f"{display}:{where.line}:{where.column}: the fix of {finding.rule.id} "
            f"({finding.fix.title if finding.fix else ''}) was not applied: the result would "
            "not parse or would have a new problem")


def splice(raw: bytes, edits: list[ReportedEdit]) -> bytes:
    """``raw`` with ``edits`` (offsets in its decoded text, none overlapping) applied;
    every byte outside them is kept."""
    bom, codec, _ = encoding(raw)
    body = raw[len(bom):]
    text = body.decode(codec)
    newline = _newline(text)
    # A CRLF is one character of the decoded text and two of ``text``.
    crlf_at: list[int] = []
    at = text.find("\r\n")
    while at != -1:
        crlf_at.append(at - len(crlf_at))
        at = text.find("\r\n", at + 2)
    pieces, position, byte = [bom], 0, len(bom)
    for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
        start = edit.start + bisect_left(crlf_at, edit.start)
        end = edit.end + bisect_left(crlf_at, edit.end)
        kept = text[position:start].encode(codec)
        pieces.append(raw[byte:byte + len(kept)])
        byte += len(kept) + len(text[start:end].encode(codec))
        pieces.append(edit.text.replace("\n", newline).encode(codec))
        position = end
    pieces.append(raw[byte:])
    return b"".join(pieces)


def _newline(text: str) -> str:
    """The file's line-ending style: the most common of CRLF, LF and CR."""
    crlf = text.count("\r\n")
    counts = {"\r\n": crlf, "\n": text.count("\n") - crlf, "\r": text.count("\r") - crlf}
    return max(counts, key=lambda style: (counts[style], style == "\n"))
