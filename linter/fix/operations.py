"""What a rule's fix changes, on the canonical task definition (never on text).

Rules build a ``Fix`` from operations on the same paths their findings use; the engine
writes each operation in the syntax of the file (``ecslint.fix.writer``). An operation
that cannot be written exactly (a key read from another file, a value computed by a
template or a Terraform expression, the only key of a YAML block mapping) makes the
whole fix unavailable for that finding: a partial fix is never offered. The types are
``Record``s: every run imports them (``ecslint.records``).
"""

from __future__ import annotations

from typing import Any, ClassVar

from ecslint.load.sourcemap import Path
from ecslint.records import Record


class Applicability:
    """How far a fix can be trusted, as ruff says it: ``SAFE`` keeps the user's intent
    and cannot break a working deployment (``--fix`` applies it); ``UNSAFE`` may change
    what runs (``--unsafe-fixes`` too). Plain strings, as every output writes them."""

    SAFE = "safe"
    UNSAFE = "unsafe"


class Remove(Record):
    """Delete the member at ``path`` from its mapping, with its separator."""

    __slots__ = ("path",)
    path: Path


class SetValue(Record):
    """Replace the value at ``path`` with ``value``; when it is missing, add it as the
    last member of its mapping, which must exist."""

    __slots__ = ("path", "value")
    path: Path
    value: Any


class RenameKey(Record):
    """Rename the key of the member at ``path`` to ``key`` (a canonical key)."""

    __slots__ = ("path", "key")
    path: Path
    key: str


class ReplaceText(Record):
    """Replace the one occurrence of ``old`` in the string at ``path`` with ``new``
    (an image tag in ``"repo:ltsc2019"``, whatever quoting or template holds it)."""

    __slots__ = ("path", "old", "new")
    path: Path
    old: str
    new: str


Operation = Remove | SetValue | RenameKey | ReplaceText


class Fix(Record):
    """A finding's fix: a title saying what it does ("Remove memoryReservation"), its
    operations (applied together or not at all) and, when it differs from the rule's
    (``Rule.fix``), its applicability (``Applicability.SAFE`` or ``UNSAFE``)."""

    __slots__ = ("title", "operations", "applicability")
    defaults: ClassVar[dict[str, Any]] = {"applicability": None}
    title: str
    operations: tuple[Operation, ...]
    applicability: str | None


class TextEdit(Record):
    """Replace the characters ``[start, end)`` of the decoded text (line endings
    ``\\n``, no BOM: the offsets a ``SourceMap`` holds) with ``text``; ``path`` is the
    document path of the node it edits (``()`` for a comment)."""

    __slots__ = ("start", "end", "text", "path")
    defaults: ClassVar[dict[str, Any]] = {"path": ()}
    start: int
    end: int
    text: str
    path: Path
