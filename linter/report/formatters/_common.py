"""What the formatters share: neutralising text from the linted files, JSON output, help links.

Messages, file names, task names and platform signals come from the files being linted,
so a hostile task definition controls them. ``visible`` rewrites every character that can
end a line, move the cursor, clear the screen or reorder text (C0 and C1 controls, DEL,
U+2028/U+2029, the bidi marks, embeddings, overrides and isolates, lone surrogates) as a
visible Python-style escape such as ``\\x1b`` or ``\\u202e``. ``stream_json`` writes
indented JSON whose strings carry the same characters as ``\\uXXXX`` escapes: ``json``
escapes only C0 itself, so without this a C1 CSI or an RLO would reach the terminal raw,
and a lone surrogate would make the output unencodable as UTF-8.

Any format can end up in a GitHub Actions log (pre-commit on Actions runs ``--format
text``), and the runner reads every line of a step's output for workflow commands
(actions/runner ``ActionCommand``): ``TryParseV2`` takes a line that starts with ``::``
once leading white space is trimmed, ``TryParse`` a ``##[`` anywhere in the line.
``inert`` breaks both in a text line (``##\\x5b``, and ``\\x3a`` for the first colon);
``stream_json`` writes ``##[`` as ``##\\u005b``, the same JSON string, and a JSON line
starts with indentation and a quote or a bracket, never with ``::``. ``stream_json``
writes piece by piece, so that long lists are serialised while they are produced, and
``write_pieces`` writes the pieces of any format as they come.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO
from urllib.parse import quote

from ecslint import RULES_DOC_URL
from ecslint.rule import Rule

_BEYOND_C0 = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
UNSAFE = re.compile(f"[\x00-\x1f{_BEYOND_C0}]")
# json.dumps escapes C0 inside strings itself; the raw newlines left are indentation.
_JSON_UNSAFE = re.compile(f"[{_BEYOND_C0}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """Return ``text`` with every unsafe character replaced by a visible escape."""
    return UNSAFE.sub(_escape, text)


def inert(line: str) -> str:
    """Return a line of output with the runner's two command forms broken: ``##[``
    anywhere, and ``::`` at the start once white space is trimmed (``str.lstrip``
    trims all that .NET's ``TrimStart`` does, and more)."""
    if "##[" in line:
        line = line.replace("##[", "##\\x5b")
    start = len(line) - len(line.lstrip())
    if line.startswith("::", start):
        line = f"{line[:start]}\\x3a{line[start + 1:]}"
    return line


class Items:
    """A list in a ``stream_json`` document whose items come from an iterator and are
    serialised one at a time; each item is plain JSON data."""

    def __init__(self, items: Iterator[Any]) -> None:
        self.items = items


def stream_json(document: Any, unsafe: re.Pattern[str] = _JSON_UNSAFE) -> Iterator[str]:
    """``json.dumps(document, ensure_ascii=False, indent=2)`` and a final newline, in
    pieces; ``document`` may hold ``Items`` in its dicts and lists, of which only one
    item is in memory at once. Characters ``unsafe`` matches become ``\\uXXXX`` escapes."""
    for piece in _pieces(document, 0):
        piece = unsafe.sub(_json_escape, piece)
        # ``##[`` is a runner command anywhere in a line; ``#`` occurs only in strings.
        yield piece.replace("##[", "##\\u005b") if "##[" in piece else piece
    yield "\n"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _pieces(value: Any, level: int) -> Iterator[str]:
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict) and value:
        opening = "{"
        for key, item in value.items():
            yield opening + inner + _STRING(key) + ": "
            yield from _pieces(item, level + 1)
            opening = ","
        yield "\n" + "  " * level + "}"
    elif isinstance(value, Items) or (isinstance(value, list) and value):
        opening = "["
        for item in value.items if isinstance(value, Items) else value:
            yield opening + inner
            if isinstance(value, Items):
                yield _plain(item, level + 1)
            else:
                yield from _pieces(item, level + 1)
            opening = ","
        yield "[]" if opening == "[" else "\n" + "  " * level + "]"
    else:
        yield _plain(value, level)


def _plain(value: Any, level: int) -> str:
    """``value`` as ``json.dumps(value, ensure_ascii=False, indent=2)`` writes it, indented
    as if it stood ``level`` deep.

    The standard library encodes indented JSON in pure Python, a generator per object and
    list; for the plain data of a finding (strings, integers, ``None``, booleans and
    string-keyed objects and lists of them) ``_encode`` does the same in half the time,
    and hands anything else back to ``json.dumps``.
    """
    newline = "\n" + "  " * level
    try:
        return _encode(value, newline)
    except TypeError:  # a key that is not a string
        return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


_STRING = json.encoder.encode_basestring  # what json.dumps uses with ensure_ascii=False


def _encode(value: Any, newline: str) -> str:
    kind = type(value)
    if kind is str:
        return _STRING(value)
    if kind is int:
        return int.__repr__(value)
    if value is None:
        return "null"
    if kind is bool:
        return "true" if value else "false"
    inner = newline + "  "
    if kind is dict:
        if not value:
            return "{}"
        members = [inner + _STRING(key) + ": " + _encode(item, inner)
                   for key, item in value.items()]
        return "{" + ",".join(members) + newline + "}"
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        return "[" + ",".join(inner + _encode(item, inner) for item in value) + newline + "]"
    return json.dumps(value, ensure_ascii=False, indent=2).replace("\n", newline)


def help_uri(rule: Rule) -> str:
    """The rule's section of the generated rules page (``…/docs/rules.md#win110``)."""
    return f"{RULES_DOC_URL}#{quote(rule.id.lower(), safe='')}"


# Bytes gathered before each write: few system calls, little memory.
WRITE_SIZE = 1 << 16


def write_pieces(pieces: Iterable[str], stream: BinaryIO) -> None:
    """Write ``pieces`` of text to ``stream`` as UTF-8, in batches of ``WRITE_SIZE``.

    Lone surrogates (from ``"\\ud800"`` in JSON, or undecodable file names) cannot be
    encoded; they are written as backslash escapes rather than crash.
    """
    batch: list[bytes] = []
    size = 0
    for piece in pieces:
        data = piece.encode("utf-8", "backslashreplace")
        batch.append(data)
        size += len(data)
        if size >= WRITE_SIZE:
            stream.write(b"".join(batch))
            batch, size = [], 0
    stream.write(b"".join(batch))
