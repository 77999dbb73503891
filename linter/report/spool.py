"""A sorted collection that holds a bounded number of items in memory.

A run over an estate of task definitions yields findings, errors and task
summaries in proportion to its files, and the report prints each kind sorted. Held
in lists they made memory grow with the count: some 7 MB per 1,000 files in text,
and 290 MB for 10,000 files in JSON. A ``Spool`` keeps at most ``block`` items of a
sorted run in memory and writes the rest, pickled in blocks, to an anonymous
temporary file, as ``sort(1)`` does; iterating reads them back one block at a time.

Items are added in any order and always come out sorted by ``key``, equal keys in the
order they were added (as a stable sort would give). The engine lints files in the
order of their names and sorts each file's items, so nearly everything extends the
current run and costs one key comparison. An item that does not (an unused
configuration ignore judged after every file, a file named twice) goes aside; a full
aside block is sorted and becomes a run of its own, and iteration merges the runs.
"""

from __future__ import annotations

import heapq
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")
# Items per block: enough that pickling costs little per item, few enough that a
# block of findings takes a few megabytes.
BLOCK = 4096


class _Run:
    """A sorted sequence of items: spilled blocks (file offsets) plus a tail in memory."""

    __slots__ = ("offsets", "tail")

    def __init__(self) -> None:
        self.offsets: list[int] = []
        self.tail: list[Any] = []


class Spool(Generic[T]):
    """Items sorted by ``key``, held in memory up to about ``block`` (default ``BLOCK``)
    a run.

    ``pack`` turns an item into something picklable when it is spilled and
    ``unpack`` turns it back (the identity by default); neither runs while the
    items fit in one block.
    """

    def __init__(self, key: Callable[[T], Any], *, pack: Callable[[T], Any] | None = None,
                 unpack: Callable[[Any], T] | None = None, block: int | None = None) -> None:
        self._key = key
        self._pack = pack
        self._unpack = unpack
        self._block = max(1, block or BLOCK)
        self._runs: list[_Run] = [_Run()]
        self._aside: list[T] = []
        self._last: Any = None
        self._count = 0
        self._file: IO[bytes] | None = None

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def add(self, item: T) -> None:
        """Add ``item``."""
        key = self._key(item)
        self._count += 1
        main = self._runs[0]
        if (main.tail or main.offsets) and key < self._last:
            self._aside.append(item)
            if len(self._aside) >= self._block:
                run = _Run()
                run.tail = sorted(self._aside, key=self._key)
                self._aside = []
                self._runs.append(run)
                self._spill(run)
            return
        self._last = key
        main.tail.append(item)
        if len(main.tail) >= self._block:
            self._spill(main)

    def extend(self, items: Iterable[T]) -> None:
        """Add each of ``items``, in order."""
        for item in items:
            self.add(item)

    def __iter__(self) -> Iterator[T]:
        """Every item, sorted by key; equal keys in the order they were added."""
        streams = [self._read(run) for run in self._runs]
        if self._aside:
            streams.append(iter(sorted(self._aside, key=self._key)))
        if len(streams) == 1:
            return streams[0]
        return heapq.merge(*streams, key=self._key)

    def close(self) -> None:
        """Delete the temporary file, if there is one; the spool is empty afterwards."""
        if self._file is not None:
            self._file.close()
            self._file = None
        self._runs = [_Run()]
        self._aside = []
        self._count = 0

    def _spill(self, run: _Run) -> None:
        """Write ``run``'s tail to the temporary file. When that cannot be done (no
        usable temporary directory, a full disk), stop spilling: the items stay in
        memory and the run goes on."""
        import pickle  # with tempfile, 6 ms to import: only for runs that spill
        import tempfile

        items = run.tail if self._pack is None else [self._pack(item) for item in run.tail]
        try:
            if self._file is None:
                self._file = tempfile.TemporaryFile(prefix="ecslint-")
            offset = self._file.seek(0, 2)
            pickle.dump(items, self._file, pickle.HIGHEST_PROTOCOL)
        except OSError:
            self._block = sys.maxsize
            return
        run.offsets.append(offset)
        run.tail = []

    def _read(self, run: _Run) -> Iterator[T]:
        if run.offsets:
            import pickle

            assert self._file is not None
            for offset in run.offsets:
                self._file.seek(offset)
                items = pickle.load(self._file)
                if self._unpack is not None:
                    items = [self._unpack(item) for item in items]
                yield from items
        yield from run.tail
