"""Read template files leniently: a placeholder is an unknown value, not a syntax error.

Template tools (Terraform ``templatefile``, envsubst, Jinja, Proton, the ECS agent's
test fixtures) fill in task definitions before they are registered, so a template
is often not valid JSON or YAML as written: ``"memory": ${memory}``,
``"logConfiguration": $LOG_CONFIGURATION``, ``"essential": {{ essential }}``,
``"cpu": $$$$CPUSHARE$$$$``, ``"name": <TASK_NAME>``, ``"image": {INSERT IMAGE}``,
``"cpu": <%= cpu %>``, or directives such as ``%{ if x } ... %{ endif }`` and
``{% for %} ... {% endfor %}`` (a Jinja comment ``{# ... #}`` is left out).

The reader tries the text as it is first; only when that fails does it ask for a
``Rewrite`` of the text: each placeholder outside a string becomes a string holding
the placeholder's own text, the same value as the placeholder quoted (which
``ecslint.rule.is_unresolved`` reads as unknown), and each directive block (``if``
or ``for`` up to its ``end``) becomes unknown as a whole: a string where a value
stands, nothing where object members stand (so no finding is ever about content
whose presence the template decides). A placeholder where object members stand
(``$$$$START_PERIOD$$$$`` between two members) is left out likewise. The
``Rewrite`` maps every offset of the new text back to the original, so findings on
everything else keep their exact line and column.

Both rewrites are one left-to-right pass whose searches never go back (the bracketed
forms are closed with ``str.find``), so 2 MB of placeholder openers take linear time.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field

from ecslint.load.document import Document, Parsed
from ecslint.load.sourcemap import LineIndex, SourceMap, Span

# What a JSON template holds outside strings: a string, a placeholder, a directive
# tag, or a structural character. Every alternative starts with a fixed character.
_JSON_TOKEN = re.compile(
    r'"|\{\{|\{%|%\{|\{#|<%|\$\{|\$\$\$\$\w+\$\$\$\$|\$[A-Za-z_]\w*|<[A-Za-z_][\w.-]*>'
    r"|\{[A-Z]|[\[\]{},:]"
)
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_KEYWORD = re.compile(r"[\s~+-]*(\w*)")
_STRUCTURE = frozenset("[]{},:")
_TAGS = {"%{": "}", "{%": "%}", "{#": "#}"}
_OPENS = frozenset({"if", "for"})
_CLOSES = frozenset({"endif", "endfor"})
_VALUE_END = "v"


@dataclass
class Rewrite:
    """A rewritten text and the edits that made it, to map offsets back."""

    text: str
    _new_starts: list[int] = field(default_factory=list)
    _new_ends: list[int] = field(default_factory=list)
    _old_starts: list[int] = field(default_factory=list)
    _old_ends: list[int] = field(default_factory=list)

    def offset(self, new: int, end: bool = False) -> int:
        """The offset in the original text of offset ``new`` of the rewritten one.

        An offset inside a replacement maps to the end of what it replaced. At a
        deletion, a start maps past what was deleted and an ``end`` before it.
        """
        index = (bisect_left if end else bisect_right)(self._new_starts, new) - 1
        if index < 0:
            return new
        new_end, old_end = self._new_ends[index], self._old_ends[index]
        if new >= new_end:
            return old_end + new - new_end
        return self._old_starts[index] if new == self._new_starts[index] else old_end

    def remap(self, parsed: Parsed, original: str) -> Parsed:
        """``parsed`` (read from ``self.text``) with its spans in ``original``'s offsets."""
        lines = LineIndex(original)
        offset = self.offset
        documents = []
        for document in parsed.documents:
            spans = {
                path: Span(offset(span.value_start), offset(span.value_end, True),
                           None if span.key_start is None else offset(span.key_start),
                           None if span.key_end is None else offset(span.key_end, True))
                for path, span in document.sourcemap.spans.items()
            }
            documents.append(Document(document.data, SourceMap(lines, spans), document.notices))
        return Parsed(documents, parsed.error)


class _Editor:
    """Collects edits in order and builds the ``Rewrite``."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pieces: list[str] = []
        self.done = 0  # original offset copied so far
        self.length = 0  # length of the new text so far
        self.rewrite = Rewrite("")

    def replace(self, start: int, end: int, new: str) -> None:
        kept = self.text[self.done:start]
        self.pieces.append(kept)
        self.length += len(kept)
        rewrite = self.rewrite
        rewrite._new_starts.append(self.length)
        rewrite._old_starts.append(start)
        self.pieces.append(new)
        self.length += len(new)
        rewrite._new_ends.append(self.length)
        rewrite._old_ends.append(end)
        self.done = end

    def result(self) -> Rewrite | None:
        if not self.pieces:
            return None
        self.pieces.append(self.text[self.done:])
        self.rewrite.text = "".join(self.pieces)
        return self.rewrite


def rewrite_json(text: str) -> Rewrite | None:
    """``text`` with its placeholders and directive blocks made unknown, or ``None``
    when it has none or cannot be followed (an unclosed string or placeholder)."""
    return _JsonRewriter(text).run()


class _JsonRewriter:
    """One pass over a JSON template that tracks, outside strings and directive
    blocks, the open brackets and what came last (a value, ``:``, ``,``, a bracket),
    which is all it takes to tell a value's place from an object member's."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.editor = _Editor(text)
        self.stack: list[str] = []  # open brackets
        self.previous = ""  # the last structural character, or _VALUE_END
        self.comma = -1  # offset of the last comma
        self.block_start = -1  # offset of the open directive block, if any
        self.block_depth = 0
        self.block_context = ("", "")  # (previous, top of stack) where the block opened
        self.drop_comma = False  # a left-out block stood between two commas

    def run(self) -> Rewrite | None:
        text = self.text
        pos = 0
        while True:
            match = _JSON_TOKEN.search(text, pos)
            if match is None:
                break
            start, token = match.start(), match.group()
            if text[pos:start].strip():
                self._value_end()  # a number or literal
            if token == '"':
                string = _STRING.match(text, start)
                if string is None:
                    return None
                pos = string.end()
                self._value_end()
            elif token in _TAGS:
                closing = _TAGS[token]
                end = text.find(closing, start + 2)
                if end == -1:
                    return None
                pos = end + len(closing)
                if token == "{#":  # a Jinja comment
                    if self.block_depth == 0:
                        self.editor.replace(start, pos, "")
                else:
                    self._directive(start, pos)
            elif token in _STRUCTURE:
                pos = start + 1
                if self.block_depth == 0:
                    self._structure(token, start)
            else:
                pos = self._placeholder_end(token, start)
                if pos == -1:
                    return None
                if self.block_depth == 0:
                    self._placeholder(start, pos)
        if self.block_depth:
            return None
        return self.editor.result()

    def _value_end(self) -> None:
        if self.block_depth == 0:
            self.previous = _VALUE_END
            self.drop_comma = False

    def _structure(self, token: str, start: int) -> None:
        if token in "[{":
            self.stack.append(token)
        elif token in "]}":
            if self.stack:
                self.stack.pop()
            self.previous = _VALUE_END
            self.drop_comma = False
            return
        elif token == ",":
            if self.drop_comma:
                self.editor.replace(start, start + 1, "")
                self.drop_comma = False
                return
            self.comma = start
        self.previous = token

    def _placeholder_end(self, token: str, start: int) -> int:
        """Where the placeholder opened by ``token`` at ``start`` ends, or -1."""
        text = self.text
        if token == "${":
            depth, pos = 1, start + 2
            while depth:  # ${ jsonencode({ a = 1 }) } nests braces
                close = text.find("}", pos)
                if close == -1:
                    return -1
                depth += text.count("{", pos, close) - 1
                pos = close + 1
            return pos
        if token in ("{{", "<%"):  # {{ x }}, <%= x %>
            closing = "}}" if token == "{{" else "%>"
            end = text.find(closing, start + 2, _line_end(text, start))
            return -1 if end == -1 else end + 2
        if token[0] == "{":  # {INSERT YOUR IMAGE}
            end = text.find("}", start + 1, _line_end(text, start))
            return -1 if end == -1 else end + 1
        return start + len(token)

    def _in_members(self, previous: str, top: str) -> bool:
        return top == "{" and previous != ":"

    def _placeholder(self, start: int, end: int) -> None:
        top = self.stack[-1] if self.stack else ""
        if self._in_members(self.previous, top):
            self._leave_out(start, end)
        else:
            self.editor.replace(start, end, json.dumps(self.text[start:end]))
            self._value_end()

    def _directive(self, start: int, end: int) -> None:
        text = self.text
        inner = text[start + 2:end - (1 if text[start] == "%" else 2)]
        keyword = _KEYWORD.match(inner).group(1)  # type: ignore[union-attr]
        if keyword in _OPENS:
            if self.block_depth == 0:
                self.block_start = start
                self.block_context = (self.previous, self.stack[-1] if self.stack else "")
            self.block_depth += 1
        elif keyword in _CLOSES and self.block_depth:
            self.block_depth -= 1
            if self.block_depth == 0:
                self._block(self.block_start, end)
        elif self.block_depth == 0:  # a tag governing nothing ({% set x = 1 %})
            self.editor.replace(start, end, "")

    def _block(self, start: int, end: int) -> None:
        previous, top = self.block_context
        self.previous = previous
        if self._in_members(previous, top):
            self._leave_out(start, end)
            return
        if top == "[" and previous == _VALUE_END:
            self.editor.replace(start, start, ",")  # [a %{ for x in y }, b%{ endfor }]
        self.editor.replace(start, end, json.dumps(self.text[start:end]))
        if top == "[" and self._next_char(end) not in "],":
            self.editor.replace(end, end, ",")  # [%{ for x in y }a, %{ endfor } b]
        self._value_end()

    def _leave_out(self, start: int, end: int) -> None:
        """Leave out members of an object, keeping the commas around them right."""
        following = self._next_char(end)
        if self.previous == "," and following == "}" and self.comma >= self.editor.done:
            self.editor.replace(self.comma, self.comma + 1, "")
        self.editor.replace(start, end, "")
        if self.previous in (",", "{") and following == ",":
            self.drop_comma = True
        elif self.previous == _VALUE_END and following == '"':
            self.editor.replace(end, end, ",")
            self.previous = ","

    def _next_char(self, pos: int) -> str:
        match = _NEXT.match(self.text, pos)
        return match.group(1) if match else ""


_NEXT = re.compile(r"[ \t\r\n]*(\S)")


def _line_end(text: str, pos: int) -> int:
    end = text.find("\n", pos)
    return len(text) if end == -1 else end


def rewrite_yaml(text: str) -> Rewrite | None:
    """``text`` with its unquoted ``{{ x }}`` placeholders as strings (YAML reads them
    as flow mappings), and left out: its directive lines (``{% if x %}`` alone on a
    line) with the lines they govern, and a ``{{ x }}`` alone on its lines (it stands
    for entries). ``None`` when it has none of them or a block or ``{{`` never ends."""
    editor = _Editor(text)
    depth = 0
    line_start = 0
    blank_to = -1  # a {{ x }} alone on its lines stands for entries: leave them out
    for line in text.split("\n"):
        line_end = line_start + len(line)
        keyword = _directive_line(line)
        if blank_to < line_start and line.lstrip().startswith("{{"):
            close = text.find("}}", line_start)
            if close == -1:
                return None
            after = text.find("\n", close)
            after = len(text) if after == -1 else after
            if not text[close + 2:after].strip():
                blank_to = after
        if line_end <= blank_to:
            editor.replace(line_start, line_end, "")
        elif keyword is not None:
            editor.replace(line_start, line_end, "")
            if keyword in _OPENS:
                depth += 1
            elif keyword in _CLOSES and depth:
                depth -= 1
        elif depth:
            editor.replace(line_start, line_end, "")
        else:
            _yaml_placeholders(editor, text, line_start, line_end)
        line_start = line_end + 1
    return None if depth else editor.result()


def _directive_line(line: str) -> str | None:
    """The keyword of a line that is one directive tag (``{% if x %}``), else ``None``."""
    stripped = line.strip()
    if stripped.startswith("{%") and stripped.endswith("%}") and "%}" not in stripped[2:-2]:
        inner = stripped[2:-2]
    elif stripped.startswith("%{") and stripped.endswith("}") and "}" not in stripped[2:-1]:
        inner = stripped[2:-1]
    else:
        return None
    return _KEYWORD.match(inner).group(1)  # type: ignore[union-attr]


def _yaml_placeholders(editor: _Editor, text: str, start: int, end: int) -> None:
    """Rewrite the ``{{ x }}`` of one line that stand where a value starts; a quoted
    ``'{{ x }}'`` too, whose quotes inside (Jinja filters) would end the scalar."""
    pos = text.find("{{", start, end)
    while pos != -1:
        close = text.find("}}", pos + 2, end)
        if close == -1:
            return  # no later {{ on this line closes either
        close += 2
        quote = text[pos - 1] if pos > start else ""
        if quote in ("'", '"') and _value_start(text, start, pos - 1) \
                and text.startswith(quote, close) and text.find(quote, pos, close) != -1:
            editor.replace(pos - 1, close + 1, json.dumps(text[pos:close], ensure_ascii=False))
            close += 1
        elif _value_start(text, start, pos):
            editor.replace(pos, close, json.dumps(text[pos:close], ensure_ascii=False))
        pos = text.find("{{", close, end)


def _value_start(text: str, line_start: int, pos: int) -> bool:
    """Whether a YAML value may start at ``pos``: after ``key: ``, ``- ``, ``? ``, a
    flow ``[``, ``{`` or ``,``, or first on its line."""
    before = pos
    while before > line_start and text[before - 1] in " \t":
        before -= 1
    if before == line_start:
        return True
    char = text[before - 1]
    if char in "[{,":
        return True
    spaced = before < pos
    if char in ":?":
        return spaced
    if char == "-":
        return spaced and (before - 1 == line_start or text[before - 2] in " \t-")
    return False
