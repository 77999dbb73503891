"""Rule metadata after ruff's: the version that added a rule, its status, and the
ids and names it had before a rename, which keep working wherever a rule is named."""

from __future__ import annotations

import json
import re

import pytest

import ecslint.registry as registry
from ecslint.cli.docs import as_json, explain
from ecslint.config.ignores import ConfigIgnores, PointerIgnore
from ecslint.config.selection import Selection
from ecslint.report.formatters.sarif import _descriptor
from ecslint.rule import Finding, Platform, Rule, Severity, Status, TaskView, rule
from ecslint.suppress.directives import InlineSuppressions


def _renamed(status: Status = Status.STABLE) -> Rule:
    @rule(id="XYZ802", name="new-name", severity=Severity.WARNING, summary="s",
          fix_title="f", since="0.2.0", status=status, former_ids=("XYZ801",),
          former_names=("old-name",))
    def check(task):
        """doc"""
        yield Finding.at_value(("family",), "found")

    return check


RENAMED = _renamed()
RULES = [*registry.builtin_rules(), RENAMED]


@pytest.mark.parametrize("selector", ["XYZ801", "old-name", "XYZ802", "new-name"])
def test_former_ids_and_names_select_ignore_and_set_severity(selector: str) -> None:
    assert Selection(RULES, select=[selector]).enabled_rules() == [RENAMED]
    assert RENAMED not in Selection(RULES, ignore=[selector]).enabled_rules()
    severity = Selection(RULES, severity={selector: "info"}).severity_of(RENAMED)
    assert severity is Severity.INFO


@pytest.mark.parametrize("code", ["XYZ801", "old-name"])
def test_former_ids_and_names_suppress_without_an_invalid_suppression(code: str) -> None:
    found = InlineSuppressions.from_text(f"family: t  # ecslint: ignore[{code}]\n")
    assert found.suppresses(RENAMED, 1)
    assert found.problems(RULES) == []
    ignores = ConfigIgnores([PointerIgnore("*.yaml", "/family", (code,), "renamed")])
    assert ignores.matches(RENAMED, "t.yaml", "/family")


def test_find_rule_follows_a_rename(monkeypatch) -> None:
    monkeypatch.setattr(registry, "all_rules", lambda: tuple(RULES))
    assert registry.find_rule("old-name") is RENAMED
    assert registry.find_rule("xyz801") is RENAMED


def test_a_former_name_may_not_be_another_rules_name() -> None:
    taken = _renamed()
    clash = Rule(**{**vars(taken), "id": "XYZ803", "name": "other", "former_ids": (),
                    "former_names": ("new-name",)})
    with pytest.raises(registry.RegistryError, match="duplicate rule 'new-name'"):
        registry.check_rules([], [taken, clash])
    with pytest.raises(registry.RegistryError, match="former id 'old' of XYZ802"):
        registry.check_rules([], [Rule(**{**vars(taken), "former_ids": ("old",)})])


def test_a_removed_rule_stays_known_but_never_runs() -> None:
    removed = _renamed(Status.REMOVED)
    task = TaskView("t", "register", {"family": "t"},
                    Platform("linux", None, "test", ("EC2",), "test"))
    assert removed.run(task) == [] and RENAMED.run(task) != []


def test_metadata_is_shown_where_rules_are_documented() -> None:
    text = explain(RENAMED)
    assert "Status: stable, since 0.2.0. Formerly: XYZ801, old-name." in text
    (entry,) = json.loads(as_json([RENAMED]))
    assert (entry["since"], entry["status"], entry["formerIds"], entry["formerNames"]) == (
        "0.2.0", "stable", ["XYZ801"], ["old-name"])
    descriptor = _descriptor(RENAMED)
    assert (descriptor["deprecatedIds"], descriptor["deprecatedNames"]) == (
        ["XYZ801"], ["old-name"])


def test_every_builtin_rule_says_since_when_and_how_stable() -> None:
    for builtin in registry.builtin_rules():
        assert re.fullmatch(r"\d+\.\d+\.\d+", builtin.since), builtin.id
        assert builtin.status is Status.STABLE, builtin.id
        assert "deprecatedIds" not in _descriptor(builtin)
