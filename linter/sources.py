"""Which files to lint, and reading them safely.

Paths named on the command line are linted whatever their extension
("explicit"); directories are walked for ``*.json``, ``*.yaml``, ``*.yml`` and
``*.template``, skipping version-control, dependency and virtual-environment
folders but not ``cdk.out``, whose templates are worth linting. The walk
follows no directory symlinks and no file symlinks that leave the tree, so a
symlink loop cannot hang it. Reading refuses what is not a regular file
(a FIFO would block, a device never ends) and anything over the size limit
before reading it whole.
"""

from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ecslint.parser import InputError

# A task definition is at most 64 KiB and a CloudFormation template 1 MB
# (windows-ecs-facts.md §7; CloudFormation quotas); 5 MiB leaves room for
# pretty-printed CDK output while refusing a stray data dump at once.
MAX_FILE_BYTES = 5 * 1024 * 1024
EXTENSIONS = (".json", ".yaml", ".yml", ".template")
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".terraform",
    ".serverless", ".aws-sam", "build", "dist",
)
STDIN = "-"


@dataclass(frozen=True)
class SourceFile:
    """A file to lint: its path on disk (``-`` for stdin), how to show it, and
    whether the user named it (then a file without a task definition is E003)."""

    path: str
    display: str
    explicit: bool


@dataclass(frozen=True)
class MissingPath:
    """A path named on the command line that does not exist."""

    path: str


def discover(
    paths: Iterable[str], excludes: Iterable[str] = (), stdin_name: str | None = None
) -> Iterator[SourceFile | MissingPath]:
    """Yield the files to lint in a stable order, or an error for a path that does not exist."""
    patterns = tuple(DEFAULT_EXCLUDES) + tuple(excludes)
    for path in paths:
        if path == STDIN:
            yield SourceFile(STDIN, stdin_name or STDIN, True)
        elif os.path.isdir(path):
            yield from _walk(path, patterns)
        elif os.path.lexists(path):
            yield SourceFile(path, path, True)
        else:
            yield MissingPath(path)


def _excluded(name: str, relpath: str, patterns: tuple[str, ...]) -> bool:
    return any(
        fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(relpath, p) for p in patterns
    )


def _walk(top: str, patterns: tuple[str, ...]) -> Iterator[SourceFile]:
    real_top = os.path.realpath(top)
    for directory, dirnames, filenames in os.walk(top):
        rel_dir = os.path.relpath(directory, top)
        dirnames[:] = sorted(
            d for d in dirnames
            if not _excluded(d, os.path.normpath(os.path.join(rel_dir, d)), patterns)
        )
        for name in sorted(filenames):
            if not name.lower().endswith(EXTENSIONS):
                continue
            full = os.path.join(directory, name)
            if _excluded(name, os.path.normpath(os.path.join(rel_dir, name)), patterns):
                continue
            if os.path.islink(full):
                target = os.path.realpath(full)
                if not os.path.isfile(target) or os.path.commonpath([real_top, target]) != real_top:
                    continue
            yield SourceFile(full, full, False)


def read_bytes(source: SourceFile, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a source whole, refusing non-regular files and files over ``limit`` bytes."""
    if source.path == STDIN:
        data = sys.stdin.buffer.read(limit + 1)
    else:
        try:
            info = os.stat(source.path)
        except OSError as exc:
            raise InputError(_os_message(exc)) from None
        if stat.S_ISDIR(info.st_mode):
            raise InputError("is a directory")
        if not stat.S_ISREG(info.st_mode):
            raise InputError("not a regular file (a FIFO, socket or device is never read)")
        if info.st_size > limit:
            raise InputError(_too_large(info.st_size, limit))
        try:
            with open(source.path, "rb") as handle:
                data = handle.read(limit + 1)
        except OSError as exc:
            raise InputError(_os_message(exc)) from None
    if len(data) > limit:
        raise InputError(_too_large(len(data), limit))
    return data


def _too_large(size: int, limit: int) -> str:
    return (
        f"file is larger than the {limit // (1024 * 1024)} MiB limit ({size} bytes or more); "
        "a task definition is at most 64 KiB and a CloudFormation template 1 MB"
    )


def _os_message(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
