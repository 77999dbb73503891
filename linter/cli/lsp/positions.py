"""Positions between ecslint and the client.

ecslint counts 1-based lines and columns in code points of the decoded text, whose
line breaks are all ``\\n`` (``ecslint.load.decoding``). LSP counts 0-based lines and
characters in the negotiated position encoding: UTF-16 code units unless the client
offers ``utf-32`` or ``utf-8``. A line break is ``\\n``, ``\\r\\n`` or ``\\r`` for both,
so only columns need converting: through the line's own text, as the client has it.
"""

from __future__ import annotations

import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"

_BREAK = re.compile(r"\r\n|\r|\n")


class Lines:
    """The lines of one buffer, to convert columns in either direction."""

    __slots__ = ("lines", "encoding")

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.lines = _BREAK.split(text)
        self.encoding = encoding

    def _width(self, text: str) -> int:
        """How many units of the client's encoding ``text`` takes."""
        if self.encoding == UTF32:
            return len(text)
        if self.encoding == UTF8:
            return len(text.encode("utf-8", "surrogatepass"))
        if text.isascii():
            return len(text)
        return len(text.encode("utf-16-le", "surrogatepass")) // 2

    def to_client(self, line: int, column: int) -> tuple[int, int]:
        """ecslint's 1-based ``line``:``column`` (code points) as the client's 0-based
        line and character; a column past the line's end stays past it by as much
        (a range may end just after the line break), a line past the end stays too."""
        row = max(line - 1, 0)
        if row >= len(self.lines):
            return row, max(column - 1, 0)
        text = self.lines[row]
        points = max(column - 1, 0)
        return row, self._width(text[:points]) + max(points - len(text), 0)

    def to_ecslint(self, line: int, character: int) -> tuple[int, int]:
        """The client's 0-based ``line`` and ``character`` as ecslint's 1-based line and
        column in code points; a character inside a code point counts as its start."""
        if line >= len(self.lines) or self.encoding == UTF32:
            return line + 1, character + 1
        text = self.lines[line]
        units = 0
        for index, char in enumerate(text):
            width = self._width(char)
            if units + width > character:
                return line + 1, index + 1
            units += width
        return line + 1, len(text) + 1 + (character - units)

    def end(self) -> tuple[int, int]:
        """The client's position of the end of the buffer."""
        return len(self.lines) - 1, self._width(self.lines[-1])
