"""Which suppressions matched nothing: the findings of E004 ``unused-suppression``.

Three kinds of suppression can go stale, and each is judged only where the run
can tell, so that linting a few changed files never reports the rest:

- an inline code (``# ecslint: ignore[WIN110]``) is unused when its rule ran on
  the file and reported nothing it covered; a bare ``# ecslint: ignore`` when it
  covered nothing at all. Codes naming no rule are E005's; codes naming E004
  itself are never judged, or a comment could be needed only to hide itself;
- a configuration ``ignores`` entry, provided one of its rules ran, is unused
  when none of the linted files its ``path`` matches had a finding it covered, or
  when its ``path`` has no wildcard and names no existing file;
- a baseline entry is unused when its file was linted and its rule ran there
  but no finding matched it, or when its file no longer exists (a task
  definition ``ecslint aws`` names by ARN is never judged gone).

Files that did not parse, or where a rule crashed, are never judged: their
findings are incomplete. ``ecslint.suppress.filter`` tracks one file's directives
(in worker processes too); ``leftovers`` judges configuration and baseline
entries once, after every file.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from ecslint.builtin_ids import UNUSED_SUPPRESSION
from ecslint.config.lint_options import LintOptions, relative_path
from ecslint.config.selection import Selector, glob_matches
from ecslint.report.model import FileResult, Location, ReportedFinding

if TYPE_CHECKING:
    from ecslint.suppress.baseline import Baseline

_WILDCARDS = frozenset("*?[")


class Usage:
    """What the files of a run used: which configuration ``ignores`` entries, and
    which files were linted completely (by their displayed name)."""

    def __init__(self) -> None:
        self.used_ignores: set[int] = set()
        self.judged: list[str] = []

    def add(self, display: str, result: FileResult) -> None:
        """Record the result of the file shown as ``display``."""
        self.used_ignores |= result.used_ignores
        if result.linted and not result.errors:
            self.judged.append(display)


def leftovers(options: LintOptions, usage: Usage,
              baseline: Baseline | None) -> list[ReportedFinding]:
    """E004 findings for configuration ``ignores`` entries and baseline entries that
    matched nothing in this run; none when E004 is not enabled.

    The baseline may record the findings about ``ignores`` entries (it was written
    with E004 enabled), so they go through it before its own entries are judged.
    """
    if UNUSED_SUPPRESSION not in options.enabled_ids:
        return []
    rule = options.by_id[UNUSED_SUPPRESSION]
    severity = options.selection.severity_of(rule)
    found = [ReportedFinding(rule, severity, message, location)
             for location, message in _unused_ignores(options, usage)]
    if baseline is not None:
        found = [finding for finding in found if not baseline.absorbs(finding)]
        found.extend(ReportedFinding(rule, severity, message, location)
                     for location, message in _unused_entries(options, usage, baseline))
    return found


def _unused_ignores(options: LintOptions, usage: Usage) -> Iterator[tuple[Location, str]]:
    config = options.config
    if options.ignores is None or config is None or config.source is None:
        return
    relpaths = [relative_path(display, options.base_dir) for display in usage.judged]
    positions: list[tuple[int, int]] | None = None
    for index, entry in enumerate(options.ignores.entries):
        if index in usage.used_ignores:
            continue
        selectors = [Selector.parse(text) for text in entry.rules]
        if not any(s.matches(rule) for s in selectors for rule in options.enabled):
            continue
        literal = not _WILDCARDS & set(entry.path)
        if literal and _is_file(entry.path) and _gone(config.root, entry.path):
            message = f"unused ignore: {entry.path!r} does not exist"
        elif any(glob_matches(entry.path, relpath) for relpath in relpaths):
            message = (f"unused ignore: nothing reports {', '.join(entry.rules)} at "
                       f"{entry.pointer or '/'} in {entry.path!r}")
        else:
            continue
        if positions is None:
            positions = _entry_positions(config.source, len(options.ignores.entries))
        line, column = positions[index]
        prefix = "/tool/ecslint" if config.source.suffix == ".toml" else ""
        yield Location(_display(config.source), line, column, None, None,
                       f"{prefix}/ignores/{index}"), message


def _entry_positions(source: Path, count: int) -> list[tuple[int, int]]:
    from ecslint.config.files import read_data

    _, locate = read_data(source)
    return [locate(("ignores", index), False, None) for index in range(count)]


def _unused_entries(options: LintOptions, usage: Usage,
                    baseline: Baseline) -> Iterator[tuple[Location, str]]:
    judged: dict[str, str] = {baseline.relative(display): display for display in usage.judged}
    display = _display(baseline.path)
    for index, entry in baseline.unused():
        what = f"{entry.rule} at {entry.pointer or '/'} in {entry.file!r}"
        if _is_file(entry.file) and _gone(baseline.path.parent, entry.file):
            message = f"unused baseline entry: {entry.file!r} does not exist"
        elif entry.file in judged and _ran(options, entry.rule, judged[entry.file]):
            message = f"unused baseline entry: nothing reports {what}"
        else:
            continue
        yield Location(display, entry.line, entry.column, None, None,
                       f"/findings/{index}"), message


def _ran(options: LintOptions, rule_id: str, display: str) -> bool:
    rule = options.by_id.get(rule_id)
    return rule is not None and options.ran(rule, relative_path(display, options.base_dir))


def _is_file(name: str) -> bool:
    """Whether ``name`` names a file, not a task definition ``ecslint aws`` fetched by
    its ARN: no look at the disk can tell that one is gone, so it is judged only
    when a run lints it."""
    return not any(part.startswith("arn:") for part in PurePath(name).parts)


def _gone(folder: Path, name: str) -> bool:
    """Whether ``name``, relative to ``folder``, is a file of that folder that no longer
    exists. A name that leaves the folder (``..``, an absolute path, a symlink out of it)
    is never looked up: a pull request writes the baseline and the configuration, and
    the answer would tell it whether a path exists on the machine that runs ecslint.
    Such an entry is judged only when a run lints its file."""
    root = os.path.realpath(folder)
    target = os.path.realpath(os.path.join(root, name))
    try:
        if os.path.commonpath([root, target]) != root:
            return False
    except ValueError:  # another drive on Windows
        return False
    return not os.path.lexists(target)


def _display(path: Path) -> str:
    """How to name a configuration or baseline file: relative to the working
    directory when it lies below it, else as it is."""
    try:
        relative = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if relative.startswith("..") else relative
