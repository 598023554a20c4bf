"""Bringing a big corpus's search index up to date in a process of its own.

The TUI lives for hours; an index build of 100,000 documents in its process took its
peak resident memory from ~340 to ~490 MB (the postings of a segment are sorted in
memory, the forms pass through) and glibc kept much of it afterwards. Built by a
child process (``python -m speechreader.core.search._apart_child ROOT CONFIG``), that memory goes
back to the system when the child exits, and the TUI only opens the finished file.
The child also has no threads, so its own workers are forked, not spawned: the build
is faster than from the TUI's worker thread.

The child loads the corpus from the listing cache the parent has just written, takes
the build lock like any builder and reports progress as ``done total`` lines on its
standard output. If it fails in any way, the caller updates the index itself, as
before: nothing depends on the child but speed and memory.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

#: From this many documents an update of a missing or stale index runs apart.
APART_MIN_DOCUMENTS = 5000

_running: set[subprocess.Popen] = set()
_lock = threading.Lock()


def update_apart(
    root: Path,
    *,
    config: str,
    follow_links: bool,
    progress: Callable[[int, int], None] | None = None,
) -> bool:
    """Bring the index of the corpus at ``root`` up to date in a child process;
    whether it finished (False: the caller must do it)."""
    command = [sys.executable, "-m", f"{__package__}._apart_child", os.fspath(root), config]
    if follow_links:
        command.append("--follow-links")
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
    except OSError:
        return False
    with _lock:
        _running.add(child)
    try:
        assert child.stdout is not None
        for line in child.stdout:
            done, _, total = line.partition(" ")
            with contextlib.suppress(ValueError):
                if progress is not None:
                    progress(int(done), int(total))
        return child.wait() == 0
    finally:
        with _lock:
            _running.discard(child)
        if child.poll() is None:  # the caller gave up (an exception in progress)
            child.kill()
            child.wait()


@atexit.register
def _stop_children() -> None:
    """A program that quits mid-build does not wait for it (the next one finishes it:
    every segment is its own transaction)."""
    with _lock:
        children = list(_running)
    for child in children:
        with contextlib.suppress(OSError):
            child.kill()
