"""Read a configuration file into plain data plus a way to locate its paths.

Discovery and reading live here, apart from what the settings mean
(``ecslint.config.settings``) and whether they are valid (``ecslint.config.checks``).
YAML goes through ecslint's own parser, so positions are those ecslint prints
for task definitions; ``tomllib`` gives no positions, so TOML keys are found by
``ecslint.config.tomlpos``. Every failure raises ``ConfigError`` with
``file:line:column: message`` lines. ``tomllib`` needs Python 3.11: on 3.10 a
``[tool.ecslint]`` table is still found and refused with a message pointing to
``.ecslint.yaml``, never ignored, so the runtime dependencies stay click,
jsonschema and pyyaml.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ecslint.config.tomlpos import TomlLocator
from ecslint.load.decoding import decode
from ecslint.load.document import InputError

YAML_NAMES = (".ecslint.yaml", ".ecslint.yml")
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "ecslint")
_TABLE_HEADER = re.compile(r"^\s*\[\[?\s*tool\s*\.\s*ecslint\s*[\].]", re.MULTILINE)
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")

Locate = Callable[[tuple[Any, ...], bool, Any], tuple[int, int]]


class ConfigError(Exception):
    """The configuration cannot be used; ``str()`` lists ``file:line:column: message`` lines."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def find_config(start: Path) -> Path | None:
    """The configuration file that applies in ``start``: walk up to the first
    directory holding ``.ecslint.yaml``, ``.ecslint.yml`` or a pyproject.toml
    with a ``[tool.ecslint]`` table."""
    for directory in (start, *start.parents):
        for name in YAML_NAMES:
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _TABLE_HEADER.search(_read_text(pyproject)):
            return pyproject
    return None


def read_data(path: Path) -> tuple[Any, Locate]:
    """The settings in ``path`` (``*.toml``: its ``[tool.ecslint]`` table) and a function
    giving the (line, column) of a settings path, its key when asked."""
    if not path.is_file():
        raise ConfigError([f"{path}: configuration file not found"])
    text = _read_text(path)
    return _toml(path, text) if path.suffix == ".toml" else _yaml(path, text)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
        return decode(raw) if raw.strip() else ""
    except OSError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except InputError as exc:
        raise ConfigError([f"{path}:{exc.line or 1}:{exc.column or 1}: {exc.message}"]) from None


def _yaml(path: Path, text: str) -> tuple[Any, Locate]:
    from ecslint.load.yaml_reader import parse_yaml

    try:
        parsed = parse_yaml(text)
    except InputError as exc:
        raise ConfigError([f"{path}:{exc.line or 1}:{exc.column or 1}: {exc.message}"]) from None
    if parsed.error is not None:
        error = parsed.error
        raise ConfigError([f"{path}:{error.line}:{error.column}: {error.message}"])
    documents = parsed.documents
    if len(documents) > 1:
        line = documents[1].sourcemap.region(()).line
        raise ConfigError([f"{path}:{line}:1: a configuration file holds one YAML document"])
    if not documents:
        return {}, lambda *_: (1, 1)
    document = documents[0]
    sourcemap = document.sourcemap
    notices = [
        f"{path}:{region.line}:{region.column}: {notice.message}"
        for notice in document.notices
        for region in [sourcemap.region(notice.path, key=notice.on_key)]
    ]
    if notices:
        raise ConfigError(notices)

    def locate(at: tuple[Any, ...], on_key: bool, _value: Any) -> tuple[int, int]:
        region = sourcemap.region(at, key=on_key)
        return region.line, region.column

    return ({} if document.data is None else document.data), locate


def _toml(path: Path, text: str) -> tuple[Any, Locate]:
    locator = TomlLocator(text, TABLE)
    try:
        import tomllib  # here, not at the top: most runs read no TOML, and it costs 2 ms
    except ModuleNotFoundError:  # Python 3.10
        raise ConfigError([
            f"{path}:{locator.header_line()}:1: reading [tool.ecslint] needs Python 3.11 or "
            "later (tomllib); move the settings to .ecslint.yaml"
        ]) from None
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        if found and found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        else:
            line, column = text.count("\n") + 1, len(text.rsplit("\n", 1)[-1]) + 1
        raise ConfigError([f"{path}:{line}:{column}: {_TOML_POSITION.sub('', message)}"]) from None
    tool = document.get("tool")
    data = tool.get("ecslint") if isinstance(tool, Mapping) else None
    if data is None:
        raise ConfigError([f"{path}: no [tool.ecslint] table"])

    def locate(at: tuple[Any, ...], on_key: bool, value: Any) -> tuple[int, int]:
        return locator.locate(at, value, on_key)

    return data, locate
