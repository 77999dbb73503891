"""Replacing a file whole or not at all.

``--output``, ``--write-baseline``, ``rules --update`` and ``aws --save-dir``
write through ``replacing``: into a temporary file beside the target, flushed to
disk, then renamed over it. A full disk or an error half-way leaves the old file
as it was (and no temporary file), never a truncated baseline or a 0-byte SARIF
file. The new file keeps the mode of the one it replaces; a new one gets the
umask's, as ``open`` would give it. A target that exists but is not a regular
file (``/dev/null``, ``/dev/stdout``, a FIFO) is written in place: it cannot be
replaced and holds nothing to lose. A symlink is replaced, not written through.
"""

from __future__ import annotations

import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

_BINARY = getattr(os, "O_BINARY", 0)  # Windows: no newline translation


@contextmanager
def replacing(path: Path) -> Iterator[BinaryIO]:
    """A binary stream whose content replaces ``path`` when the block ends without
    an exception; raises ``OSError`` (the old file left alone) when it cannot."""
    try:
        mode: int | None = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with path.open("wb") as stream:
            yield stream
        return
    # A short name: the target's own may already be as long as a name can be.
    temporary = path.with_name(f".ecslint-{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o666)
    try:
        with open(fd, "wb") as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, stat.S_IMODE(mode))
        os.replace(temporary, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
