"""A private folder for files prepared outside the lock (an import of a million rows).

Preparing an import takes long: holding the database lock meanwhile would stop every
other writer (the reader would say "busy" for minutes). So an import writes its new
files in ``local/staging/<pid>-<random>/`` without the lock, and takes the lock only
to check nothing changed meanwhile and rename them into place (:mod:`_commit`).

Temporary files beside their targets are removed by the next writer that finds them
(their writer held the lock, so it is gone); a staging folder is not, while its
process lives: the process holds an ``flock`` on the folder's ``owner`` file, which
the kernel drops when the process dies, killed or not. :func:`clean_staging` removes
only folders whose lock it can take.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
from pathlib import Path

STAGING = "local/staging"
OWNER = "owner"
#: A folder without an owner file is being created (or its creator died right then).
UNOWNED_GRACE = 3600.0


class Staging:
    """A staging folder kept for the life of this object (and of its process)."""

    def __init__(self, root: Path) -> None:
        base = root / STAGING
        base.mkdir(parents=True, exist_ok=True)
        self.folder = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-", dir=base))
        self._fd: int | None = os.open(self.folder / OWNER, os.O_RDWR | os.O_CREAT, 0o666)
        fcntl.flock(self._fd, fcntl.LOCK_EX)

    def close(self) -> None:
        """Remove the folder and what is left in it (renamed files are gone already)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def clean_staging(root: Path) -> int:
    """Remove the staging folders of processes that are gone; return how many.

    Call under the database lock and after :func:`_commit.recover`, which may still
    need a dead process's files.
    """
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(root / STAGING) as entries:
        for entry in list(entries):
            if entry.is_dir() and _abandoned(Path(entry.path)):
                shutil.rmtree(entry.path, ignore_errors=True)
                removed += 1
    return removed


def _abandoned(folder: Path) -> bool:
    try:
        fd = os.open(folder / OWNER, os.O_RDWR)
    except FileNotFoundError:
        try:
            return time.time() - folder.stat().st_mtime > UNOWNED_GRACE
        except FileNotFoundError:
            return False
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True
