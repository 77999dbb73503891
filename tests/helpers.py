"""Lint in-memory text with the real engine, and run the command line, for tests."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from click.testing import CliRunner, Result

from ecslint.cli import main
from ecslint.engine import FileResult, LintOptions, lint_bytes
from ecslint.registry import all_rules
from ecslint.rule import HostKnowledge
from ecslint.selection import Selection


def options(select: Sequence[str] | None = None, **kwargs: object) -> LintOptions:
    rules = all_rules()
    extend = kwargs.pop("extend_select", ())
    ignore = kwargs.pop("ignore", ())
    return LintOptions(
        rules=rules,
        selection=Selection(rules, select, extend, ignore),  # type: ignore[arg-type]
        raise_rule_errors=kwargs.pop("raise_rule_errors", True),  # type: ignore[arg-type]
        host=kwargs.pop("host", HostKnowledge()),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def lint_text(text: str, name: str = "task.json", select: Sequence[str] | None = None,
              explicit: bool = True, **kwargs: object) -> FileResult:
    return lint_bytes(text.encode(), name, explicit, options(select, **kwargs))


def summary(result: FileResult) -> list[tuple[str, int, int, str]]:
    return [(f.rule.id, f.location.line, f.location.column, f.location.pointer)
            for f in sorted(result.findings, key=lambda f: f.sort_key())]


def run_cli(args: list[str], cwd: Path, stdin: str | None = None) -> Result:
    """Run ``ecslint ARGS`` in ``cwd``, as a user in that folder would."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)
