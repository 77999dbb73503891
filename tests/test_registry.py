"""Rule discovery: built-ins from ecslint.rules, plugins from entry points, and
the refusals that keep ids and names unique."""

from __future__ import annotations

import sys
import types
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

import ecslint.registry as registry
from ecslint.rule import Severity, engine_rule, rule


def make(id: str, name: str, module: str = "plugin"):
    return engine_rule(id=id, name=name, severity=Severity.WARNING, summary="s", fix_title="f",
                       doc="d", module=module)


def test_builtins_are_discovered_in_catalogue_order() -> None:
    ids = [r.id for r in registry.builtin_rules()]
    assert {"E001", "E002", "E003", "ECS401"} <= set(ids)
    ordered = [r.id for r in registry.check_rules(registry.builtin_rules(), [])]
    assert ordered.index("E003") < ordered.index("ECS401")


def test_duplicate_ids_and_names_are_refused() -> None:
    builtins = registry.builtin_rules()
    with pytest.raises(registry.RegistryError, match="duplicate rule 'ACME001'"):
        registry.check_rules(builtins, [make("ACME001", "a"), make("ACME001", "b")])
    with pytest.raises(registry.RegistryError, match="duplicate rule 'parse-error'"):
        registry.check_rules(builtins, [make("ACME002", "parse-error")])


def test_plugins_may_not_use_builtin_families_or_bad_ids() -> None:
    with pytest.raises(registry.RegistryError, match="built-in family WIN"):
        registry.check_rules([], [make("WIN999", "mine")])
    with pytest.raises(registry.RegistryError, match="three digits"):
        registry.check_rules([], [make("ACME1", "mine")])
    with pytest.raises(registry.RegistryError, match="kebab-case"):
        registry.check_rules([], [make("ACME001", "Not_Kebab")])


def test_entry_points_load_modules_and_rule_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    @rule(id="ACME001", name="acme-label", severity=Severity.INFO, summary="s", fix_title="f")
    def acme(task):
        """doc"""
        yield from ()

    module = types.ModuleType("acme_rules")
    module.acme = acme
    loaded = {"acme:mod": module, "acme:list": [make("ACME002", "acme-second")]}

    class Point(EntryPoint):
        def load(self):
            return loaded[self.value]

    points = [Point("mod", "acme:mod", "ecslint.rules"), Point("list", "acme:list", "ecslint.rules")]
    monkeypatch.setattr(registry, "entry_points", lambda group: points)
    assert [r.id for r in registry.plugin_rules()] == ["ACME002", "ACME001"]
    loaded["acme:mod"] = 42
    with pytest.raises(registry.RegistryError, match="neither a module nor rules"):
        registry.plugin_rules()


def test_find_rule_by_id_or_name() -> None:
    assert registry.find_rule("ecs401").name == "too-many-containers"
    assert registry.find_rule("too-many-containers").id == "ECS401"
    assert registry.find_rule("nope") is None


def test_entry_points_are_looked_up_only_where_a_distribution_may_declare_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``_may_declare`` spares a run importing ``importlib.metadata``; it must say yes
    wherever ``importlib.metadata`` could find the group."""
    from importlib.machinery import PathFinder

    group = registry.ENTRY_POINT_GROUP
    monkeypatch.setattr(sys, "meta_path", [PathFinder])
    site = tmp_path / "site"
    (site / "other-1.dist-info").mkdir(parents=True)
    (site / "other-1.dist-info" / "entry_points.txt").write_text("[console_scripts]\nx = y\n")
    (site / "broken-1.dist-info").mkdir()
    (site / "plain.py").write_text("")
    monkeypatch.setattr(sys, "path", [str(site), str(tmp_path / "missing")])
    assert not registry._may_declare(group)
    plugin = site / "acme-1.egg-info"
    plugin.mkdir()
    (plugin / "entry_points.txt").write_text(f"[{group}]\nacme = acme\n")
    assert registry._may_declare(group)
    plugin.joinpath("entry_points.txt").unlink()
    egg = tmp_path / "acme-1.egg"
    (egg / "EGG-INFO").mkdir(parents=True)
    (egg / "EGG-INFO" / "entry_points.txt").write_text(f"[{group}]\nacme = acme\n")
    monkeypatch.setattr(sys, "path", [str(site), str(egg)])
    assert registry._may_declare(group)
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)
    monkeypatch.setattr(sys, "path", [str(site), str(archive)])
    assert registry._may_declare(group), "a zip on sys.path cannot be looked into: yes"
    monkeypatch.setattr(sys, "path", [str(site)])

    class Finder:
        @staticmethod
        def find_distributions(*args: object) -> list[object]:
            return []

    monkeypatch.setattr(sys, "meta_path", [Finder, PathFinder])
    assert registry._may_declare(group), "a finder with distributions of its own: yes"


def test_one_family_table_gives_numbers_titles_and_tags() -> None:
    from ecslint.cli.docs import as_markdown
    from ecslint.report.formatters.sarif import _descriptor
    from ecslint.rule import FAMILIES

    digits = [d for family in FAMILIES.values() for d in family.hundreds]
    assert len(digits) == len(set(digits))
    for builtin in registry.builtin_rules():
        family = FAMILIES[builtin.family]
        assert builtin.id[len(family.prefix)] in family.hundreds
        assert _descriptor(builtin)["properties"]["tags"] == [family.prefix, family.tag]
    markdown = as_markdown(registry.builtin_rules())
    assert all(f"## {f.title} ({f.prefix})" in markdown for f in FAMILIES.values())
