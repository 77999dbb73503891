"""Which rules run, at which severity, and where they are ignored.

Selectors are parsed, never matched with ``startswith``: ``E`` is the family of
``E001`` and does not select ``ECS401`` (flake8's single-letter-prefix hazard).
A selector is ``ALL``, a family (``WIN``), a family plus one or two digits
(``WIN1``, ``WIN12``), a full id (``WIN110``) or a rule name
(``windows-memory-reservation``). Specificity grows in that order, and an id
and a name are equally specific. Guarantees:

- An unknown selector, or one that selects no registered rule, raises
  ``SelectionError`` with a did-you-mean; nothing is silently ignored.
- Without ``select`` the rules with ``default=True`` run; ``select`` replaces
  that set, ``extend_select`` adds to it and ``ignore`` removes from it. When a
  rule matches both sides, the more specific selector wins and a tie goes to
  ``ignore``.
- Opt-in rules (``default=False``: E003, WIN209, FG308) are enabled only by a
  selector naming them exactly (id or name); ``ALL`` and family or digit
  prefixes never turn them on. Ignoring works with every selector form.
- Severity overrides resolve the same way (most specific wins); two equally
  specific overrides that disagree are refused.
- Per-file-ignore globs match the POSIX path relative to the
  configuration directory with ``fnmatch`` (``*`` crosses ``/``); a pattern
  without ``/`` also matches the basename, and a leading ``**/`` may match
  nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from ecslint.rule import FAMILIES, ID_PATTERN, NAME_PATTERN, Rule, Severity

_PREFIX_PATTERN = re.compile(r"^(?P<family>[A-Z]+)(?P<digits>\d{0,3})$")

ALL, FAMILY, EXACT = 0, 1, 4


class SelectionError(ValueError):
    """A selector, severity or glob that cannot be used."""


@dataclass(frozen=True)
class Selector:
    """One parsed selector; ``specificity`` orders ALL < family < digits < id = name."""

    text: str
    family: str | None = None
    digits: str = ""
    name: str | None = None

    @classmethod
    def parse(cls, text: str) -> Selector:
        """Parse the form of ``text`` without checking that any rule matches it."""
        if text == "ALL":
            return cls(text)
        match = _PREFIX_PATTERN.match(text)
        if match:
            return cls(text, family=match.group("family"), digits=match.group("digits"))
        if NAME_PATTERN.match(text):
            return cls(text, name=text)
        raise SelectionError(f"unknown selector {text!r}")

    @property
    def specificity(self) -> int:
        if self.name is not None:
            return EXACT
        if self.family is None:
            return ALL
        return FAMILY + len(self.digits)

    @property
    def exact(self) -> bool:
        """True for a full id or a rule name: the only selectors that enable opt-in rules."""
        return self.specificity == EXACT

    def matches(self, rule: Rule) -> bool:
        """Whether this selector covers ``rule``."""
        if self.name is not None:
            return self.name in rule.keys
        if self.family is None:
            return True
        if len(self.digits) == 3 and self.text in rule.former_ids:
            return True
        match = ID_PATTERN.match(rule.id)
        return (
            match is not None
            and match.group("family") == self.family
            and match.group("number").startswith(self.digits)
        )


def resolve_selector(text: str, rules: Sequence[Rule]) -> Selector:
    """Parse ``text`` and check that it selects at least one of ``rules``.

    A built-in family or digit prefix is valid even while it has no rule yet, so
    a configuration written for a newer ecslint (``select: [WIN2]``) still reads.
    Raises ``SelectionError`` naming the closest valid selector, or the valid
    forms when nothing is close.
    """
    try:
        selector = Selector.parse(text)
    except SelectionError:
        selector = None
    if selector is not None and (
        any(selector.matches(rule) for rule in rules)
        or _reserved_prefix(selector)
    ):
        return selector
    raise SelectionError(_unknown(text, rules))


def _reserved_prefix(selector: Selector) -> bool:
    family = FAMILIES.get(selector.family or "")
    digits = selector.digits
    return family is not None and len(digits) < 3 and (not digits or digits[0] in family.hundreds)


def _unknown(text: str, rules: Sequence[Rule]) -> str:
    candidates = {"ALL"}
    for rule in rules:
        candidates.update((rule.id, rule.name, rule.family))
        number = rule.id[len(rule.family):]
        candidates.update((rule.family + number[:1], rule.family + number[:2]))
    guess = did_you_mean(text, candidates)
    if guess is not None:
        return f"unknown selector {text!r} (did you mean {guess!r}?)"
    families = ", ".join(sorted({rule.family for rule in rules}))
    return (
        f"unknown selector {text!r}: use ALL, a family ({families}), a family with "
        "digits (WIN1), a rule id (WIN110) or a rule name"
    )


def did_you_mean(text: str, candidates: Iterable[str], cutoff: float = 0.6, *,
                 only: bool = False) -> str | None:
    """The candidate ``text`` most likely meant, or ``None``: the one with the same
    letters in another case, else the closest spelling whatever the case (``difflib``
    ratio at least ``cutoff``); with ``only``, ``None`` unless it is the one candidate
    within a ratio of 0.85 (a letter or two off in a word of six or more: what a fix
    may rename to). Every "did you mean" of ecslint comes from here: selectors,
    suppression comments, configuration keys and values, schema keys and ECS404's
    names."""
    import difflib  # only a misspelt name needs it: kept out of every run's start-up

    by_folded: dict[str, str] = {}
    for candidate in sorted(set(candidates), reverse=True):
        by_folded[candidate.casefold()] = candidate
    if text.casefold() in by_folded:
        return by_folded[text.casefold()]
    close = difflib.get_close_matches(text.casefold(), by_folded, n=2,
                                      cutoff=max(cutoff, 0.85) if only else cutoff)
    if not close or (only and len(close) > 1):
        return None
    return by_folded[close[0]]


def glob_problem(pattern: str) -> str | None:
    """Why ``pattern`` is not a usable glob, or ``None`` when it is."""
    if not pattern:
        return "an empty glob matches nothing"
    if "\\" in pattern:
        return f"glob {pattern!r} contains '\\': write paths with '/'"
    open_bracket = False
    for char in pattern:
        if char == "[":
            open_bracket = True
        elif char == "]":
            open_bracket = False
    if open_bracket:
        return f"glob {pattern!r} has an unclosed '['"
    return None


def glob_matches(pattern: str, relpath: str) -> bool:
    """Whether ``pattern`` matches the POSIX relative path ``relpath``."""
    if fnmatchcase(relpath, pattern):
        return True
    if pattern.startswith("**/") and glob_matches(pattern[3:], relpath):
        return True
    return "/" not in pattern and fnmatchcase(relpath.rsplit("/", 1)[-1], pattern)


class Selection:
    """The enabled rules, their severities and the per-file ignores of one run."""

    def __init__(
        self,
        rules: Sequence[Rule],
        select: Sequence[str] | None = None,
        extend_select: Sequence[str] = (),
        ignore: Sequence[str] = (),
        *,
        severity: Mapping[str, Severity | str] | None = None,
        per_file_ignores: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.rules = list(rules)
        self._select = None if select is None else self._parse(select)
        self._extend = self._parse(extend_select)
        self._ignore = self._parse(ignore)
        self._severity = [
            (resolve_selector(text, self.rules), _severity(text, level))
            for text, level in (severity or {}).items()
        ]
        self._per_file: list[tuple[str, list[Selector]]] = []
        for pattern, selectors in (per_file_ignores or {}).items():
            problem = glob_problem(pattern)
            if problem:
                raise SelectionError(problem)
            self._per_file.append((pattern, self._parse(selectors)))
        self._severities = {rule.id: self._resolve_severity(rule) for rule in self.rules}

    def _parse(self, texts: Sequence[str]) -> list[Selector]:
        return [resolve_selector(text, self.rules) for text in texts]

    def enabled(self, rule: Rule) -> bool:
        """Whether ``rule`` runs: the most specific matching selector decides."""
        chosen = [s for s in (self._select or []) + self._extend if s.matches(rule)]
        if not rule.default:
            chosen = [s for s in chosen if s.exact]
        best = max((s.specificity for s in chosen), default=None)
        if best is None and self._select is None and rule.default:
            best = ALL
        if best is None:
            return False
        ignored = max((s.specificity for s in self._ignore if s.matches(rule)), default=None)
        return ignored is None or best > ignored

    def enabled_rules(self) -> list[Rule]:
        """The enabled rules, in registry order."""
        return [rule for rule in self.rules if self.enabled(rule)]

    def severity_of(self, rule: Rule) -> Severity:
        """The severity ``rule`` reports at: the most specific override, else its default."""
        found = self._severities.get(rule.id)
        return found if found is not None else self._resolve_severity(rule)

    def severity_override(self, rule: Rule) -> Severity | None:
        """The configured severity of ``rule``, or ``None`` when nothing overrides it."""
        if not any(s.matches(rule) for s, _ in self._severity):
            return None
        return self.severity_of(rule)

    def _resolve_severity(self, rule: Rule) -> Severity:
        matching = [(s, level) for s, level in self._severity if s.matches(rule)]
        if not matching:
            return rule.severity
        top = max(s.specificity for s, _ in matching)
        best = [(s, level) for s, level in matching if s.specificity == top]
        if len({level for _, level in best}) > 1:
            named = " and ".join(f"{s.text}: {level.value}" for s, level in best)
            raise SelectionError(f"conflicting severity overrides for {rule.id}: {named}")
        return best[0][1]

    @property
    def by_file(self) -> bool:
        """Whether any per-file ignore is configured (else file names never matter)."""
        return bool(self._per_file)

    def ignored_for_file(self, rule: Rule, relpath: str) -> bool:
        """Whether a per-file ignore whose glob matches ``relpath`` covers ``rule``."""
        return any(
            glob_matches(pattern, relpath) and any(s.matches(rule) for s in selectors)
            for pattern, selectors in self._per_file
        )


def _severity(selector: str, level: Severity | str) -> Severity:
    try:
        return Severity(level)
    except ValueError:
        raise SelectionError(
            f"severity for {selector!r} must be error, warning or info, not {level!r}"
        ) from None
