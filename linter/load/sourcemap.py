"""Where every key and value of a parsed document sits in its source text.

A ``SourceMap`` maps a path (a tuple of keys and list indexes, the same type as
jsonschema's ``ValidationError.absolute_path``) to a ``Span`` of character
offsets. Offsets are turned into 1-based lines and columns only when a finding
needs them. Columns count Unicode code points, which is what SARIF calls
``unicodeCodePoints``. The text a map refers to has its line endings
normalised to ``\\n`` by the reader, so CRLF and CR files give the same lines.

A node read from another file than the document's (a Terraform variable's
default in ``variables.tf``, a container list in a ``templatefile``) has a span
with an ``Origin``: that file's name and lines.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

PathKey = str | int
Path = tuple[PathKey, ...]


@dataclass(frozen=True, slots=True)
class Span:
    """Offsets ``[start, end)`` of a node's value and, for mapping members, of its key;
    ``origin`` when they are offsets of another file than the document's."""

    value_start: int
    value_end: int
    key_start: int | None = None
    key_end: int | None = None
    origin: Origin | None = None


@dataclass(frozen=True, slots=True)
class Region:
    """A 1-based line/column range; the end is exclusive, as in SARIF."""

    line: int
    column: int
    end_line: int
    end_column: int


class LineIndex:
    """Converts character offsets of one text into 1-based (line, column)."""

    __slots__ = ("_starts",)

    def __init__(self, text: str) -> None:
        starts = [0]
        find = text.find
        pos = find("\n")
        while pos != -1:
            starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self._starts = starts

    def position(self, offset: int) -> tuple[int, int]:
        """Return the 1-based line and column of ``offset``."""
        line = bisect_right(self._starts, offset)
        return line, offset - self._starts[line - 1] + 1

    def offset(self, line: int, column: int) -> int:
        """The offset of a 1-based ``line`` and ``column`` (the inverse of ``position``)."""
        return self._starts[min(max(line, 1), len(self._starts)) - 1] + max(column, 1) - 1

    def region(self, start: int, end: int) -> Region:
        """Return the region covering offsets ``[start, end)``."""
        line, column = self.position(start)
        end_line, end_column = self.position(end)
        return Region(line, column, end_line, end_column)


class Origin:
    """Another file a document's nodes were read from: its name as shown, its lines."""

    __slots__ = ("display", "lines")

    def __init__(self, display: str, lines: LineIndex) -> None:
        self.display, self.lines = display, lines


class SourceMap:
    """Spans of every node of one document, keyed by path; ``definitions`` holds,
    for a value written as a reference (a Terraform ``var.x``), where it is defined."""

    __slots__ = ("spans", "lines", "definitions")

    def __init__(self, lines: LineIndex, spans: dict[Path, Span] | None = None,
                 definitions: dict[Path, Span] | None = None) -> None:
        self.lines = lines
        self.spans: dict[Path, Span] = spans if spans is not None else {}
        self.definitions: dict[Path, Span] = definitions if definitions is not None else {}

    def nearest(self, path: Path) -> tuple[Path, Span]:
        """Return the longest prefix of ``path`` that has a span, with that span.

        A missing key is located on its parent, as cfn-lint and jsonschema users
        expect. The root always has a span.
        """
        for cut in range(len(path), -1, -1):
            span = self.spans.get(path[:cut])
            if span is not None:
                return path[:cut], span
        raise KeyError(path)

    def region(self, path: Path, *, key: bool = False) -> Region:
        """The region of the node at ``path`` (its key when ``key`` and it has one)."""
        _, span = self.nearest(path)
        lines = self.lines if span.origin is None else span.origin.lines
        if key and span.key_start is not None and span.key_end is not None:
            return lines.region(span.key_start, span.key_end)
        return lines.region(span.value_start, span.value_end)

    def definition(self, path: Path) -> tuple[str | None, Region] | None:
        """Where the value at ``path`` is defined, when it is written as a reference:
        the file (``None`` for the document's own) and the region."""
        span = self.definitions.get(path)
        if span is None:
            return None
        lines = self.lines if span.origin is None else span.origin.lines
        return (None if span.origin is None else span.origin.display,
                lines.region(span.value_start, span.value_end))

    def file(self, path: Path) -> str | None:
        """The file the node at ``path`` was read from, when not the document's own."""
        origin = self.nearest(path)[1].origin
        return None if origin is None else origin.display


def pointer(path: Path) -> str:
    """Return the RFC 6901 JSON pointer of ``path``."""
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)
