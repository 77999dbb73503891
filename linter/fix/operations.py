"""What a rule's fix changes, on the canonical task definition (never on text).

Rules build a ``Fix`` from operations on the same paths their findings use; the engine
writes each operation in the syntax of the file (``ecslint.fix.writer``). An operation
that cannot be written exactly (a key read from another file, a value computed by a
template or a Terraform expression, the only key of a YAML block mapping) makes the
whole fix unavailable for that finding: a partial fix is never offered.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from ecslint.load.sourcemap import Path


class Applicability(str, Enum):
    """How far a fix can be trusted, as ruff says it: ``safe`` keeps the user's intent
    and cannot break a working deployment (``--fix`` applies it); ``unsafe`` may change
    what runs (``--unsafe-fixes`` too)."""

    SAFE = "safe"
    UNSAFE = "unsafe"

    def __str__(self) -> str:
        return str(self.value)


@dataclass(frozen=True, slots=True)
class Remove:
    """Delete the member at ``path`` from its mapping, with its separator."""

    path: Path


@dataclass(frozen=True, slots=True)
class SetValue:
    """Replace the value at ``path`` with ``value``; when it is missing, add it as the
    last member of its mapping, which must exist."""

    path: Path
    value: Any


@dataclass(frozen=True, slots=True)
class RenameKey:
    """Rename the key of the member at ``path`` to ``key`` (a canonical key)."""

    path: Path
    key: str


@dataclass(frozen=True, slots=True)
class ReplaceText:
    """Replace the one occurrence of ``old`` in the string at ``path`` with ``new``
    (an image tag in ``"repo:ltsc2019"``, whatever quoting or template holds it)."""

    path: Path
    old: str
    new: str


Operation = Remove | SetValue | RenameKey | ReplaceText


@dataclass(frozen=True, slots=True)
class Fix:
    """A finding's fix: a title saying what it does ("Remove memoryReservation"), its
    operations (applied together or not at all) and, when it differs from the rule's
    (``Rule.fix``), its applicability."""

    title: str
    operations: tuple[Operation, ...]
    applicability: Applicability | None = None


@dataclass(frozen=True, slots=True)
class TextEdit:
    """Replace the characters ``[start, end)`` of the decoded text (line endings
    ``\\n``, no BOM: the offsets a ``SourceMap`` holds) with ``text``; ``path`` is the
    document path of the node it edits (``()`` for a comment)."""

    start: int
    end: int
    text: str
    path: Path = ()
