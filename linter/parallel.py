"""Lint files in worker processes (``--jobs``), with the report of a serial run.

Linting is CPU-bound Python, so it needs processes, not threads. Options hold
rules and rules hold functions, so options never cross a process boundary: each
worker rebuilds them from the ``Config`` they were made from (plain, picklable
data) and finds the rules by importing the rule modules and plugins itself, as
any run does. A finding travels back with its rule id in place of the ``Rule``
and is re-attached in the parent. Workers take the parent's thresholds of the
garbage collector (which the command raises, ``options.fewer_collections``),
however they are started.
The function that lints one source is passed in (``engine.lint_source``) and
travels to the workers by name, so this module does not depend on the engine.

A task is a source (standard input is read in the parent and sent as bytes):
each worker reads, parses and lints its files, so no file's text or parse tree
crosses processes or outlives its file. Results are yielded in the order of the
files as soon as each is ready, which lets the caller fold them into the report
exactly as a serial run does, and hold nothing but the findings, errors and task
summaries. A rule that raises is contained in the worker exactly as in a serial
run; a worker that dies (killed, out of memory) raises ``WorkerError``.

An interrupt (Ctrl-C, or SIGTERM turned into an exception by the command) stops
the workers at once: they are terminated, not asked to finish their chunks, which
could take minutes. A worker whose parent dies without cleaning up (SIGKILL)
notices and exits, so no process outlives the run.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from itertools import islice
from multiprocessing.connection import wait
from typing import TYPE_CHECKING, Any

from ecslint.config.lint_options import LintOptions
from ecslint.load.document import InputError
from ecslint.load.sources import STDIN, Source, read_bytes
from ecslint.report.model import FileResult, InputProblem, ReportedFinding
from ecslint.rule import Rule

if TYPE_CHECKING:
    from ecslint.config.settings import Config

# None uses the platform's default: fork on Linux up to Python 3.13, forkserver
# from 3.14, spawn on macOS and Windows. The workers do not depend on it.
START_METHOD: str | None = None
# Files per task: enough to amortise inter-process traffic, few enough that the
# workers stay evenly loaded and the progress line moves.
MAX_CHUNK = 16
# Chunks in flight per worker: enough to keep every worker busy while the parent
# folds results in, few enough that pending work does not grow with the estate.
AHEAD = 4
# Seconds a terminated worker has to end before it is killed.
_GRACE = 5.0

Lint = Callable[[Source, LintOptions], FileResult]
_Task = tuple[Source, str | None]
_Packed = tuple[list[tuple[Any, ...]], FileResult]
_options: LintOptions | None = None
_lint_source: Lint | None = None


class WorkerError(RuntimeError):
    """A worker process ended without returning its results."""


def cpu_count() -> int:
    """The CPUs this process may run on."""
    if hasattr(os, "process_cpu_count"):  # Python 3.13
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def lint_in_processes(sources: list[Source], options: LintOptions, jobs: int,
                      lint: Lint) -> Iterator[FileResult]:
    """Lint ``sources`` with ``lint`` (a module-level function) in up to ``jobs``
    processes, yielding results in their order.

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
        initargs=(lint, options.config, options.base_dir, options.raise_rule_errors,
                  gc.get_threshold()),
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
        pool.shutdown(wait=True, cancel_futures=True)  # see _terminate
        raise WorkerError(f"a worker process ended unexpectedly ({exc})") from exc
    except BaseException:
        _terminate(pool)
        raise
    pool.shutdown()


def _terminate(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now, whatever they are doing: ``shutdown`` alone lets the
    running chunks finish, and the interpreter waits for them at exit. Then wait for
    the pool's manager thread, which notices the workers' end at once: left running,
    it closes its wake-up pipe while the interpreter's exit hook writes to it (before
    Python 3.12 that race printed "OSError: Bad file descriptor" after the run)."""
    if hasattr(pool, "terminate_workers"):  # Python 3.14
        pool.terminate_workers()
        return
    processes = list((pool._processes or {}).values())
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(_GRACE)
        if process.is_alive():
            process.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _task(source: Source) -> _Task:
    if source.path != STDIN or source.data is not None:
        return source, None
    try:
        return replace(source, data=read_bytes(source)), None
    except InputError as exc:
        return source, exc.message


def _start(lint: Lint, config: Config, base_dir: str, raise_rule_errors: bool,
           gc_threshold: tuple[int, int, int]) -> None:
    """Build the worker's options and collect garbage as the parent does. Ctrl-C
    (which a terminal sends to every process of the group) is the parent's to handle;
    SIGTERM, which the parent uses to stop a worker, ends it, whatever handler the
    worker inherited from the parent."""
    global _options, _lint_source
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent.sentinel,), daemon=True).start()
    gc.set_threshold(*gc_threshold)
    _lint_source = lint
    _options = LintOptions.from_config(config, base_dir=base_dir,
                                       raise_rule_errors=raise_rule_errors)


def _exit_with(parent_sentinel: int) -> None:
    """End this worker once its parent has ended. The sentinel tells under spawn and
    forkserver; under fork, siblings inherit each other's end of the pipe behind it,
    so a parent process id that changes (the orphan is adopted) tells there."""
    parent = os.getppid()
    while not wait([parent_sentinel], timeout=1.0) and os.getppid() == parent:
        pass
    os._exit(1)


def _lint_chunk(chunk: list[_Task]) -> list[_Packed]:
    return [_lint(task) for task in chunk]


def _lint(task: _Task) -> _Packed:
    source, error = task
    assert _options is not None and _lint_source is not None, "the worker was not started"
    if error is not None:
        result = FileResult(errors=[InputProblem(source.display, error)])
    else:
        result = _lint_source(source, _options)
    findings = [finding.packed() for finding in result.findings]
    result.findings = []
    return findings, result


def _unpack(packed: _Packed, by_id: Mapping[str, Rule]) -> FileResult:
    findings, result = packed
    result.findings = [ReportedFinding.unpacked(data, by_id) for data in findings]
    return result
