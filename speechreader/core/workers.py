"""What starting worker processes needs, shared by the corpus load and the index build."""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


def usable_cores() -> int:
    """How many cores this process may run on: its CPU affinity where the system has
    one (``taskset``, a container's cpuset), else every core."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):  # macOS, Windows
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether this process may start workers by forking: Linux, and no other thread.

    A forked worker starts with everything its parent has loaded (no interpreter to
    start, nothing to import or build again): ~0.2 s of CPU less per worker than a
    spawned one, which a first listing of 1,000 files on two cores feels. Forking a
    process that runs other threads is unsafe (a lock one of them holds stays held in
    the child forever), so the TUI, which loads from a worker thread, spawns; so does
    a process that has imported numpy (its BLAS starts a thread). Threads started by
    C libraries count too: they are counted by the system, not by :mod:`threading`.
    Elsewhere (macOS, Windows) workers are spawned, CPython's default there.
    """
    if not sys.platform.startswith("linux"):
        return False
    try:
        return len(os.listdir("/proc/self/task")) == 1
    except OSError:
        return False


#: the variable OpenBLAS (numpy's BLAS) reads, once, when numpy is first imported
BLAS_THREADS = "OPENBLAS_NUM_THREADS"


def worker_started() -> None:
    """A pool's initializer: numpy's BLAS kept to one thread, the cyclic collector on,
    and what the worker inherited (a forked worker: the parent's objects) kept out of
    its collections.

    A worker imports numpy for script detection (never before it starts: see
    :func:`can_fork`) and never multiplies matrices, but OpenBLAS starts a thread per
    core when numpy is imported: measured on two cores, ~70 ms of CPU spent starting it
    and ~5 % more per file from its idle spinning, taken from the other worker. The
    variable is set in the worker only (this process's own setting is left alone).

    A parent loading a corpus pauses the collector; a forked worker inherits that.
    ``gc.freeze`` moves the inherited objects out of the collector's sight without
    touching them, so their memory stays shared with the parent.
    """
    os.environ[BLAS_THREADS] = "1"
    gc.freeze()
    gc.enable()


#: the most items a worker is handed at once (fewer near the end: see :func:`chunked`)
CHUNK = 16


def chunked(items: list[T], workers: int, largest: int = CHUNK) -> list[list[T]]:
    """``items`` cut into consecutive chunks to hand out to ``workers``: ``largest``
    at first (fewer round trips), then smaller as the end nears (at most a quarter of
    what is left per worker), so the workers run out of work together. With 16 files
    to the last chunk, one worker could still be busy ~20 ms when the other had
    nothing left: on two cores, a tenth of a second's wall time lost per 10 chunks."""
    out = []
    at, n = 0, len(items)
    while at < n:
        size = max(1, min(largest, (n - at) // (4 * workers)))
        out.append(items[at : at + size])
        at += size
    return out


def map_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    """``function`` over one chunk, in a worker (with :func:`functools.partial`, a
    pool's function for :func:`chunked` items)."""
    return [function(item) for item in chunk]


@contextlib.contextmanager
def real_stderr() -> Iterator[None]:
    """Give multiprocessing a stderr with a file descriptor while it starts workers.

    Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is -1, which
    makes starting a process fail ("bad value(s) in fds_to_keep").
    """
    current = sys.stderr
    try:
        usable_fd = current is not None and current.fileno() >= 0
    except (OSError, ValueError, AttributeError):
        usable_fd = False
    if usable_fd or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = current
