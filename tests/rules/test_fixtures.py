"""Every rule fixture gives exactly the findings in its ``.expected`` file.

A fixture runs with only its folder's rule selected, so other rules cannot churn
it. Each line reads ``ID [severity] line:col-endline:endcol pointer message``.
A fixture ``x.json`` may come with ``x.json.ecslint.yaml``, an ecslint
configuration file whose host knowledge, platform and launch type apply to it
(a workaround flag, ``host: windows-version``), and with ``x.json.registry.json``,
what the images' registries answer (``--resolve-images``; see ``registry_answers``), and
with ``x.json.hosts.json``, the cluster it runs in (``ecslint aws --cluster``; see
``placement``). A Terraform fixture may read files
of a ``templates/`` folder beside it (``file()``, ``templatefile()``); a finding in
such a file ends with ``in templates/NAME``, and one in the service's describe JSON
with ``in`` and the service's ARN. No ``.expected`` file means: no
findings at all. ``x.json.diff`` is what ``--fix --unsafe-fixes`` changes in it (no file:
nothing). Set
``ECSLINT_UPDATE_EXPECTED=1`` to rewrite the expected files, then review the diff.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import FIXTURES, options, placement, registry_answers

from ecslint.config.lint_options import LintOptions
from ecslint.config.settings import read_config
from ecslint.engine import lint_bytes
from ecslint.fix.apply import fix_bytes
from ecslint.rule import HostKnowledge

CASES = sorted(
    p for p in FIXTURES.glob("*/*")
    if p.suffix in (".json", ".yaml", ".yml", ".template", ".tf")
    and not p.name.endswith((".ecslint.yaml", ".registry.json", ".hosts.json"))
)


def fixture_options(path: Path) -> LintOptions:
    """The options a fixture runs with: its rule only, its configuration, registry
    answers and cluster."""
    settings: dict[str, Any] = {}
    config_file = path.with_name(path.name + ".ecslint.yaml")
    if config_file.exists():
        config = read_config(config_file)
        settings = {"host": config.host_knowledge(), "assumed_os": config.assumed_os,
                    "default_launch_type": config.launch_type}
    registry_file = path.with_name(path.name + ".registry.json")
    if registry_file.exists():
        settings["host"] = replace(settings.get("host", HostKnowledge()),
                                   resolved=registry_answers(registry_file))
    hosts_file = path.with_name(path.name + ".hosts.json")
    if hosts_file.exists():
        settings["host"] = replace(settings.get("host", HostKnowledge()),
                                   placement=placement(hosts_file))
    return options([path.parent.name], **settings)


def render(path: Path) -> str:
    display = str(path)  # the folder is the Terraform module
    result = lint_bytes(path.read_bytes(), display, True, fixture_options(path))
    lines = []
    for f in sorted(result.findings, key=lambda f: f.sort_key()):
        loc = f.location
        end = f"{loc.end_line}:{loc.end_column}" if loc.end_line is not None else ""
        elsewhere = ("" if loc.file == display else f" in {loc.file}" if ":" in loc.file
                     else f" in {Path(loc.file).relative_to(path.parent)}")
        lines.append(f"{f.rule.id} [{f.severity.value}] {loc.line}:{loc.column}-{end} "
                     f"{loc.pointer or '/'} {f.message}{elsewhere}")
    lines += [f"error {e.line}:{e.column} {e.message}" for e in result.errors]
    return "".join(line + "\n" for line in lines)


def golden(file: Path, actual: str) -> str:
    """What ``file`` holds ("" when it does not exist); with ``ECSLINT_UPDATE_EXPECTED``
    set, it is first rewritten to ``actual`` (removed when that is empty)."""
    if os.environ.get("ECSLINT_UPDATE_EXPECTED"):
        if actual:
            file.write_text(actual)
        elif file.exists():
            file.unlink()
    return file.read_text() if file.exists() else ""


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture(path: Path) -> None:
    actual = render(path)
    assert actual == golden(path.with_name(path.name + ".expected"), actual)
    if path.name.startswith("bad-"):
        assert actual, "a bad-* fixture must produce findings"


def fixed_diff(path: Path) -> str:
    """What ``--fix --unsafe-fixes`` makes of the fixture, as a unified diff ("" when
    nothing changes); a second run must change nothing more."""
    raw = path.read_bytes()
    outcome = fix_bytes(raw, str(path), fixture_options(path), unsafe=True)
    again = fix_bytes(outcome.data, str(path), fixture_options(path), unsafe=True)
    assert again.data == outcome.data, "a second --fix changed the file again"
    assert not outcome.notices, outcome.notices
    before, after = raw.decode("utf-8"), outcome.data.decode("utf-8")
    return "".join(difflib.unified_diff(before.splitlines(keepends=True),
                                        after.splitlines(keepends=True),
                                        f"a/{path.name}", f"b/{path.name}"))


@pytest.mark.parametrize("path", CASES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_fixture_fix(path: Path) -> None:
    """``NAME.diff`` holds the exact change the fixes make; no file: no change (a good
    fixture never changes)."""
    actual = fixed_diff(path)
    assert actual == golden(path.with_name(path.name + ".diff"), actual)
    if path.name.startswith("good-"):
        assert not actual
