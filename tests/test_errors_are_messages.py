"""Every error is a message, with exit status 2, never a traceback (issue 12, item 16).

The cases are the classes behind the tracebacks found: a file name the system
refuses (too long), a folder that cannot be searched or listed, a file that cannot
be read, numbers and nesting a parser refuses, text that is not UTF-8, and an
output stream that is closed or full. The permission cases run with a normal
user's permissions when the tests run as root (``helpers.as_unprivileged``), so that
they meet a real EACCES on CI too instead of being skipped there.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import ECSLINT, as_unprivileged, run_cli

CLEAN = json.dumps({"family": "web", "containerDefinitions": [
    {"name": "web", "image": "nginx", "memory": 512, "essential": True,
     "logConfiguration": {"logDriver": "awslogs", "options": {
         "awslogs-group": "web", "awslogs-region": "eu-west-1", "awslogs-stream-prefix": "web"}}}]})
WINDOWS = json.dumps({"family": "iis", "runtimePlatform": {
    "operatingSystemFamily": "WINDOWS_SERVER_2022_CORE"}, "containerDefinitions": [
    {"name": "iis", "image": "mcr.microsoft.com/windows/servercore/iis", "memory": 512}]})
LONG = "a" * 300  # over NAME_MAX (255): the system refuses the name itself


def run(args: list[str], cwd: Path) -> tuple[int, str]:
    """``ecslint ARGS`` in-process: a traceback raises here instead of passing."""
    result = run_cli(args, cwd)
    return result.exit_code, result.stderr


def in_process_error(args: list[str], cwd: Path) -> str:
    status, stderr = run(args, cwd)
    assert status == 2, stderr
    assert stderr.startswith("ecslint: error: "), stderr
    return stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / ".git").mkdir()  # the configuration search stops here
    (tmp_path / "clean.json").write_text(CLEAN)
    return tmp_path


@pytest.mark.parametrize("args", [
    ["check", "--config", f"{LONG}.yaml", "clean.json"],
    ["check", "--isolated", "--baseline", f"{LONG}.json", "clean.json"],
    ["rules", "--update", f"{LONG}.md"],
])
def test_a_name_too_long_for_the_system_is_an_error_message(folder: Path,
                                                            args: list[str]) -> None:
    assert "file name too long" in in_process_error(args, folder)


def test_a_named_file_whose_name_is_too_long_fails_alone(folder: Path) -> None:
    # Looking for its configuration used to stat it and raise.
    result = run_cli(["check", f"{LONG}.json", "clean.json"], folder)
    assert result.exit_code == 2
    assert f"{LONG}.json: error: file name too long" in result.stdout
    assert "1 file could not be linted." in result.stdout


def test_a_configured_dockerfile_with_a_name_too_long(folder: Path) -> None:
    (folder / ".ecslint.yaml").write_text(
        f"images:\n  - pattern: '*'\n    dockerfile: {LONG}/Dockerfile\n")
    stderr = in_process_error(["check", "clean.json"], folder)
    assert ".ecslint.yaml:3:17: images[0].dockerfile: file name too long: " in stderr


def test_pyproject_nested_too_deeply(folder: Path) -> None:
    (folder / "pyproject.toml").write_text(
        "[tool.ecslint]\nfail-on = " + "[" * 600 + "]" * 600 + "\n")
    assert in_process_error(["check", "clean.json"], folder) == (
        f"ecslint: error: {folder / 'pyproject.toml'}: cannot read: "
        "arrays or tables nested too deeply\n")


def test_pyproject_with_a_number_python_refuses(folder: Path) -> None:
    (folder / "pyproject.toml").write_text("[tool.ecslint]\nfail-on = " + "9" * 5000 + "\n")
    assert in_process_error(["check", "clean.json"], folder) == (
        f"ecslint: error: {folder / 'pyproject.toml'}:2:11: "
        "a number of more than 4300 digits\n")


def test_a_yaml_number_python_refuses_is_quoted_short(folder: Path) -> None:
    (folder / ".ecslint.yaml").write_text("fail-on: " + "9" * 5000 + "\n")
    assert in_process_error(["check", "clean.json"], folder) == (
        f"ecslint: error: {folder / '.ecslint.yaml'}:1:10: "
        f"'{'9' * 37}...' is not a valid !!int; read as a string\n")


def test_every_configuration_problem_is_a_line_of_its_own(folder: Path) -> None:
    (folder / ".ecslint.yaml").write_text("colour: red\nfail-on: sometimes\n")
    config = folder / ".ecslint.yaml"
    assert in_process_error(["check", "clean.json"], folder) == (
        f"ecslint: error: {config}:1:1: colour: unknown key\n"
        f"{config}:2:10: fail-on: \"sometimes\" is not one of error, warning, info, never\n")


def test_rules_update_on_a_file_that_is_not_utf8(folder: Path) -> None:
    (folder / "rules.md").write_bytes(b"caf\xe9\n")
    assert in_process_error(["rules", "--update", "rules.md"], folder) == (
        "ecslint: error: cannot update rules.md: it is not UTF-8 text "
        "(byte 0xe9 at offset 3)\n")
    assert (folder / "rules.md").read_bytes() == b"caf\xe9\n"


# --- standard output closed or full --------------------------------------------------

WRITERS = [["check", "--isolated", "clean.json"],
           ["check", "--isolated", "--format", "json", "clean.json"], ["rules"], ["rule", "WIN110"]]


# click writes help to a closed standard output as nothing at all (sys.stdout is None).
@pytest.mark.parametrize("redirect, args", [(">&-", args) for args in WRITERS]
                         + [(">/dev/full", args) for args in [*WRITERS, ["--help"]]])
def test_output_that_cannot_be_written_is_an_error(folder: Path, redirect: str,
                                                   args: list[str]) -> None:
    if redirect == ">/dev/full" and not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    result = subprocess.run(["sh", "-c", f'exec "$@" {redirect}', "sh", *ECSLINT, *args],
                            cwd=folder, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("ecslint: error: cannot write"), result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr


def test_a_reader_that_goes_away_is_not_an_error(folder: Path) -> None:
    (folder / "many.json").write_text(json.dumps(
        [json.loads(WINDOWS) | {"family": f"f{n}"} for n in range(200)]))
    result = subprocess.run(["sh", "-c", '"$@" | head -c 10 >/dev/null', "sh", *ECSLINT,
                             "check", "--isolated", "many.json"],
                            cwd=folder, capture_output=True, text=True)
    assert (result.returncode, result.stderr) == (0, "")


# --- permissions, with a normal user's rights --------------------------------------

def unprivileged(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(as_unprivileged([*ECSLINT, *args]), cwd=cwd, capture_output=True,
                          text=True, env={**os.environ, "NO_COLOR": "1"})


@pytest.fixture
def estate(tmp_path: Path) -> Iterator[Path]:
    """A repository with a clean file, a file nobody may read, a folder that cannot be
    searched (a Windows task inside), one that cannot be listed, one that can."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "clean.json").write_text(CLEAN)
    (tmp_path / "secret.json").write_text(WINDOWS)
    (tmp_path / "secret.json").chmod(0)
    for name, mode in (("unsearchable", 0o600), ("unlistable", 0o311), ("open", 0o755)):
        (tmp_path / name).mkdir()
        (tmp_path / name / "task.json").write_text(WINDOWS)
        (tmp_path / name / "task.json").chmod(0o644)
        (tmp_path / name).chmod(mode)
    yield tmp_path
    for name in ("unsearchable", "unlistable"):  # so that pytest can remove them
        (tmp_path / name).chmod(0o755)


def test_an_unreadable_named_file_fails_alone(estate: Path) -> None:
    result = unprivileged(["check", "--isolated", "secret.json", "clean.json"], estate)
    assert result.returncode == 2, result.stderr
    assert result.stdout.splitlines() == [
        "secret.json: error: permission denied",
        "No problems found in 1 of 2 files (1 not read).",
        "1 file could not be linted.",
    ]


def test_a_file_in_a_folder_that_cannot_be_searched_is_not_missing(estate: Path) -> None:
    result = unprivileged(["check", "--isolated", "unsearchable/task.json", "clean.json"],
                          estate)
    assert result.returncode == 2, result.stderr
    assert "unsearchable/task.json: error: permission denied" in result.stdout


def test_folders_that_cannot_be_listed_are_errors_not_clean(estate: Path) -> None:
    result = unprivileged(["check", "--isolated", "."], estate)
    assert result.returncode == 2, result.stderr
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    reason = "cannot list this directory: permission denied (exclude it to lint the others)"
    assert errors == [  # a folder that can be listed but not searched: its files fail
        "./secret.json: error: permission denied",
        f"./unlistable: error: {reason}",
        "./unsearchable/task.json: error: permission denied",
    ]
    assert any(line.startswith("./open/task.json:") for line in result.stdout.splitlines())


def test_a_named_folder_that_cannot_be_listed(estate: Path) -> None:
    result = unprivileged(["check", "--isolated", "unlistable"], estate)
    assert result.returncode == 2, result.stderr
    assert result.stdout.startswith("unlistable: error: cannot list this directory: "
                                    "permission denied")


@pytest.mark.parametrize("args, message", [
    (["check", "--config", "secret.json", "clean.json"],
     "ecslint: error: secret.json: cannot read: permission denied"),
    (["check", "--isolated", "--baseline", "secret.json", "clean.json"],
     "ecslint: error: secret.json: cannot read: permission denied"),
    (["rules", "--update", "secret.json"],
     "ecslint: error: cannot read secret.json: permission denied"),
])
def test_unreadable_files_the_options_name(estate: Path, args: list[str], message: str) -> None:
    result = unprivileged(args, estate)
    assert (result.returncode, result.stderr) == (2, message + "\n")


def test_a_configured_dockerfile_in_a_folder_that_cannot_be_searched(estate: Path) -> None:
    (estate / ".ecslint.yaml").write_text(
        "images:\n  - pattern: '*'\n    dockerfile: unsearchable/Dockerfile\n")
    result = unprivileged(["check", "clean.json"], estate)
    assert (result.returncode, result.stderr) == (2, (
        f"ecslint: error: {estate / '.ecslint.yaml'}:3:17: images[0].dockerfile: "
        f"permission denied: {estate / 'unsearchable/Dockerfile'}\n"))


def test_an_unreadable_dockerfile_is_a_signal_not_an_error(estate: Path) -> None:
    (estate / "Dockerfile").write_text("FROM mcr.microsoft.com/windows/servercore:ltsc2019\n")
    (estate / "Dockerfile").chmod(0)
    (estate / ".ecslint.yaml").write_text(
        "images:\n  - pattern: '*'\n    dockerfile: Dockerfile\n")
    (estate / "iis.json").write_text(WINDOWS)
    result = unprivileged(["check", "--format", "json", "iis.json"], estate)
    assert result.returncode in (0, 1), result.stderr
    [task] = json.loads(result.stdout)["tasks"]
    assert [image["signal"] for image in task["windows"]["images"]] == [
        "Dockerfile Dockerfile: cannot be read (Permission denied)"]
