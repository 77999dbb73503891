"""Fuzz the loader and the whole lint of one document, for a bounded time.

The target decodes and parses one file (JSON, YAML or a CloudFormation template), runs
every rule (``--select ALL``; a rule that raises is a crash here, not an internal-error
finding) and renders the report in every format. Beyond "nothing raises", it checks what
a hostile file must never break: each input is linted within ``FUZZ_INPUT_SECONDS``,
positions are 1-based, the JSON and SARIF outputs parse, the text output holds no control
character but its line ends, the GitHub output has one line per finding and error, and a
second lint gives the same output byte for byte.

Two more kinds of file come from a repository and reach ecslint: a Dockerfile named by
``images[].dockerfile`` (its final base image is read, ``ARG`` defaults expanded) and
a configuration file (``pyproject.toml``, ``.ecslint.yaml``). For those the target
checks the time bound and that reading them gives a result or a ``ConfigError``, never
another exception.

Two engines, the same target::

    .venv/bin/python fuzz/fuzz_lint.py                   # atheris if installed, else hypothesis
    FUZZ_ENGINE=hypothesis FUZZ_SECONDS=600 .venv/bin/python fuzz/fuzz_lint.py
    FUZZ_ENGINE=atheris FUZZ_SECONDS=600 .venv/bin/python fuzz/fuzz_lint.py

- atheris (``pip install atheris``; a wheel exists for CPython 3.11 on x86-64 Linux):
  coverage-guided byte mutation from the seed corpus (examples/, the rule fixtures,
  ../shared/corpus), copied into ``fuzz/work/`` where libFuzzer adds what it finds.
  A crash is written to ``fuzz/crashes/`` and stops the run.
- hypothesis: random bytes, mutated seed files, and task definitions built from hostile
  values (huge and odd numbers, placeholders, controls, deep nesting, long strings),
  written as JSON, YAML (every scalar style) and CloudFormation. A crash is shrunk,
  written to ``fuzz/crashes/`` and the run goes on until the time is up.

``FUZZ_SECONDS`` (default 600) bounds the run. Every crash found becomes a regression test
in ``tests/test_hostile_inputs.py``. Exit status: 0 no crash, 1 crashes (listed).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CRASHES = ROOT / "fuzz" / "crashes"
WORK = ROOT / "fuzz" / "work"
CONFIG_WORK = Path(tempfile.gettempdir()) / f"ecslint-fuzz-config-{os.getpid()}"
SEED_DIRS = [ROOT / "examples", ROOT / "tests" / "rules" / "fixtures",
             ROOT.parent / "shared" / "corpus", ROOT.parent / "shared" / "corpus-terraform"]
SECONDS = float(os.environ.get("FUZZ_SECONDS", "600"))
INPUT_SECONDS = float(os.environ.get("FUZZ_INPUT_SECONDS", "10"))
NAMES = ("task.json", "task.yaml", "template.template", "stdin", "Dockerfile", "pyproject.toml",
         ".ecslint.yaml", "main.tf")
CONFIG_NAMES = ("pyproject.toml", ".ecslint.yaml")
_BIDI = set("\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _import_ecslint() -> Any:
    """Import everything the target runs (atheris instruments what is imported here)."""
    import ecslint.engine
    import ecslint.load.json_reader
    import ecslint.load.yaml_reader
    import ecslint.report.formatters.github
    import ecslint.report.formatters.gitlab
    import ecslint.report.formatters.json
    import ecslint.report.formatters.junit
    import ecslint.report.formatters.sarif
    import ecslint.report.formatters.text
    from ecslint.config.selection import Selection
    from ecslint.registry import all_rules

    rules = all_rules()
    return ecslint.engine.LintOptions(rules=rules, selection=Selection(rules, ["ALL"]),
                                      raise_rule_errors=True)


OPTIONS: Any = None


def check(raw: bytes, name: str) -> None:
    """Lint ``raw`` as the file ``name`` and assert every invariant; raise on a violation."""
    from ecslint.engine import lint_bytes
    from ecslint.report.formatters import to_string
    from ecslint.report.model import Report

    if name == "Dockerfile":
        return check_dockerfile(raw)
    if name in CONFIG_NAMES:
        return check_config(raw, name)
    start = time.monotonic()
    result = lint_bytes(raw, name, True, OPTIONS)
    elapsed = time.monotonic() - start
    assert elapsed < INPUT_SECONDS, f"one input took {elapsed:.1f} s"
    for finding in result.findings:
        loc = finding.location
        assert loc.line >= 1 and loc.column >= 1, loc
    for error in result.errors:
        assert error.message, error
        assert "internal error" not in error.message, error.message
    report = Report(result.findings, result.errors, OPTIONS.enabled, result.tasks, 1)
    outputs = {fmt: to_string(fmt, report)
               for fmt in ("json", "sarif", "github", "gitlab", "junit")}
    outputs["text"] = to_string("text", report, verbose=True, show_fix=True, statistics=True)
    json.loads(outputs["json"])
    json.loads(outputs["sarif"])
    json.loads(outputs["gitlab"])
    ET.fromstring(outputs["junit"].encode("utf-8"))
    bad = {c for c in outputs["text"] if c != "\n"
           and (unicodedata.category(c) in ("Cc", "Cs") or c in _BIDI)}
    assert not bad, f"raw control characters in text output: {sorted(bad)!r}"
    lines = re.split(r"\r\n|\r|\n", outputs["github"])[:-1] if outputs["github"] else []
    assert len(lines) == len(report.findings) + len(report.errors), "github line count"
    if hashlib.blake2b(raw, digest_size=1).digest()[0] < 32:  # one input in eight
        again = lint_bytes(raw, name, True, OPTIONS)
        assert [f.sort_key() for f in again.findings] == [f.sort_key() for f in result.findings]
        assert again.errors == result.errors


def check_dockerfile(raw: bytes) -> None:
    """Read the final base image of ``raw`` as a Dockerfile, within the time bound."""
    from ecslint.platform.windows import parse_dockerfile

    start = time.monotonic()
    base, how = parse_dockerfile(raw.decode("utf-8", "replace"))
    elapsed = time.monotonic() - start
    assert elapsed < INPUT_SECONDS, f"one Dockerfile took {elapsed:.1f} s"
    assert base is None or isinstance(base, str), base
    assert isinstance(how, str) and len(how) < 2000, how[:200]


def check_config(raw: bytes, name: str) -> None:
    """Read ``raw`` as the configuration file ``name``, found from a folder below it:
    a ``Config`` or a ``ConfigError``, nothing else, within the time bound."""
    from ecslint.config.files import ConfigError
    from ecslint.config.settings import load_config

    folder = CONFIG_WORK  # outside the repository: tools there read a pyproject.toml
    if not folder.exists():
        atexit.register(shutil.rmtree, folder, True)
    (folder / "below").mkdir(parents=True, exist_ok=True)
    for other in CONFIG_NAMES:
        (folder / other).unlink(missing_ok=True)
    (folder / ".git").mkdir(exist_ok=True)
    (folder / name).write_bytes(raw)
    start = time.monotonic()
    try:
        load_config(folder / "below", rules=OPTIONS.rules)
    except ConfigError as error:
        assert error.problems and all(problem for problem in error.problems), error.problems
    elapsed = time.monotonic() - start
    assert elapsed < INPUT_SECONDS, f"one configuration took {elapsed:.1f} s"


def _seeds() -> list[tuple[bytes, str]]:
    seeds = []
    for directory in SEED_DIRS:
        if directory.is_dir():
            for path in sorted(directory.rglob("*")):
                if path.is_file() and path.suffix in (".json", ".yaml", ".yml", ".template",
                                                      ".tf"):
                    data = path.read_bytes()
                    if len(data) <= 64 * 1024:
                        seeds.append((data, path.name))
    seeds += [(text.encode(), "Dockerfile") for text in _DOCKERFILES]
    seeds += [(text.encode(), name) for name, text in _CONFIGS]
    return seeds


# Seeds of the two other kinds: each syntax their readers follow.
_DOCKERFILES = [
    "FROM mcr.microsoft.com/windows/servercore:ltsc2019\n",
    "# escape=`\nARG TAG=ltsc2022\nFROM mcr.microsoft.com/dotnet/framework/aspnet:4.8-${TAG} AS b\n"
    "RUN echo `\n  x\nFROM b\n",
    "ARG A0=ab\n" + "".join(f"ARG A{n}=${{A{n - 1}}}${{A{n - 1}}}\n" for n in range(1, 40))
    + "FROM img:${A39}\n",
    "ARG V\nARG W=${V:-ltsc2019}\nFROM --platform=windows/amd64 img:${W:+1809}\n",
]
_CONFIGS = [
    ("pyproject.toml", '[tool.ecslint]\nselect = ["WIN"]\nfail-on = "error"\n'),
    ("pyproject.toml", '[tool."ecslint"]\nignore = ["WIN110"]\n'),
    ("pyproject.toml", 'tool.ecslint.select = ["ALL"]\n[project]\nname = "x"\n'),
    ("pyproject.toml", 'tool = {ecslint = {fail-on = "never"}}\n'),
    ("pyproject.toml", 'x = "[tool.ecslint]"\n[tool.ruff]\nline-length = 1\n'),
    ("pyproject.toml", "[tool.ecslint]\nhost = {windows-version = \"2022\"}\n"
                       "[[tool.ecslint.images]]\npattern = \"*\"\nwindows-version = \"2019\"\n"),
    (".ecslint.yaml", "select: [WIN]\nper-file-ignores:\n  'a/*.json': [WIN110]\n"
                      "ignores:\n  - path: '*.json'\n    pointer: /family\n    rules: [ALL]\n"
                      "    reason: x\n"),
]


def _record(raw: bytes, name: str, error: BaseException) -> Path:
    CRASHES.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256(raw).hexdigest()[:16]
    target = CRASHES / f"crash-{digest}-{Path(name).name}"
    target.write_bytes(raw)
    target.with_suffix(target.suffix + ".txt").write_text(
        "".join(traceback.format_exception(error)), encoding="utf-8")
    return target


# -- atheris ---------------------------------------------------------------------------------


def run_atheris() -> int:
    import atheris

    global OPTIONS
    with atheris.instrument_imports(include=["ecslint"]):
        OPTIONS = _import_ecslint()
    WORK.mkdir(parents=True, exist_ok=True)
    if not any(WORK.iterdir()):
        for number, (data, name) in enumerate(_seeds()):
            prefix = bytes([NAMES.index(_kind(name))])
            (WORK / f"seed-{number:05d}").write_bytes(prefix + data)

    def one_input(data: bytes) -> None:
        if not data:
            return
        check(data[1:], NAMES[data[0] % len(NAMES)])

    CRASHES.mkdir(parents=True, exist_ok=True)
    args = [sys.argv[0], str(WORK), f"-max_total_time={int(SECONDS)}",
            f"-timeout={int(INPUT_SECONDS) + 5}", "-rss_limit_mb=3072", "-max_len=65536",
            f"-artifact_prefix={CRASHES}/", "-print_final_stats=1"]
    atheris.Setup(args, one_input)
    atheris.Fuzz()
    return 0


def _kind(name: str) -> str:
    suffix = Path(name).suffix
    return {".json": "task.json", ".yaml": "task.yaml", ".yml": "task.yaml",
            ".tf": "main.tf"}.get(suffix, "template.template")


# -- hypothesis ------------------------------------------------------------------------------


def _strategies() -> Any:
    import yaml
    from hypothesis import strategies as st

    # Computed from an exponent: hypothesis prints strategies, and 16 ** 4000 cannot be.
    huge = st.sampled_from([4000, 200, 63, 31]).map(lambda bits: -(2 ** bits) if bits == 200
                                                     else 16 ** bits if bits == 4000
                                                     else 2 ** bits)
    odd_text = st.sampled_from([
        "²", "٣", "1" * 5000, "9" * 5000 + " vCPU", "." + "9" * 3000 + " GB", "1-²",
        "{{" * 3000, "${" * 3000, "$X", "${X}", "{{ x }}", "<% x %>", "\x1b[2J", "\u202e",
        "::error::x", "%0A", "\r\n", "\x00", "C:\\", "\\\\srv\\x", "a" * 70000,
        "mcr.microsoft.com/windows/servercore:ltsc2019", "AKIA" + "B" * 16, "x" * 40,
    ])
    scalars = st.one_of(st.none(), st.booleans(), st.integers(), huge,
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=20),
                        odd_text)
    keys = st.sampled_from([
        "family", "networkMode", "cpu", "memory", "requiresCompatibilities", "runtimePlatform",
        "operatingSystemFamily", "containerDefinitions", "name", "image", "memoryReservation",
        "portMappings", "containerPort", "hostPort", "containerPortRange", "protocol",
        "essential", "volumes", "mountPoints", "containerPath", "environment", "value",
        "secrets", "healthCheck", "command", "interval", "logConfiguration", "logDriver",
        "options", "user", "dependsOn", "condition", "links", "credentialSpecs",
        "dockerSecurityOptions", "placementConstraints", "expression", "type", "Ref",
        "Fn::If", "Fn::GetAtt", "taskDefinition", "Resources", "Type", "Properties",
    ]) | st.text(max_size=8)
    values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(keys, inner, max_size=6), max_leaves=40)

    @st.composite
    def documents(draw: Any) -> tuple[bytes, str]:
        data = draw(values)
        if draw(st.booleans()):
            data = {"family": draw(scalars), "containerDefinitions": draw(
                st.lists(st.dictionaries(keys, values, max_size=8), max_size=3)), **(
                data if isinstance(data, dict) else {})}
        shape = draw(st.sampled_from(["register", "describe", "cloudformation", "list"]))
        if shape == "describe":
            data = {"taskDefinition": data}
        elif shape == "cloudformation":
            data = {"Resources": {"T": {"Type": "AWS::ECS::TaskDefinition",
                                        "Properties": data}}}
        elif shape == "list" and not isinstance(data, list):
            data = [data]
        if draw(st.booleans()):
            text = _yaml_dump(yaml, data, draw)
            return text.encode("utf-8", "surrogatepass"), "task.yaml"
        try:
            text = json.dumps(data, indent=draw(st.sampled_from([None, 1, "\t"])))
        except ValueError:  # an int too large to print: YAML can still write it in hex
            return _yaml_dump(yaml, data, draw).encode("utf-8", "surrogatepass"), "task.yaml"
        return text.encode("utf-8", "surrogatepass"), draw(st.sampled_from(NAMES))

    seeds = _seeds()

    @st.composite
    def mutated(draw: Any) -> tuple[bytes, str]:
        data, name = draw(st.sampled_from(seeds))
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 8))):
            if not data:
                break
            where = draw(st.integers(0, len(data) - 1))
            action = draw(st.sampled_from(["flip", "insert", "delete", "repeat"]))
            if action == "flip":
                data[where] = draw(st.integers(0, 255))
            elif action == "insert":
                data[where:where] = draw(st.sampled_from(
                    [b"&a ", b"*a", b"!!python/object:os.system ", b"\x00", b"\xff", b"[",
                     b"{", b"\r", b"\xef\xbb\xbf", b"!Ref ", b"<<: ", b"0x" + b"f" * 4000]))
            elif action == "delete":
                del data[where:where + draw(st.integers(1, 16))]
            else:
                data[where:where] = data[where:where + 64] * draw(st.integers(2, 50))
        return bytes(data), name

    raw = st.tuples(st.binary(max_size=2000), st.sampled_from(NAMES))
    built = st.one_of(documents(), _graphs(st), _builds(st), _sexagesimal(st),
                      _dockerfiles(st), _pyprojects(st), _yaml_configs(st, values),
                      _terraform(st))
    return st.one_of(built, mutated(), raw) if seeds else st.one_of(built, raw)


def _terraform(st: Any) -> Any:
    """Terraform task definitions: container lists in jsonencode, heredocs and JSON
    strings (escaped, interpolated), locals that refer to each other (in loops too),
    merge and concat, dynamic blocks (over literals, nested, without content), count
    and for_each, interpolations and escapes, deep nesting, hostile strings."""
    values = st.sampled_from([
        '"nginx"', "1024", "-1", "1e400", "true", "null", "local.a", "local.loop", "var.v",
        "var.d", '"${local.a}-${var.v}"', '"\\u00e9\\U0001d11e$${x}%%{y}"', "[1, [2, [3]]]",
        "{ a = { b = { c = 1 } } }", 'merge({ a = 1 }, local.m)', "concat([1], local.l)",
        "true ? 1 : 2", "var.v ? 1 : 2", "local.m.a", "local.l[5]", '"%{ if x }a%{ endif }"',
        "[for x in local.l : x]", "path.module", 'file("missing.json")', "(1)", '"a" + 1',
        "[" * 100 + "]" * 100, '"' + "x" * 5000 + '"', '"\\"', "0x10", "1.5e3",
    ])
    keys = st.sampled_from(["name", "image", "memory", "memoryReservation", "cpu",
                            "portMappings", "environment", "essential", '"quoted key"',
                            "readonlyRootFilesystem", "linuxParameters", "dependsOn"])

    @st.composite
    def module(draw: Any) -> tuple[bytes, str]:
        members = "\n".join(f"      {draw(keys)} = {draw(values)}"
                            for _ in range(draw(st.integers(0, 8))))
        containers = draw(st.sampled_from([
            f"jsonencode([\n    {{\n{members}\n    }}\n  ])",
            f"jsonencode(concat([{{\n{members}\n}}], local.l))",
            f"jsonencode([merge(local.m, {{\n{members}\n}})])",
            '<<-EOF\n    [{"name": "a", "image": "${var.v}", "memory": ${local.a}}]\n  EOF',
            '"[{\\"name\\": \\"a\\", \\"image\\": \\"x\\"}]"',
            '"[{\\"n\\u00e9\\": \\"a\\\\n$${x}\\", \\"memory\\": 1, \\"cpu\\": 0}]"',
            '"[{\\"name\\": \\"${local.a}\\", \\"memoryReservation\\": 1}]"',
            "var.containers", "jsonencode(local.loop)", '<<EOF\nnot json ${x}\nEOF',
        ]))
        extra = draw(st.sampled_from([
            "", 'dynamic "volume" {\n    for_each = var.v\n    content { name = "x" }\n  }',
            "runtime_platform {\n    operating_system_family = " + draw(values) + "\n  }",
            'volume {\n    name = "v"\n    host_path = "C:\\\\x"\n  }',
            "proxy_configuration {\n    properties = { a = 1 }\n  }",
            'dynamic "volume" {\n    for_each = ' + draw(values) + '\n    iterator = v\n'
            '    content {\n      name = v.key\n      host_path = v.value\n    }\n  }',
            'dynamic "runtime_platform" {\n    for_each = local.l\n    content {\n'
            '      operating_system_family = runtime_platform.value\n    }\n  }',
            'dynamic "volume" {\n    for_each = { a = 1, b = 2 }\n    content {\n'
            '      name = volume.key\n      dynamic "efs_volume_configuration" {\n'
            '        for_each = [volume.value, local.a]\n        content {\n'
            '          file_system_id = efs_volume_configuration.value\n        }\n'
            '      }\n    }\n  }',
            "count = " + draw(values), "for_each = " + draw(values),
            'dynamic "volume" {\n    for_each = [1]\n  }', 'dynamic {\n  }',
        ]))
        text = (f'locals {{\n  a = {draw(values)}\n  m = {{ a = {draw(values)} }}\n'
                f'  l = [{draw(values)}]\n  loop = local.loop\n}}\n'
                f'variable "d" {{\n  default = {draw(values)}\n}}\n'
                f'resource "aws_ecs_task_definition" "t" {{\n  family = {draw(values)}\n'
                f'  {extra}\n  container_definitions = {containers}\n}}\n')
        if draw(st.booleans()):
            text = text.replace("\n", draw(st.sampled_from(["\r\n", "\n\n", " "])), 3)
        return text.encode("utf-8", "surrogatepass"), "main.tf"

    return module()


def _graphs(st: Any) -> Any:
    """Task definitions whose ``dependsOn`` make big graphs: cycles, chains, every
    container on every other, self-loops, references to missing containers."""

    @st.composite
    def graph(draw: Any) -> tuple[bytes, str]:
        size = draw(st.sampled_from([2, 3, 50, 500, 3000]))
        shape = draw(st.sampled_from(["cycle", "chain", "star", "self", "missing", "random"]))
        condition = draw(st.sampled_from(["START", "COMPLETE", "SUCCESS", "HEALTHY", "x", 1]))
        containers = []
        for n in range(size):
            targets = {"cycle": [(n + 1) % size], "chain": [n + 1] if n + 1 < size else [],
                       "star": [0] if n else [], "self": [n], "missing": [size + n],
                       "random": [draw(st.integers(0, size - 1))] if n < 40 else [(n * 7) % size]
                       }[shape]
            containers.append({"name": f"c{n}", "image": "nginx", "memory": 64,
                               "essential": n == 0, "dependsOn": [
                                   {"containerName": f"c{t}", "condition": condition}
                                   for t in targets]})
        return json.dumps({"family": "g", "containerDefinitions": containers}).encode(), \
            "task.json"

    return graph()


def _builds(st: Any) -> Any:
    """Windows tasks with many containers on many Windows builds (WIN202's related
    locations), in one task or in a CloudFormation template of several."""
    tags = ["ltsc2019", "ltsc2022", "ltsc2025", "1809", "20H2", "2004", "10.0.17763.5458",
            "10.0.20348.2322", "4.8-windowsservercore-ltsc2019", "latest", "${TAG}"]

    @st.composite
    def builds(draw: Any) -> tuple[bytes, str]:
        size = draw(st.sampled_from([2, 10, 300, 2000]))
        step = draw(st.integers(1, 5))
        image = "mcr.microsoft.com/windows/servercore:"
        containers = [{"name": f"c{n}", "memory": 256, "image": image + tags[n * step % len(tags)]}
                      for n in range(size)]
        task = {"family": "b", "runtimePlatform": {"operatingSystemFamily": draw(
            st.sampled_from(["WINDOWS_SERVER_2019_CORE", "WINDOWS_SERVER_2022_FULL", "LINUX"]))},
            "containerDefinitions": containers}
        if draw(st.booleans()):
            template = {"Resources": {f"T{n}": {"Type": "AWS::ECS::TaskDefinition",
                                                "Properties": task} for n in range(3)}}
            return json.dumps(template).encode(), "template.template"
        return json.dumps(task).encode(), "task.json"

    return builds()


def _sexagesimal(st: Any) -> Any:
    """YAML 1.1 sexagesimal numbers (``1:30``) around the 100-part bound and past the
    173 parts where a float overflows, as integers and floats, signed, in every field."""

    @st.composite
    def sexagesimal(draw: Any) -> tuple[bytes, str]:
        parts = draw(st.sampled_from([2, 3, 60, 99, 100, 101, 173, 174, 500, 20000]))
        digits = draw(st.sampled_from(["59", "1", "0", "60", "99"]))
        value = draw(st.sampled_from(["", "-", "+"])) + ":".join([digits] * parts)
        value += draw(st.sampled_from(["", ".5", ".", ".0e5"]))
        key = draw(st.sampled_from(["memory", "cpu", "memoryReservation", "family", "image"]))
        text = (f"family: s\ncontainerDefinitions:\n  - name: a\n    image: nginx\n"
                f"    {key}: {value}\n    portMappings:\n      - containerPort: {value}\n")
        return text.encode(), draw(st.sampled_from(["task.yaml", "template.template"]))

    return sexagesimal()


def _dockerfiles(st: Any) -> Any:
    """Dockerfiles whose ARG defaults double, nest, refer to themselves or to nothing,
    with escape directives and continuations."""

    @st.composite
    def dockerfile(draw: Any) -> tuple[bytes, str]:
        lines = []
        if draw(st.booleans()):
            lines.append(draw(st.sampled_from(["# escape=`", "# escape=\\", "# syntax=x"])))
        depth = draw(st.sampled_from([1, 10, 30, 60, 200]))
        lines.append(f"ARG A0={draw(st.sampled_from(['ab', '', '${A0}', 'x' * 1000]))}")
        for n in range(1, depth):
            pattern = draw(st.sampled_from(["${A%d}${A%d}", "$A%d$A%d", "${A%d:-${A%d}}",
                                            "${A%d:+${A%d}x}", "${A%d", "${A%d}}"]))
            lines.append(f"ARG A{n}=" + pattern.replace("%d", str(n - 1)))
        lines.append(draw(st.sampled_from([f"FROM img:${{A{depth - 1}}}", "FROM ${A0} AS a",
                                           "FROM a", "FROM --platform=$A1 x", "FROM \\\n x"])))
        lines += draw(st.lists(st.sampled_from(["RUN x", "FROM a AS b", "FROM b", "ARG A0=y",
                                                "\\", "FROM", ""]), max_size=5))
        return "\n".join(lines).encode(), "Dockerfile"

    return dockerfile()


def _pyprojects(st: Any) -> Any:
    """pyproject.toml in every layout that holds the table, and texts that mention it
    without holding it, with hostile values (deep nesting, huge numbers, escapes)."""
    hostile = st.sampled_from(['"WIN"', '["WIN110"]', '[' * 600 + ']' * 600, "9" * 5000,
                               "1e400", "inf", "nan", '"\\u0000"', '"' + "x" * 70000 + '"',
                               '{a = 1}', '"${X}"', "true", '["ALL", 1]', '"../../x"'])
    key = st.sampled_from(["select", "extend-select", "ignore", "fail-on", "severity",
                           "per-file-ignores", "exclude", "platform", "host", "images",
                           "ignores", "unknown-key", '"quoted"', "a.b"])

    @st.composite
    def pyproject(draw: Any) -> tuple[bytes, str]:
        pairs = [f"{draw(key)} = {draw(hostile)}" for _ in range(draw(st.integers(0, 3)))]
        layout = draw(st.sampled_from(["table", "quoted", "dotted", "inline", "string", "none",
                                       "array", "twice"]))
        if layout == "table":
            text = "[tool.ecslint]\n" + "\n".join(pairs)
        elif layout == "quoted":
            text = '[tool."ecslint"]\n' + "\n".join(pairs)
        elif layout == "dotted":
            text = "\n".join(f"tool.ecslint.{pair}" for pair in pairs) or "tool.ecslint = 1"
        elif layout == "inline":
            text = "tool = {ecslint = {" + ", ".join(pairs) + "}}"
        elif layout == "string":
            text = 'x = """\n[tool.ecslint]\n"""\n' + "\n".join(pairs)
        elif layout == "array":
            text = "[[tool.ecslint]]\n" + "\n".join(pairs)
        elif layout == "twice":
            text = "[tool.ecslint]\n[tool.ecslint]\n" + "\n".join(pairs)
        else:
            text = "[project]\n" + "\n".join(pairs)
        return text.encode("utf-8", "surrogatepass"), "pyproject.toml"

    return pyproject()


def _yaml_configs(st: Any, values: Any) -> Any:
    """.ecslint.yaml with known keys holding arbitrary values."""
    import yaml

    keys = st.sampled_from(["select", "ignore", "fail-on", "severity", "per-file-ignores",
                            "exclude", "platform", "launch-type", "host", "images", "ignores"])

    @st.composite
    def config(draw: Any) -> tuple[bytes, str]:
        data = draw(st.dictionaries(keys, values, max_size=4))
        try:
            text = _yaml_dump(yaml, data, draw)
        except ValueError:
            text = "select: [ALL]\n"
        return text.encode("utf-8", "surrogatepass"), ".ecslint.yaml"

    return config()


def _yaml_dump(yaml: Any, data: Any, draw: Any) -> str:
    from hypothesis import strategies as st

    class Dumper(yaml.SafeDumper):
        pass

    def huge_int(dumper: Any, value: int) -> Any:
        text = hex(value) if abs(value) > 10 ** 100 else str(value)
        return dumper.represent_scalar("tag:yaml.org,2002:int", text)

    Dumper.add_representer(int, huge_int)
    return yaml.dump(data, Dumper=Dumper, allow_unicode=draw(st.booleans()),
                     default_flow_style=draw(st.sampled_from([False, True, None])),
                     default_style=draw(st.sampled_from([None, '"', "'", "|"])))


def run_hypothesis() -> int:
    from hypothesis import HealthCheck, Phase, given, settings

    global OPTIONS
    OPTIONS = _import_ecslint()
    deadline = time.monotonic() + SECONDS
    found: list[Path] = []
    inputs = _strategies()
    rounds = examples = 0
    failing: list[tuple[bytes, str]] = []

    @settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "500")), deadline=None,
              database=None, suppress_health_check=list(HealthCheck),
              phases=[Phase.generate, Phase.shrink])
    @given(inputs)
    def target(case: tuple[bytes, str]) -> None:
        nonlocal examples
        examples += 1
        try:
            check(*case)
        except Exception:
            failing[:] = [case]  # hypothesis replays the shrunk example last
            raise

    while time.monotonic() < deadline:
        rounds += 1
        failing.clear()
        try:
            target()
        except Exception as error:  # shrunk by hypothesis: record it and go on
            if not failing:  # the failure is in the strategies, not in ecslint
                raise
            path = _record(*failing[0], error)
            print(f"CRASH {type(error).__name__}: {error}"[:300] + f" -> {path}", flush=True)
            found.append(path)
        print(f"round {rounds}: {examples} inputs, {len(found)} crashes, "
              f"{max(0, deadline - time.monotonic()):.0f} s left", flush=True)
    print(f"hypothesis: {examples} inputs in {SECONDS:.0f} s, {len(found)} crashes")
    return 1 if found else 0


def main() -> int:
    engine = os.environ.get("FUZZ_ENGINE", "auto")
    if engine == "auto":
        try:
            import atheris  # noqa: F401
        except ImportError:
            engine = "hypothesis"
        else:
            engine = "atheris"
    print(f"fuzzing with {engine} for {SECONDS:.0f} s", flush=True)
    return run_atheris() if engine == "atheris" else run_hypothesis()


if __name__ == "__main__":
    sys.exit(main())
