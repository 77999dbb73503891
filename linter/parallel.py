"""Lint files in worker processes (``--jobs``), with the report of a serial run.

Linting is CPU-bound Python, so it needs processes, not threads. Options hold
rules and rules hold functions, so options never cross a process boundary: each
worker rebuilds them from the ``Config`` they were made from (plain, picklable
data) and finds the rules by importing the rule modules and plugins itself, as
any run does. A finding travels back with its rule id in place of the ``Rule``
and is re-attached in the parent. Workers collect garbage as rarely as the
parent does while it lints (``engine.GC_THRESHOLD``), however they are started.

A task is a file name (standard input is read in the parent and sent as bytes):
each worker reads, parses and lints its files, so no file's text or parse tree
crosses processes or outlives its file. Results are yielded in the order of the
files as soon as each is ready, which lets the caller fold them into the report
exactly as a serial run does, and hold nothing but the findings, errors and task
summaries. A rule that raises is contained in the worker exactly as in a serial
run; a worker that dies (killed, out of memory) raises ``WorkerError``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from typing import TYPE_CHECKING, Any

from ecslint.engine import FileResult, LintOptions, collect_less, lint_bytes, lint_file
from ecslint.parser import InputError
from ecslint.report import InputProblem, ReportedFinding
from ecslint.rule import Rule
from ecslint.sources import STDIN, SourceFile, read_bytes

if TYPE_CHECKING:
    from ecslint.config import Config

# None uses the platform's default: fork on Linux up to Python 3.13, forkserver
# from 3.14, spawn on macOS and Windows. The workers do not depend on it.
START_METHOD: str | None = None
# Files per task: enough to amortise inter-process traffic, few enough that the
# workers stay evenly loaded and the progress line moves.
MAX_CHUNK = 16
# Chunks in flight per worker: enough to keep every worker busy while the parent
# folds results in, few enough that pending work does not grow with the estate.
AHEAD = 4

_Task = tuple[SourceFile, bytes | None, str | None]
_Packed = tuple[list[tuple[Any, ...]], FileResult]
_options: LintOptions | None = None


class WorkerError(RuntimeError):
    """A worker process ended without returning its results."""


def cpu_count() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def lint_in_processes(sources: list[SourceFile], options: LintOptions,
                      jobs: int) -> Iterator[FileResult]:
    """Lint ``sources`` in up to ``jobs`` processes, yielding results in their order.

    At most ``AHEAD`` chunks a worker are submitted at once: ``Executor.map`` would
    submit every chunk of an estate up front, a future each.
    """
    if options.config is None:
        raise ValueError("parallel linting needs options made by LintOptions.from_config")
    workers = max(1, min(jobs, len(sources)))
    size = max(1, min(MAX_CHUNK, len(sources) // (workers * 4)))
    chunks = (list(map(_task, sources[start:start + size]))
              for start in range(0, len(sources), size))
    pool = ProcessPoolExecutor(
        workers, mp_context=multiprocessing.get_context(START_METHOD), initializer=_start,
        initargs=(options.config, options.base_dir, options.raise_rule_errors),
    )
    try:
        pending = deque(pool.submit(_lint_chunk, chunk)
                        for chunk in islice(chunks, workers * AHEAD))
        while pending:
            done = pending.popleft().result()
            pending.extend(pool.submit(_lint_chunk, chunk) for chunk in islice(chunks, 1))
            for packed in done:
                yield _unpack(packed, options.by_id)
    except BrokenProcessPool as exc:
        pool.shutdown(wait=False, cancel_futures=True)
        raise WorkerError(f"a worker process ended unexpectedly ({exc})") from exc
    except BaseException:
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


def _task(source: SourceFile) -> _Task:
    if source.path != STDIN:
        return source, None, None
    try:
        return source, read_bytes(source), None
    except InputError as exc:
        return source, None, exc.message


def _start(config: Config, base_dir: str, raise_rule_errors: bool) -> None:
    """Build the worker's options; Ctrl-C is the parent's to handle."""
    global _options
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    collect_less()
    _options = LintOptions.from_config(config, base_dir=base_dir,
                                       raise_rule_errors=raise_rule_errors)


def _lint_chunk(chunk: list[_Task]) -> list[_Packed]:
    return [_lint(task) for task in chunk]


def _lint(task: _Task) -> _Packed:
    source, raw, error = task
    assert _options is not None, "the worker was not started"
    if error is not None:
        result = FileResult(errors=[InputProblem(source.display, error)])
    elif raw is not None:
        result = lint_bytes(raw, source.display, source.explicit, _options)
    else:
        result = lint_file(source, _options)
    findings = [finding.packed() for finding in result.findings]
    result.findings = []
    return findings, result


def _unpack(packed: _Packed, by_id: Mapping[str, Rule]) -> FileResult:
    findings, result = packed
    result.findings = [ReportedFinding.unpacked(data, by_id) for data in findings]
    return result
