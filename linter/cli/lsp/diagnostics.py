"""A lint's findings and input errors as LSP diagnostics.

A finding becomes a diagnostic coded by its rule id, with the rule's documentation as
``codeDescription``, ``source`` "ecslint", its severity (error, warning, information)
and its ``related`` places as related information. A file that could not be linted
(it does not parse, or ecslint failed on it) gets one E001 error at the place said,
else at the file's start. Positions go through ``positions.Lines``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from lsprotocol import types

from ecslint.builtin_ids import PARSE_ERROR
from ecslint.cli.docs import help_uri
from ecslint.cli.lsp.positions import Lines
from ecslint.registry import find_rule
from ecslint.report.model import FileResult, InputProblem, Location, ReportedFinding
from ecslint.rule import Rule, Severity

SOURCE = "ecslint"

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def lsp_range(lines: Lines, line: int, column: int, end_line: int | None,
              end_column: int | None) -> types.Range:
    """ecslint's 1-based region as an LSP range; a region without an end covers the
    character at its start."""
    start = lines.to_client(line, column)
    if end_line is None or end_column is None:
        end_line, end_column = line, column + 1
    end = lines.to_client(end_line, end_column)
    if end < start:
        end = start
    return types.Range(start=types.Position(*start), end=types.Position(*end))


def diagnostic(finding: ReportedFinding, lines: Lines, display: str,
               uri_of: Callable[[str], str], lines_of: Callable[[str], Lines]
               ) -> types.Diagnostic:
    """One finding as a diagnostic; ``uri_of`` and ``lines_of`` give the URI and the
    lines of another file a related place lies in."""
    loc = finding.location
    related = [
        types.DiagnosticRelatedInformation(
            location=types.Location(uri=uri_of(place.file), range=_place(
                place, lines if place.file == display else lines_of(place.file))),
            message=f"{finding.rule.id}: related place ({place.pointer or '/'})")
        for place in finding.related]
    return types.Diagnostic(
        range=_place(loc, lines), message=finding.message,
        severity=_SEVERITY.get(finding.severity, types.DiagnosticSeverity.Warning),
        code=finding.rule.id, code_description=types.CodeDescription(
            href=help_uri(finding.rule)),
        source=SOURCE, related_information=related or None)


def _place(loc: Location, lines: Lines) -> types.Range:
    return lsp_range(lines, loc.line, loc.column, loc.end_line, loc.end_column)


def error_diagnostic(error: InputProblem, lines: Lines) -> types.Diagnostic:
    """A file ecslint could not lint, as an E001 error at the place given."""
    line, column = error.line or 1, error.column or 1
    parse_error = find_rule(PARSE_ERROR)
    return types.Diagnostic(
        range=lsp_range(lines, line, column, None, None), message=error.message,
        severity=types.DiagnosticSeverity.Error, code=PARSE_ERROR,
        code_description=(types.CodeDescription(href=help_uri(parse_error))
                          if parse_error is not None else None),
        source=SOURCE)


def config_diagnostic(problems: tuple[str, ...]) -> types.Diagnostic:
    """The configuration that applies could not be read: said at the file's start."""
    return types.Diagnostic(
        range=types.Range(start=types.Position(0, 0), end=types.Position(0, 0)),
        message="ecslint configuration: " + "; ".join(problems),
        severity=types.DiagnosticSeverity.Error, source=SOURCE)


def from_result(result: FileResult, lines: Lines, display: str,
                uri_of: Callable[[str], str]
                ) -> list[tuple[types.Diagnostic, ReportedFinding | None]]:
    """Every finding and error of ``result``, each with the finding it came from."""
    others: dict[str, Lines] = {}

    def lines_of(name: str) -> Lines:
        if name not in others:
            try:
                text = Path(name).read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                text = ""
            others[name] = Lines(text, lines.encoding)
        return others[name]

    found: list[tuple[types.Diagnostic, ReportedFinding | None]] = [
        (error_diagnostic(error, lines), None) for error in result.errors]
    found += [(diagnostic(finding, lines, display, uri_of, lines_of), finding)
              for finding in result.findings]
    return found


def rule_of(item: tuple[types.Diagnostic, ReportedFinding | None]) -> Rule | None:
    """The rule a diagnostic reports."""
    finding = item[1]
    if finding is not None:
        return finding.rule
    code = item[0].code
    return find_rule(code) if isinstance(code, str) else None
