"""Turn the bytes of a file into the text that the parsers and positions work on.

Every line and column ecslint reports is counted in one ``str`` whose line
endings are ``\\n``; this module is the one place that picks the encoding and
refuses what is not text. It guarantees:

- UTF-8 with or without a BOM, and UTF-16 or UTF-32 with a BOM, are read; the
  BOM is dropped. Encodings are never guessed from content.
- CRLF and lone CR become ``\\n``, so a file gives the same lines and columns
  whatever its line-ending style.
- Anything else raises ``InputError``: NUL bytes in a UTF-8 file (binary),
  bytes that do not decode (with the line and column of the first bad byte),
  and empty or whitespace-only files.
"""

from __future__ import annotations

import codecs

from ecslint.load.document import InputError

# UTF-32-LE's BOM starts with UTF-16-LE's, so it must be tried first.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16"),
)


def encoding(raw: bytes) -> tuple[bytes, str, str]:
    """The byte-order mark ``raw`` starts with (``b""`` for none), the codec of the
    bytes after it and the encoding's name for messages."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            return bom, codec, label
    return b"", "utf-8", "UTF-8"


def decode(raw: bytes) -> str:
    """Return the text of ``raw`` with ``\\n`` line endings, or raise ``InputError``.

    Columns in error messages count characters, 1-based, as everywhere in ecslint.
    """
    bom, codec, label = encoding(raw)
    body = raw[len(bom):]
    if codec == "utf-8":
        nul = body.find(b"\0")
        if nul != -1:
            line, column = _position(body, nul, codec)
            raise InputError(f"binary file: NUL byte at line {line}, column {column}", line, column)
    try:
        text = body.decode(codec)
    except UnicodeDecodeError as exc:
        line, column = _position(body, exc.start, codec)
        raise InputError(
            f"not {label} text: invalid byte 0x{body[exc.start]:02x} "
            f"at line {line}, column {column}",
            line,
            column,
        ) from None
    text = _normalise(text)
    if not text.strip(" \t\n"):
        raise InputError("empty file")
    return text


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _position(body: bytes, offset: int, codec: str) -> tuple[int, int]:
    """The 1-based line and character column of byte ``offset`` in the normalised text."""
    before = _normalise(body[:offset].decode(codec, errors="replace"))
    return before.count("\n") + 1, len(before) - before.rfind("\n")
