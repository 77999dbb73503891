"""Which files to lint, and reading them safely.

Paths named on the command line are linted whatever their extension
("explicit"), and a symlink named there is followed: naming it is asking for
it. Directories are walked for the files the caller picks (the registered
readers': ``ecslint.load.readers.walked``, given by the engine so that readers
may read files too: ``*.json``, ``*.yaml``, ``*.yml``, ``*.tf`` and the templates
``*.template``, ``*.tpl`` and ``*.tftpl``, read leniently), skipping
version-control, dependency and virtual-environment folders but not
``cdk.out``, whose templates are worth linting. The walk is
iterative (a directory tree thousands of levels deep cannot exhaust the
stack), follows no directory symlink, so a symlink loop cannot hang it, and
follows a file symlink only to a regular file inside the walked tree: a
crafted repository cannot make ecslint read ``/etc`` or a device. It skips
what is not a regular file (FIFOs, sockets, devices); a directory it cannot
list is an error (``Unreadable``), never a clean result. A file over the size
limit (``FileTooLarge``) is an input error when named; a walk skips it, as it is
no task definition (a ``package-lock.json``, a big ``cdk.out`` asset).

Reading refuses what is not a regular file (a FIFO would block, a device
never ends) and anything over ``MAX_FILE_BYTES`` before reading it whole: the
size is checked from ``stat`` before a byte is read, so a 200 MB file (sparse
or not) is refused at once, and the read stops one byte past the limit if the
file grows meanwhile. The file is opened without blocking and checked again on
the open descriptor, so one swapped for a FIFO after the check cannot hang the
run either. A Terraform plan (``terraform show -json``, recognised by its first
bytes) may be larger: ``MAX_PLAN_BYTES``.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ecslint.load.document import InputError

# A task definition is at most 64 KiB and a CloudFormation template 1 MB
# (windows-ecs-facts.md §7; CloudFormation quotas); 5 MiB leaves room for
# pretty-printed CDK output while refusing a stray data dump at once.
MAX_FILE_BYTES = 5 * 1024 * 1024
# A Terraform plan in JSON holds the whole configuration and state beside its task
# definitions: a large estate's is tens of MB. Recognised by its first bytes.
MAX_PLAN_BYTES = 128 * 1024 * 1024
_HEAD = 512
_PLAN_HEAD = re.compile(rb'\s*\{\s*"format_version"\s*:\s*"[^"]*"\s*,\s*"terraform_version"')
DEFAULT_EXCLUDES = (
    ".git", ".hg", ".svn", "node_modules", ".venv", "venv", ".tox", ".nox",
    "__pycache__", ".mypy_cache", ".pytest_cache", ".ruff_cache", ".terraform",
    ".serverless", ".aws-sam", "build", "dist",
)
STDIN = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """Something to lint: where its bytes are, how to show it, and whether the user
    named it (then a file without a task definition is E003).

    The bytes are ``data`` when the content is already in memory (a task definition
    fetched from AWS, standard input read for a worker process), else the file at
    ``path`` (``-`` for standard input).
    """

    path: str | None
    display: str
    explicit: bool
    data: bytes | None = None


@dataclass(frozen=True)
class Unreadable:
    """A path named on the command line that does not exist, or a directory that
    cannot be listed, and why: an error, never a clean result."""

    path: str
    reason: str


def discover(
    paths: Iterable[str], picks: Callable[[str], bool], excludes: Iterable[str] = (),
    stdin_name: str | None = None,
) -> Iterator[Source | Unreadable]:
    """Yield the files to lint in a stable order (those of a walk whose names
    ``picks``), and an error for a path that does not exist or a directory that
    cannot be listed.

    A named path that exists but cannot be looked at (in a folder without search
    permission, a name too long) is a file to lint: reading it says why it cannot be.
    """
    patterns = tuple(DEFAULT_EXCLUDES) + tuple(excludes)
    for path in paths:
        if path == STDIN:
            yield Source(STDIN, stdin_name or STDIN, True)
        elif os.path.isdir(path):
            yield from _walk(path, patterns, picks)
        elif _missing(path):
            yield Unreadable(path, "no such file or directory")
        else:
            yield Source(path, path, True)


def _missing(path: str) -> bool:
    try:
        os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return True
    except (OSError, ValueError):  # permission denied, name too long, a NUL: said on reading
        return False
    return False


def _excluded(name: str, relpath: str, patterns: tuple[str, ...]) -> bool:
    return any(
        fnmatch.fnmatchcase(name, p) or fnmatch.fnmatchcase(relpath, p) for p in patterns
    )


def _walk(top: str, patterns: tuple[str, ...],
          picks: Callable[[str], bool]) -> Iterator[Source | Unreadable]:
    """Files under ``top`` in ``os.walk`` order (a directory's files, sorted, then
    its subdirectories, sorted, depth first), without recursion. A directory that
    cannot be listed is an error (it may hold task definitions), one that vanished
    meanwhile is not."""
    real_top = os.path.realpath(top)
    pending = [(top, os.curdir)]  # (directory, its path relative to top), last walked first
    while pending:
        directory, rel_dir = pending.pop()
        try:
            with os.scandir(directory) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except FileNotFoundError:
            continue
        except OSError as exc:
            yield Unreadable(directory, f"cannot list this directory: {_os_message(exc)} "
                                        "(exclude it to lint the others)")
            continue
        subdirectories = []
        for entry in entries:
            relpath = os.path.normpath(os.path.join(rel_dir, entry.name))
            if _excluded(entry.name, relpath, patterns):
                continue
            if _is_directory(entry):
                subdirectories.append((entry.path, relpath))
            elif picks(entry.name) and _regular_inside(entry, real_top):
                yield Source(entry.path, entry.path, False)
        pending.extend(reversed(subdirectories))


def _is_directory(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir(follow_symlinks=False)
    except OSError:
        return False


def _regular_inside(entry: os.DirEntry[str], real_top: str) -> bool:
    """Whether ``entry`` is a regular file, or a symlink to one inside ``real_top``."""
    try:
        if not entry.is_symlink():
            return entry.is_file(follow_symlinks=False)
    except OSError:
        return False
    target = os.path.realpath(entry.path)
    if not os.path.isfile(target):
        return False
    try:
        return os.path.commonpath([real_top, target]) == real_top
    except ValueError:  # on another drive (Windows)
        return False


class FileTooLarge(InputError):
    """A file over the size limit: an error when named, skipped (for ``skipped``)
    when a walk found it."""

    skipped = f"larger than the {MAX_FILE_BYTES // (1024 * 1024)} MiB limit for a file to lint"


def file_problem(path: str | os.PathLike[str]) -> str | None:
    """Why ``path`` is not a regular file, in words (``no such file or directory``,
    ``permission denied``, ``is a directory``); ``None`` when it is one."""
    try:
        _check_regular(os.stat(path), sys.maxsize)
    except OSError as exc:
        return _os_message(exc)
    except ValueError:
        return "not a valid file name (it holds a NUL character)"
    except InputError as exc:
        return exc.message
    return None


class NoSuchFile(InputError):
    """The file to read does not exist."""


def read_bytes(source: Source, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a source whole, refusing non-regular files and files over ``limit`` bytes
    (a Terraform plan over the file limit: over ``MAX_PLAN_BYTES``)."""
    if source.data is not None:
        data = source.data
    elif source.path is None:
        raise InputError("nothing to read")
    elif source.path == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("standard input is closed")
        try:
            data = stream.read(limit + 1)
            if len(data) > limit and _allowed(data, limit) > limit:
                data += stream.read(_allowed(data, limit) - limit)
        except OSError as exc:
            raise InputError(_os_message(exc)) from None
    else:
        try:
            _check_regular(os.stat(source.path), limit, _allowed(None, limit))
            # Not blocking: a FIFO swapped in after the stat must not hang the open.
            fd = os.open(source.path, os.O_RDONLY | _NONBLOCK | _BINARY)
            with open(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                _check_regular(info, limit, _allowed(None, limit))
                allowed = limit
                if info.st_size > limit:
                    allowed = _allowed(handle.read(_HEAD), limit)
                    handle.seek(0)
                    _check_regular(info, allowed)
                data = handle.read(allowed + 1)
        except FileNotFoundError as exc:
            raise NoSuchFile(_os_message(exc)) from None
        except OSError as exc:
            raise InputError(_os_message(exc)) from None
        except ValueError:
            raise InputError("not a valid file name (it holds a NUL character)") from None
    allowed = _allowed(data, limit) if len(data) > limit else limit
    if len(data) > allowed:
        raise FileTooLarge(_too_large(len(data), allowed))
    return data


def _allowed(head: bytes | None, limit: int) -> int:
    """The size limit for a file that begins with ``head``: a Terraform plan's (as
    ``terraform show -json`` writes it, pretty-printed or not, UTF-8 or UTF-16) when
    the limit is the one for linted files, else ``limit``; the largest limit the file
    may have when its ``head`` is not read yet."""
    if limit != MAX_FILE_BYTES:
        return limit
    if head is None:
        return MAX_PLAN_BYTES
    text = head[:_HEAD].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xff\xfe")
    return MAX_PLAN_BYTES if _PLAN_HEAD.match(text) else limit


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


def _check_regular(info: os.stat_result, limit: int, most: int | None = None) -> None:
    """Refuse what is not a regular file, and a file over ``most`` bytes (``limit``
    unless given) as over ``limit``."""
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a directory")
    if not stat.S_ISREG(info.st_mode):
        raise InputError("not a regular file (a FIFO, socket or device is never read)")
    if info.st_size > (limit if most is None else most):
        raise FileTooLarge(_too_large(info.st_size, limit, most))


def _too_large(size: int, limit: int, most: int | None = None) -> str:
    plan = f"{MAX_PLAN_BYTES // (1024 * 1024)} MiB limit for a Terraform plan"
    if limit == MAX_PLAN_BYTES:
        return f"file is larger than the {plan} ({size} bytes or more)"
    return (
        f"file is larger than the {limit // (1024 * 1024)} MiB limit ({size} bytes or more)"
        + (f" and the {plan}" if most == MAX_PLAN_BYTES else "")
        + "; a task definition is at most 64 KiB and a CloudFormation template 1 MB"
    )


def _os_message(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()
