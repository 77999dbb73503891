"""Rendered output over examples/ in every format, compared with reviewed golden
files (ruff's snapshot habit). Set ``ECSLINT_UPDATE_GOLDEN=1`` to rewrite them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ecslint.cli import main

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "examples"


def render(fmt: str, *extra: str) -> tuple[int, str]:
    old = os.getcwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(main, ["check", "--isolated", "--format", fmt, *extra, "examples"],
                                    catch_exceptions=False)
    finally:
        os.chdir(old)
    output = result.output.replace(json.dumps(__import__("ecslint").__version__), '"<version>"')
    return result.exit_code, output.replace(ROOT.as_uri() + "/", "file:///<repo>/")


@pytest.mark.parametrize("fmt, extra", [
    ("text", ()), ("text", ("--statistics", "--verbose", "--show-fix")),
    ("json", ()), ("sarif", ()), ("github", ()),
])
def test_examples_golden(fmt: str, extra: tuple[str, ...]) -> None:
    code, output = render(fmt, *extra)
    assert code == 1
    name = f"{fmt}{''.join(extra).replace('--', '-')}.out"
    golden = GOLDEN / name
    if os.environ.get("ECSLINT_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output)
    assert output == golden.read_text()


def test_good_examples_are_clean() -> None:
    for name in ("windows-iis-ec2.json", "windows-aspnet-fargate.yaml"):
        old = os.getcwd()
        os.chdir(ROOT)
        try:
            result = CliRunner().invoke(main, ["check", "--isolated", f"examples/{name}"])
        finally:
            os.chdir(old)
        assert result.exit_code == 0, result.output
