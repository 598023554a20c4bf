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
