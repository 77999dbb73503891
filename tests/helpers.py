"""Lint in-memory text with the real engine, run the command line, and find the
repository and ../shared, for tests."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest
from click.testing import CliRunner, Result

from ecslint.cli.main import main
from ecslint.config.selection import Selection
from ecslint.distribution.resolution import Platform, Resolution, Resolved, Unresolved
from ecslint.engine import FileResult, LintOptions, lint_bytes
from ecslint.hosts import Instance, Placement, Service
from ecslint.registry import all_rules
from ecslint.rule import HostKnowledge

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "rules" / "fixtures"  # one folder per rule id
# The real task definitions and the knowledge files sit next to the repository,
# not in it: a plain clone has no ../shared.
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
# ``ecslint`` in a subprocess, run by this interpreter: an ``ecslint`` script on
# PATH may belong to another installation.
ECSLINT = [sys.executable, "-c", "from ecslint.cli.main import main; main()"]


def needs_shared(path: Path) -> pytest.MarkDecorator:
    """Skip, naming the missing file or folder, unless ``path`` (under ../shared) exists."""
    name = path.relative_to(SHARED).as_posix()
    return pytest.mark.skipif(
        not path.exists(),
        reason=f"../shared/{name} is absent (it sits next to the repository, not in it)")


def missing_tool(message: str) -> NoReturn:
    """Skip a test whose external tool is missing, but fail on CI, where it is installed."""
    __tracebackhide__ = True  # report the test's line, not this one
    if os.environ.get("CI"):
        pytest.fail(message + "; CI is set, so it must not be skipped")
    pytest.skip(message)


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


# The capabilities that let root read and search whatever the permission bits say.
_BYPASS = "-dac_override,-dac_read_search"


def as_unprivileged(command: Sequence[str]) -> list[str]:
    """``command`` run so that permission bits apply: as is for a normal user; for root
    (CI runs as root) through ``setpriv`` without the two capabilities that let root
    ignore them, so the owner's bits of the test's own files give the EACCES a user
    meets, wherever the checkout and the interpreter lie (another user could not
    reach a checkout under /root)."""
    __tracebackhide__ = True
    if os.name != "posix":
        pytest.skip("POSIX permission bits")
    if os.geteuid() != 0:
        return list(command)
    if shutil.which("setpriv") is None:
        missing_tool("setpriv (util-linux) is needed to test permissions as root")
    wrapped = ["setpriv", f"--bounding-set={_BYPASS}", f"--inh-caps={_BYPASS}"]
    with tempfile.NamedTemporaryFile() as locked:
        os.chmod(locked.name, 0)
        probe = subprocess.run([*wrapped, sys.executable, "-c",
                                f"import ecslint; open({locked.name!r}).close()"],
                               capture_output=True, text=True)
    if "PermissionError" not in probe.stderr:
        missing_tool("setpriv could not take root's permission to read everything: "
                     f"{probe.stderr.strip()[-300:] or 'the probe read a mode-000 file'}")
    return [*wrapped, *command]


def install_plugin(site: Path, name: str, source: str) -> Path:
    """Install module ``name`` (``source``) into folder ``site`` as a distribution
    declaring it under the ``ecslint.rules`` entry-point group, as pip would; put
    ``site`` on ``sys.path`` (or ``PYTHONPATH``) and every run finds its rules."""
    info = site / f"{name}-0.dist-info"
    info.mkdir(parents=True)
    (site / f"{name}.py").write_text(source)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0\n")
    (info / "entry_points.txt").write_text(f"[ecslint.rules]\n{name} = {name}\n")
    return site


def run_cli(args: list[str], cwd: Path, stdin: str | None = None) -> Result:
    """Run ``ecslint ARGS`` in ``cwd``, as a user in that folder would."""
    old = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(main, args, input=stdin, catch_exceptions=False)
    finally:
        os.chdir(old)


@contextmanager
def moto_endpoint() -> Iterator[str]:
    """moto's AWS server on a free port of 127.0.0.1 (its URL), until the block ends."""
    from moto import server

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    running = server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    running.start()
    host, port = running.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        running.stop()


def registry_answers(path: Path) -> dict[str, Resolution]:
    """What ``--resolve-images`` would have learnt, as a fixture's ``.registry.json``
    writes it: by reference, ``{"source", "multi_platform", "digest", "platforms":
    [{"os", "architecture", "os_version"}]}`` or ``{"reason"}``."""
    answers: dict[str, Resolution] = {}
    for reference, answer in json.loads(path.read_text()).items():
        if "reason" in answer:
            answers[reference] = Unresolved(reference, answer["reason"])
        else:
            answers[reference] = Resolved(
                reference, tuple(Platform(**platform) for platform in answer["platforms"]),
                answer["multi_platform"], answer.get("digest"), answer["source"])
    return answers


def described(service: dict[str, Any]) -> str:
    """The describe-services JSON of a fixture's service, as ``ecslint aws`` keeps it."""
    answer = {"serviceArn": service["arn"], "serviceName": service["name"],
              "taskDefinition": service["task_definition"],
              "desiredCount": service.get("desired_count", 0),
              **({"launchType": service["launch_type"]} if service.get("launch_type") else {}),
              "placementConstraints": service.get("placement_constraints", [])}
    return json.dumps({"services": [answer], "failures": []}, indent=2) + "\n"


def placement(path: Path) -> Placement:
    """The cluster a fixture's task definition is checked against (``ecslint aws
    --cluster``), as its ``.hosts.json`` writes it: ``{"cluster", "service": {Service's
    fields} or null, "instances": [{Instance's fields}]}``."""
    data = json.loads(path.read_text())
    service = data.get("service")
    return Placement(
        data["cluster"],
        Service(**{**service, "placement_constraints": tuple(
            service.get("placement_constraints", ())), "described": described(service)})
        if service else None,
        tuple(Instance(**{**item, "ports": tuple(item.get("ports", ()))})
              for item in data["instances"]))
