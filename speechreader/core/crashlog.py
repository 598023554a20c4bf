"""Crash reports: an unexpected error's traceback, kept in a file the user can send.

A bug that stops the app must not leave only a screenful of traceback that vanishes
with the terminal (or, inside the TUI, nothing at all): the traceback goes to a file
under :func:`speechreader.core.paths.log_dir`, and the user is told the file's path.
Only the newest :data:`KEEP` reports are kept, so a crash loop cannot fill a disk.
"""

from __future__ import annotations

import contextlib
import os
import platform
import sys
import time
import traceback
from pathlib import Path

from speechreader.core import paths

#: How many crash reports to keep (the oldest go first).
KEEP = 20
PREFIX = "crash-"


def write_crash_report(error: BaseException, *, context: str = "") -> Path:
    """Write ``error``'s traceback (and what was running) to a new file; return its path.

    Raises OSError if the log folder cannot be written; the caller then shows the
    traceback itself.
    """
    from speechreader import __version__

    folder = paths.log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    path = folder / f"{PREFIX}{stamp}-{os.getpid()}.log"
    lines = [
        f"speechreader {__version__} crashed at {time.strftime('%Y-%m-%d %H:%M:%S %z')}",
        f"python {platform.python_version()} on {platform.platform()}",
        f"command: {' '.join(sys.argv)!r}",
    ]
    if context:
        lines.append(f"while: {context}")
    lines.append("")
    lines.extend(traceback.format_exception(error))
    with open(path, "x", encoding="utf-8", errors="backslashreplace") as handle:
        handle.write("\n".join(line.rstrip("\n") for line in lines) + "\n")
    _prune(folder)
    return path


def _prune(folder: Path) -> None:
    reports = sorted(folder.glob(f"{PREFIX}*.log"))  # names start with the time
    for old in reports[:-KEEP]:
        with contextlib.suppress(OSError):  # another run pruned it first
            old.unlink()
