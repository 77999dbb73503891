"""Find where a key of a TOML table is written, for configuration error positions.

``tomllib`` returns values without positions, so errors in the ``[tool.ecslint]``
table of pyproject.toml are placed by a line-oriented search: table headers
(``[tool.ecslint.host]``, the n-th ``[[tool.ecslint.ignores]]``), then
``key =`` lines inside the table (dotted and quoted keys too), then keys of
inline tables and the offending value's literal after the ``=``. It is a
locator, not a parser: when a step finds nothing it answers with the nearest
enclosing key or header, so a position always comes back. Its limit: text inside
multi-line strings that looks like a header or a key can mislead it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from ecslint.load.sourcemap import Path

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]#]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY_LINE = re.compile(r"""^\s*[\w"'.-][^=]*=""")


def _key_names(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r"""\s*("[^"]*"|'[^']*'|[^.]+)\s*(?:\.|$)""", dotted)
    return tuple(part.strip().strip("\"'") for part in parts)


def _key(name: str) -> str:
    escaped = re.escape(name)
    return rf"""(?<![\w"'-])(?:{escaped}(?![\w-])|"{escaped}"|'{escaped}')"""


def _literals(value: Any) -> list[str]:
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, str):
        return [json.dumps(value), f"'{value}'"]
    if isinstance(value, (int, float)):
        return [str(value)]
    return []


class TomlLocator:
    """Answers 1-based (line, column) positions for paths inside one table."""

    def __init__(self, text: str, table: tuple[str, ...]) -> None:
        self.lines = text.split("\n")
        self.table = table
        self.headers: list[tuple[int, tuple[str, ...], bool]] = []
        for index, line in enumerate(self.lines):
            match = _HEADER.match(line)
            if match:
                self.headers.append((index, _key_names(match.group(2)), match.group(1) == "[["))

    def header_line(self) -> int:
        """The 1-based line of the table's first header (1 when there is none)."""
        for index, name, _ in self.headers:
            if name[: len(self.table)] == self.table:
                return index + 1
        return 1

    def locate(self, path: Path, value: Any = None, on_key: bool = False) -> tuple[int, int]:
        """The position of the key (``on_key``) or value at ``path`` below the table.

        The deepest table header on the way is the section searched; the table and its
        subtables may also be written without headers of their own (``[tool]`` with
        ``ecslint.select = ...``, or ``tool = { ecslint = { ... } }`` at the top)."""
        full: list[Any] = [*self.table, *path]
        section: tuple[int, tuple[str, ...], bool] | None = None
        table: tuple[str, ...] = ()
        name: tuple[str, ...] = ()
        consumed = index = 0
        while index < len(full) and isinstance(full[index], str):
            name += (full[index],)
            tables = [h for h in self.headers if h[1] == name and not h[2]]
            arrays = [h for h in self.headers if h[1] == name and h[2]]
            step = index + 1
            if tables:
                section, table, consumed = tables[0], name, step
            elif (step < len(full) and isinstance(full[step], int)
                  and full[step] < len(arrays)):
                section, table, consumed = arrays[full[step]], name, step + 1
                step += 1
            index = step
        rest = full[consumed:]
        if section is None:
            return self._in_section(0, rest, value, on_key) or (self.header_line(), 1)
        header = self.lines[section[0]]
        anchor = (section[0] + 1, header.find("[") + 1)
        if not rest:
            named = header.rfind(table[-1])
            return (section[0] + 1, named + 1) if on_key and named >= 0 else anchor
        return self._in_section(section[0] + 1, rest, value, on_key) or anchor

    def _in_section(
        self, start: int, rest: list[Any], value: Any, on_key: bool
    ) -> tuple[int, int] | None:
        end = next((h[0] for h in self.headers if h[0] >= start), len(self.lines))
        keys = [k for k in rest if isinstance(k, str)]
        for count in range(len(keys), 0, -1):
            if keys[:count] != rest[:count]:
                continue
            dotted = [_key(k) + r"\s*\.\s*" for k in keys[: count - 1]]
            last = f"(?P<last>{_key(keys[count - 1])})"
            pattern = re.compile(r"^\s*" + "".join(dotted) + last + r"\s*=")
            for index in range(start, end):
                match = pattern.match(self.lines[index])
                if match:
                    if on_key and count == len(rest):
                        return index + 1, match.start("last") + 1
                    return self._in_value(index, match.end(), end, rest[count:], value, on_key)
        return None

    def _in_value(
        self, index: int, offset: int, end: int, rest: list[Any], value: Any, on_key: bool
    ) -> tuple[int, int]:
        last = index + 1
        while last < end and not _KEY_LINE.match(self.lines[last]):
            last += 1
        text = "\n".join(self.lines[index:last])
        position = offset
        for step, key in enumerate(rest):
            if not isinstance(key, str):
                continue
            match = re.compile(_key(key) + r"\s*=").search(text, position)
            if match is None:
                break
            if on_key and step == len(rest) - 1:
                return self._position(text, index, match.start())
            position = match.end()
        found = [text.find(lit, position) for lit in _literals(value)]
        found = [f for f in found if f >= 0]
        if found and not on_key:
            position = min(found)
        else:
            while position < len(text) and text[position] in " \t":
                position += 1
        return self._position(text, index, position)

    @staticmethod
    def _position(text: str, first_line: int, offset: int) -> tuple[int, int]:
        before = text[:offset]
        line = first_line + before.count("\n")
        return line + 1, offset - (before.rfind("\n") + 1) + 1
