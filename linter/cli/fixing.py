"""``check --fix``, ``--unsafe-fixes`` and ``--diff``: fix the files, then report what is left.

Each file is fixed on its own (``ecslint.fix.apply.fix_bytes``), in this process, in
the order the report uses. ``--fix`` writes a changed file atomically, keeping its
mode (through a symbolic link, to the file it points to); standard input's fixed
text goes to standard output. ``--diff`` writes nothing: it prints a unified diff of
every change on standard output. Then the fixed contents are linted as usual (with
``--jobs``, the baseline and every output format), so the report and the exit status
are those of the files as ``--fix`` leaves them; findings a baseline records are
not fixed.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ecslint.report.model import InputProblem

if TYPE_CHECKING:
    from ecslint.config.lint_options import LintOptions
    from ecslint.engine import ProgressCallback
    from ecslint.load.sources import Source, Unreadable
    from ecslint.report.model import Report
    from ecslint.suppress.baseline import Baseline


def fix_paths(paths: Sequence[str], options: LintOptions, stdin_name: str | None, *,
              unsafe: bool, diff: bool, sniff: bool, jobs: int, baseline: Baseline | None,
              progress: ProgressCallback | None) -> Report:
    """Fix the files under ``paths`` (write them, or with ``diff`` print the diff) and
    return the report of the fixed contents."""
    from dataclasses import replace

    from ecslint.engine import lint_sources
    from ecslint.fix.apply import fix_bytes
    from ecslint.load.document import InputError
    from ecslint.load.readers import walked
    from ecslint.load.sources import STDIN, Source, discover, read_bytes

    fixed_sources: list[Source | Unreadable] = []
    notices: list[str] = []
    unwritten: list[InputProblem] = []
    applied = 0
    found = sorted(discover(paths, walked, options.excludes, stdin_name),
                   key=lambda item: getattr(item, "display", getattr(item, "path", "")))
    for item in found:
        if not isinstance(item, Source):
            fixed_sources.append(item)
            continue
        source = replace(item, explicit=False) if sniff else item
        try:
            raw = read_bytes(source)
        except InputError:
            fixed_sources.append(source)  # linting it says why it cannot be read
            continue
        wanted = (lambda finding: not baseline.records(finding)) if baseline else (
            lambda finding: True)
        outcome = fix_bytes(raw, source.display, options, unsafe=unsafe, wanted=wanted,
                            explicit=source.explicit)
        notices.extend(outcome.notices)
        if source.path == STDIN and not diff:
            sys.stdout.buffer.write(outcome.data)
            sys.stdout.buffer.flush()
        elif outcome.data != raw:
            if diff:
                _print_diff(source.display, raw, outcome.data)
            else:
                reason = _write(source.path or source.display, outcome.data)
                if reason is not None:
                    unwritten.append(InputProblem(source.display,
                                                  f"cannot write the fixes: {reason}"))
                    outcome.data, outcome.applied = raw, 0  # nothing was fixed
        applied += outcome.applied
        fixed_sources.append(Source(source.path, source.display, source.explicit, outcome.data))
    report = lint_sources(fixed_sources, options, jobs=jobs, baseline=baseline,
                          progress=progress)
    report.fixing, report.fixed = ("diff" if diff else "fix"), applied
    report.notices += notices
    report.add(errors=unwritten)
    return report


def _write(path: str, data: bytes) -> str | None:
    """Replace the file at ``path`` (the file a symbolic link points to) with ``data``;
    why it could not be, or ``None``."""
    from ecslint.atomic import replacing

    try:
        with replacing(Path(os.path.realpath(path))) as stream:
            stream.write(data)
    except OSError as exc:
        return (exc.strerror or str(exc)).lower()
    return None


def _print_diff(display: str, before: bytes, after: bytes) -> None:
    """A unified diff of the decoded texts, as ``git diff`` labels it."""
    from ecslint.load.decoding import decode
    from ecslint.report.formatters._common import inert

    old, new = decode(before), decode(after)
    lines = difflib.unified_diff(old.splitlines(keepends=True), new.splitlines(keepends=True),
                                 f"a/{display}", f"b/{display}")
    text = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                   for line in lines)
    sys.stdout.write(inert(text))
    sys.stdout.flush()
