"""Meta-tests: the registry keeps the catalogue's contract and every rule is
documented and tested."""

from __future__ import annotations

import re

import pytest
from helpers import FIXTURES, ROOT, SHARED, needs_shared

from ecslint.registry import BUILTIN_FAMILIES, all_rules

CATALOGUE = SHARED / "knowledge" / "rule-catalogue.md"
# Rules issues added after the shared catalogue was written, in its columns.
ADDITIONS = ROOT / "docs" / "catalogue-additions.md"
SECTIONS = ["## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"]
BUILTINS = [r for r in all_rules() if r.module.startswith("ecslint.rules.")]


def catalogue_rows() -> dict[str, tuple[str, str, bool]]:
    rows = {}
    for line in [*CATALOGUE.read_text().splitlines(), *ADDITIONS.read_text().splitlines()]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) >= 3 and re.fullmatch(r"[A-Z]+\d{3}", cells[0]):
            severity = cells[2].split()[0].strip(",")
            rows[cells[0]] = (cells[1], severity, "disabled by default" not in cells[2])
    return rows


@needs_shared(CATALOGUE)
def test_registry_matches_catalogue() -> None:
    rows = catalogue_rows()
    assert len(rows) > 60
    assert sorted(rows) == sorted(rule.id for rule in BUILTINS)
    for rule in BUILTINS:
        assert rule.id in rows, f"{rule.id} is not in the catalogue"
        assert (rule.name, rule.severity.value, rule.default) == rows[rule.id], rule.id


def test_ids_names_and_modules() -> None:
    names = set()
    for rule in BUILTINS:
        match = re.fullmatch(r"(E|WIN|FG|ECS|SEC)\d{3}", rule.id)
        assert match and match.group(1) in BUILTIN_FAMILIES
        assert rule.name not in names
        names.add(rule.name)
        module = rule.module.rsplit(".", 1)[1]
        family_module = re.fullmatch(r"[a-z]+\d{2}x_[a-z0-9_]+", module)
        assert module == f"{rule.id.lower()}_{rule.name.replace('-', '_')}" or family_module, module


@pytest.mark.parametrize("rule", BUILTINS, ids=lambda r: r.id)
def test_rule_has_fixtures(rule) -> None:
    folder = FIXTURES / rule.id
    files = [p.name for p in folder.glob("*") if not p.name.endswith(".expected")]
    assert any(n.startswith("bad-") for n in files), f"{rule.id} has no bad-* fixture"
    assert any(n.startswith("good-") for n in files), f"{rule.id} has no good-* fixture"


def test_every_fixture_folder_names_a_rule() -> None:
    ids = {r.id for r in BUILTINS}
    assert {p.name for p in FIXTURES.iterdir() if p.is_dir()} <= ids


@pytest.mark.parametrize("rule", BUILTINS, ids=lambda r: r.id)
def test_rule_doc_sections(rule) -> None:
    positions = [rule.doc.find(section) for section in SECTIONS]
    assert all(p >= 0 for p in positions), f"{rule.id} lacks a section"
    assert positions == sorted(positions), f"{rule.id} sections are out of order"
    references = rule.doc[rule.doc.index("## References"):]
    assert re.search(r"https://(docs\.aws\.amazon\.com|learn\.microsoft\.com|www\.rfc-editor\.org|yaml\.org)", references)
    assert rule.summary and rule.fix_title


def test_rules_md_is_current() -> None:
    from ecslint.cli.docs import rules_md

    path = ROOT / "docs" / "rules.md"
    current = path.read_text()
    assert current == rules_md(current, all_rules()), (
        "docs/rules.md is stale: run `ecslint rules --format markdown --update docs/rules.md`")
