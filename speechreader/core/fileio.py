"""Durable, atomic file writes: the one way speechreader writes anything that matters.

A crash (or SIGKILL) at any moment must leave either the old file or the new one,
never a truncated mix. So we write a temporary file in the same folder, fsync it,
``os.replace`` it over the target and fsync the folder, so that the rename itself
survives a power cut. Temporary files carry a recognisable prefix so that a later
open can remove the ones a killed writer left behind.

``tempfile.mkstemp`` creates its file readable by its owner only (0600), and a rename
keeps that mode: every database file, export and cache would end up private whatever
the user's umask says (a research team sharing a database folder through a group
could not read each other's work). So every temporary file is given the mode a plain
``open()`` would have given it, ``0666`` less the umask, before it is renamed.
"""

from __future__ import annotations

import contextlib
import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

TEMP_PREFIX = ".sr-tmp-"


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (the rename) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


@functools.cache
def current_umask() -> int:
    """The process's umask, read once (Linux says it in /proc; elsewhere set and restore it)."""
    with (
        contextlib.suppress(OSError, ValueError),
        open("/proc/self/status", encoding="ascii", errors="replace") as status,
    ):
        for line in status:
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode ``open()`` gives a new file: 0666 less the umask."""
    return 0o666 & ~current_umask()


def make_temp(folder: Path, *, prefix: str = TEMP_PREFIX, suffix: str = "") -> tuple[int, str]:
    """``tempfile.mkstemp`` in ``folder``, but with the umask's mode instead of 0600."""
    fd, name = tempfile.mkstemp(prefix=prefix, suffix=suffix, dir=folder)
    with contextlib.suppress(OSError):  # a file system without modes (a FAT stick)
        os.fchmod(fd, file_mode())
    return fd, name


@contextlib.contextmanager
def atomic_writer(
    path: Path,
    mode: str = "wb",
    *,
    durable: bool = True,
    prefix: str = TEMP_PREFIX,
    suffix: str = "",
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO]:
    """Write ``path`` through a handle, atomically: on any error the old file stays.

    For what is written piece by piece (a CSV export of 100,000 rows) rather than held
    in memory as one ``bytes``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = make_temp(path.parent, prefix=prefix, suffix=suffix)
    try:
        with os.fdopen(fd, mode, encoding=encoding, newline=newline) as handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if durable:
        fsync_dir(path.parent)


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``data`` atomically; with ``durable``, fsync file and folder."""
    with atomic_writer(path, durable=durable) as handle:
        handle.write(data)


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically (see :func:`atomic_write_bytes`)."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


def remove_stale_temp_files(folder: Path) -> int:
    """Delete temporary files a killed writer left in ``folder``; return how many."""
    removed = 0
    if not folder.is_dir():
        return 0
    for entry in folder.iterdir():
        if entry.name.startswith(TEMP_PREFIX) and entry.is_file():
            with contextlib.suppress(OSError):
                entry.unlink()
                removed += 1
    return removed
