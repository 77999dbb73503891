"""A real editor against ``ecslint server``: headless Neovim (0.7 or later) with its
built-in LSP client, ``tests/editors/init.lua``, in a home and XDG directories of its
own. It opens a YAML task definition whose finding follows 'é' and an emoji on its
line, waits for the diagnostics, asks for the code actions at the WIN110 finding,
applies the preferred one with the client's offset encoding and writes the file.

Without ``nvim`` the test is skipped, but fails on CI (``.ci/run`` installs it): if
diagnostics stop arriving, this test fails, it is never skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers import ROOT, missing_tool

# The lsp extra and the task of the protocol tests (a module that, without pygls,
# skips locally and fails on CI).
from test_lsp import YAML as TASK  # noqa: E402


def server_command() -> list[str]:
    """The venv's ``ecslint`` executable, ``server``; the module through this Python
    when no script sits beside it."""
    script = Path(sys.executable).parent / "ecslint"
    if script.is_file():
        return [str(script), "server"]
    return [sys.executable, "-c", "from ecslint.cli.main import main; main()", "server"]


def test_neovim_gets_diagnostics_and_applies_the_preferred_fix(tmp_path: Path) -> None:
    nvim = shutil.which("nvim")
    if nvim is None:
        missing_tool("nvim is not installed (apt-get install neovim)")
    home = tmp_path / "home"
    work = tmp_path / "work"
    work.mkdir()
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("XDG_", "NVIM", "VIM"))}
    environment["HOME"] = str(home)
    for name in ("CONFIG", "DATA", "STATE", "CACHE", "RUNTIME"):
        folder = home / name.lower()
        folder.mkdir(parents=True, mode=0o700)
        environment[f"XDG_{name}_{'DIR' if name == 'RUNTIME' else 'HOME'}"] = str(folder)
    task = work / "task.yaml"
    task.write_text(TASK, encoding="utf-8")
    out = tmp_path / "result.json"
    environment.update(ECSLINT_OUT=str(out), ECSLINT_RULE="WIN110",
                       ECSLINT_SERVER_CMD=json.dumps(server_command()))
    process = subprocess.run(
        [nvim, "--headless", "--clean", "-u", str(ROOT / "tests" / "editors" / "init.lua"),
         str(task)], cwd=work, env=environment, capture_output=True, text=True, timeout=120,
        stdin=subprocess.DEVNULL)
    assert out.is_file(), (process.returncode, process.stdout, process.stderr)
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["errors"] == [], result

    line = TASK.splitlines()[5]
    win110 = [d for d in result["diagnostics"] if d["code"] == "WIN110"]
    assert len(win110) == 1, result["diagnostics"]
    assert win110[0]["lnum"] == 5
    # Neovim turns the server's UTF-16 character into a byte column of its buffer.
    assert win110[0]["col"] == len(line[:line.index("memoryReservation")].encode("utf-8"))
    assert win110[0]["source"] == "ecslint"
    assert {d["code"] for d in result["diagnostics"]} >= {"WIN110", "ECS413"}
    assert result["offset_encoding"] == "utf-16"
    assert result["actions"] == ["Remove memoryReservation", "Suppress WIN110 on this line"]
    assert result["fixed"] is True
    assert task.read_text(encoding="utf-8") == TASK.replace(" memoryReservation: 1024,", "")
