"""Rendered output over examples/ in every format, compared with reviewed golden
files (ruff's snapshot habit). Set ``ECSLINT_UPDATE_GOLDEN=1`` to rewrite them."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from helpers import CORPUS, ROOT, run_cli

GOLDEN = Path(__file__).parent / "golden" / "examples"


def render(fmt: str, *extra: str, raw: bool = False) -> tuple[int, str]:
    result = run_cli(["check", "--isolated", "--format", fmt, *extra, "examples"], ROOT)
    if raw:
        return result.exit_code, result.output
    output = result.output.replace(json.dumps(__import__("ecslint").__version__), '"<version>"')
    return result.exit_code, output.replace(ROOT.as_uri() + "/", "file:///<repo>/")


@pytest.mark.parametrize("fmt, extra", [
    ("text", ()), ("text", ("--statistics", "--verbose", "--show-fix")),
    ("json", ()), ("sarif", ()), ("github", ()), ("gitlab", ()), ("junit", ()),
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
    """No noise by default: a correct, modern Windows task definition (2022 host,
    ltsc2022 image, container memory and cpu, awslogs, no `user`: IIS needs
    ContainerAdministrator), on EC2 and on Fargate, gets nothing at warning or
    above from the default rules."""
    for name in ("windows-iis-ec2.json", "windows-aspnet-fargate.yaml"):
        result = run_cli(["check", "--isolated", f"examples/{name}"], ROOT)
        findings = json.loads(run_cli(
            ["check", "--isolated", "--format", "json", f"examples/{name}"], ROOT).output)
        assert result.exit_code == 0, result.output
        assert "ltsc2022" in (ROOT / "examples" / name).read_text()
        assert [f for f in findings["findings"] if f["rule"]["severity"] != "info"] == []


def test_sarif_for_examples_and_corpus_validates() -> None:
    from sarif_schema import sarif_validator

    validator = sarif_validator()
    _, examples = render("sarif", raw=True)
    targets = [examples]
    if CORPUS.is_dir():
        result = run_cli(["check", "--isolated", "--format", "sarif", "--select", "ALL", str(CORPUS)],
                         ROOT)
        targets.append(result.output)
    for output in targets:
        log = json.loads(output)
        errors = sorted(validator.iter_errors(log), key=str)
        assert not errors, errors[0]
        for result in log["runs"][0]["results"]:
            assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1
        for rule in log["runs"][0]["tool"]["driver"]["rules"]:
            assert rule["helpUri"] and rule["help"]["text"] and rule["help"]["markdown"]


def test_gitlab_and_junit_for_examples_and_corpus_validate() -> None:
    """Against the schemas in tests/schemas: GitLab's "Code Quality report format"
    (https://docs.gitlab.com/ci/testing/code_quality/) and Jenkins' JUnit XSD."""
    from ci_schemas import gitlab_errors, junit_errors

    paths = ["examples", *([str(CORPUS)] if CORPUS.is_dir() else [])]
    for path in paths:
        gitlab = run_cli(["check", "--isolated", "--format", "gitlab", "--select", "ALL", path],
                         ROOT).output
        issues = json.loads(gitlab)
        assert issues and not gitlab_errors(issues), gitlab_errors(issues)[:3]
        junit = run_cli(["check", "--isolated", "--format", "junit", "--select", "ALL", path],
                        ROOT).output
        assert not junit_errors(junit), junit_errors(junit)[:3]
