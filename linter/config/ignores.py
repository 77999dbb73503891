"""Pointer-scoped ignores from the configuration, for files that cannot hold comments.

JSON has no comments, so configuration ``ignores`` entries name a file glob, an
RFC 6901 pointer and selectors, with a required reason; a finding is covered
when its pointer equals the entry's pointer or lies below it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ecslint.config.selection import Selector, glob_matches
from ecslint.rule import Rule


@dataclass(frozen=True)
class PointerIgnore:
    """One configuration ``ignores`` entry; ``path`` is relative to the config directory."""

    path: str
    pointer: str
    rules: tuple[str, ...]
    reason: str


class ConfigIgnores:
    """The configuration's pointer-scoped ignores, for files that cannot hold comments."""

    def __init__(self, entries: Sequence[PointerIgnore]) -> None:
        self.entries = list(entries)
        self._selectors = [[Selector.parse(text) for text in e.rules] for e in self.entries]

    def match(self, rule: Rule, relpath: str, pointer: str) -> PointerIgnore | None:
        """The first entry covering ``rule`` at ``pointer`` in ``relpath``, if any."""
        for entry, selectors in zip(self.entries, self._selectors, strict=True):
            if (
                _within(pointer, entry.pointer)
                and glob_matches(entry.path, relpath)
                and any(s.matches(rule) for s in selectors)
            ):
                return entry
        return None

    def matches(self, rule: Rule, relpath: str, pointer: str) -> bool:
        """Whether an entry covers ``rule`` at ``pointer`` in ``relpath``."""
        return self.match(rule, relpath, pointer) is not None


def _within(pointer: str, scope: str) -> bool:
    return pointer == scope or pointer.startswith(scope + "/")
