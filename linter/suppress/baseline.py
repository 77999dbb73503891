"""Baselines: adopt ecslint on an existing tree, then report only new findings.

``ecslint check --write-baseline FILE`` records the findings of a run (after
selection and suppressions) and ``--baseline FILE`` leaves those out of later
runs. The file is JSON, written deterministically (entries sorted, keys in a
fixed order, two-space indent, a final newline), so it diffs well in review::

    {
      "version": 1,
      "findings": [
        {
          "file": "services/web.json",     relative to the baseline's directory, with /
          "task": "web",                   task family or resource name, or null
          "container": "web",              name of the container holding it, or null
          "pointer": "/containerDefinitions/0/memoryReservation",
          "rule": "WIN110",
          "name": "windows-memory-reservation",     for people; never compared
          "message": "container 'web' sets …"       for people; never compared
        }
      ]
    }

A finding matches an entry when their identities (``ecslint.report.identity``: file,
task, rule, pointer and the name of the container it lies in, never line, column
or message, nor the container's position) are equal, so reformatting a file,
rewording a message or reordering containers keeps it matched. Matching counts: two equal
entries absorb two equal findings, and a third is reported. Parse errors (E001)
are never recorded or absorbed: a file that does not parse is not linted at all.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from ecslint.builtin_ids import PARSE_ERROR
from ecslint.report.identity import Identity, identity, of_finding
from ecslint.report.model import ReportedFinding
from ecslint.rule import shown

VERSION = 1
# The largest baseline read, and so written: loading costs about 15 bytes of memory
# and 0.25 s a MB (a 16 MiB baseline: 270 MB, 4 s). An entry takes about 400 bytes,
# so this holds some 42,000 findings; ``write`` refuses a larger one.
MAX_BASELINE_BYTES = 16 * 1024 * 1024
_ENTRY_BYTES = 400
_SURROGATE = re.compile("[\ud800-\udfff]")


class BaselineError(Exception):
    """The baseline file is missing, unreadable or not an ecslint baseline."""


@dataclass(frozen=True)
class Entry:
    """One recorded finding, and where the entry starts in the baseline file."""

    file: str
    task: str | None
    container: str | None
    pointer: str
    rule: str
    name: str = ""
    message: str = ""
    line: int = 1
    column: int = 1

    @property
    def key(self) -> Identity:
        return identity(self.file, self.task, self.container, self.pointer, self.rule)


class Baseline:
    """The entries of one baseline file, absorbing the findings they record.

    ``absorbs`` is stateful: each entry absorbs one finding, and ``unused``
    lists the entries that absorbed none.
    """

    def __init__(self, path: Path, entries: Iterable[Entry]) -> None:
        self.path = path.absolute()
        self.entries = list(entries)
        self._pending: dict[Identity, deque[int]] = {}
        for index, entry in enumerate(self.entries):
            self._pending.setdefault(entry.key, deque()).append(index)
        self._used: set[int] = set()

    @classmethod
    def load(cls, path: Path) -> Baseline:
        """Read ``path``; raise ``BaselineError`` saying what is wrong and where."""
        from ecslint.load.decoding import decode
        from ecslint.load.document import InputError
        from ecslint.load.json_reader import parse_json
        from ecslint.load.sources import FileTooLarge, NoSuchFile, Source, read_bytes

        try:
            # As a linted file: never a FIFO or a device (a symlink to /dev/zero in the
            # repository would be read until memory runs out), at most MAX_BASELINE_BYTES.
            raw = read_bytes(Source(str(path), str(path), True), MAX_BASELINE_BYTES)
        except FileTooLarge:
            raise BaselineError(f"{path}: cannot read: larger than the {_limit()} limit for "
                                f"a baseline (about {_capacity()} findings)") from None
        except NoSuchFile:
            raise BaselineError(f"{path}: baseline file not found") from None
        except InputError as exc:
            raise BaselineError(f"{path}: cannot read: {exc.message}") from None
        try:
            parsed = parse_json(decode(raw))
        except InputError as exc:
            position = f"{exc.line or 1}:{exc.column or 1}"
            raise BaselineError(f"{path}:{position}: {exc.message}") from None
        if parsed.error is not None:
            error = parsed.error
            raise BaselineError(f"{path}:{error.line}:{error.column}: {error.message}")
        document = parsed.documents[0]
        if document.notices:
            notice = document.notices[0]
            region = document.sourcemap.region(notice.path, key=notice.on_key)
            raise BaselineError(f"{path}:{region.line}:{region.column}: {notice.message}")

        def fail(at: tuple[Any, ...], message: str) -> BaselineError:
            region = document.sourcemap.region(at)
            return BaselineError(f"{path}:{region.line}:{region.column}: {message}")

        data = document.data
        if not isinstance(data, dict) or "findings" not in data:
            raise fail((), "not an ecslint baseline: expected an object with \"version\" "
                           "and \"findings\" (write one with --write-baseline)")
        if data.get("version") != VERSION:
            raise fail(("version",) if "version" in data else (),
                       f"unsupported baseline version {shown(data.get('version'))}; "
                       f"this ecslint reads version {VERSION}")
        if not isinstance(data["findings"], list):
            raise fail(("findings",), "\"findings\" must be a list")
        entries = []
        for index, item in enumerate(data["findings"]):
            at = ("findings", index)
            problem = _problem(item)
            if problem:
                raise fail(at, f"findings[{index}]: {problem}")
            region = document.sourcemap.region(at)
            entries.append(Entry(
                item["file"], item.get("task"), item.get("container"), item["pointer"],
                item["rule"], item.get("name", ""), item.get("message", ""),
                region.line, region.column,
            ))
        return cls(path, entries)

    def relative(self, display: str) -> str:
        """How an entry names the file shown as ``display``."""
        return relative_to(display, self.path.parent)

    def absorbs(self, finding: ReportedFinding) -> bool:
        """Whether an entry not used yet records ``finding``; that entry is then used."""
        if finding.rule.id == PARSE_ERROR:
            return False
        waiting = self._pending.get(of_finding(finding, self.relative(finding.location.file)))
        if not waiting:
            return False
        self._used.add(waiting.popleft())
        return True

    def records(self, finding: ReportedFinding) -> bool:
        """Whether an entry records ``finding`` (``absorbs`` without using it): such a
        finding is accepted as it is, and ``--fix`` leaves it alone."""
        if finding.rule.id == PARSE_ERROR:
            return False
        return bool(self._pending.get(of_finding(finding, self.relative(finding.location.file))))

    def unused(self) -> Iterator[tuple[int, Entry]]:
        """The entries that absorbed no finding, with their index in the file."""
        for index, entry in enumerate(self.entries):
            if index not in self._used:
                yield index, entry


def _problem(item: Any) -> str | None:
    if not isinstance(item, dict):
        return "an entry must be an object"
    for key in ("file", "pointer", "rule"):
        if not isinstance(item.get(key), str):
            return f"{key!r} must be a string"
    for key in ("task", "container", "name", "message"):
        if item.get(key) is not None and not isinstance(item[key], str):
            return f"{key!r} must be a string or null"
    return None


def relative_to(display: str, directory: Path) -> str:
    """``display`` as a POSIX path relative to ``directory`` (absolute when it
    cannot be: another drive on Windows)."""
    absolute = os.path.abspath(display)
    try:
        return PurePath(os.path.relpath(absolute, directory)).as_posix()
    except ValueError:
        return PurePath(absolute).as_posix()


def write(path: Path, findings: Iterable[ReportedFinding]) -> int:
    """Write the baseline of ``findings`` to ``path`` (file names relative to its
    directory) and return the number of entries; parse errors are left out. Entries
    are sorted on the way through a ``Spool``, so memory stays flat however many
    there are. Raises ``BaselineError`` when the file cannot be written."""
    from ecslint.atomic import replacing
    from ecslint.report.formatters._common import Items, stream_json, write_pieces
    from ecslint.report.spool import Spool

    directory = path.absolute().parent
    entries: Spool[dict[str, Any]] = Spool(_entry_order)
    entries.extend(
        {
            "file": relative_to(f.location.file, directory),
            "task": f.task,
            "container": f.container,
            "pointer": f.location.pointer,
            "rule": f.rule.id,
            "name": f.rule.name,
            "message": f.message,
        }
        for f in findings if f.rule.id != PARSE_ERROR
    )
    # A lone surrogate (from "\ud800" in a linted JSON file) cannot be written as
    # UTF-8; as a \u escape it reads back as the same string.
    document = {"version": VERSION, "findings": Items(iter(entries))}
    count = len(entries)
    try:
        with replacing(path) as stream:
            write_pieces(_bounded(stream_json(document, unsafe=_SURROGATE), stream), stream)
            if stream.tell() > MAX_BASELINE_BYTES:
                raise _TooLarge
    except _TooLarge:  # the old baseline stays, as --baseline would refuse this one
        raise BaselineError(
            f"cannot write {path}: a baseline of {count:,} findings is larger than the "
            f"{_limit()} a baseline can be (about {_capacity()} findings); fix some "
            "findings, or leave some out with --ignore or per-file-ignores, before "
            "recording the rest") from None
    except OSError as exc:
        raise BaselineError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        entries.close()
    return count


class _TooLarge(Exception):
    pass


def _bounded(pieces: Iterable[str], stream: BinaryIO) -> Iterator[str]:
    """``pieces`` until ``stream`` holds more than ``MAX_BASELINE_BYTES``."""
    for piece in pieces:
        if stream.tell() > MAX_BASELINE_BYTES:
            raise _TooLarge
        yield piece


def _limit() -> str:
    mib = 1024 * 1024
    if MAX_BASELINE_BYTES % mib == 0:
        return f"{MAX_BASELINE_BYTES // mib} MiB"
    return f"{MAX_BASELINE_BYTES / 1_000_000:g} MB"


def _capacity() -> str:
    """About how many entries ``MAX_BASELINE_BYTES`` holds, to two figures."""
    entries = MAX_BASELINE_BYTES // _ENTRY_BYTES
    return f"{round(entries, 2 - len(str(entries))):,}"


def _entry_order(entry: dict[str, Any]) -> tuple[str, ...]:
    return (entry["file"], entry["task"] or "", entry["container"] or "", entry["pointer"],
            entry["rule"], entry["message"])
