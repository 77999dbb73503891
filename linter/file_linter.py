"""Lint the tasks of one parsed file: run the rules, place what they find, write their
fixes as edits of the file's text, and report what the ``Suppressor`` lets through.

``engine.lint_bytes`` reads and parses the file and hands the documents here; this is
the only place that holds a file's text, its documents and its findings at once, so
fixes (``ecslint.fix``) become text edits here, with the lines and columns to show.
"""

from __future__ import annotations

from functools import cached_property
from pathlib import PurePath
from typing import Any

from ecslint.builtin_ids import (
    NOT_A_TASK_DEFINITION,
    PARSE_ERROR,
    SCHEMA_VIOLATION,
    UNUSED_SUPPRESSION,
)
from ecslint.config.lint_options import LintOptions
from ecslint.fix.operations import Applicability, Fix, TextEdit
from ecslint.load.document import Document, Parsed
from ecslint.load.readers import Reader
from ecslint.load.sourcemap import LineIndex, Path, Span, pointer
from ecslint.platform.detect import summarize, task_view
from ecslint.report.model import (
    FileResult,
    InputProblem,
    Location,
    ReportedEdit,
    ReportedFinding,
    ReportedFix,
)
from ecslint.report.placement import addressed, bounded, location, place
from ecslint.rule import FAMILIES, ID_PATTERN, NAME_PATTERN, Finding, Rule, Severity
from ecslint.suppress.directives import Directive
from ecslint.suppress.filter import Suppressor
from ecslint.tasks.shapes import FoundTask, extract


class FileLinter:
    """Runs the rules over the tasks of one file and reports what they found."""

    def __init__(self, display: str, options: LintOptions, result: FileResult,
                 suppressor: Suppressor, text: str, reader: Reader) -> None:
        self.display, self.options, self.result = display, options, result
        self.suppressor, self.text, self.reader = suppressor, text, reader
        self.stem = PurePath(display).stem or display
        self._documents: list[Document] = []

    def run(self, parsed: Parsed, explicit: bool, wanted: bool) -> None:
        """Lint every task of ``parsed``.

        ``wanted`` files (named explicitly, or mentioning task definitions) also
        report parse problems outside tasks; explicit ones report E003 when they
        hold no task at all.
        """
        found_task = False
        self._documents = parsed.documents
        for document in parsed.documents:
            tasks = extract(document.data, self.stem)
            found_task = found_task or bool(tasks)
            if tasks or wanted:
                for notice in document.notices:
                    sourcemap = document.sourcemap
                    region = sourcemap.region(notice.path, key=notice.on_key)
                    file = sourcemap.file(notice.path) or self.display
                    self._emit(PARSE_ERROR, notice.message,
                               location(file, region, pointer(notice.path)))
            for task in tasks:
                self._lint_task(document, task)
        if parsed.error is not None and (wanted or found_task):
            # A file that could not be linted always fails the run (exit 2): when the
            # selection or a suppression takes its E001, it is an input error instead.
            error = parsed.error
            if not self._emit(PARSE_ERROR, error.message, self._at(error.line, error.column)):
                self.result.errors.append(
                    InputProblem(self.display, error.message, error.line, error.column))
        if explicit and not found_task and parsed.error is None:
            self._emit(NOT_A_TASK_DEFINITION, "the file holds no ECS task definition",
                       self._at(1, 1))
        self.result.linted = parsed.error is None
        if found_task or wanted:
            for problem in self.suppressor.problems():
                where = self._at(problem.line, problem.column, problem.end_column)
                fix = self._comment_fix(problem.rule_id, problem.line, problem.column)
                self._emit(problem.rule_id, problem.message, where, exclude=problem.directive,
                           fix=fix)

    def _lint_task(self, document: Document, task: FoundTask) -> None:
        options = self.options
        view = task_view(task, options)
        self.result.tasks.append(summarize(self.display, view))
        found: list[tuple[Rule, Finding]] = []
        for rule in options.checks:
            try:
                found.extend((rule, finding) for finding in rule.run(view))
            except Exception as exc:
                if options.raise_rule_errors:
                    raise
                line = document.sourcemap.region(task.to_document(())).line
                self.result.errors.append(InputProblem(
                    self.display,
                    f"internal error in rule {rule.id} ({rule.name}) on task {task.name!r}: "
                    f"{type(exc).__name__}: {exc}",
                    line, 1,
                ))
        # A specific rule explains a value better than the schema's generic E002
        # (ECS410 on a health-check range, ECS413 on a name): say it once.
        # Only on a scalar: a finding on a whole task or container (ECS408, FG302)
        # does not explain the keys E002 finds missing there.
        specific = {f.path for rule, f in found
                    if rule.family != "E" and _is_scalar_at(task.data, f.path)}
        for rule, finding in found:
            if rule.id != SCHEMA_VIOLATION or finding.path not in specific:
                hosts = view.host.placement
                where, related, container = place(finding, task, document.sourcemap,
                                                  self.display, hosts)
                message = addressed(finding.message, task, hosts)
                fix = (self._fix(finding.fix, rule, task, document)
                       if finding.fix is not None and where.file == self.display else None)
                self._emit(rule.id, bounded(message), where,
                           task.name, related, finding.severity, container, fix=fix)

    def _fix(self, fix: Fix, rule: Rule, task: FoundTask, document: Document
             ) -> ReportedFix | None:
        """``fix`` written as edits of this file's text, when it can be."""
        from ecslint.fix.writer import text_edits

        edits = text_edits(fix, task, document, self.text, self.reader.name)
        if edits is None:
            return None
        applicability = fix.applicability or rule.fix or Applicability.UNSAFE
        return ReportedFix(fix.title, applicability, self._reported(edits))

    def _comment_fix(self, rule_id: str, line: int, column: int) -> ReportedFix | None:
        """E004 and E005 remove the code, or the directive, they are about."""
        inline = self.suppressor.inline
        marker = self.reader.comment
        if inline is None or marker is None:
            return None
        from ecslint.fix.comments import without_code

        directives = inline.inline.directives
        if rule_id != UNUSED_SUPPRESSION and self._plugin_code(directives, line, column):
            return None
        markers = (marker,) if isinstance(marker, str) else marker
        edits = without_code(self.text, self._lines, directives, line, column, markers,
                             self._scalar_values)
        if edits is None:
            return None
        what = "unused" if rule_id == UNUSED_SUPPRESSION else "unknown"
        return ReportedFix(f"Remove the {what} suppression", Applicability.SAFE,
                           self._reported(edits))

    def _plugin_code(self, directives: list[Directive], line: int, column: int) -> bool:
        """Whether the unknown code at ``line``:``column`` may name a plugin's rule that
        is installed where the file is also linted: an id of a family ecslint lacks, or
        a name close to none of its rules. Its comment is then left as it is."""
        from ecslint.config.selection import did_you_mean

        code = next((code.text for directive in directives if directive.line == line
                     for code in directive.codes or () if code.column == column), None)
        if code is None:
            return False
        family = ID_PATTERN.match(code)
        if family is not None:
            return family.group("family") not in FAMILIES
        known = [key for rule in self.options.rules for key in rule.keys]
        return NAME_PATTERN.match(code) is not None and did_you_mean(code, known) is None

    @cached_property
    def _lines(self) -> LineIndex:
        return LineIndex(self.text)

    @cached_property
    def _scalar_values(self) -> list[Span]:
        """The spans of the file's scalar values, once for all its E004 and E005 fixes."""
        return _scalar_spans(self._documents)

    def _reported(self, edits: tuple[TextEdit, ...]) -> tuple[ReportedEdit, ...]:
        reported = []
        for edit in sorted(edits, key=lambda edit: (edit.start, edit.end)):
            region = self._lines.region(edit.start, edit.end)
            reported.append(ReportedEdit(edit.start, edit.end, region.line, region.column,
                                         region.end_line, region.end_column,
                                         pointer(edit.path), edit.text))
        return tuple(reported)

    def _emit(self, rule_id: str, message: str, where: Location, task: str | None = None,
              related: tuple[Location, ...] = (), severity: Severity | None = None,
              container: str | None = None, exclude: Directive | None = None,
              fix: ReportedFix | None = None) -> bool:
        """Report a finding unless the ``Suppressor`` takes it (``exclude`` may not);
        whether it was reported."""
        rule = self.options.by_id[rule_id]
        if not self.suppressor.wanted(rule, where, exclude):
            return False
        effective = self.options.selection.severity_override(rule) or severity or rule.severity
        self.result.findings.append(ReportedFinding(
            rule, effective, message, where, task, related, container, fix))
        return True

    def _at(self, line: int, column: int, end_column: int | None = None) -> Location:
        end_line = None if end_column is None else line
        return Location(self.display, line, column, end_line, end_column, "")


def _is_scalar_at(data: Any, path: Path) -> bool:
    """Whether ``path`` leads to a value that is neither an object nor a list."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    return not isinstance(data, (dict, list))


def _scalar_spans(documents: list[Document]) -> list[Span]:
    """The spans, in this file's text, of the scalar values of ``documents``: a
    comment marker inside one is part of the value."""
    spans = []
    for document in documents:
        for path, span in document.sourcemap.spans.items():
            node: Any = document.data
            try:
                for part in path:
                    node = node[part]
            except (KeyError, IndexError, TypeError):
                continue
            if span.origin is None and not isinstance(node, (dict, list)):
                spans.append(span)
    return spans
