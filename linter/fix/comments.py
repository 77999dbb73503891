"""Fixes of suppression comments: drop a code that names no rule (E005) or suppresses
nothing (E004), or the whole directive when it has no other code.

``# ecslint: ignore[WIN110, WIN999]`` loses ``, WIN999``; ``# ecslint: ignore[WIN999]``
loses its comment segment (a reason after it goes too, being about it; another
``#`` segment after it stays), and its whole line when the comment stood alone there.
A directive read in the text of a value (a YAML block scalar's script line) is not a
comment: it gets no fix.
"""

from __future__ import annotations

from collections.abc import Iterable

from ecslint.fix.operations import TextEdit
from ecslint.load.sourcemap import LineIndex, Span
from ecslint.suppress.directives import Directive


def without_code(text: str, lines: LineIndex, directives: Iterable[Directive], line: int,
                 column: int, markers: tuple[str, ...], values: Iterable[Span] = ()
                 ) -> tuple[TextEdit, ...] | None:
    """The edits that remove the code at ``line``:``column`` (``lines`` indexes
    ``text``) from its directive (one of ``directives``), or the directive that starts
    there; ``None`` when none does, or
    when the directive lies inside one of ``values`` (the spans of scalars)."""
    start = lines.offset(line, 1)
    for directive in directives:
        if directive.line != line:
            continue
        marker_at = start + directive.column - 1
        if any(value.value_start <= marker_at < value.value_end for value in values):
            return None
        codes = directive.codes or ()
        if directive.column == column and not codes:
            return _without_directive(text, start, directive, markers)
        for index, code in enumerate(codes):
            if code.column != column:
                continue
            if len(codes) == 1:
                return _without_directive(text, start, directive, markers)
            at = start + code.column - 1
            if index + 1 < len(codes):
                return (TextEdit(at, start + codes[index + 1].column - 1, ""),)
            before = codes[index - 1]
            return (TextEdit(start + before.column - 1 + len(before.text), at + len(code.text),
                             ""),)
    return None


def _without_directive(text: str, start: int, directive: Directive,
                       markers: tuple[str, ...]) -> tuple[TextEdit, ...]:
    end = text.find("\n", start)
    end = len(text) if end == -1 else end
    marker_at = start + directive.column - 1
    marker = next(m for m in markers if text.startswith(m, marker_at))
    close = text.find("]", marker_at, end) if directive.codes else marker_at + len(marker)
    following = min((found for m in markers
                     if (found := text.find(m, close + 1, end)) != -1), default=end)
    if following < end:  # another comment segment follows: it stays
        return (TextEdit(marker_at, following, ""),)
    before = text[start:marker_at]
    if not before.strip():
        return (TextEdit(start, min(end + 1, len(text)), ""),)
    return (TextEdit(start + len(before.rstrip(" \t")), end, ""),)

