"""How a run that is stopped ends: Ctrl-C (SIGINT) and SIGTERM.

Exit status 1 means findings, so a stopped run must not end with it: it exits as
shells expect of a program stopped by a signal, 128 plus the signal's number (130
for Ctrl-C, 143 for SIGTERM), after one line on standard error. SIGTERM (what CI
systems and ``timeout`` send) is turned into an exception for the length of the
command, so that it runs the same clean-up as Ctrl-C: worker processes are
terminated (``ecslint.parallel``), a half-written report or baseline is removed
(``ecslint.atomic``), the progress line is cleared.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn


class Terminated(BaseException):
    """SIGTERM arrived; like ``KeyboardInterrupt``, not an ``Exception``, so that no
    ``except Exception`` on the way swallows it."""


@contextmanager
def stoppable() -> Iterator[None]:
    """Run the block; if it is stopped by SIGINT or SIGTERM, exit with 128 + signal."""
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminated) if in_main else None
    try:
        yield
    except KeyboardInterrupt:
        _stopped(signal.SIGINT)
    except Terminated:
        _stopped(signal.SIGTERM)
    finally:
        if in_main:  # None: a handler set outside Python, which cannot be put back
            signal.signal(signal.SIGTERM, signal.SIG_DFL if previous is None else previous)


def _terminated(_number: int, _frame: FrameType | None) -> NoReturn:
    raise Terminated


def _stopped(number: signal.Signals) -> NoReturn:
    try:
        print(f"ecslint: stopped by {number.name}", file=sys.stderr, flush=True)
    except (OSError, ValueError):  # standard error closed or gone with the terminal
        pass
    sys.exit(128 + number)
