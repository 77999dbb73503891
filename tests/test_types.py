"""The shipped ``py.typed`` holds: ``mypy`` (strict, ``[tool.mypy]`` in pyproject.toml)
passes on the ecslint package.

mypy does not follow the editable install's mapping of ``linter/`` to ``ecslint``,
``rules/`` to ``ecslint.rules`` and ``schemas/`` to ``ecslint.schemas`` (style.md 2.1,
point 5): run on the repository it reports every ``ecslint`` import as missing. So the
test copies the sources into the layout a wheel installs, after
``[tool.setuptools.package-dir]``, and runs ``mypy -p ecslint`` there. By hand::

    python -m pytest tests/test_types.py -rx      # or, in a copy laid out that way:
    python -m mypy --config-file /path/to/repo/pyproject.toml -p ecslint
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import ROOT

tomllib = pytest.importorskip("tomllib")
pytest.importorskip("mypy", reason="mypy is not installed (it is in the test extras)")


def package_layout(target: Path) -> dict[str, str]:
    """Copy the Python sources into ``target`` as installed (no data folders: mypy
    would take them for namespace packages); map each installed folder
    (``ecslint/rules/``) back to its repository folder (``rules/``)."""
    mapping = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-dir"]
    folders = {}
    for package, folder in sorted(mapping.items()):
        installed = "/".join(package.split("."))
        for source in (ROOT / folder).rglob("*.py"):
            copy = target / installed / source.relative_to(ROOT / folder)
            copy.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, copy)
        folders[f"{installed}/"] = f"{folder}/"
    return folders


class Mypy:
    def __init__(self, tree: Path) -> None:
        folders = package_layout(tree)
        self.sources = len(list(tree.rglob("*.py")))
        result = subprocess.run(
            [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
             "--cache-dir", str(tree.parent / "mypy-cache"), "-p", "ecslint"],
            cwd=tree, capture_output=True, text=True)
        self.returncode = result.returncode
        self.output = re.sub(
            r"^(" + "|".join(map(re.escape, sorted(folders, key=len, reverse=True))) + ")",
            lambda m: folders[m.group(1)], result.stdout + result.stderr, flags=re.M)


@pytest.fixture(scope="module")
def mypy(tmp_path_factory: pytest.TempPathFactory) -> Mypy:
    return Mypy(tmp_path_factory.mktemp("typed") / "site-packages")


def test_mypy_checks_every_module_and_finds_every_import(mypy: Mypy) -> None:
    assert mypy.returncode in (0, 1), mypy.output
    # "Success: no issues found in N source files" or "Found ... (checked N source files)"
    assert re.search(rf"\b{mypy.sources} source files\)?$", mypy.output.splitlines()[-1]), mypy.output
    assert "[import-" not in mypy.output, mypy.output


def test_the_package_type_checks_strictly(mypy: Mypy) -> None:
    assert mypy.returncode == 0, mypy.output
