"""The documentation's examples are tests: ``Example`` fires the rule and
``Use instead`` is clean (pylint's documentation tests)."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

import pytest
from helpers import lint_text, placement

from ecslint.registry import all_rules
from ecslint.rule import HostKnowledge

BLOCK = re.compile(r"## (Example|Use instead)\n+```(\w+)\n(.*?)\n```", re.S)
# A rule about a cluster's real hosts shows them after its example, as the
# fixtures' .hosts.json writes them: "on the cluster:" and a JSON block.
HOSTS = re.compile(r"## (Example|Use instead)\n+```\w+\n.*?\n```\n+on the cluster:\n+```json\n"
                   r"(.*?)\n```", re.S)


def examples(rule):
    return {title: (lang, body) for title, lang, body in BLOCK.findall(rule.doc)}


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_example_fires_and_fix_is_clean(rule) -> None:
    found = examples(rule)
    assert set(found) == {"Example", "Use instead"}
    hosts = dict(HOSTS.findall(rule.doc))
    for title, (lang, body) in found.items():
        name = "example.yaml" if lang == "yaml" else "example.json"
        settings = {}
        if title in hosts:
            written = Path(tempfile.mkdtemp()) / "hosts.json"
            written.write_text(hosts[title])
            settings["host"] = HostKnowledge(placement=placement(written))
        result = lint_text(body, name, select=[rule.id], **settings)
        ids = [f.rule.id for f in result.findings]
        assert not result.errors
        if title == "Example":
            assert rule.id in ids, f"the Example of {rule.id} does not fire it"
        else:
            assert ids == [], f"the Use instead of {rule.id} reports {ids}"


@pytest.mark.parametrize("rule", all_rules(), ids=lambda r: r.id)
def test_docs_cite_public_pages_not_the_internal_facts_file(rule) -> None:
    """Users do not have windows-ecs-facts.md: what they read (the docs, the
    summary, the fix hint) cites the AWS or Microsoft page behind a fact."""
    for text in (rule.doc, rule.summary, rule.fix_title):
        assert "windows-ecs-facts" not in text and "§" not in text, rule.id
