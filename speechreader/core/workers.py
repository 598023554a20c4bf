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


def ordered_map(
    function: Callable[[T], R],
    items: list[T],
    *,
    min_forked: int,
    min_spawned: int,
    prepare: Callable[[], None] | None = None,
    in_flight: int | None = None,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[R]:
    """``function(item)`` for each of ``items``, in order; on worker processes when
    there are enough items and at least two usable cores.

    Workers are *forked* where that is safe (:func:`can_fork`), after ``prepare()`` has
    loaded here what they all need, so each starts with it, from ``min_forked`` items;
    otherwise *spawned* (each loads everything itself), from ``min_spawned``. Items go
    out in :func:`chunked` chunks; ``in_flight`` bounds the chunks per worker handed out
    and not yet taken back (their results wait in this process; None: all at once).
    ``meanwhile()`` runs once the workers have started (it may start threads). If the
    processes cannot start or one dies, the items not yet answered are done here.
    Both the corpus's first load and the search index's build run on this.
    """
    workers = min(usable_cores(), 8)
    fork = can_fork()
    if len(items) < (min_forked if fork else min_spawned) or workers < 2:
        yield from map(function, items)
        return
    import functools
    import multiprocessing  # a big job only: not on every command's path
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    if fork and prepare is not None:
        prepare()  # once here, not once per worker
    context = multiprocessing.get_context("fork" if fork else "spawn")
    chunks = iter(chunked(items, workers))
    make = functools.partial(map_chunk, function)
    waiting: deque[Future] = deque()  # chunks handed out, in order
    limit = None if in_flight is None else in_flight * workers
    done = 0  # items answered so far
    try:
        with ProcessPoolExecutor(workers, context, initializer=worker_started) as pool:
            handed_all = False

            def hand_out() -> None:
                nonlocal handed_all
                while not handed_all and (limit is None or len(waiting) < limit):
                    chunk = next(chunks, None)
                    if chunk is None:  # all handed out: the workers end when done, while
                        handed_all = True  # this process still uses their results
                        pool.shutdown(wait=False)
                    else:
                        waiting.append(pool.submit(make, chunk))

            with real_stderr():
                hand_out()  # starts the workers
            if meanwhile is not None:
                meanwhile()
            while waiting:
                answered = waiting.popleft().result()
                hand_out()
                for result in answered:
                    done += 1
                    yield result
    except (OSError, ValueError, BrokenProcessPool):  # no processes here, or one died
        yield from map(function, items[done:])
