"""Pausing the cyclic garbage collector around bulk work on many small objects.

Search hits, annotation records and export rows hold no reference cycles, but making
100,000-200,000 of them sets off collections that walk every live object again and
again: a search went from 0.5 s to 1-1.3 s, reading 100,000 annotations from 2 s to 3 s.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """No cyclic collection inside (reference counting still frees everything at once)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def freeze_survivors() -> None:
    """Keep every object alive now out of later cyclic collections (``gc.freeze``).

    A document open in the reader is long-lived: the layout of a 2 MB speech, its
    sentence and word spans, problem marks and offset maps are a few hundred thousand
    objects that the collector's oldest generation walked again every so often, a
    0.5-1 s pause in the middle of a key. Frozen, they are no longer walked; they are
    still freed as usual when the next document replaces them (reference counting:
    they hold no cycles). Call :func:`thaw` when the program is done with them.
    """
    gc.freeze()


def thaw() -> None:
    """Undo :func:`freeze_survivors`: what was frozen may be collected again."""
    gc.unfreeze()


def trim_heap() -> bool:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``).

    After a bulk load the heap holds the pages of what was freed (a 28 MB listing
    file's bytes, orjson's parse trees), which glibc keeps for later ``malloc`` calls,
    while Python's own small objects come from separate arenas and cannot use them: at
    100,000 documents a loaded corpus kept 25 MB resident that nothing would use again.
    Returns whether it ran (not on a C library without it: macOS, Windows, musl).
    """
    trim = _libc("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True


def _libc(name: str):
    """A function of the process's C library (glibc's ``malloc_trim``, ``mallopt``), or
    None where there is none of that name (macOS, Windows, musl)."""
    import ctypes

    try:
        return getattr(ctypes.CDLL(None), name)  # the process's own symbols: libc's
    except (OSError, AttributeError, TypeError):
        return None


#: glibc's ``mallopt`` parameters (malloc.h)
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8


def steady_heap(mmap_threshold: int = 256 * 1024, arenas: int = 2) -> bool:
    """Ask glibc to keep a long-running program's heap from growing with its past.

    glibc starts by giving blocks of 128 KB and more their own pages, but each time
    such a block is freed it raises that threshold to the block's size (up to 32 MB).
    After a search had freed its hit arrays, the next search's arrays grew inside the
    heap, block after bigger block, leaving holes nothing else fits: at 100,000
    documents every search for 发展 left ~40 MB more resident in the TUI. A fixed
    threshold keeps big blocks in their own pages (given back when freed, grown by
    ``mremap`` without a copy). Each thread that allocates may also get an arena of
    its own (eight per core), whose free pages no other thread reuses: the TUI's
    workers are many short threads, two arenas serve them.

    Call it once, early, in a long-lived program (the TUI); a command that exits soon
    gains nothing. Returns whether it ran (not on a C library without ``mallopt``).
    """
    mallopt = _libc("mallopt")
    if mallopt is None:
        return False
    mallopt(_M_MMAP_THRESHOLD, mmap_threshold)
    mallopt(_M_ARENA_MAX, arenas)
    return True
