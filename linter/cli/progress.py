"""A progress line on standard error for long runs: ``linting 1234/5000 files``.

It is one line, rewritten in place with ``\\r`` and cleared (overwritten with
spaces) when the run ends, so the report that follows starts on a clean line.
It appears only on a terminal (``Progress.on_terminal`` gives ``None``
otherwise; ``--quiet`` never asks for one) and only for runs worth watching:
more than ``min_files`` files, or more than one and still running after
``delay`` seconds. It is
redrawn at most every ``interval`` seconds. Standard output, where machine
formats go, is never written to.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO


class Progress:
    """Draws ``linting done/total files`` on ``stream``; call it, then ``close()``."""

    def __init__(self, stream: TextIO, *, min_files: int = 50, delay: float = 0.5,
                 interval: float = 0.1, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream
        self.min_files = min_files
        self.delay = delay
        self.interval = interval
        self.clock = clock
        self.started = clock()
        self.drawn_at: float | None = None
        self.width = 0

    @classmethod
    def on_terminal(cls, stream: TextIO) -> Progress | None:
        """A progress line for ``stream`` when it is a terminal, else ``None``."""
        try:
            return cls(stream) if stream.isatty() else None
        except (AttributeError, ValueError):  # no isatty, or a closed stream
            return None

    def __call__(self, done: int, total: int) -> None:
        now = self.clock()
        if self.drawn_at is None:
            if total < 2 or total <= self.min_files and now - self.started < self.delay:
                return
        elif done < total and now - self.drawn_at < self.interval:
            return
        text = f"linting {done}/{total} files"
        self.stream.write("\r" + text.ljust(self.width))
        self.stream.flush()
        self.width = max(self.width, len(text))
        self.drawn_at = now

    def close(self) -> None:
        """Erase the line, if one was drawn."""
        if self.drawn_at is not None:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.drawn_at = None
