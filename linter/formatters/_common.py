"""What the formatters share: neutralising text from the linted files, JSON output, help links.

Messages, file names, task names and platform signals come from the files being linted,
so a hostile task definition controls them. ``visible`` rewrites every character that can
end a line, move the cursor, clear the screen or reorder text (C0 and C1 controls, DEL,
U+2028/U+2029, the bidi marks, embeddings, overrides and isolates, lone surrogates) as a
visible Python-style escape such as ``\\x1b`` or ``\\u202e``. ``dumps`` writes JSON whose
strings carry the same characters as ``\\uXXXX`` escapes: ``json`` escapes only C0 itself,
so without this a C1 CSI or an RLO would reach the terminal raw, and a lone surrogate
would make the output unencodable as UTF-8.
"""

from __future__ import annotations

import json
import re
from typing import Any
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


def dumps(document: Any) -> str:
    """Serialise ``document`` as indented JSON ending in a newline, safe to print."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def help_uri(rule: Rule) -> str:
    """The rule's section of the generated rules page (``…/docs/rules.md#win110``)."""
    return f"{RULES_DOC_URL}#{quote(rule.id.lower(), safe='')}"
