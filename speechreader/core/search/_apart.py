"""Bringing a big corpus's search index up to date in a process of its own.

The TUI lives for hours; an index build of 100,000 documents in its process took its
peak resident memory from ~340 to ~490 MB (the postings of a segment are sorted in
memory, the forms pass through) and glibc kept much of it afterwards. Built by a
child process (:mod:`speechreader.core.apart`, running :mod:`_apart_child`), that
memory goes back to the system when the child exits, and the TUI only opens the
finished file; the child's workers are forked, so the build is faster too.

The child loads the corpus from the listing cache the parent has just written and
takes the build lock like any builder. If it fails, the caller updates the index
itself, as before: nothing depends on the child but speed and memory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from speechreader.core.apart import run_apart

#: From this many documents an update of a missing or stale index runs apart.
APART_MIN_DOCUMENTS = 5000


def update_apart(
    root: Path,
    *,
    config: str,
    follow_links: bool,
    progress: Callable[[int, int], None] | None = None,
) -> bool:
    """Bring the index of the corpus at ``root`` up to date in a child process;
    whether it finished (False: the caller must do it)."""
    args = [os.fspath(root), config, *(["--follow-links"] if follow_links else [])]
    return run_apart(f"{__package__}._apart_child", args, progress)
