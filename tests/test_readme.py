"""The README's promises: two set-up commands, and a configuration example that
ecslint accepts."""

from __future__ import annotations

import re
from pathlib import Path

from ecslint.config import read_config

ROOT = Path(__file__).resolve().parents[1]
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
    from ecslint.engine import LintOptions, lint_bytes
    from ecslint.registry import all_rules, check_rules
    from ecslint.selection import Selection

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
