"""docs/terraform.md: its examples run and print what the page says.

The page marks what is run. An example starts at a line ``<!-- example -->``; a
fenced block after it whose info string has ``title="PATH"`` is a file of that
example, at that path. A ``console`` block holds ``$ ecslint ...`` commands, each
followed by its exact output (standard output and standard error, as a terminal
shows them, without colour); each command runs in a new folder that holds ``.git``
(a repository: configuration lookups stop there) and the example's files so far, so
a block of files after a ``console`` block adds to the example (a ``terraform.tfvars``
that makes a variable known). Support dates are judged on conftest's pinned day.
``ECSLINT_UPDATE_DOCS=1`` rewrites an output that differs (review the diff).

Every other ``hcl`` block must parse as HCL. The ``yaml`` blocks are a GitHub Actions
workflow (schemastore's workflow schema and actionlint, as in test_action.py), a
pre-commit configuration (its hooks exist, and take Terraform files) and an
``ignores`` configuration (it suppresses the finding of the template example).
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, run_cli
from test_action import assert_valid_workflow

from ecslint.load.hcl_module import MAX_SIBLINGS
from ecslint.load.hcl_reader import MAX_INSTANCES, parse_hcl
from ecslint.load.sources import MAX_FILE_BYTES

DOC = ROOT / "docs" / "terraform.md"
TEXT = DOC.read_text()
# An example's start, or a fenced block: its language, the rest of its info string, its text.
_PARTS = re.compile(r"^<!-- example -->$|^```(\w+)([^\n]*)\n(.*?)^```$", re.M | re.S)
_TITLE = re.compile(r'\btitle="([^"]+)"')


@dataclass(frozen=True)
class Block:
    language: str
    title: str | None
    text: str
    line: int  # of the opening fence, 1-based


@dataclass(frozen=True)
class Command:
    files: dict[str, str]
    args: list[str]
    output: str
    line: int

    def __str__(self) -> str:
        return f"docs/terraform.md:{self.line}"


def blocks() -> list[Block]:
    found = []
    for match in _PARTS.finditer(TEXT):
        if match.group(1) is None:
            continue
        title = _TITLE.search(match.group(2))
        found.append(Block(match.group(1), title.group(1) if title else None, match.group(3),
                           TEXT.count("\n", 0, match.start()) + 1))
    return found


def commands() -> list[Command]:
    """Every ``$ ecslint`` command of the page's examples, with the files it runs on."""
    found: list[Command] = []
    files: dict[str, str] | None = None
    for match in _PARTS.finditer(TEXT):
        line = TEXT.count("\n", 0, match.start()) + 1
        if match.group(1) is None:
            files = {}
            continue
        title = _TITLE.search(match.group(2))
        if title is not None:
            assert files is not None, f"line {line}: a file outside an example"
            files[title.group(1)] = match.group(3)
        elif match.group(1) == "console":
            assert files, f"line {line}: a console block without files"
            found += _console(match.group(3), dict(files), line)
    return found


def _console(text: str, files: dict[str, str], line: int) -> list[Command]:
    found: list[Command] = []
    at = line + 1
    for chunk in re.split(r"^(?=\$ )", text, flags=re.M):
        if not chunk:
            continue
        command, _, output = chunk.partition("\n")
        assert command.startswith("$ ecslint "), f"line {at}: {command!r}"
        found.append(Command(files, shlex.split(command[2:]), output, at))
        at += chunk.count("\n")
    return found


def run(command: Command, root: Path) -> str:
    """The output of ``command`` in a new repository at ``root`` holding its files."""
    (root / ".git").mkdir(parents=True)
    for name, text in command.files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert command.args[0] == "ecslint"
    return run_cli(command.args[1:], root).output


@pytest.fixture(autouse=True)
def plain_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """``--format auto`` is text, as in a terminal, even when the tests run in Actions."""
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def test_the_page_has_examples_with_files_and_output() -> None:
    found = commands()
    assert len(found) >= 8
    assert all(command.files and command.output for command in found)


@pytest.mark.parametrize("command", commands(), ids=str)
def test_example_prints_what_the_page_says(command: Command, tmp_path: Path) -> None:
    printed = run(command, tmp_path / "repo")
    if os.environ.get("ECSLINT_UPDATE_DOCS") and printed != command.output:
        # Rewrite the page's output after this command (then review the diff).
        lines = DOC.read_text().split("\n")
        old = command.output.rstrip("\n").split("\n")
        assert lines[command.line:command.line + len(old)] == old
        lines[command.line:command.line + len(old)] = printed.rstrip("\n").split("\n")
        DOC.write_text("\n".join(lines))
        return
    assert printed == command.output


def test_a_changed_example_no_longer_matches_its_output(tmp_path: Path) -> None:
    """The comparison is not vacuous: the first example with its image's release
    changed prints something else than the page says."""
    first = commands()[0]
    assert "ltsc2019" in first.files["main.tf"]
    changed = Command({**first.files, "main.tf": first.files["main.tf"].replace(
        "ltsc2019", "ltsc2022")}, first.args, first.output, first.line)
    output = run(changed, tmp_path / "repo")
    assert output != first.output and "WIN201" not in output and "WIN110" in output


def test_every_hcl_block_parses() -> None:
    hcl = [block for block in blocks() if block.language == "hcl"]
    assert len(hcl) >= 8 and any(block.title is None for block in hcl)
    for block in hcl:
        assert parse_hcl(block.text).error is None, f"docs/terraform.md:{block.line}"


def yaml_block(key: str) -> str:
    [found] = [block.text for block in blocks()
               if block.language == "yaml" and key in yaml.safe_load(block.text)]
    return found


def test_the_plan_workflow_matches_the_schema_and_passes_actionlint(tmp_path: Path) -> None:
    workflow = tmp_path / ".github" / "workflows" / "plan.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(yaml_block("jobs"))
    steps = yaml.safe_load(workflow.read_text())["jobs"]["plan"]["steps"]
    runs = [step["run"] for step in steps if "run" in step]
    assert runs[-2:] == ["terraform plan -input=false -out plan.out",
                         "terraform show -json plan.out > plan.json"]
    assert_valid_workflow(workflow)


def test_the_pre_commit_hook_takes_terraform_files() -> None:
    config = yaml.safe_load(yaml_block("repos"))
    hooks = {hook["id"]: hook for hook in yaml.safe_load(
        (ROOT / ".pre-commit-hooks.yaml").read_text())}
    named = [hook["id"] for repo in config["repos"] for hook in repo["hooks"]]
    assert named == ["ecslint"]
    assert {"terraform", "json"} <= set(hooks["ecslint"]["types_or"])


def test_the_ignores_example_suppresses_a_finding_in_a_template(tmp_path: Path) -> None:
    """A finding shown in a template is suppressed by the path of the .tf file."""
    [template] = [command for command in commands()
                  if "templates/app.json.tpl" in command.files and command.args[-1] == "."]
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for name, text in template.files.items():
        (root / "infra" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "infra" / name).write_text(text)
    assert "WIN110" in run_cli(["check", "infra"], root).output
    (root / ".ecslint.yaml").write_text(yaml_block("ignores"))
    assert run_cli(["check", "infra"], root).output.splitlines() == [
        "No problems found in 1 file.", "1 finding hidden by suppressions."]


def test_the_limits_are_the_code_s() -> None:
    assert f"At most {MAX_SIBLINGS} other `.tf` files" in TEXT
    assert f"more than {MAX_INSTANCES} instances" in TEXT
    assert f"any other file {MAX_FILE_BYTES // (1024 * 1024)} MiB" in TEXT



def test_the_readme_links_the_page() -> None:
    assert "(docs/terraform.md)" in (ROOT / "README.md").read_text()
