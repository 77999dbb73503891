"""Files ecslint writes (--output, --write-baseline, rules --update) are replaced
atomically: a temporary file beside the target, then a rename; on failure the old
file stays whole, and the target keeps its mode."""

from __future__ import annotations

import errno
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import pytest
from helpers import run_cli

from ecslint.report.formatters import _common

BAD = json.dumps({"family": "web", "containerDefinitions": [
    {"name": "web", "image": "nginx:1.27", "memory": 512, "privileged": True}]}) + "\n"
OLD = b"the old file, whole\n"


def run(args: list[str], cwd: Path):
    return run_cli(["check", "--isolated", *args], cwd)


def _fill_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    """Writing stops with ENOSPC after the first bytes, as on a full disk."""
    def write_pieces(pieces: Iterable[str], stream: BinaryIO) -> None:
        stream.write(b'{"trunc')
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(_common, "write_pieces", write_pieces)


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> None:
    _fill_disk(monkeypatch)


@pytest.fixture(autouse=True)
def outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def _only(tmp_path: Path, *names: str) -> None:
    assert sorted(os.listdir(tmp_path)) == sorted(names)  # no temporary file left behind


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_failed_write_keeps_the_old_file(tmp_path: Path, full_disk: None,
                                           option: str) -> None:
    (tmp_path / "task.json").write_text(BAD)
    (tmp_path / "out").write_bytes(OLD)
    result = run([option, "out", "task.json"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "cannot write out: No space left on device" in result.stderr
    assert (tmp_path / "out").read_bytes() == OLD
    _only(tmp_path, "task.json", "out")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_failed_write_creates_no_file(tmp_path: Path, full_disk: None, option: str) -> None:
    (tmp_path / "task.json").write_text(BAD)
    result = run([option, "out", "task.json"], tmp_path)
    assert result.exit_code == 2, result.output
    _only(tmp_path, "task.json")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_replaced_file_keeps_its_mode(tmp_path: Path, option: str) -> None:
    (tmp_path / "task.json").write_text(BAD)
    (tmp_path / "out").write_bytes(OLD)
    (tmp_path / "out").chmod(0o640)
    result = run([option, "out", "task.json"], tmp_path)
    assert result.exit_code in (0, 1), result.output
    assert (tmp_path / "out").read_bytes() != OLD
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o640
    _only(tmp_path, "task.json", "out")


@pytest.mark.parametrize("option", ["--output", "--write-baseline"])
def test_a_new_file_gets_the_umask_mode(tmp_path: Path, option: str) -> None:
    (tmp_path / "task.json").write_text(BAD)
    old = os.umask(0o027)
    try:
        result = run([option, "out", "task.json"], tmp_path)
    finally:
        os.umask(old)
    assert result.exit_code in (0, 1), result.output
    assert stat.S_IMODE((tmp_path / "out").stat().st_mode) == 0o640


def test_output_to_a_device_is_written_in_place(tmp_path: Path) -> None:
    (tmp_path / "task.json").write_text(BAD)
    result = run(["--output", os.devnull, "task.json"], tmp_path)
    assert result.exit_code == 1, result.output
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_rules_update_keeps_the_old_file_on_failure(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "rules.md").write_bytes(OLD)
    (tmp_path / "rules.md").chmod(0o664)
    assert run_cli(["rules", "--update", "rules.md"], tmp_path).exit_code == 0
    updated = (tmp_path / "rules.md").read_bytes()
    assert updated != OLD
    assert stat.S_IMODE((tmp_path / "rules.md").stat().st_mode) == 0o664
    _fill_disk(monkeypatch)
    result = run_cli(["rules", "--update", "rules.md"], tmp_path)
    assert result.exit_code == 2, result.output
    assert "cannot write rules.md: No space left on device" in result.stderr
    assert (tmp_path / "rules.md").read_bytes() == updated
    _only(tmp_path, "rules.md")
