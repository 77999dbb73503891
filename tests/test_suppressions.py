"""Inline ``# ecslint: ignore[...]`` comments and pointer-scoped configuration ignores."""

from __future__ import annotations

import pytest

from ecslint.config.ignores import ConfigIgnores, PointerIgnore
from ecslint.rule import Rule, Severity, engine_rule
from ecslint.suppress.directives import InlineSuppressions


def _rule(id: str, name: str) -> Rule:
    return engine_rule(id=id, name=name, severity=Severity.ERROR, summary=name, fix_title="", doc="")


WIN110 = _rule("WIN110", "windows-memory-reservation")
WIN111 = _rule("WIN111", "windows-memory-reservation-only")
ECS401 = _rule("ECS401", "too-many-containers")
E001 = _rule("E001", "parse-error")
RULES = [E001, WIN110, WIN111, ECS401]


def scan(text: str) -> InlineSuppressions:
    return InlineSuppressions.from_text(text)


def test_same_line_suppresses_listed_rules_only():
    found = scan("a: 1\nmemoryReservation: 512  # ecslint: ignore[WIN110]\n")
    assert found.suppresses(WIN110, 2)
    assert not found.suppresses(WIN111, 2)
    assert not found.suppresses(WIN110, 1)
    assert not found.suppresses(WIN110, 3)


def test_another_comment_marker_is_scanned_the_same_way():
    """A reader with ``//`` comments gets the same directives, columns and problems."""
    found = InlineSuppressions.from_text(
        'memory = 512 // ecslint: ignore[WIN110]\n// ecslint: ignore[WIN111]\nx = "#"\n'
        "y = 1 // ecslint: ignore[NOPE]\nz = 2 # ecslint: ignore[WIN110]\n", "//")
    assert found.suppresses(WIN110, 1) and found.suppresses(WIN111, 3)
    assert not found.suppresses(WIN110, 5)  # '#' starts no comment here
    assert [(p.line, p.column) for p in found.problems(RULES)] == [(4, 26)]
    assert [(d.line, d.column) for d in found.directives] == [(1, 14), (2, 1), (4, 7)]


def test_ids_and_names_in_one_directive():
    found = scan("x: 1 # ecslint: ignore[WIN111, windows-memory-reservation]")
    assert found.suppresses(WIN110, 1)
    assert found.suppresses(WIN111, 1)
    assert not found.suppresses(ECS401, 1)


def test_comment_alone_applies_to_next_line():
    text = "a: 1\n  # ecslint: ignore[WIN110]\n  memoryReservation: 512\nb: 2\n"
    found = scan(text)
    assert found.suppresses(WIN110, 3)
    assert not found.suppresses(WIN110, 4)
    assert not found.suppresses(WIN110, 1)


def test_stacked_directives_and_comments_reach_the_next_content_line():
    text = "# ecslint: ignore[WIN110]\n# legacy host, see ticket\n# ecslint: ignore[ECS401]\nx: 1\n"
    found = scan(text)
    assert found.suppresses(WIN110, 4)
    assert found.suppresses(ECS401, 4)


def test_blank_line_ends_a_standalone_directive():
    found = scan("# ecslint: ignore[WIN110]\n\nx: 1\n")
    assert not found.suppresses(WIN110, 3)


def test_bare_ignore_suppresses_every_rule_on_its_line():
    found = scan("x: 1  # ecslint: ignore\ny: 2  # ecslint: ignore  # reason: legacy\n")
    assert found.suppresses(WIN110, 1)
    assert found.suppresses(ECS401, 1)
    assert found.suppresses(E001, 2)
    assert found.problems(RULES) == []


def test_directive_after_another_comment_and_with_a_reason():
    found = scan("x: 1  # keep this # ecslint: ignore[WIN110] -- 2016 hosts\n")
    assert found.suppresses(WIN110, 1)


@pytest.mark.parametrize("line", [
    'description: "see # ecslint: ignore[WIN110]"',
    "description: 'see # ecslint: ignore[WIN110]'",
    "description: 'it''s # ecslint: ignore[WIN110]'",
    'description: "a \\" # ecslint: ignore[WIN110]"',
    "url: http://example.com/#ecslint:ignore[WIN110]",
    "text: a#ecslint: ignore[WIN110]",
])
def test_text_inside_scalars_is_not_a_directive(line):
    found = scan(line)
    assert not found.suppresses(WIN110, 1)


def test_apostrophe_in_plain_scalar_does_not_hide_the_comment():
    found = scan("description: it's fine  # ecslint: ignore[WIN110]")
    assert found.suppresses(WIN110, 1)


def test_quoted_value_before_a_comment():
    found = scan("image: 'a#b'  # ecslint: ignore[WIN110]")
    assert found.suppresses(WIN110, 1)


def test_malformed_directives_suppress_nothing_and_are_reported():
    found = scan("a: 1  # ecslint: ignore WIN110\n"
                 "b: 2  # ecslint: ignore[]\n"
                 "c: 3 # ecslint: ignore[WIN110\n")
    for line in (1, 2, 3):
        assert not found.suppresses(WIN110, line)
    assert [(p.line, p.column) for p in found.problems(RULES)] == [(1, 7), (2, 7), (3, 6)]
    assert found.problems(RULES)[1].message == (
        "empty suppression: name the rules inside the brackets")


def test_unknown_codes_are_reported_with_position_and_suggestion():
    found = scan("a: 1\nb: 2  # ecslint: ignore[WIN110, windows-memory-reservaton, WIN]\n")
    assert found.suppresses(WIN110, 2)
    problems = found.problems(RULES)
    assert [(p.line, p.column, p.message) for p in problems] == [
        (2, 33, "unknown rule 'windows-memory-reservaton' in suppression comment "
                "(did you mean 'windows-memory-reservation'?)"),
        (2, 60, "'WIN' selects a group of rules; suppression comments take rule ids or names"),
    ]


def test_families_are_not_accepted_inline():
    found = scan("a: 1  # ecslint: ignore[WIN]")
    assert not found.suppresses(WIN110, 1)


def test_case_insensitive_keyword_but_exact_codes():
    found = scan("a: 1  # ECSLint:Ignore[WIN110]\nb: 2  # ecslint: ignore[win110]")
    assert found.suppresses(WIN110, 1)
    assert not found.suppresses(WIN110, 2)


def test_ignored_word_is_not_a_bare_directive():
    found = scan("a: 1  # ecslint: ignored for now")
    assert not found.suppresses(WIN110, 1)
    assert found.by_line == {}


def _ignores() -> ConfigIgnores:
    return ConfigIgnores([
        PointerIgnore("tasks/web.json", "/containerDefinitions/0", ("WIN1",), "legacy host"),
        PointerIgnore("*.json", "/containerDefinitions/1/memory", ("too-many-containers",), "ok"),
        PointerIgnore("all.json", "", ("ALL",), "generated"),
    ])


def test_pointer_ignore_covers_the_pointer_and_below():
    ignores = _ignores()
    assert ignores.matches(WIN110, "tasks/web.json", "/containerDefinitions/0")
    assert ignores.matches(WIN111, "tasks/web.json", "/containerDefinitions/0/memoryReservation")
    assert not ignores.matches(WIN110, "tasks/web.json", "/containerDefinitions/01")
    assert not ignores.matches(WIN110, "tasks/web.json", "/containerDefinitions/1")
    assert not ignores.matches(ECS401, "tasks/web.json", "/containerDefinitions/0")
    assert not ignores.matches(WIN110, "other/web.json", "/containerDefinitions/0")


def test_pointer_ignore_selectors_names_and_basename_globs():
    ignores = _ignores()
    entry = ignores.match(ECS401, "deep/x.json", "/containerDefinitions/1/memory")
    assert entry is not None and entry.reason == "ok"
    assert ignores.matches(E001, "all.json", "")
    assert ignores.matches(WIN110, "all.json", "/family")
    assert ignores.match(WIN110, "x.json", "/family") is None


def test_trailing_standalone_directive_is_still_checked():
    found = scan("a: 1\n# ecslint: ignore[WIN999]")
    assert found.by_line == {}
    assert [p.message for p in found.problems(RULES)] == [
        "unknown rule 'WIN999' in suppression comment"]
