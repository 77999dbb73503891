"""The progress line: on a terminal only, for long runs, cleared at the end, never
on standard output."""

from __future__ import annotations

import io
import json
import os
import select
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers import ECSLINT

from ecslint.cli.progress import Progress

TASK = json.dumps({"family": "web", "containerDefinitions": [
    {"name": "web", "image": "nginx", "memory": 512}]})


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_many_files_show_at_once_and_the_line_is_cleared() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    progress(0, 60)
    progress(1, 60)  # within the redraw interval: skipped
    clock.now += 0.2
    progress(2, 60)
    progress(60, 60)  # the last file is always drawn
    progress.close()
    assert stream.getvalue() == (
        "\rlinting 0/60 files\rlinting 2/60 files\rlinting 60/60 files" + "\r" + " " * 19 + "\r")


def test_few_files_show_only_once_the_run_is_slow() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    progress(0, 3)
    progress(1, 3)
    assert stream.getvalue() == ""
    clock.now += 0.6
    progress(2, 3)
    assert stream.getvalue() == "\rlinting 2/3 files"
    progress(3, 3)
    progress.close()
    assert stream.getvalue().endswith("\rlinting 3/3 files\r" + " " * 17 + "\r")


def test_one_file_and_unshown_lines_write_nothing() -> None:
    stream, clock = io.StringIO(), Clock()
    progress = Progress(stream, clock=clock)
    clock.now += 5
    progress(0, 1)
    progress(1, 1)
    progress.close()
    assert stream.getvalue() == ""


def test_only_a_terminal_gets_a_progress_line() -> None:
    assert Progress.on_terminal(io.StringIO()) is None


def ecslint(args: list[str], cwd: Path, stderr_on_pty: bool) -> tuple[str, str]:
    """Run ecslint with stdout on a pipe and stderr on a pseudo-terminal (or a pipe)."""
    command = [*ECSLINT, *args]
    if not stderr_on_pty:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=120)
        return done.stdout, done.stderr
    import pty

    primary, secondary = pty.openpty()
    out = tempfile.TemporaryFile()  # a pipe could fill up while the terminal is read
    process = subprocess.Popen(command, cwd=cwd, stdin=subprocess.DEVNULL,
                               stdout=out, stderr=secondary)
    os.close(secondary)
    chunks = []
    while True:
        ready, _, _ = select.select([primary], [], [], 60)
        if not ready:
            process.kill()
            pytest.fail("ecslint did not finish")
        try:
            chunk = os.read(primary, 4096)
        except OSError:  # EIO: the terminal's last writer has gone
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(primary)
    process.wait(timeout=60)
    out.seek(0)
    return out.read().decode(), b"".join(chunks).decode()


@pytest.fixture
def many(tmp_path: Path) -> Path:
    for index in range(60):
        (tmp_path / f"task{index:02}.json").write_text(TASK)
    return tmp_path


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_progress_on_a_terminal_never_reaches_stdout(many: Path, jobs: str) -> None:
    stdout, stderr = ecslint(["check", "--isolated", "--format", "json", "-j", jobs, "."], many,
                             stderr_on_pty=True)
    assert stderr.startswith("\rlinting 0/60 files")
    assert "\rlinting 60/60 files" in stderr
    assert stderr.endswith("\r" + " " * len("linting 60/60 files") + "\r")
    assert json.loads(stdout)["summary"]["files"] == 60
    assert "linting" not in stdout and "\r" not in stdout


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_no_progress_when_quiet(many: Path) -> None:
    stdout, stderr = ecslint(["check", "--isolated", "--quiet", "."], many, stderr_on_pty=True)
    assert stderr == ""
    assert "linting" not in stdout


def test_no_progress_without_a_terminal(many: Path) -> None:
    stdout, stderr = ecslint(["check", "--isolated", "."], many, stderr_on_pty=False)
    assert stderr == ""
    assert stdout.endswith("in 60 of 60 files.\n")
