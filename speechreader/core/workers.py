"""What starting worker processes needs, shared by the corpus load and the index build."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator


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
