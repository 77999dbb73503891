"""docs/fixes.md says what the code does: its table lists every rule that has fixes,
with their safety, and its workflow and pre-commit examples are valid."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import yaml
from helpers import ROOT
from test_action import assert_valid_workflow
from test_precommit import pre_commit

from ecslint.registry import all_rules

TEXT = (ROOT / "docs" / "fixes.md").read_text()
_ROW = re.compile(r"^\| (\w+) \| (safe|unsafe) \|", re.M)


def yaml_block(key: str) -> str:
    blocks = re.findall(r"^```yaml\n(.*?)^```$", TEXT, re.M | re.S)
    [found] = [block for block in blocks if key in yaml.safe_load(block)]
    return found


def test_the_table_lists_every_rule_with_fixes_and_their_safety() -> None:
    documented = dict(_ROW.findall(TEXT))
    declared = {rule.id: rule.fix for rule in all_rules() if rule.fix is not None}
    assert documented == declared


def test_the_reviewdog_workflow_matches_the_schema_and_passes_actionlint(tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "ecslint.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(yaml_block("jobs"))
    [step] = [step for step in yaml.safe_load(workflow.read_text())["jobs"]["review"]["steps"]
              if "reviewdog -f=sarif" in step.get("run", "")]
    assert "ecslint check --format sarif" in step["run"]
    assert_valid_workflow(workflow)


def test_the_pre_commit_example_fixes_with_the_ecslint_hook(tmp_path: Path) -> None:
    example = yaml_block("repos")
    [hook] = [hook for repo in yaml.safe_load(example)["repos"] for hook in repo["hooks"]]
    assert hook == {"id": "ecslint", "args": ["--fix"]}
    config = tmp_path / ".pre-commit-config.yaml"
    config.write_text(example)
    result = subprocess.run([*pre_commit(), "validate-config", str(config)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readme_links_the_page() -> None:
    assert "(docs/fixes.md)" in (ROOT / "README.md").read_text()
