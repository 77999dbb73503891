"""Read a configuration file into plain data plus a way to locate its paths.

Discovery and reading live here, apart from what the settings mean
(``ecslint.config.settings``) and whether they are valid (``ecslint.config.checks``).
YAML goes through ecslint's own parser, so positions are those ecslint prints
for task definitions; ``tomllib`` gives no positions, so TOML keys are found by
``ecslint.config.tomlpos``. Every failure raises ``ConfigError`` with
``file:line:column: message`` lines. A pyproject.toml applies when a TOML
parser finds a ``tool.ecslint`` table in it, however it is written (``[tool.ecslint]``,
``[tool."ecslint"]``, dotted keys, an inline table), never for text inside a string:
``tomllib`` on Python 3.11 and later, the ``tomli`` it came from on 3.10.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ecslint.config.tomlpos import TomlLocator
from ecslint.load.decoding import decode
from ecslint.load.document import InputError
from ecslint.load.sources import MAX_FILE_BYTES, FileTooLarge, NoSuchFile, Source, read_bytes

YAML_NAMES = (".ecslint.yaml", ".ecslint.yml")
PYPROJECT = "pyproject.toml"
TABLE = ("tool", "ecslint")
# Only when a pyproject.toml does not parse: does it look as if it meant to hold the table?
# Then it is chosen and its syntax error reported, rather than skipped in silence.
_TABLE_WRITTEN = re.compile(r"""\btool["']?\s*(?:\.|=\s*\{)\s*["']?ecslint\b""")
_TOML_POSITION = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)")

# Python refuses to turn longer digit strings into integers (sys.int_info).
_MAX_DIGITS = 4300
_LONG_NUMBER = re.compile(rf"[0-9_]{{{_MAX_DIGITS + 1},}}")

Locate = Callable[[tuple[Any, ...], bool, Any], tuple[int, int]]


class ConfigError(Exception):
    """The configuration cannot be used; ``str()`` lists ``file:line:column: message`` lines."""

    def __init__(self, problems: Sequence[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = list(problems)


def find_config(start: Path) -> Path | None:
    """The configuration file that applies in ``start``: walk up to the first
    directory holding ``.ecslint.yaml``, ``.ecslint.yml`` or a pyproject.toml
    with a ``[tool.ecslint]`` table.

    The walk stops after the repository root (a directory holding ``.git``, a
    folder or a worktree's file) and after the home directory, and before a
    directory that others may write to (``/tmp``) or that another user owns: a
    file planted above the project, such as ``/tmp/.ecslint.yaml`` with ``ignore:
    [ALL]``, must not switch the checks off.
    """
    home = _identity(Path(os.path.expanduser("~")))
    owner = None
    for directory in (start, *start.parents):
        try:
            info = directory.stat()
        except (FileNotFoundError, NotADirectoryError):  # --stdin-filename in a new folder
            continue
        except OSError:
            return None
        if owner is None:
            owner = info.st_uid
        if info.st_mode & stat.S_IWOTH or info.st_uid != owner:
            return None
        for name in YAML_NAMES:
            if os.path.isfile(directory / name):
                return directory / name
        pyproject = directory / PYPROJECT
        if os.path.isfile(pyproject) and _has_table(_read_text(pyproject)):
            return pyproject
        if os.path.lexists(directory / ".git") or (info.st_dev, info.st_ino) == home:
            return None
    return None


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = path.stat()
    except (OSError, ValueError):  # no home directory, or "~" left as it was
        return None
    return info.st_dev, info.st_ino


def _has_table(text: str) -> bool:
    """Whether pyproject.toml text holds a ``tool.ecslint`` table. The parser (and its
    2 ms import) runs only when the name, or an escape that may spell it, is in the text."""
    if "ecslint" not in text and "\\u" not in text and "\\U" not in text:
        return False
    toml = _toml_parser()
    try:
        tool = toml.loads(text).get("tool")
    except (toml.TOMLDecodeError, RecursionError, ValueError):
        return _TABLE_WRITTEN.search(text) is not None
    return isinstance(tool, Mapping) and "ecslint" in tool


def _toml_parser() -> Any:
    """``tomllib``, or ``tomli`` on Python 3.10; imported when needed: most runs read no TOML."""
    try:
        return importlib.import_module("tomllib")
    except ModuleNotFoundError:  # Python 3.10: tomli, a runtime dependency there
        return importlib.import_module("tomli")


def read_data(path: Path) -> tuple[Any, Locate]:
    """The settings in ``path`` (``*.toml``: its ``[tool.ecslint]`` table) and a function
    giving the (line, column) of a settings path, its key when asked."""
    text = _read_text(path)
    return _toml(path, text) if path.suffix == ".toml" else _yaml(path, text)


def _read_text(path: Path) -> str:
    """The text of a configuration file, read as a linted file is: never a FIFO or a
    device, at most ``MAX_FILE_BYTES`` (a configuration may come with a pull request)."""
    try:
        raw = read_bytes(Source(str(path), str(path), True))
    except NoSuchFile:
        raise ConfigError([f"{path}: configuration file not found"]) from None
    except FileTooLarge:
        raise ConfigError([f"{path}: cannot read: larger than the "
                           f"{MAX_FILE_BYTES // (1024 * 1024)} MiB limit"]) from None
    except InputError as exc:
        raise ConfigError([f"{path}: cannot read: {exc.message}"]) from None
    try:
        return decode(raw) if raw.strip() else ""
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


def _line_column(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - start + 1


def _toml(path: Path, text: str) -> tuple[Any, Locate]:
    locator = TomlLocator(text, TABLE)
    tomllib = _toml_parser()
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        if found and found.group(1):
            line, column = int(found.group(1)), int(found.group(2))
        else:
            line, column = _line_column(text, len(text))
        raise ConfigError([f"{path}:{line}:{column}: {_TOML_POSITION.sub('', message)}"]) from None
    except RecursionError:
        raise ConfigError([f"{path}: cannot read: arrays or tables nested too deeply"]) from None
    except ValueError:  # Python's limit on the digits of an integer
        found = _LONG_NUMBER.search(text)
        line, column = _line_column(text, found.start() if found else 0)
        raise ConfigError([f"{path}:{line}:{column}: a number of more than "
                           f"{_MAX_DIGITS} digits"]) from None
    tool = document.get("tool")
    data = tool.get("ecslint") if isinstance(tool, Mapping) else None
    if data is None:
        raise ConfigError([f"{path}: no [tool.ecslint] table"])
    if not isinstance(data, Mapping):
        from ecslint.config.checks import _kind

        line, column = locator.locate((), data)
        raise ConfigError([f"{path}:{line}:{column}: tool.ecslint: expected a table, "
                           f"got {_kind(data)}"])

    def locate(at: tuple[Any, ...], on_key: bool, value: Any) -> tuple[int, int]:
        return locator.locate(at, value, on_key)

    return data, locate
