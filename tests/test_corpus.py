"""Every real-world task definition in ../shared/corpus is processed without a crash.

The corpus is not copied into the repository; these tests skip when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import CORPUS, needs_shared, options

from ecslint.engine import lint_paths

pytestmark = needs_shared(CORPUS)
# Files that are broken upstream without a template placeholder (the corpus keeps
# every file byte-identical, syntax errors included).
BROKEN_UPSTREAM = {
    "examples__fluent-bit__dynatrace__task-definition.json": "a missing comma after \"Port\"",
    "pattern__ecs-advanced-container-health-check__files__simple-container-definition.json":
        "an ellipsis stands for elided lines",
}
# Listed as cfn-yaml in PROVENANCE.md, but a cfn-guard test file: a list of test
# cases whose template fragments sit under `input:`, not a template of its own.
NOT_A_TEMPLATE = {"lint__guard__guard-test__awslogs-non-blocking-tests.yaml"}
PLACEHOLDER = re.compile(r"\{\{|\{%|\$\$\$\$|\$\{|^\s*//|local |std\.", re.M)


def corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(
        p for p in CORPUS.rglob("*")
        if p.is_file() and "_licenses" not in p.parts and p.name not in ("README.md", "PROVENANCE.md")
    )


def test_corpus_has_the_documented_size() -> None:
    assert len(corpus_files()) == 208


@pytest.mark.parametrize("path", corpus_files(), ids=lambda p: p.name[:80])
def test_each_file_lints_without_a_crash(path: Path) -> None:
    report = lint_paths([str(path)], options(["ALL"], raise_rule_errors=True))
    assert not [e for e in report.errors if "internal error" in e.message]
    syntax = [f for f in report.findings if f.rule.id == "E001" and f.location.pointer == ""]
    if syntax:
        known = path.name in BROKEN_UPSTREAM or PLACEHOLDER.search(path.read_text(errors="replace"))
        assert known, f"{path.name} does not parse: {syntax[0].message}"


def test_cloudformation_templates_with_short_tags_yield_tasks() -> None:
    kinds = {}
    for line in (CORPUS / "PROVENANCE.md").read_text().splitlines():
        cells = [c.strip().strip("`") for c in line.split("|")]
        if len(cells) > 7 and cells[6] in ("cfn-yaml", "cfn-json"):
            kinds[cells[1]] = cells[6]
    assert kinds
    for relative in kinds:
        path = CORPUS / relative
        text = path.read_text()
        if PLACEHOLDER.search(text) or path.name in NOT_A_TEMPLATE:
            continue
        report = lint_paths([str(path)], options(["ALL"], raise_rule_errors=True))
        assert report.tasks, f"{relative} gave no task"
        assert not [f for f in report.findings if f.rule.id == "E001" and f.location.pointer == ""]


def test_whole_corpus_in_one_run_is_stable() -> None:
    first = lint_paths([str(CORPUS)], options(raise_rule_errors=True))
    second = lint_paths([str(CORPUS)], options(raise_rule_errors=True))
    assert list(first.findings) == list(second.findings)
    assert list(first.errors) == list(second.errors)
    assert len(first.tasks) > 200
