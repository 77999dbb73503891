"""A stopped run (Ctrl-C, SIGTERM, a killed parent) stops at once, leaves no
process behind and exits with 128 + the signal's number, never 1 ("findings").

A plugin rule that sleeps for an hour stands for a slow file: a run that waited
for its workers to finish their chunks would hit the test's time-out, not pass.
Each rule that starts sleeping first leaves a file named after its process, so the
signal is sent while every process is busy, not before the pool has started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import ECSLINT, install_plugin

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="reads sessions from /proc")

SLEEPER = '''
import os
import time
from pathlib import Path

from ecslint.rule import Severity, rule


@rule(id="XYZ904", name="sleeps-an-hour", severity=Severity.ERROR, summary="s", fix_title="f",
      default=False)
def sleeps(task):
    """Stand for a file that takes very long to lint."""
    (Path(os.environ["SLEEPERS"]) / str(os.getpid())).touch()
    time.sleep(3600)
    yield
'''
# Far longer than a prompt stop takes, far shorter than the sleep.
PATIENCE = 60


def session(leader: int) -> list[int]:
    """The processes of the session ``leader`` started (its workers included)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if entry.name.isdigit() and int(fields[3]) == leader and fields[0] != "Z":
            found.append(int(entry.name))
    return found


@pytest.fixture
def start(tmp_path: Path):
    """Start ``ecslint check --extend-select XYZ904`` on four tasks in a session of
    its own, and wait until ``busy`` processes are linting."""
    sleepers = tmp_path / "sleepers"
    sleepers.mkdir()
    site = install_plugin(tmp_path / "site", "sleeper", SLEEPER)
    for name in "abcd":
        (tmp_path / f"{name}.json").write_text(json.dumps(
            {"family": name, "containerDefinitions": [{"name": "c", "image": "nginx"}]}))
    started: list[subprocess.Popen[bytes]] = []

    def run(jobs: int, busy: int) -> subprocess.Popen[bytes]:
        env = {**os.environ, "PYTHONPATH": str(site), "SLEEPERS": str(sleepers)}
        process = subprocess.Popen(
            [*ECSLINT, "check", "--isolated", "--extend-select", "XYZ904", "--jobs", str(jobs),
             str(tmp_path)], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True)
        started.append(process)
        deadline = time.monotonic() + PATIENCE
        while len(list(sleepers.iterdir())) < busy:
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "the rule never ran"
            time.sleep(0.05)
        return process

    yield run
    for process in started:
        for pid in session(process.pid):
            os.kill(pid, signal.SIGKILL)
        process.communicate()


def stopped(process: subprocess.Popen[bytes]) -> tuple[int, str]:
    try:
        _, stderr = process.communicate(timeout=PATIENCE)
    except subprocess.TimeoutExpired:
        pytest.fail("the run did not stop")
    return process.returncode, stderr.decode()


def gone(leader: int) -> list[int]:
    """The processes of the session still alive after waiting for them a while."""
    deadline = time.monotonic() + PATIENCE
    while session(leader) and time.monotonic() < deadline:
        time.sleep(0.1)
    return session(leader)


@pytest.mark.parametrize("jobs", [1, 2])
def test_ctrl_c_stops_the_run_and_its_workers(start, jobs: int) -> None:
    process = start(jobs, busy=jobs)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal sends it: to every process
    assert stopped(process) == (130, "ecslint: stopped by SIGINT\n")
    assert gone(process.pid) == []


def test_sigterm_to_the_parent_alone_stops_its_workers(start) -> None:
    process = start(2, busy=2)
    process.send_signal(signal.SIGTERM)
    assert stopped(process) == (143, "ecslint: stopped by SIGTERM\n")
    assert gone(process.pid) == []


def test_workers_of_a_killed_parent_exit(start) -> None:
    process = start(2, busy=2)
    process.kill()
    assert stopped(process)[0] == -signal.SIGKILL
    assert gone(process.pid) == []
