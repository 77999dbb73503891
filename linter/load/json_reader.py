"""Read JSON into exactly what ``json.loads`` gives, plus where every node sits.

JSON never goes through PyYAML, which rejects the tabs JSON allows. Values come
from ``json.loads`` (C speed, so NaN and Infinity are read as it reads them);
then a small scanner walks the already validated text and records spans only.
It guarantees:

- every path of the data, the root ``()`` included, has a ``Span`` in character
  offsets of the text: the value span covers the whole value (quotes and
  brackets included), the key span the quoted key;
- duplicate keys keep the last value, as ``json.loads`` does; the span of the
  path is the last occurrence, and one ``Notice`` per duplicated key is added
  on that path, so the finding points at the repeated key and names the line
  of the first one;
- syntax errors come back as a ``SyntaxProblem`` at ``json``'s line and column;
  nesting deeper than ``MAX_DEPTH`` and numbers Python refuses raise ``InputError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]  # in the module, not in typeshed
from json.scanner import NUMBER_RE
from typing import Any

from ecslint.load.document import MAX_DEPTH, Document, InputError, Notice, Parsed, SyntaxProblem
from ecslint.load.sourcemap import LineIndex, Path, SourceMap, Span

_TOO_DEEP = f"nesting deeper than {MAX_DEPTH} levels"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERAL_LENGTHS = {"n": 4, "t": 4, "f": 5, "N": 3, "I": 8}
_DECODER = json.JSONDecoder()
# The resource type of a task definition in a Terraform plan.
TERRAFORM_RESOURCE = "aws_ecs_task_definition"
_BRACKETS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def parse_json(text: str) -> Parsed:
    """Parse one JSON text into a single ``Document``, or a ``SyntaxProblem``.

    Raises ``InputError`` when the nesting is deeper than ``MAX_DEPTH`` or a
    number has more digits than Python converts.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        lenient = _parse_template(text)
        return lenient or Parsed([], SyntaxProblem(exc.msg, exc.lineno, exc.colno))
    except RecursionError:
        raise InputError(_TOO_DEEP, *_too_deep_at(text)) from None
    except ValueError as exc:
        raise InputError(f"cannot read a number: {exc}") from None
    return Parsed([_document(text, data)])


def _document(text: str, data: object) -> Document:
    lines = LineIndex(text)
    scanner = _SpanScanner(text, lines, _outside_plan_tasks if _is_plan(data) else None)
    scanner.value(scanner.skip(0), (), None, None, 0, data)
    spans = dict(entry for entry in scanner.entries if entry is not None)
    return Document(data, SourceMap(lines, spans), scanner.notices)


def _parse_template(text: str) -> Parsed | None:
    """``text`` read as a template (``ecslint.load.templates``), or ``None`` when it is not
    one: then the syntax error of the text as written is what the user needs."""
    from ecslint.load.templates import rewrite_json

    rewrite = rewrite_json(text)
    if rewrite is None:
        return None
    try:
        data = json.loads(rewrite.text)
    except (ValueError, RecursionError):
        return None
    try:
        document = _document(rewrite.text, data)
    except InputError as exc:  # too deep: say where in the text as written
        raise InputError(exc.message, *_too_deep_at(text)) from None
    return rewrite.remap(Parsed([document]), text)


class _SpanScanner:
    """Records spans over text that ``json.loads`` accepted, so it checks no syntax.

    Spans go to ``entries`` in document order; a container's entry is reserved
    before its members, so the entries of one member's subtree are contiguous
    and an overridden duplicate key's subtree can be blanked in place.
    """

    def __init__(self, text: str, lines: LineIndex,
                 shallow: Callable[[Path, Any], bool] | None = None) -> None:
        self.text = text
        self.lines = lines
        self.shallow = shallow
        self.entries: list[tuple[Path, Span] | None] = []
        self.notices: list[Notice] = []

    def skip(self, pos: int) -> int:
        if pos < len(self.text) and self.text[pos] in " \t\n\r":
            return _WHITESPACE.match(self.text, pos).end()  # type: ignore[union-attr]
        return pos

    def value(
        self, pos: int, path: Path, key_start: int | None, key_end: int | None, depth: int,
        node: Any = None,
    ) -> int:
        """Record the value ``node`` starting at ``pos`` (and its members, unless
        ``shallow`` says they need no span); return its end."""
        text = self.text
        char = text[pos]
        index = len(self.entries)
        self.entries.append(None)
        end: int
        if char == '"':
            end = scanstring(text, pos + 1)[1]
        elif char in "[{":
            if depth >= MAX_DEPTH:
                raise InputError(_TOO_DEEP, *self.lines.position(pos))
            if self.shallow is not None and self.shallow(path, node):
                end = _DECODER.raw_decode(text, pos)[1]
            elif char == "{":
                end = self._object(pos, path, depth + 1, node)
            else:
                end = self._array(pos, path, depth + 1, node)
        elif char in _LITERAL_LENGTHS:
            end = pos + _LITERAL_LENGTHS[char]
        elif text.startswith("-Infinity", pos):
            end = pos + 9
        else:
            number = NUMBER_RE.match(text, pos)
            assert number is not None, "json.loads accepted a value the scanner cannot read"
            end = number.end()
        self.entries[index] = (path, Span(pos, end, key_start, key_end))
        return end

    def _array(self, pos: int, path: Path, depth: int, node: Any) -> int:
        text = self.text
        pos = self.skip(pos + 1)
        if text[pos] == "]":
            return pos + 1
        index = 0
        items = node if isinstance(node, list) else []
        while True:
            item = items[index] if index < len(items) else None
            pos = self.skip(self.value(pos, (*path, index), None, None, depth, item))
            if text[pos] == "]":
                return pos + 1
            pos = self.skip(pos + 1)
            index += 1

    def _object(self, pos: int, path: Path, depth: int, node: Any) -> int:
        text = self.text
        members = node if isinstance(node, dict) else {}
        pos = self.skip(pos + 1)
        if text[pos] == "}":
            return pos + 1
        # key -> (offset of the first key, count, entry range of the last occurrence)
        seen: dict[str, tuple[int, int, int, int]] = {}
        while True:
            key, key_end = scanstring(text, pos + 1)
            first_entry = len(self.entries)
            end = self.value(self.skip(self.skip(key_end) + 1), (*path, key), pos, key_end, depth,
                             members.get(key))
            previous = seen.get(key)
            if previous is None:
                seen[key] = (pos, 1, first_entry, len(self.entries))
            else:
                first_key, count, old_start, old_end = previous
                self.entries[old_start:old_end] = [None] * (old_end - old_start)
                seen[key] = (first_key, count + 1, first_entry, len(self.entries))
            pos = self.skip(end)
            if text[pos] == "}":
                break
            pos = self.skip(pos + 1)
        for key, (first_key, count, _, _) in seen.items():
            if count > 1:
                line = self.lines.position(first_key)[0]
                self.notices.append(
                    Notice(
                        (*path, key),
                        f"duplicate key {key!r} (the last of {count} occurrences wins; "
                        f"first at line {line})",
                    )
                )
        return pos + 1


def _is_plan(data: object) -> bool:
    return (isinstance(data, dict) and "terraform_version" in data
            and ("planned_values" in data or "resource_changes" in data))


def _outside_plan_tasks(path: Path, node: Any) -> bool:
    """Whether a member of a Terraform plan lies outside its task definitions (and the
    way to them), so its own span is enough: a large estate's plan is 100 MB of other
    resources, configuration and state, and spans for all of it took 16 s and 1.6 GB
    (``ecslint.tasks.shapes`` reads ``planned_values`` and ``resource_changes``)."""
    if not path:
        return False
    if path[0] == "resource_changes":
        return len(path) == 2 and not _is_task(node)
    if path[0] != "planned_values":
        return True
    for index in range(1, len(path) - 2):
        if path[index] == "resources" and isinstance(path[index + 1], int):
            return False  # inside a task definition
    last = path[-1]
    if isinstance(last, int):
        return path[-2] == "resources" and not _is_task(node)
    return len(path) > 1 and last not in ("root_module", "child_modules", "resources")


def _is_task(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == TERRAFORM_RESOURCE


def _too_deep_at(text: str) -> tuple[int, int] | tuple[()]:
    """Line and column of the first bracket nested deeper than ``MAX_DEPTH``, if any.

    Only called after ``json.loads`` recursed past that depth, so the text up to
    that bracket is valid JSON and the scan stops early.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        char = match.group()
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return LineIndex(text).position(match.start())
        elif char in "]}":
            depth -= 1
    return ()
