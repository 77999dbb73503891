"""The lint pipeline: sources in, one sorted report out.

``lint_sources`` is the one entry point, whatever the sources are (files and
directories named on the command line, standard input, task definitions fetched
from AWS). For each source, in the order of its name, in this process or in
worker processes (``jobs`` > 1, ``ecslint.parallel``), ``lint_source``:

1. reads its bytes (``ecslint.load.sources``) and picks the reader of its format
   (``ecslint.load.readers``) by name, else by content;
2. parses the text into documents with their source maps (a file that names no
   task definition is passed over unparsed unless it was named explicitly);
3. finds the task definitions in each document (``ecslint.tasks.shapes``) and decides
   each task's platform (``ecslint.platform.detect``);
4. runs the enabled rules, places each finding in the file
   (``ecslint.report.placement``) and lets the ``Suppressor`` drop what selection,
   ignore comments and configuration ``ignores`` take.

Back here, in the order of the names whatever the number of processes (so the
report is the same byte for byte), the baseline drops the findings it records,
the report folds each result in (holding a bounded number in memory, see
``ecslint.report.model``) and, after the last source, the suppressions that matched
nothing become E004. A rule
that raises is contained: it becomes an internal error naming the rule (exit 2)
and the other rules and files still run; so does any other exception while one
file is linted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from ecslint.builtin_ids import UNUSED_SUPPRESSION
from ecslint.config.lint_options import LintOptions
from ecslint.file_linter import FileLinter
from ecslint.load.decoding import decode
from ecslint.load.document import InputError
from ecslint.load.readers import for_text, walked
from ecslint.load.sources import STDIN, FileTooLarge, Source, Unreadable, discover, read_bytes
from ecslint.prepare import unconsumed, with_registries
from ecslint.report.model import FileResult, InputProblem, Report
from ecslint.suppress.directives import InlineSuppressions
from ecslint.suppress.filter import Suppressor
from ecslint.tasks.shapes import STRONG_MARKERS, TASK_MARKERS

if TYPE_CHECKING:
    from ecslint.suppress.baseline import Baseline

ProgressCallback = Callable[[int, int], None]


def lint_paths(
    paths: Iterable[str], options: LintOptions, stdin_name: str | None = None, *,
    jobs: int = 1, baseline: Baseline | None = None, progress: ProgressCallback | None = None,
    sniff: bool = False,
) -> Report:
    """Lint every file under ``paths`` (``-`` is standard input, shown as ``stdin_name``).

    ``sniff`` treats the named files as a directory scan treats the files it
    finds: one that mentions no task definition is passed over unparsed
    (pre-commit names every JSON and YAML file). See ``lint_sources``.
    """
    found = discover(paths, walked, options.excludes, stdin_name)
    if sniff:
        found = (replace(item, explicit=False) if isinstance(item, Source) else item
                 for item in found)
    return lint_sources(found, options, jobs=jobs, baseline=baseline, progress=progress)


def lint_sources(
    sources: Iterable[Source | Unreadable | InputProblem], options: LintOptions, *,
    jobs: int = 1, baseline: Baseline | None = None, progress: ProgressCallback | None = None,
) -> Report:
    """Lint ``sources`` and return the sorted report; missing paths and problems met
    before linting (``InputProblem``) are errors.

    ``jobs`` > 1 lints in that many worker processes (options built by
    ``LintOptions.from_config`` only); the report is the same. Findings the
    ``baseline`` records are left out. ``progress(done, total)`` is called before
    the first source and after each one. A configuration or baseline file holding
    E004 findings counts as a file examined.
    """
    report = Report(rules=options.enabled)
    to_lint: list[Source] = []
    for item in sources:
        if isinstance(item, Unreadable):
            report.add(errors=[InputProblem(item.path, item.reason)])
        elif isinstance(item, InputProblem):
            report.add(errors=[item])
        else:
            to_lint.append(item)
    to_lint = unconsumed(to_lint)
    if options.resolve is not None and not options.host.resolved:
        to_lint, options, notices = with_registries(
            to_lint, options, lambda sources, options: _results(sources, options, jobs))
        report.notices += notices
    # In the order the report sorts by, so that findings stream into it in order.
    to_lint.sort(key=lambda source: source.display)
    usage = None
    if UNUSED_SUPPRESSION in options.enabled_ids:  # judged at the end, see ecslint.suppress.unused
        from ecslint.suppress.unused import Usage, leftovers

        usage = Usage()
    if progress is not None:
        progress(0, len(to_lint))
    results = zip(to_lint, _results(to_lint, options, jobs), strict=True)
    for done, (source, result) in enumerate(results, start=1):
        if result.skipped is not None:
            report.skipped.append((source.display, result.skipped))
        else:
            report.add_file(result, baseline, source.display)
        if usage is not None:
            usage.add(source.display, result)
        if progress is not None:
            progress(done, len(to_lint))
    if usage is not None:
        unused = leftovers(options, usage, baseline)
        report.add(unused)
        report.files += len({finding.location.file for finding in unused})
    return report


def _results(sources: list[Source], options: LintOptions, jobs: int) -> Iterator[FileResult]:
    if jobs > 1 and len(sources) > 1:
        from ecslint.parallel import lint_in_processes

        return lint_in_processes(sources, options, jobs, lint_source)
    return (lint_source(source, options) for source in sources)


def lint_source(source: Source, options: LintOptions) -> FileResult:
    """Lint one source; never raises for anything the source contains."""
    try:
        raw = read_bytes(source)
    except InputError as exc:
        if isinstance(exc, FileTooLarge) and not source.explicit:  # no task is that large
            return FileResult(skipped=FileTooLarge.skipped)
        return FileResult(errors=[InputProblem(source.display, exc.message)])
    return lint_bytes(raw, source.display, source.explicit, options)


def lint_bytes(raw: bytes, display: str, explicit: bool, options: LintOptions) -> FileResult:
    """Lint the content of one file shown as ``display``.

    Like a rule that raises, an unexpected exception anywhere else (decoding,
    parsing, finding the tasks, placing findings: a bug in ecslint, not in the
    file) becomes an internal error of this file (exit 2) and the other files
    still run, unless ``options.raise_rule_errors``.
    """
    try:
        return _lint_bytes(raw, display, explicit, options)
    except Exception as exc:
        if options.raise_rule_errors:
            raise
        message = f"internal error: {type(exc).__name__}: {exc}"
        return FileResult(errors=[InputProblem(display, message)])


def _lint_bytes(raw: bytes, display: str, explicit: bool, options: LintOptions) -> FileResult:
    result = FileResult()
    try:
        text = decode(raw)
    except InputError as exc:
        if explicit or any(marker.encode() in raw for marker in STRONG_MARKERS):
            result.errors.append(InputProblem(display, exc.message, exc.line, exc.column))
        return result
    if not explicit and not any(marker in text for marker in TASK_MARKERS):
        return result
    reader = for_text(text, display)
    try:
        parsed = reader.parse(text, None if display == STDIN else display)
    except InputError as exc:
        result.errors.append(InputProblem(display, exc.message, exc.line, exc.column))
        return result
    wanted = explicit or any(marker in text for marker in STRONG_MARKERS)
    marker = reader.comment
    inline = (InlineSuppressions.from_text(text, marker)
              if marker is not None and "ecslint:" in text else None)
    FileLinter(display, options, result, Suppressor(display, options, result, inline),
               text, reader).run(parsed, explicit, wanted)
    return result
