"""The HCL syntax tree as ecslint reads it: tree-sitter's parser with the
tree-sitter-hcl grammar, positions as character offsets, and the text of strings
and heredocs.

tree-sitter gives exact rows and columns inside ``jsonencode`` and heredocs (a
hand-written parser is not an option, and python-hcl2 flattens ``jsonencode`` into
a string); it counts in bytes, and every reader's spans count characters, so
``SourceText`` converts.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from ecslint.load.sourcemap import LineIndex, Origin, Span

_ESCAPES = re.compile(r'\\(?:u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)|\$\$\{|%%\{', re.DOTALL)
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


@lru_cache(maxsize=1)
def parser() -> Any:
    """The HCL parser, built once; tree-sitter is imported only when HCL is read."""
    import tree_sitter_hcl
    from tree_sitter import Language, Parser

    return Parser(Language(tree_sitter_hcl.language()))


class SourceText:
    """One HCL file's text and bytes, and the positions of its syntax nodes."""

    def __init__(self, text: str, raw: bytes, origin: Origin | None) -> None:
        self.text, self.raw, self.origin = text, raw, origin
        self.lines = LineIndex(text)
        # Byte offset -> character offset, for text that is not ASCII.
        self._starts: list[int] | None = None
        if not text.isascii():
            starts, position = [], 0
            for character in text:
                starts.append(position)
                position += len(character.encode("utf-8", "surrogatepass"))
            self._starts = starts

    def offset(self, byte: int) -> int:
        if self._starts is None:
            return byte
        return bisect_right(self._starts, byte) - 1 if byte < len(self.raw) else len(self.text)

    def span(self, node: Any, key: Any = None) -> Span:
        start, end = self.offset(node.start_byte), self.offset(node.end_byte)
        if key is None:
            return Span(start, end, origin=self.origin)
        return Span(start, end, self.offset(key.start_byte), self.offset(key.end_byte),
                    self.origin)

    def source(self, node: Any) -> str:
        return self.raw[node.start_byte:node.end_byte].decode("utf-8", "replace")

    def error(self, root: Any) -> tuple[int, int, str]:
        """The first node tree-sitter could not fit into the grammar."""
        node = first_error(root) or root
        line, column = self.lines.position(self.offset(node.start_byte))
        if node.is_missing:
            return line, column, f"HCL syntax error: missing {node.type!r}"
        found = self.source(node).strip().split("\n", 1)[0][:40]
        return line, column, (f"HCL syntax error: unexpected {found!r}" if found
                              else "HCL syntax error")

    def block_header(self, block: Any) -> tuple[str, list[str]]:
        named = block.named_children
        labels = [self.string_label(node) for node in named[1:] if node.type == "string_lit"]
        return self.source(named[0]), labels

    def string_label(self, node: Any) -> str:
        return "".join(self.source(part) for part in node.named_children
                       if part.type == "template_literal")


def first_error(node: Any) -> Any | None:
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error or child.is_missing:
            found = first_error(child)
            if found is not None:
                return found
    return None


def block_body(block: Any) -> Any:
    return next((child for child in block.named_children if child.type == "body"), block)


def children(node: Any, *kinds: str) -> list[Any]:
    """The children of ``node`` of the last kind, below its first child of each
    kind before it: ``children(root, "body", "block")``."""
    for kind in kinds[:-1]:
        node = next((child for child in node.named_children if child.type == kind), None)
        if node is None:
            return []
    return [child for child in node.named_children if child.type == kinds[-1]]


def tuple_items(node: Any) -> list[Any] | None:
    while node.type in ("expression", "collection_value") and len(node.named_children) == 1:
        node = node.named_children[0]
    if node.type != "tuple":
        return None
    return [child for child in node.named_children if child.type == "expression"]


def template_node(node: Any) -> Any | None:
    """The string or heredoc an expression is, if it is one."""
    while node.type in ("expression", "template_expr", "literal_value") and \
            len(node.named_children) == 1:
        node = node.named_children[0]
    return node if node.type in ("string_lit", "quoted_template", "heredoc_template") else None


def content(template: Any, raw: bytes) -> tuple[int, int]:
    """Byte offsets of a string's or heredoc's content (without quotes or markers)."""
    if template.type == "heredoc_template":
        markers = children(template, "heredoc_identifier")
        start = raw.find(b"\n", markers[0].end_byte) + 1 if markers else template.start_byte
        end = markers[-1].start_byte if len(markers) > 1 else template.end_byte
        end = raw.rfind(b"\n", start, end) + 1 or start  # the closing marker's indent
        return start, max(start, end)
    return template.start_byte + 1, max(template.start_byte + 1, template.end_byte - 1)


def dedent(text: str) -> str:
    """An indented heredoc's (``<<-``) value: the indent its lines share removed."""
    lines = text.split("\n")
    indents = [len(line) - len(line.lstrip(" \t")) for line in lines if line.strip()]
    cut = min(indents, default=0)
    return "\n".join(line[cut:] for line in lines)


def unescape(text: str) -> str:
    """A quoted string's value: its escapes (``\\n``, ``\\u00e9``, ``$${``) read."""
    return _ESCAPES.sub(_escaped, text) if "\\" in text or "$$" in text or "%%" in text else text


def unescape_offsets(text: str) -> tuple[str, list[int]]:
    """``unescape(text)`` and, for each of its characters and for its end, the offset
    in ``text`` it is written at (an escape's character at the escape's start)."""
    parts, offsets, position = [], [], 0
    for match in _ESCAPES.finditer(text):
        made = _escaped(match)
        parts += [text[position:match.start()], made]
        offsets += [*range(position, match.start()), *[match.start()] * len(made)]
        position = match.end()
    parts.append(text[position:])
    offsets += range(position, len(text) + 1)
    return "".join(parts), offsets


def _escaped(match: re.Match[str]) -> str:
    escape = match.group(0)
    if escape in ("$${", "%%{"):
        return escape[1:]
    letter = escape[1]
    if letter in "uU":
        return chr(int(escape[2:], 16)) if int(escape[2:], 16) <= 0x10FFFF else escape
    return _SIMPLE.get(letter, escape)


def is_placeholder(value: str, source: str) -> bool:
    return value.startswith("${") and value.endswith("}") and value[2:-1].strip() == source.strip()


def argument_values(block: Any) -> dict[str, Any]:
    """A block's arguments' value nodes, by name."""
    return {node.named_children[0].text.decode("utf-8", "replace"): node.named_children[-1]
            for node in children(block, "body", "attribute")}
