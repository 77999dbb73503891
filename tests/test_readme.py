"""The README's promises: two set-up commands, and a configuration example that
ecslint accepts."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

from ecslint.config.settings import read_config

README = (ROOT / "README.md").read_text()


def test_first_shell_block_holds_two_commands() -> None:
    block = re.search(r"```(?:sh|shell|bash)\n(.*?)```", README, re.S).group(1)
    commands = [line for line in block.splitlines() if line.strip()]
    assert len(commands) == 2
    assert "ecslint check" in commands[0] and "examples/" in commands[0]
    assert "pytest" in commands[1]


def test_configuration_example_is_valid(tmp_path: Path) -> None:
    section = README[README.index("## Configuration"):]
    example = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    for dockerfile in re.findall(r"dockerfile: (\S+)", example):
        (tmp_path / dockerfile).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / dockerfile).write_text("FROM mcr.microsoft.com/windows/servercore:ltsc2022\n")
    (tmp_path / ".ecslint.yaml").write_text(example)
    config = read_config(tmp_path / ".ecslint.yaml")
    assert config.fail_on == "error" and config.host_knowledge().windows_release == "2022"


def test_third_party_rule_example_runs_through_the_engine() -> None:
    from ecslint.config.selection import Selection
    from ecslint.engine import LintOptions, lint_bytes
    from ecslint.registry import all_rules, check_rules

    section = README[README.index("## Writing a third-party rule"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README.md", "exec"), namespace)
    plugin = namespace["check"]
    rules = check_rules([r for r in all_rules() if r.module.startswith("ecslint.rules.")], [plugin])
    options = LintOptions(rules=rules, selection=Selection(rules, ["ACME001"]),
                          raise_rule_errors=True)
    text = b'{"family": "a", "containerDefinitions": [{"name": "web", "image": "nginx"}]}'
    found = lint_bytes(text, "td.json", True, options)
    assert [(f.rule.id, f.location.pointer, f.message) for f in found.findings] == [
        ("ACME001", "/containerDefinitions/0/name", "container 'web' has no team label")]


def _hypothesis_profile(**env: str) -> list[str]:
    """derandomize and database of the profile conftest loads under ``env``."""
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    code = ("import importlib.util, sys; from hypothesis import settings;"
            "spec = importlib.util.spec_from_file_location('conftest', sys.argv[1]);"
            "spec.loader.exec_module(importlib.util.module_from_spec(spec));"
            "print(settings.default.derandomize, settings.default.database)")
    result = subprocess.run([sys.executable, "-c", code, str(ROOT / "tests" / "conftest.py")],
                            env={**environment, **env}, capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_readme_test_command_is_deterministic_on_a_fresh_machine() -> None:
    assert _hypothesis_profile() == ["True", "None"]
    assert _hypothesis_profile(CI="") == ["True", "None"]


def test_random_exploration_stays_available_for_development() -> None:
    assert _hypothesis_profile(HYPOTHESIS_PROFILE="dev")[0] == "False"
    assert "HYPOTHESIS_PROFILE=dev" in README


INSTALL_HINTS = [ROOT / "README.md", ROOT / "action.yml", ROOT / ".pre-commit-hooks.yaml",
                 *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "linter").rglob("*.py"))]


@pytest.mark.parametrize("path", INSTALL_HINTS, ids=lambda path: path.name)
def test_install_hints_name_what_exists(path: Path) -> None:
    """ecslint is not on PyPI and has no release tag yet: hints install from a clone
    or a commit, and pin pre-commit and the action to a commit."""
    text = path.read_text()
    assert not re.search(r"pip install '?ecslint(?![\w\[\]']* @)", text)
    for ref in re.findall(r"(?:rev: |uses: ecslint/ecslint@)(\S+)", text):
        assert ref == "COMMIT", ref


def test_the_headline_table_counts_and_names_real_rules() -> None:
    """The README's rule count and its table's ids and names are the registry's."""
    from ecslint.registry import all_rules

    text = README
    rules = {rule.id: rule.name for rule in all_rules()}
    assert f"for all {len(rules)} rules" in text
    rows = re.findall(r"^\| `([A-Z]+\d+)` ([a-z0-9-]+) \|", text, re.MULTILINE)
    assert len(rows) >= 10
    assert all(rules.get(rule_id) == name for rule_id, name in rows), rows
