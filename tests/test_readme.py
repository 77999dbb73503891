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
