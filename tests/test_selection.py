"""Selectors, most-specific-wins selection, opt-in rules, severities and per-file ignores."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from ecslint.config.selection import (
    Selection,
    SelectionError,
    Selector,
    did_you_mean,
    glob_matches,
    glob_problem,
)
from ecslint.rule import Rule, Severity, engine_rule


def _rule(id: str, name: str, severity: Severity = Severity.ERROR, default: bool = True) -> Rule:
    return engine_rule(id=id, name=name, severity=severity, summary=name, fix_title="", doc="",
                       default=default)


RULES = [
    _rule("E001", "parse-error"),
    _rule("E002", "schema-violation"),
    _rule("E003", "not-a-task-definition", Severity.INFO, default=False),
    _rule("WIN110", "windows-memory-reservation"),
    _rule("WIN111", "windows-memory-reservation-only", Severity.WARNING),
    _rule("WIN120", "windows-unsupported-container-parameter"),
    _rule("WIN209", "windows-image-build-unknown", Severity.INFO, default=False),
    _rule("ECS401", "too-many-containers"),
]
BY_ID = {rule.id: rule for rule in RULES}


def enabled(select: list[str] | None = None, extend: Sequence[str] = (),
            ignore: Sequence[str] = ()) -> list[str]:
    return [rule.id for rule in Selection(RULES, select, extend, ignore).enabled_rules()]


def test_default_selection_is_every_default_rule():
    assert enabled() == ["E001", "E002", "WIN110", "WIN111", "WIN120", "ECS401"]


def test_family_e_does_not_select_ecs():
    assert enabled(["E"]) == ["E001", "E002"]
    assert enabled(["ECS"]) == ["ECS401"]
    assert "ECS401" in enabled(ignore=["E"])
    assert enabled(["E0"]) == ["E001", "E002"]


@pytest.mark.parametrize("text, specificity", [
    ("ALL", 0), ("WIN", 1), ("WIN1", 2), ("WIN11", 3), ("WIN110", 4),
    ("windows-memory-reservation", 4),
])
def test_selector_specificity(text, specificity):
    assert Selector.parse(text).specificity == specificity


def test_more_specific_ignore_beats_select():
    assert enabled(["WIN1"], ignore=["WIN110"]) == ["WIN111", "WIN120"]


def test_more_specific_select_beats_ignore():
    assert enabled(["WIN110"], ignore=["WIN1"]) == ["WIN110"]
    assert enabled(extend=["WIN11"], ignore=["WIN1"]) == [
        "E001", "E002", "WIN110", "WIN111", "ECS401"]


def test_tie_goes_to_ignore():
    assert enabled(["WIN110"], ignore=["windows-memory-reservation"]) == []
    assert enabled(ignore=["ALL"]) == []


def test_names_select_like_ids():
    assert enabled(["windows-memory-reservation", "too-many-containers"]) == ["WIN110", "ECS401"]


def test_all_never_enables_opt_in_rules():
    assert enabled(["ALL"]) == ["E001", "E002", "WIN110", "WIN111", "WIN120", "ECS401"]
    assert enabled(["WIN2"]) == []
    assert "E003" not in enabled(["E"])


def test_opt_in_rules_need_their_id_or_name():
    assert enabled(["WIN209"]) == ["WIN209"]
    assert enabled(extend=["not-a-task-definition"]) == [
        "E001", "E002", "E003", "WIN110", "WIN111", "WIN120", "ECS401"]
    assert enabled(["ALL", "WIN209"], ignore=["WIN2"]) == [
        "E001", "E002", "WIN110", "WIN111", "WIN120", "WIN209", "ECS401"]
    assert enabled(["WIN209"], ignore=["windows-image-build-unknown"]) == []


def test_ignore_all_then_extend_select():
    assert enabled(extend=["WIN110"], ignore=["ALL"]) == ["WIN110"]


@pytest.mark.parametrize("text, message", [
    ("WIN999", "unknown selector 'WIN999' (did you mean 'WIN209'?)"),
    ("win110", "unknown selector 'win110' (did you mean 'WIN110'?)"),
    ("windows-memory-reservaton",
     "unknown selector 'windows-memory-reservaton' (did you mean 'windows-memory-reservation'?)"),
    ("all", "unknown selector 'all' (did you mean 'ALL'?)"),
    ("WINN", "unknown selector 'WINN' (did you mean 'WIN'?)"),
    ("E4", "unknown selector 'E4' (did you mean 'ECS4'?)"),
    ("?", "unknown selector '?': use ALL, a family (E, ECS, WIN), a family with digits (WIN1), "
          "a rule id (WIN110) or a rule name"),
])
def test_unknown_selector_is_an_error_with_a_suggestion(text, message):
    with pytest.raises(SelectionError) as raised:
        Selection(RULES, None, (), [text])
    assert str(raised.value) == message


def test_severity_override_most_specific_wins():
    selection = Selection(RULES, severity={"WIN": "info", "WIN110": "warning", "E0": "warning"})
    assert selection.severity_of(BY_ID["WIN110"]) is Severity.WARNING
    assert selection.severity_of(BY_ID["WIN111"]) is Severity.INFO
    assert selection.severity_of(BY_ID["E001"]) is Severity.WARNING
    assert selection.severity_of(BY_ID["ECS401"]) is Severity.ERROR
    selection = Selection(RULES, severity={"WIN1": "info", "WIN": "error"})
    assert selection.severity_of(BY_ID["WIN110"]) is Severity.INFO


def test_severity_override_does_not_enable():
    selection = Selection(RULES, severity={"WIN209": "error"})
    assert not selection.enabled(BY_ID["WIN209"])


def test_equally_specific_severities_must_agree():
    with pytest.raises(SelectionError, match="conflicting severity overrides for WIN110"):
        Selection(RULES, severity={"WIN110": "info", "windows-memory-reservation": "warning"})


def test_bad_severity_level():
    with pytest.raises(SelectionError, match="must be error, warning or info, not 'fatal'"):
        Selection(RULES, severity={"WIN110": "fatal"})


def test_per_file_ignores():
    selection = Selection(RULES, per_file_ignores={
        "legacy/*.json": ["WIN1"], "task.json": ["E002"], "**/cfn/*.yaml": ["ALL"],
    })
    win110, e002 = BY_ID["WIN110"], BY_ID["E002"]
    assert selection.ignored_for_file(win110, "legacy/a.json")
    assert selection.ignored_for_file(win110, "legacy/sub/a.json")
    assert not selection.ignored_for_file(win110, "other/legacy/a.json")
    assert not selection.ignored_for_file(BY_ID["ECS401"], "legacy/a.json")
    assert selection.ignored_for_file(e002, "deep/dir/task.json")
    assert not selection.ignored_for_file(e002, "deep/dir/task.json.bak")
    assert selection.ignored_for_file(BY_ID["WIN209"], "cfn/stack.yaml")
    assert selection.ignored_for_file(BY_ID["WIN209"], "a/b/cfn/stack.yaml")
    assert selection.enabled(win110)


def test_per_file_ignores_are_checked():
    with pytest.raises(SelectionError, match="did you mean 'WIN110'"):
        Selection(RULES, per_file_ignores={"a.json": ["WIN1100"]})
    with pytest.raises(SelectionError, match="unclosed"):
        Selection(RULES, per_file_ignores={"a[.json": ["WIN110"]})


@pytest.mark.parametrize("pattern, problem", [
    ("", "an empty glob matches nothing"),
    ("tasks\\*.json", "glob 'tasks\\\\*.json' contains '\\': write paths with '/'"),
    ("[ab.json", "glob '[ab.json' has an unclosed '['"),
    ("[ab].json", None),
])
def test_glob_problem(pattern, problem):
    assert glob_problem(pattern) == problem


def test_glob_matching_is_case_sensitive_and_posix():
    assert glob_matches("*.json", "a/b/Task.json")
    assert not glob_matches("*.JSON", "task.json")
    assert not glob_matches("a/*.json", "b/a/x.json")


def test_builtin_family_prefix_without_rules_yet_is_valid():
    from ecslint.rule import Severity, engine_rule

    only = [engine_rule(id="E001", name="parse-error", severity=Severity.ERROR,
                        summary="s", fix_title="f", doc="d")]
    assert not Selection(only, ["WIN2"]).enabled(only[0])
    with pytest.raises(SelectionError):
        Selection(only, ["WIN3"])


@pytest.mark.parametrize(("text", "candidates", "expected"), [
    ("win110", ["WIN110", "windows-memory-reservation"], "WIN110"),
    ("ALL", ["ALL", "all"], "ALL"),
    ("WINDOWS-MEM-RESERVATION", ["WIN110", "windows-memory-reservation"],
     "windows-memory-reservation"),
    ("WEB", ["web", "worker"], "web"),
    ("nothing-like-it", ["WIN110"], None),
])
def test_did_you_mean_ignores_case_then_spelling(text, candidates, expected) -> None:
    assert did_you_mean(text, candidates) == expected


def test_every_did_you_mean_is_the_one_helper() -> None:
    """Selectors, suppressions, configuration, schema keys and ECS404 names all
    suggest through ``did_you_mean``: no other module asks difflib for a close match
    (``--diff`` uses its unified diff)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    users = sorted(p.name for folder in ("linter", "rules") for p in (root / folder).rglob("*.py")
                   if "get_close_matches" in p.read_text(encoding="utf-8")
                   or "SequenceMatcher" in p.read_text(encoding="utf-8"))
    assert users == ["selection.py"]
