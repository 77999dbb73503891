"""Hostile input, end to end: ecslint never crashes, hangs, reads what it must not, blows up
memory or executes anything, whatever file or tree it is given (issue 6; SECURITY.md).

The parsers' own bounds (depth, alias budget, tags) have unit tests in
``test_parser_json.py``, ``test_parser_yaml.py`` and ``test_decoding.py``; here each hostile
input goes through the real reader, engine and rules, as a file on disk where that is the
point. Anything that could hang if it regressed (a FIFO, a symlink loop) runs in a
subprocess or a thread with a timeout, and the inputs that once took minutes to hours
run under ``no_hang``, so the suite fails instead of hanging. None of this checks speed:
the worst inputs come from ``benchmarks/bench.py``, which times them.

The tests named for bugs B3-B5 are regressions for bugs these tests found and that were
fixed in the reader and the engine.
"""

from __future__ import annotations

import codecs
import json
import os
import re
import signal
import socket
import stat
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from bench import (
    PLACEHOLDER_OPENERS,
    SIZE_LIMIT_UNITS,
    alias_bombs,
    deep_nesting,
    placeholder_task,
    size_limit_task,
)
from helpers import ECSLINT, ROOT, options, summary
from hypothesis import given, settings
from hypothesis import strategies as st

import ecslint.load.sources as sources
import ecslint.report.placement as placement
from ecslint.engine import lint_bytes, lint_paths
from ecslint.load.document import InputError
from ecslint.load.readers import walked
from ecslint.load.sources import MAX_FILE_BYTES, Source, read_bytes
from ecslint.rule import is_unresolved

ALL = options(["ALL"], raise_rule_errors=True)  # a rule that raises fails the test
CONTAINED = options(["ALL"], raise_rule_errors=False)  # as a real run
TASK = {"family": "web", "containerDefinitions": [
    {"name": "web", "image": "nginx", "memory": 512, "memoryReservation": 1024}]}
TASK_TEXT = json.dumps(TASK)
UNIX = pytest.mark.skipif(os.name != "posix", reason="POSIX file types")


# Far above what any block here takes (well under a second each): only a hang trips it.
HANG_SECONDS = 300


@contextmanager
def no_hang() -> Iterator[None]:
    """Fail, rather than hang the suite, if the block has not ended after
    ``HANG_SECONDS`` (POSIX; elsewhere the block just runs). Not a speed check."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def hung(_signal: int, _frame: object) -> None:
        raise TimeoutError(f"still running after {HANG_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_SECONDS)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def cli(*args: str, cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """``ecslint check --isolated ARGS`` in a subprocess that cannot hang the suite."""
    return subprocess.run([*ECSLINT, "check", "--isolated", *args],
                          cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          stdin=subprocess.DEVNULL)


def errors_of(report: Any) -> dict[str, str]:
    return {Path(e.file).name: e.message for e in report.errors}


# -- size ---------------------------------------------------------------------------------


def test_a_200_mb_file_is_refused_from_its_size_without_reading_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = tmp_path / "big.json"
    with open(big, "wb") as handle:  # sparse: no 200 MB on disk
        handle.truncate(200 * 1024 * 1024)
    monkeypatch.setattr(sources.os, "open", lambda *a: pytest.fail("the file was opened"))
    with no_hang():
        report = lint_paths([str(big)], CONTAINED)
    assert errors_of(report) == {"big.json": (
        "file is larger than the 5 MiB limit (209715200 bytes or more) and the 128 MiB limit "
        "for a Terraform plan; a task definition is at most 64 KiB and a CloudFormation template 1 MB")}


def test_a_file_that_grows_after_the_size_check_is_read_only_to_the_limit(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    grown = tmp_path / "grown.json"
    grown.write_bytes(b" " * (MAX_FILE_BYTES + 100))
    real_stat, real_fstat = os.stat, os.fstat

    def small(info: os.stat_result) -> os.stat_result:
        return os.stat_result((*info[:6], 10, *info[7:]))  # st_size = 10

    monkeypatch.setattr(sources.os, "stat", lambda path: small(real_stat(path)))
    monkeypatch.setattr(sources.os, "fstat", lambda fd: small(real_fstat(fd)))
    with pytest.raises(InputError, match=r"larger than the 5 MiB limit \(5242881 bytes or more\)"):
        read_bytes(Source(str(grown), "grown.json", True))


def test_standard_input_over_the_limit_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [*ECSLINT, "check", "--isolated", "-"], cwd=tmp_path,
        input=b"[" + b" " * MAX_FILE_BYTES + b"]", capture_output=True, timeout=60)
    assert result.returncode == 2
    assert b"-: error: file is larger than the 5 MiB limit" in result.stdout


def test_the_size_limit_is_the_documented_one() -> None:
    assert MAX_FILE_BYTES == 5 * 1024 * 1024
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "5 MiB" in security and "MAX_FILE_BYTES" in security


# -- nesting and alias bombs ------------------------------------------------------------------

DEEP = deep_nesting()


def test_100000_deep_nesting_is_refused(tmp_path: Path) -> None:
    for name, text in DEEP.items():
        (tmp_path / name).write_text(text)
    paths = [str(tmp_path / name) for name in DEEP]
    with no_hang():
        report = lint_paths(paths, CONTAINED)
    problems = errors_of(report)
    problems.update({Path(f.location.file).name: f.message for f in report.findings})
    assert set(problems) == set(DEEP)
    for name, message in problems.items():
        # libyaml stops a flow collection at 1000 levels itself, a parse error (E001).
        assert re.fullmatch("nesting deeper than 64 levels|exceeded maximum nesting depth",
                            message), (name, message)


def test_alias_bombs_are_refused(tmp_path: Path) -> None:
    bombs = alias_bombs()
    for name in ("laughs.yaml", "merges.yaml"):
        (tmp_path / name).write_text(bombs[name])
    with no_hang():
        report = lint_paths([str(tmp_path)], CONTAINED)
    assert errors_of(report) == {
        "laughs.yaml": "YAML alias expansion exceeds 250000 nodes (possible alias bomb)",
        "merges.yaml": "YAML alias expansion exceeds 250000 nodes (possible alias bomb)",
    }


def test_aliases_of_one_long_string_are_an_alias_bomb_too() -> None:
    # 1 MB of text written 30 times: 30 MB for every rule to scan. A 5 MiB file can hold
    # 4 MB written 100,000 times; 200 aliases of 1 MB took 13 s and 1.2 GB of memory.
    text = alias_bombs()["long-string.yaml"]
    with no_hang():
        result = lint_bytes(text.encode(), "bomb.yaml", True, CONTAINED)
    assert [e.message for e in result.errors] == [
        "YAML alias expansion exceeds 10485760 characters (possible alias bomb)"]


# -- encodings, line endings, binary -----------------------------------------------------------

JSON_TASK = (
    '{\n  "family": "wé😀b",\n'
    '  "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"},\n'
    '  "containerDefinitions": [\n'
    '    {"name": "wé😀b", "image": "mcr.microsoft.com/windows/servercore:ltsc2022",'
    ' "memory": 2048, "memoryReservation": 1024}\n  ]\n}\n'
)
YAML_TASK = (
    "family: wé😀b\n"
    "runtimePlatform: {operatingSystemFamily: WINDOWS_SERVER_2022_CORE}\n"
    "containerDefinitions:\n"
    '  - {name: wé😀b, image: "mcr.microsoft.com/windows/servercore:ltsc2022",'
    " memory: 2048, memoryReservation: 1024}\n"
)
ENCODINGS = {
    "utf-8": b"", "utf-8-sig": b"", "utf-16-le": codecs.BOM_UTF16_LE,
    "utf-16-be": codecs.BOM_UTF16_BE, "utf-32-le": codecs.BOM_UTF32_LE,
}


def positions(text: str, name: str) -> list[tuple[Any, ...]]:
    result = lint_bytes(text.encode(), name, True, ALL)
    assert not result.errors
    return [(*row, f.location.end_line, f.location.end_column)
            for row, f in zip(summary(result), sorted(result.findings, key=lambda f: f.sort_key()),
                              strict=True)]


@pytest.mark.parametrize("encoding", list(ENCODINGS))
@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
@pytest.mark.parametrize(("name", "text"), [("t.json", JSON_TASK), ("t.yaml", YAML_TASK)])
def test_every_encoding_and_line_ending_gives_the_same_findings_and_positions(
        name: str, text: str, ending: str, encoding: str) -> None:
    expected = positions(text, name)
    assert ("WIN110", 5 if name == "t.json" else 4) in {row[:2] for row in expected}
    raw = ENCODINGS[encoding] + text.replace("\n", ending).encode(encoding)
    result = lint_bytes(raw, name, True, ALL)
    assert not result.errors
    got = [(*row, f.location.end_line, f.location.end_column)
           for row, f in zip(summary(result), sorted(result.findings, key=lambda f: f.sort_key()),
                             strict=True)]
    assert got == expected


@pytest.mark.parametrize(("raw", "message"), [
    (b'{\r\n  "family": "w\xc3\xa9\xffb"\r\n}', "2:16: error: not UTF-8 text: invalid byte 0xff"),
    (b'{"family": "web",\n "x": "\x00"}', "2:8: error: binary file: NUL byte at line 2, column 8"),
    ('{"family": "web"}'.encode("utf-16-le"), "1:2: error: binary file: NUL byte"),
    (codecs.BOM_UTF16_LE + b"{\x00\x00\xdc", "1:2: error: not UTF-16 text"),
    (b"\xef\xbb\xbf \r\n\t", "error: empty file"),
])
def test_undecodable_files_are_an_error_with_their_position(
        tmp_path: Path, raw: bytes, message: str) -> None:
    (tmp_path / "bad.json").write_bytes(raw)
    result = cli("bad.json", "--format", "text", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stdout.startswith(f"bad.json:{message}" if message[0].isdigit()
                                    else f"bad.json: {message}"), result.stdout


def test_a_walked_binary_file_is_skipped_unless_it_names_a_task(tmp_path: Path) -> None:
    (tmp_path / "image.json").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    (tmp_path / "task.json").write_bytes(b'{"containerDefinitions": [], "x": "\x00"}')
    report = lint_paths([str(tmp_path)], CONTAINED)
    assert errors_of(report) == {"task.json": "binary file: NUL byte at line 1, column 36"}


# -- what a scanned tree may hold ----------------------------------------------------------


@pytest.fixture
def hostile_tree(tmp_path: Path) -> Path:
    """A tree with a task, and every kind of file a walk must not read or follow."""
    tree, outside = tmp_path / "tree", tmp_path / "outside"
    (tree / "sub").mkdir(parents=True)
    outside.mkdir()
    (tree / "task.json").write_text(TASK_TEXT)
    (outside / "secret.json").write_text(TASK_TEXT.replace('"web"', '"outside"', 1))
    (tree / "dir.json").mkdir()  # a directory named like a file
    (tree / "dir.json" / "inner.yaml").write_text(TASK_TEXT)
    os.mkfifo(tree / "fifo.json")
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(tree / "socket.json"))
    links = {
        "zero.json": "/dev/zero", "null.yaml": "/dev/null", "dangling.json": "nowhere.json",
        "loop1.json": "loop2.json", "loop2.json": "loop1.json", "self.json": "self.json",
        "escape.json": "../outside/secret.json", "inside.json": "task.json",
        "to-fifo.json": "fifo.json", "sub/up": "..", "sub/out": "../../outside",
        "sub/root": "/",
    }
    for name, target in links.items():
        os.symlink(target, tree / name)
    return tree


@UNIX
def test_a_walk_reads_only_regular_files_inside_the_tree(hostile_tree: Path) -> None:
    result = cli("--format", "json", "tree", cwd=hostile_tree.parent)
    report = json.loads(result.stdout)
    assert result.returncode == 1, result.stdout + result.stderr
    assert report["errors"] == []
    assert sorted({f["location"]["file"] for f in report["findings"]}) == [
        "tree/dir.json/inner.yaml", "tree/inside.json", "tree/task.json"]
    assert report["summary"]["files"] == 3
    assert "outside" not in result.stdout


NOT_REGULAR = "not a regular file (a FIFO, socket or device is never read)"
NAMED_SPECIAL = {
    "fifo.json": NOT_REGULAR, "socket.json": NOT_REGULAR, "zero.json": NOT_REGULAR,
    "null.yaml": NOT_REGULAR, "to-fifo.json": NOT_REGULAR,
    "dangling.json": "no such file or directory",
    "loop1.json": "too many levels of symbolic links",
    "self.json": "too many levels of symbolic links",
}


@UNIX
def test_a_named_special_file_is_an_error_not_a_hang(hostile_tree: Path) -> None:
    result = cli(*NAMED_SPECIAL, "task.json", "--format", "json", cwd=hostile_tree, timeout=30)
    assert result.returncode == 2
    report = json.loads(result.stdout)
    assert report["errors"] == [
        {"file": name, "message": message, "line": None, "column": None}
        for name, message in sorted(NAMED_SPECIAL.items())]
    assert {f["location"]["file"] for f in report["findings"]} == {"task.json"}


@UNIX
def test_a_named_symlink_is_followed_even_out_of_the_tree(hostile_tree: Path) -> None:
    result = cli("escape.json", "--format", "json", cwd=hostile_tree)
    assert result.returncode == 1
    assert json.loads(result.stdout)["tasks"][0]["task"] == "outside"


@UNIX
def test_a_fifo_swapped_in_after_the_check_does_not_block(
        hostile_tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regular = os.stat(hostile_tree / "task.json")
    monkeypatch.setattr(sources.os, "stat", lambda path: regular)
    outcome: list[BaseException | bytes] = []

    def read() -> None:
        try:
            outcome.append(read_bytes(Source(str(hostile_tree / "fifo.json"), "f", True)))
        except BaseException as exc:
            outcome.append(exc)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(10)
    assert not reader.is_alive(), "reading a FIFO blocked"
    assert isinstance(outcome[0], InputError)
    assert outcome[0].message.startswith("not a regular file")


def test_an_unreadable_file_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    locked = tmp_path / "locked.json"
    locked.write_text(TASK_TEXT)
    locked.chmod(0)
    try:
        if os.name != "posix" or os.geteuid() == 0:  # root reads anything: refuse it here
            real_open = os.open

            def refuse(path: str, *args: Any) -> int:
                if Path(path) == locked:
                    raise PermissionError(13, "Permission denied", path)
                return real_open(path, *args)

            monkeypatch.setattr(sources.os, "open", refuse)
        report = lint_paths([str(tmp_path)], CONTAINED)
    finally:
        locked.chmod(stat.S_IRUSR | stat.S_IWUSR)
    assert errors_of(report) == {"locked.json": "permission denied"}


@UNIX
@pytest.mark.parametrize("kind", ["fifo", "device", "sparse"])
def test_a_hostile_baseline_file_is_refused_not_read(tmp_path: Path, kind: str) -> None:
    # The baseline lives in the repository: a symlink to /dev/zero was read until memory
    # ran out, a FIFO blocked the run.
    from ecslint.suppress.baseline import Baseline, BaselineError

    path = tmp_path / "baseline.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        os.symlink("/dev/zero", path)
    else:
        with open(path, "wb") as handle:
            handle.truncate(1 << 30)
    outcome: list[BaseException | None] = []

    def load() -> None:
        try:
            Baseline.load(path)
            outcome.append(None)
        except BaseException as exc:
            outcome.append(exc)

    loader = threading.Thread(target=load, daemon=True)
    loader.start()
    loader.join(10)
    assert not loader.is_alive(), "loading the baseline blocked"
    assert isinstance(outcome[0], BaselineError)
    assert str(outcome[0]).startswith(f"{path}: cannot read: ")


def test_a_directory_tree_thousands_of_levels_deep_is_walked(tmp_path: Path) -> None:
    # os.walk (Python 3.11) recursed once per level: RecursionError past about 1,000.
    here = os.getcwd()
    os.chdir(tmp_path)
    try:
        for _ in range(1_200):
            os.mkdir("d")
            os.chdir("d")
        Path("task.json").write_text(TASK_TEXT)
        os.chdir(tmp_path)
        with no_hang():
            found = list(sources.discover(["."], walked))
        assert len(found) == 1 and found[0].path.endswith(os.sep + "task.json")
    finally:
        _remove_deep_tree(tmp_path)
        os.chdir(here)


def _remove_deep_tree(top: Path) -> None:
    """Remove ``top/d/d/.../d`` bottom up (shutil.rmtree, and pytest's clean-up of old
    temporary directories with it, recurses once per level too)."""
    os.chdir(top)
    depth = 0
    while os.path.isdir("d"):
        os.chdir("d")
        depth += 1
    for name in os.listdir("."):
        os.remove(name)
    for _ in range(depth):
        os.chdir("..")
        os.rmdir("d")


# -- YAML tags that would construct objects ------------------------------------------------


def test_python_tags_are_data_never_code(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = (
        f"family: !!python/object/apply:os.system ['touch {marker}']\n"
        "containerDefinitions:\n"
        f"  - name: !!python/object/new:subprocess.Popen [['touch', '{marker}']]\n"
        "    image: !!python/name:os.system nginx\n"
        "    memory: !!python/module:os 512\n"
        f"    command: !!python/object:builtins.open {{file: '{marker}', mode: w}}\n"
    )
    (tmp_path / "task.yaml").write_text(text)
    result = cli("task.yaml", "--format", "json", cwd=tmp_path)
    assert result.returncode == 2  # the tags are E001 parse errors
    assert not marker.exists()
    tags = [f["message"] for f in json.loads(result.stdout)["findings"]
            if f["rule"]["id"] == "E001"]
    assert len(tags) == 5 and all(m.startswith("unsupported YAML tag '!!python/") for m in tags)


# -- hostile values: crashes and quadratic time found by this issue --------------------------


def fargate_windows(**changes: Any) -> bytes:
    task = {"family": "web", "requiresCompatibilities": ["FARGATE"], "networkMode": "awsvpc",
            "cpu": "1024", "memory": "2048",
            "runtimePlatform": {"operatingSystemFamily": "WINDOWS_SERVER_2019_CORE"},
            "containerDefinitions": [{"name": "web", "image": "mcr.microsoft.com/windows/"
                                      "servercore/iis:windowsservercore-ltsc2019",
                                      "portMappings": [{"containerPort": 80}]}]}
    for key, value in changes.items():
        if key in ("containerPort", "containerPortRange"):
            task["containerDefinitions"][0]["portMappings"][0][key] = value  # type: ignore[index]
        else:
            task[key] = value
    return json.dumps(task).encode()


@pytest.mark.parametrize("raw", [
    # FG306: "²".isdigit() is true, int("²") raised ValueError.
    fargate_windows(containerPort="²"),
    fargate_windows(containerPort="1" * 5000),
    # FG306: int() refuses more than 4300 digits.
    fargate_windows(containerPortRange="1" * 5000 + "-3150"),
    # FG302 and ECS407 (task size): "9...9 vCPU" became an int Python cannot print.
    fargate_windows(cpu="9" * 5000 + " vCPU"),
    fargate_windows(cpu="9" * 5000),
    fargate_windows(memory="9" * 5000 + " GB"),
    fargate_windows(memory="." + "9" * 5000 + " GB"),
], ids=["superscript-port", "long-port", "long-port-range", "long-vcpu", "long-cpu",
        "long-gb", "long-fraction"])
def test_odd_numbers_in_strings_do_not_crash_a_rule(raw: bytes) -> None:
    lint_bytes(raw, "task.json", True, ALL)


@pytest.mark.parametrize("value", ["0x" + "f" * 4000, "0b" + "1" * 15000, "0" + "7" * 5000,
                                   "1" + ":59" * 3000], ids=["hex", "binary", "octal", "base60"])
def test_integers_python_cannot_print_are_read_as_strings(value: str) -> None:
    template = ("Resources:\n  Task:\n    Type: AWS::ECS::TaskDefinition\n    Properties:\n"
                f"      Family: {value}\n      ContainerDefinitions:\n"
                f"        - {{Name: web, Image: nginx, Memory: {value}, Cpu: {value}}}\n")
    result = lint_bytes(template.encode(), "template.yaml", True, ALL)
    # base60 stops before it is built: at MAX_SEXAGESIMAL_PARTS (issue 12, item 3)
    assert any("is an integer of more than" in f.message
               or "is a sexagesimal number of more than" in f.message for f in result.findings)


def test_an_exception_outside_the_rules_is_contained_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.json").write_text(TASK_TEXT)
    (tmp_path / "b.json").write_text(TASK_TEXT.replace('"web"', '"boom"', 1))
    from ecslint import file_linter

    extract = file_linter.extract

    def crashing(data: Any, stem: str) -> Any:
        if isinstance(data, dict) and data.get("family") == "boom":
            raise ValueError("a bug outside the rules")
        return extract(data, stem)

    monkeypatch.setattr(file_linter, "extract", crashing)
    report = lint_paths([str(tmp_path)], CONTAINED)
    assert errors_of(report) == {"b.json": "internal error: ValueError: a bug outside the rules"}
    assert {Path(f.location.file).name for f in report.findings} == {"a.json"}


@pytest.mark.parametrize("unit", PLACEHOLDER_OPENERS)
def test_a_long_value_of_placeholder_openers_is_linted(unit: str) -> None:
    task = placeholder_task(unit)
    with no_hang():
        result = lint_bytes(json.dumps(task).encode(), "task.json", True, ALL)
    assert result.errors == [] and result.tasks[0].task == task["family"]


_OLD_PLACEHOLDER = re.compile(
    r"\$\$\$\$\w+\$\$\$\$|\$\{[^}]*\}|\{\{.*?\}\}|\{%.*?%\}|<%.*?%>|%\{[^}]*\}"
    r"|(?<![$\w])\$[A-Za-z_]\w*")


@settings(max_examples=300)
@given(st.text(st.sampled_from("{}%$<>\n_a1 .A"), max_size=14))
def test_placeholders_are_the_old_regex_ones_and_names_to_fill_in(value: str) -> None:
    old = ("$" in value or "{" in value or "%>" in value) and bool(_OLD_PLACEHOLDER.search(value))
    assert is_unresolved(value) == (old or _named_reference(value))


def _named_reference(value: str) -> bool:
    """Names left to fill in (<TASK_NAME>, {INSERT SERVICE NAME}): the whole value,
    or a token without lower-case letters or with words joined by _ - or a space."""
    for opening, closing in (("<", ">"), ("{", "}")):
        for start, char in enumerate(value):
            end = value.find(closing, start + 1)
            if char != opening or end == -1:
                continue
            words = value[start + 1:end]
            if re.fullmatch(r"[A-Za-z][\w.-]*(?: [\w.-]+)*", words) and (
                    value[start:end + 1] == value.strip() or words == words.upper()
                    or any(c in words for c in "_- ")):
                return True
    return False


@pytest.mark.parametrize("unit", SIZE_LIMIT_UNITS)
def test_every_string_of_a_task_at_the_size_limit_is_linted(unit: str) -> None:
    task = size_limit_task(unit)
    with no_hang():
        result = lint_bytes(json.dumps(task).encode(), "task.json", True, ALL)
    assert result.errors == [] and result.tasks[0].task == task["family"]
    # Messages that quote the 400 KB names and values are cut to a readable length.
    assert result.findings
    assert max(len(f.message) for f in result.findings) <= placement.MAX_MESSAGE + 50


# -- the fuzz target ----------------------------------------------------------------------------


def test_the_fuzz_target_holds_on_its_seeds_and_on_every_regression() -> None:
    """``fuzz/fuzz_lint.py`` stays runnable: its invariants hold on a sample of its seeds
    and on the inputs of this file that crashed or slowed ecslint (those fixed here)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_lint", ROOT / "fuzz" / "fuzz_lint.py")
    assert spec is not None and spec.loader is not None
    fuzz = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(fuzz)
    fuzz.OPTIONS = fuzz._import_ecslint()
    seeds = fuzz._seeds()
    assert len(seeds) > 100
    for raw, name in seeds[::25]:
        fuzz.check(raw, name)
    for raw in (fargate_windows(containerPort="²"), fargate_windows(cpu="9" * 5000 + " vCPU"),
                json.dumps({"family": "{{" * 100_000, "containerDefinitions": []}).encode()):
        fuzz.check(raw, "task.json")


def test_dockerfile_arg_doubling_is_bounded(tmp_path: Path) -> None:
    """Issue 12, item 4: 664 bytes of ARG defaults doubling 40 times (5 GB expanded)."""
    from bench import dockerfile_args

    from ecslint.platform.windows import MAX_ARG_EXPANSION

    for name, text in dockerfile_args().items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = subprocess.run([*ECSLINT, "check", "--verbose", "--select", "ALL", "task.json"],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr  # findings; not 2, the file was linted
    assert (f"image web:1 (container 'web'): Windows build unknown (Dockerfile Dockerfile: "
            f"ARG defaults expand to more than {MAX_ARG_EXPANSION:,} characters before the "
            "first FROM; not followed)") in result.stdout
    security = (ROOT / "SECURITY.md").read_text(encoding="utf-8")
    assert "MAX_ARG_EXPANSION" in security


def test_a_dockerfile_reason_quotes_expanded_args_and_stage_chains_short() -> None:
    # Found by the fuzzer: the reason quoted a FROM line as its ARG defaults expand it
    # (up to the 1 MiB expansion budget), and it is in every report of the task.
    from ecslint.platform.windows import parse_dockerfile

    doubling = "ARG A0=ab\n" + "".join(f"ARG A{n}=${{A{n - 1}}}${{A{n - 1}}}\n"
                                       for n in range(1, 16)) + "FROM img:${A15}\n"
    base, reason = parse_dockerfile(doubling)
    assert base == "img:" + "ab" * 2 ** 15
    assert reason == "FROM img:${A15} (ARG defaults: img:" + "ab" * 46 + "a...)"
    chain = "FROM img:ltsc2019 AS s0\n" + "".join(
        f"FROM s{n - 1} AS s{n}\n" for n in range(1, 1000)) + "FROM s999\n"
    base, reason = parse_dockerfile(chain)
    assert base == "img:ltsc2019" and len(reason) < 300 and reason.endswith(", ...")
