"""Long jobs run in a child process, for a program that lives for hours (the TUI).

A first load of 100,000 speeches and the build of their search index take a minute
each and allocate hundreds of MB on the way. In the TUI's process that memory stayed
(glibc keeps what a long job fragments) and its workers had to be spawned (the TUI
loads from a thread, and a process with threads must not fork). A child process
(``python -m <module> args``) gives the memory back when it exits, and having no
threads, it forks its workers: the job is faster too. The child reports progress as
``done total`` lines on its standard output; whatever it leaves (a cache on disk) the
caller then reads. If the child fails in any way, the caller does the job itself.
"""

from __future__ import annotations

import atexit
import contextlib
import subprocess
import sys
import threading
from collections.abc import Callable

_running: set[subprocess.Popen] = set()
_lock = threading.Lock()


def run_apart(
    module: str, args: list[str], progress: Callable[[int, int], None] | None = None
) -> bool:
    """Run ``python -m module *args``; pass its ``done total`` lines to ``progress``;
    whether it exited with 0 (False: it could not start, or failed)."""
    try:
        child = subprocess.Popen(
            [sys.executable, "-m", module, *args],
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


def report_progress(done: int, total: int) -> None:
    """What a child passes as its progress callback."""
    print(done, total, flush=True)


@atexit.register
def _stop_children() -> None:
    """A program that quits mid-job does not wait for it (the jobs run here keep what
    they did in transactions and checkpoints; the next run finishes them)."""
    with _lock:
        children = list(_running)
    for child in children:
        with contextlib.suppress(OSError):
            child.kill()
