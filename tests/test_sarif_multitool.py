"""ecslint's SARIF passes Microsoft's SARIF Multitool validator, with GitHub's
code-scanning ingestion rules (``--rule-kind "Sarif;Gh"``): no result at error or
warning level, for examples/ and for ../shared/corpus.

The Multitool (npm ``@microsoft/sarif-multitool``, a native .NET binary) is
installed by ``.ci/run`` into ``.ci/tools``. Without it the test skips, unless the
environment variable CI is set: then it fails, so CI cannot pass without it.
The schema check with the official 2.1.0 schema, line numbers and rule help are
in test_examples.py.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from helpers import CORPUS, ECSLINT, ROOT, missing_tool

TOOLS = ROOT / ".ci" / "tools" / "node_modules" / "@microsoft"
# SARIF2006 (note level) sends an HTTP GET to every URI in the log: about ten
# seconds of timeouts offline, and a result that depends on the network. It can
# never fail the check (only errors and warnings do), so it is turned off.
CONFIG = """<?xml version="1.0" encoding="utf-8"?>
<Properties>
  <Properties Key="SARIF2006.UrisShouldBeReachable.Options">
    <Property Key="RuleEnabled" Value="Disabled" Type="Driver.RuleEnabledState" />
  </Properties>
</Properties>
"""
# Logs the validator must refuse, by the rule-id prefix it must report: one
# against the schema (no tool name), one that only GitHub refuses (a result
# without a location).
CANARIES = {
    "canary-schema.sarif": ("JSON", {"version": "2.1.0", "runs": [{"tool": {"driver": {}}}]}),
    "canary-github.sarif": ("GH", {
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "x"}},
                  "results": [{"ruleId": "X1", "message": {"text": "m"}}]}],
    }),
}


def multitool() -> Path:
    for platform in ("linux", "darwin", "win32"):
        for name in ("Sarif.Multitool", "Sarif.Multitool.exe"):
            binary = TOOLS / f"sarif-multitool-{platform}" / name
            if binary.is_file() and os.access(binary, os.X_OK):
                return binary
    message = f"the SARIF Multitool is not installed in {TOOLS.parent.parent} (bash .ci/run installs it)"
    missing_tool(message)


def ecslint_sarif(*args: str, cwd: Path) -> str:
    result = subprocess.run(
        [*ECSLINT, "check", "--isolated",
         "--format", "sarif", *args],
        cwd=cwd, capture_output=True, text=True, encoding="utf-8",
    )
    assert result.returncode in (0, 1, 2) and result.stdout.startswith("{"), result.stderr
    return result.stdout


def test_sarif_passes_the_multitool_with_github_rules(tmp_path: Path) -> None:
    binary = multitool()
    logs = {"examples.sarif": ecslint_sarif("examples", cwd=ROOT),
            "examples-all.sarif": ecslint_sarif("--select", "ALL", "examples", cwd=ROOT)}
    if CORPUS.is_dir():
        # From the repository root the corpus is outside the base (absolute file
        # URIs); from the corpus folder its paths are relative to %SRCROOT%.
        logs["corpus-outside.sarif"] = ecslint_sarif("--select", "ALL", str(CORPUS), cwd=ROOT)
        logs["corpus.sarif"] = ecslint_sarif("--select", "ALL", ".", cwd=CORPUS)
    logs.update({name: json.dumps(log) for name, (_, log) in CANARIES.items()})
    for name, text in logs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    (tmp_path / "config.xml").write_text(CONFIG)

    # The targets come first: --log takes a list and would swallow them.
    run = subprocess.run(
        [str(binary), "validate", *logs, "--config", "config.xml", "--rule-kind", "Sarif;Gh",
         "--level", "Error;Warning", "--output", "validation.sarif", "--log", "ForceOverwrite"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
        env={**os.environ, "DOTNET_SYSTEM_GLOBALIZATION_INVARIANT": "1",
             "DOTNET_CLI_TELEMETRY_OPTOUT": "1"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    validation = json.loads((tmp_path / "validation.sarif").read_text(encoding="utf-8-sig"))
    invocation = validation["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"], invocation
    assert not invocation.get("toolExecutionNotifications"), invocation

    problems: dict[str, list[str]] = {name: [] for name in logs}
    for result in validation["runs"][0]["results"]:
        assert result.get("level", "warning") in ("error", "warning")
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        text = result["message"].get("text") or " ".join(result["message"].get("arguments", []))
        problems[uri.rsplit("/", 1)[-1]].append(f"{result['ruleId']} {text}")
    # The canaries prove the validator ran, with the schema and the GitHub rules.
    for name, (prefix, _) in CANARIES.items():
        found = problems.pop(name)
        assert any(problem.startswith(prefix) for problem in found), (name, found)
    assert problems == {name: [] for name in problems}
