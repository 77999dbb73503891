"""Inline suppressions: ``# ecslint: ignore[...]`` comments in the files linted.

YAML and CloudFormation templates take inline comments, after flake8's
``noqa`` and yamllint's ``disable-line``:

- ``# ecslint: ignore[WIN110, windows-memory-reservation]`` after content on a
  line suppresses those rules for findings that start on that line;
- the same comment alone on a line applies to the next line that is not itself
  a comment-only line, so several directives can be stacked above one key;
- a bare ``# ecslint: ignore`` suppresses every rule there (as a bare ``noqa``
  does). It must end its comment segment: ``# ecslint: ignore WIN110`` is
  malformed and suppresses nothing, so a forgotten bracket never hides more
  than asked. A reason may follow the brackets or a further ``#``.

Brackets take rule ids and names, exactly as written: a family such as ``WIN``
is not accepted inline. Codes that name no rule, and malformed directives, are
kept and returned by ``InlineSuppressions.problems`` so the engine can warn.

The scan works line by line: a comment starts at a ``#`` at the start of a line
or after whitespace, outside a quoted scalar opened on that line. Its limits: a
quoted or block scalar that spans lines and holds `` # ecslint: ignore`` on a
continuation line is read as a comment. Lines are split on ``\\n`` only, the
same lines the source map counts.

A reader names its comment marker (``Reader.comment``); JSON has none, so its files
use the configuration's pointer-scoped ``ignores`` (``ecslint.config.ignores``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from ecslint.config.selection import SelectionError, Selector, did_you_mean
from ecslint.rule import Rule

_DIRECTIVE = re.compile(r"\s*ecslint:\s*ignore\b\s*", re.IGNORECASE)
_QUOTE_OPENERS = " \t[{,:-?"


@dataclass(frozen=True)
class Code:
    """One rule id or name inside a directive's brackets, with its 1-based position."""

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class SuppressionProblem:
    """A directive the engine should warn about (malformed, or naming no rule)."""

    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Directive:
    """One ``ecslint: ignore`` comment at the column of its ``#``; ``codes`` is ``None``
    for the bare form."""

    line: int
    column: int
    codes: tuple[Code, ...] | None

    def covers(self, rule: Rule) -> bool:
        """Whether this directive suppresses ``rule``."""
        return self.codes is None or any(c.text in rule.keys for c in self.codes)


@dataclass
class InlineSuppressions:
    """The inline directives of one YAML text, keyed by the line they apply to."""

    by_line: dict[int, list[Directive]] = field(default_factory=dict)
    directives: list[Directive] = field(default_factory=list)
    malformed: list[SuppressionProblem] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, marker: str | tuple[str, ...] = "#") -> InlineSuppressions:
        """Scan ``text`` (line endings already normalised to ``\\n``) for directives in
        comments that start with ``marker`` (or any of several: HCL has ``#`` and ``//``)."""
        found = cls()
        pending: list[Directive] = []
        markers = (marker,) if isinstance(marker, str) else marker
        for number, line in enumerate(text.split("\n"), start=1):
            start, used = min(((at, one) for one in markers
                               if (at := _comment_start(line, one)) is not None),
                              default=(None, ""))
            directives = [] if start is None else found._parse_comment(line, start, number, used)
            if start is not None and not line[:start].strip():
                pending.extend(directives)
                continue
            targets = pending + directives
            if targets:
                found.by_line.setdefault(number, []).extend(targets)
            pending = []
        return found

    def _parse_comment(self, line: str, start: int, number: int, marker: str) -> list[Directive]:
        directives = []
        offset = start + len(marker)
        for segment in line[offset:].split(marker):
            match = _DIRECTIVE.match(segment)
            if match:
                # The directive's column is the 1-based column of the marker before it.
                column = offset - len(marker) + 1
                directive = self._directive(segment, match.end(), offset, number, column)
                if directive is not None:
                    directives.append(directive)
                    self.directives.append(directive)
            offset += len(segment) + len(marker)
        return directives

    def _directive(self, segment: str, end: int, offset: int, number: int,
                   column: int) -> Directive | None:
        rest = segment[end:]
        if not rest.strip():
            return Directive(number, column, None)
        close = rest.find("]")
        if not rest.startswith("[") or close < 0:
            self.malformed.append(SuppressionProblem(
                number, column,
                "malformed suppression: write '# ecslint: ignore[ID or name, ...]' "
                "or a bare '# ecslint: ignore'",
            ))
            return None
        codes = []
        position = offset + end + 1
        for item in rest[1:close].split(","):
            if item.strip():
                lead = len(item) - len(item.lstrip())
                codes.append(Code(item.strip(), number, position + lead + 1))
            position += len(item) + 1
        if not codes:
            self.malformed.append(SuppressionProblem(
                number, column, "empty suppression: name the rules inside the brackets",
            ))
            return None
        return Directive(number, column, tuple(codes))

    def suppresses(self, rule: Rule, line: int) -> bool:
        """Whether a directive suppresses ``rule`` for a finding starting on ``line``."""
        return any(d.covers(rule) for d in self.by_line.get(line, ()))

    def problems(self, rules: Iterable[Rule]) -> list[SuppressionProblem]:
        """Malformed directives and codes that are no rule's id or name, in line order."""
        known = {key for rule in rules for key in rule.keys}
        found = list(self.malformed)
        for directive in self.directives:
            found.extend(
                SuppressionProblem(code.line, code.column, _unknown_code(code.text, known))
                for code in directive.codes or () if code.text not in known
            )
        return sorted(found, key=lambda p: (p.line, p.column))


def _unknown_code(text: str, known: set[str]) -> str:
    if _is_group(text):
        return (f"{text!r} selects a group of rules; suppression comments take "
                "rule ids or names")
    guess = did_you_mean(text, known)
    hint = f" (did you mean {guess!r}?)" if guess else ""
    return f"unknown rule {text!r} in suppression comment{hint}"


def _is_group(text: str) -> bool:
    try:
        return not Selector.parse(text).exact
    except SelectionError:
        return False


def _comment_start(line: str, marker: str) -> int | None:
    """The index of the ``marker`` that starts a comment on ``line``, if any."""
    quote: str | None = None
    index = 0
    while index < len(line):
        char = line[index]
        before = line[index - 1] if index else " "
        if quote == '"' and char == "\\" or quote == "'" and line[index:index + 2] == "''":
            index += 1
        elif quote is not None:
            if char == quote:
                quote = None
        elif char in "\"'" and before in _QUOTE_OPENERS:
            quote = char
        elif line.startswith(marker, index) and before in " \t":
            return index
        index += 1
    return None
