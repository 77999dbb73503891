"""ARCHITECTURE.md names only what exists: repository paths, module files and
``module.name`` references (``ecslint.engine.lint_sources``, ``engine.lint_sources``,
``readers.Reader`` for ``ecslint.load.readers.Reader``: a module or package named by its
last part alone must be the only one of that name).

Placeholders (``rules/<id>_<name>.py``, ``rules/_*.py``) are not checked; names whose
first part is not an ecslint module (``Rule.run``, ``task.shape``) are left alone.
"""

from __future__ import annotations

import importlib
import re

import pytest
from helpers import ROOT

DOC = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def _module_names() -> dict[str, list[str]]:
    """Each last part of an ecslint module or package name, and the full names with it."""
    found: dict[str, list[str]] = {"rules": ["ecslint.rules"], "schemas": ["ecslint.schemas"]}
    for path in (ROOT / "linter").rglob("*.py"):
        parts = path.relative_to(ROOT / "linter").with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts:
            found.setdefault(parts[-1], []).append(".".join(("ecslint", *parts)))
    return found


# The first part of a dotted name that stands for an ecslint module.
MODULES = _module_names()

_PATH = re.compile(
    r"(?<![\w./])((?:linter|rules|schemas|tests|scripts|benchmarks|docs|examples)"
    r"/[\w./-]*[\w/])(?![\w*<])")
_FILE = re.compile(r"(?<![\w./*])(\w+)\.py\b")
_DOTTED = re.compile(r"(?<![\w./*])([a-z_]\w*(?:\.[A-Za-z_]\w*)+)")


def _paths() -> list[str]:
    return sorted(set(_PATH.findall(DOC)))


def _files() -> list[str]:
    return sorted(set(_FILE.findall(DOC)))


def _names() -> list[str]:
    names = set()
    for name in _DOTTED.findall(DOC):
        if name.endswith(".py"):
            continue
        if name.startswith("ecslint."):
            names.add(name)
        elif name.split(".")[0] in MODULES:
            first, _, rest = name.partition(".")
            full = MODULES[first]
            names.add(f"{full[0]}.{rest}" if len(full) == 1 else f"<{first} is ambiguous>.{rest}")
    return sorted(names)


def resolve(name: str) -> object:
    """The object ``name`` stands for: the longest importable module, then attributes."""
    parts = name.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attribute in parts[cut:]:
            found = getattr(found, attribute)
        return found
    raise ImportError(name)


def test_the_checks_find_what_the_document_names() -> None:
    assert "linter/load/readers.py" in _paths() and "rules/win13x_windows_logging.py" in _paths()
    assert "json_reader" in _files()
    assert "ecslint.engine.lint_sources" in _names()
    assert "ecslint.load.readers.Reader" in _names()  # written readers.Reader
    assert "ecslint.report.formatters._common.visible" in _names()
    assert not any("<" in path or "*" in path for path in _paths())


@pytest.mark.parametrize("path", _paths())
def test_path_exists(path: str) -> None:
    assert (ROOT / path).exists(), f"ARCHITECTURE.md names {path}, which does not exist"


@pytest.mark.parametrize("stem", _files())
def test_module_file_exists(stem: str) -> None:
    assert any((ROOT / "linter").rglob(f"{stem}.py")) or (ROOT / "rules" / f"{stem}.py").is_file(), stem


@pytest.mark.parametrize("name", _names())
def test_dotted_name_exists(name: str) -> None:
    try:
        resolve(name)
    except (ImportError, AttributeError) as exc:
        pytest.fail(f"ARCHITECTURE.md names {name}: {exc}")


def test_it_is_one_page_and_the_readme_points_to_it() -> None:
    assert len(DOC.splitlines()) <= 160
    assert "ARCHITECTURE.md" in (ROOT / "README.md").read_text(encoding="utf-8")
