"""The spool: sorted like a stable sort whatever the arrival order, spilled to disk
beyond one block, and flat in memory."""

from __future__ import annotations

import pickle
import tempfile
import tracemalloc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ecslint.report.spool import Spool


def first(item: tuple[int, int]) -> int:
    return item[0]


@settings(max_examples=300)
@given(keys=st.lists(st.integers(0, 6), max_size=60), block=st.integers(1, 7))
def test_iterates_as_a_stable_sort_whatever_the_order_and_block(keys: list[int],
                                                                 block: int) -> None:
    items = [(key, position) for position, key in enumerate(keys)]
    spool: Spool[tuple[int, int]] = Spool(first, block=block)
    spool.extend(items)
    expected = sorted(items, key=first)
    assert list(spool) == expected
    assert list(spool) == expected, "a second iteration reads the same items"
    assert len(spool) == len(items) and bool(spool) == bool(items)


@given(batches=st.lists(st.lists(st.integers(0, 9), max_size=8), max_size=12))
def test_sorted_batches_in_order_form_one_run(batches: list[list[int]]) -> None:
    """What the engine does: files in name order, each file's items sorted."""
    spool: Spool[tuple[int, int]] = Spool(first, block=3)
    items = []
    for index, batch in enumerate(batches):
        for key in sorted(batch):
            items.append((index * 10 + key, len(items)))
    spool.extend(items)
    assert list(spool) == items
    assert len(spool._runs) == 1 and not spool._aside


def test_pack_and_unpack_run_only_for_spilled_items() -> None:
    packed: list[str] = []
    spool: Spool[str] = Spool(str, pack=lambda s: packed.append(s) or s.encode(),
                              unpack=bytes.decode, block=2)
    spool.extend(["b", "c", "a"])
    assert packed == ["b", "c"]
    assert list(spool) == ["a", "b", "c"]
    small: Spool[str] = Spool(str, pack=lambda s: 1 / 0, block=10)
    small.extend(["z", "y"])
    assert list(small) == ["y", "z"] and small._file is None


def test_close_removes_the_temporary_file() -> None:
    spool: Spool[int] = Spool(int, block=2)
    spool.extend(range(5))
    handle = spool._file
    assert handle is not None and not handle.closed
    spool.close()
    assert handle.closed and list(spool) == [] and len(spool) == 0


def test_memory_stays_flat_however_many_items() -> None:
    """200,000 strings of 100 characters take 30 MB in a list; the spool keeps one
    block of them in memory while adding, and one block a run while reading."""
    def used_while(count: int) -> int:
        tracemalloc.start()
        try:
            spool: Spool[str] = Spool(str, block=1000)
            for number in range(count):
                spool.add(f"{number:0100d}")
            read = sum(1 for _ in spool)
            assert read == count
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small, large = used_while(20_000), used_while(200_000)
    assert large < 2 * small, (small, large)
    assert large < 3_000_000, large


def test_without_a_usable_temporary_directory_items_stay_in_memory(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_directory(**_: object) -> None:
        raise FileNotFoundError("No usable temporary directory found")

    monkeypatch.setattr(tempfile, "TemporaryFile", no_directory)
    spool: Spool[int] = Spool(int, block=2)
    spool.extend([5, 3, 4, 1, 2, 0])
    assert list(spool) == [0, 1, 2, 3, 4, 5] and spool._file is None


def test_a_full_disk_stops_spilling_and_loses_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    real_dump = pickle.dump
    calls = 0

    def dump(items: object, file: Any, protocol: int) -> None:
        nonlocal calls
        calls += 1
        if calls > 1:
            file.write(b"\x80partial")
            raise OSError(28, "No space left on device")
        real_dump(items, file, protocol)

    monkeypatch.setattr(pickle, "dump", dump)
    spool: Spool[int] = Spool(int, block=2)
    spool.extend(range(9))
    assert list(spool) == list(range(9))
    assert len(spool._runs[0].offsets) == 1
