"""Packaging guard rails (style.md 2.1): every package folder is listed, and an
installed ecslint exposes no generic top-level names."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import ROOT

tomllib = pytest.importorskip("tomllib")


def test_every_package_folder_is_listed_in_pyproject() -> None:
    cfg = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    found = set()
    for package, folder in cfg["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            found.add(".".join((package, *init.parent.relative_to(ROOT / folder).parts)))
    assert found == set(cfg["packages"])


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(ROOT)],
        check=True, capture_output=True,
    )
    (path,) = out.glob("ecslint-*.whl")
    return path


def test_wheel_holds_every_module_and_no_generic_names(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == {"ecslint"}
    for folder, package in (("linter", "ecslint"), ("rules", "ecslint/rules"), ("schemas", "ecslint/schemas")):
        for source in (ROOT / folder).rglob("*"):
            if source.suffix in (".py", ".json") and "__pycache__" not in source.parts:
                relative = source.relative_to(ROOT / folder).as_posix()
                assert f"{package}/{relative}" in names, f"{source} is missing from the wheel"


def test_installed_package_hides_repo_folders(tmp_path: Path) -> None:
    code = (
        "import importlib.util, ecslint, ecslint.rules, ecslint.schemas;"
        "print([n for n in ('rules', 'linter', 'schemas') if importlib.util.find_spec(n)])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "[]"
