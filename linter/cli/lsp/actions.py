"""Code actions and hover text for the diagnostics of one lint.

A finding's fix becomes a quick fix (a ``WorkspaceEdit`` of the fix's text edits):
a safe fix is the preferred one, an unsafe fix says "(unsafe)" in its title. Where
the format has comments (YAML, Terraform: ``readers.Reader.comment``), each finding
also gets "Suppress ID on this line", which adds ``# ecslint: ignore[ID]`` at the end
of the finding's first line (or adds the id to the directive already there); the
action is offered only when the text it gives has the same findings less that
rule's on that line, and no new error, so a comment that would land inside a value (a heredoc, a
block scalar) is never offered. Hover shows the documentation of the rules whose
diagnostics cover the position (``docs.explain``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence

from lsprotocol import types

from ecslint.cli.docs import explain
from ecslint.cli.lsp.diagnostics import lsp_range, rule_of
from ecslint.cli.lsp.positions import Lines
from ecslint.load.readers import for_text
from ecslint.report.model import FileResult, ReportedFinding, ReportedFix
from ecslint.rule import Rule

# A diagnostic and the finding it shows (``None`` for an input error).
Item = tuple[types.Diagnostic, ReportedFinding | None]
# Lints a text as the document's file.
Relint = Callable[[str], FileResult]

_DIRECTIVE = re.compile(r"ecslint:\s*ignore\[([^\]]*)\]", re.IGNORECASE)


def overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges touch (an empty range touches the ranges around it)."""
    def key(position: types.Position) -> tuple[int, int]:
        return (position.line, position.character)
    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def fix_action(fix: ReportedFix, lines: Lines, uri: str, version: int | None,
               diagnostic: types.Diagnostic) -> types.CodeAction:
    """A finding's fix as a quick fix."""
    safe = fix.applicability == "safe"
    edits = [types.TextEdit(range=lsp_range(lines, edit.line, edit.column, edit.end_line,
                                            edit.end_column), new_text=edit.text)
             for edit in fix.edits]
    return types.CodeAction(
        title=fix.title if safe else f"{fix.title} (unsafe)",
        kind=types.CodeActionKind.QuickFix, diagnostics=[diagnostic], is_preferred=safe,
        edit=_workspace_edit(uri, version, edits))


def _workspace_edit(uri: str, version: int | None,
                    edits: Sequence[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(changes={uri: list(edits)})


def suppression(text: str, line: int, rule_id: str, marker: str) -> tuple[int, str]:
    """Where on the 1-based ``line`` of ``text`` (a code-point column) to insert what,
    to suppress ``rule_id`` there."""
    content = text.split("\n")[line - 1].rstrip("\r") if line >= 1 else ""
    directives = list(_DIRECTIVE.finditer(content))
    if directives:
        found = directives[-1]
        codes = found.group(1)
        separator = ", " if codes.strip() else ""
        return found.end(1) + 1, separator + rule_id
    return len(content) + 1, f"  {marker} ecslint: ignore[{rule_id}]"


def _with_insertion(text: str, line: int, column: int, inserted: str) -> str:
    lines = text.split("\n")
    content = lines[line - 1]
    lines[line - 1] = content[:column - 1] + inserted + content[column - 1:]
    return "\n".join(lines)


def suppress_action(text: str, path: str, finding: ReportedFinding,
                    findings: Sequence[ReportedFinding], lines: Lines, uri: str,
                    version: int | None, diagnostic: types.Diagnostic,
                    relint: Relint) -> types.CodeAction | None:
    """"Suppress ID on this line", when the format has comments and the comment works:
    the text with it has the same findings as ``findings`` (the text's), less those of
    the rule on that line, and no new error (a comment inside a heredoc's JSON makes
    an E001)."""
    marker = for_text(text, path).comment
    if marker is None:
        return None
    marker = marker if isinstance(marker, str) else marker[0]
    plain = text.replace("\r\n", "\n").replace("\r", "\n")
    line, rule_id = finding.location.line, finding.rule.id
    if line > plain.count("\n") + 1:
        return None
    column, inserted = suppression(plain, line, rule_id, marker)
    after = relint(_with_insertion(plain, line, column, inserted))
    expected = Counter((other.rule.id, other.location.line) for other in findings
                       if (other.rule.id, other.location.line) != (rule_id, line))
    if after.errors or Counter((other.rule.id, other.location.line)
                               for other in after.findings) != expected:
        return None
    at = types.Position(*lines.to_client(line, column))
    edit = types.TextEdit(range=types.Range(start=at, end=at), new_text=inserted)
    return types.CodeAction(
        title=f"Suppress {rule_id} on this line", kind=types.CodeActionKind.QuickFix,
        diagnostics=[diagnostic], edit=_workspace_edit(uri, version, [edit]))


def code_actions(items: Sequence[Item], wanted: types.Range, text: str, path: str,
                 lines: Lines, uri: str, version: int | None,
                 relint: Relint) -> list[types.CodeAction]:
    """The quick fixes and suppressions of the diagnostics that touch ``wanted``."""
    actions: list[types.CodeAction] = []
    suppressions: list[types.CodeAction] = []
    findings = [finding for _, finding in items if finding is not None]
    for diagnostic, finding in items:
        if finding is None or not overlaps(diagnostic.range, wanted):
            continue
        if finding.fix is not None:
            actions.append(fix_action(finding.fix, lines, uri, version, diagnostic))
        action = suppress_action(text, path, finding, findings, lines, uri, version,
                                 diagnostic, relint)
        if action is not None and all(action.title != other.title for other in suppressions):
            suppressions.append(action)
    return actions + suppressions


def hover(items: Sequence[Item], position: types.Position) -> types.Hover | None:
    """The documentation of the rules whose diagnostics cover ``position``."""
    point = types.Range(start=position, end=position)
    rules: list[Rule] = []
    covering: list[types.Diagnostic] = []
    for item in items:
        rule = rule_of(item)
        if overlaps(item[0].range, point) and rule is not None and rule not in rules:
            rules.append(rule)
            covering.append(item[0])
    if not rules:
        return None
    text = "\n\n---\n\n".join(explain(rule) for rule in rules)
    return types.Hover(
        contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value=text),
        range=covering[0].range)
