"""The configuration of a document and the lint of its unsaved text.

A document's configuration is found as ``ecslint check`` finds a file's: the closest
``.ecslint.yaml``, ``.ecslint.yml`` or ``pyproject.toml`` with ``[tool.ecslint]`` from
the document's folder upwards (``config.files.find_config``), read through
``options.CommonOptions.build``. The walk runs on every lint (a few ``stat`` calls);
the file is read again only when its size or modification time changed, so an edited
configuration applies at the next lint without any file watching (the server still
drops the cache on ``workspace/didChangeWatchedFiles``). A baseline is the server's
(``ecslint server --baseline FILE``), not a configuration's.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from ecslint.cli.options import CommonOptions, OptionsError
from ecslint.config.files import find_config
from ecslint.config.lint_options import LintOptions
from ecslint.engine import lint_bytes
from ecslint.report.model import FileResult

# What a configuration file was when read: its path, size and modification time.
_Stamp = tuple[Path, int, int] | None


def path_of(uri: str) -> str:
    """The file system path of a ``file:`` URI; the URI's path for another scheme
    (its name still decides the format)."""
    parsed = urlparse(uri)
    path = unquote(parsed.path)
    if parsed.scheme == "file" and os.name == "nt" and path.startswith("/"):
        path = path[1:]  # file:///C:/x
    return path or uri


def excluded(path: str, options: LintOptions, folder: Path | None) -> bool:
    """Whether the configuration's ``exclude`` patterns take the file at ``path`` (or
    a folder it is in), matched as a walk from ``folder``, the configuration's folder,
    matches them: on a name or on the path from there. The walks' own defaults
    (``build``, ``node_modules`` ...) do not apply: the file was opened on purpose."""
    if not options.excludes:
        return False
    full = Path(os.path.abspath(path))
    try:
        parts = full.relative_to(folder).parts if folder is not None else (full.name,)
    except ValueError:
        parts = (full.name,)
    return any(fnmatch.fnmatchcase(parts[index], pattern)
               or fnmatch.fnmatchcase("/".join(parts[:index + 1]), pattern)
               for index in range(len(parts)) for pattern in options.excludes)


class Configurations:
    """``LintOptions`` by configuration file, read again when the file changed."""

    def __init__(self) -> None:
        self._read: dict[Path | None, tuple[_Stamp, LintOptions | OptionsError]] = {}
        self._found: dict[Path, Path | None] = {}

    def folder_of(self, path: str) -> Path | None:
        """The folder of the configuration file that applies to ``path``, if any."""
        folder = Path(os.path.abspath(path)).parent
        found = find_config(folder) if folder.is_dir() else None
        return found.parent if found is not None else None

    def forget(self) -> None:
        """Drop what was read: the next lint looks for and reads the files again."""
        self._read.clear()
        self._found.clear()

    def options_for(self, path: str) -> LintOptions | OptionsError:
        """The options that apply to the file at ``path``, or why there are none."""
        folder = Path(os.path.abspath(path)).parent
        found = find_config(folder) if folder.is_dir() else None
        stamp = _stamp(found)
        cached = self._read.get(found)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        try:
            _, options = CommonOptions(config_file=found, isolated=found is None).build()
            options_or_error: LintOptions | OptionsError = options
        except OptionsError as exc:
            options_or_error = exc
        self._read[found] = (stamp, options_or_error)
        return options_or_error


def _stamp(path: Path | None) -> _Stamp:
    if path is None:
        return None
    try:
        status = path.stat()
    except OSError:
        return (path, -1, -1)
    return (path, status.st_size, status.st_mtime_ns)


def lint_text(text: str, path: str, options: LintOptions) -> FileResult:
    """Lint the buffer's ``text`` as the file at ``path``, in memory. As a directory
    walk would, a file that names no task definition (a ``package.json``) is passed
    over without a word."""
    return lint_bytes(text.encode("utf-8", "surrogatepass"), path, False, options)
