"""A screen's progress bar that appears only when work takes longer than a second.

Quick work (a table of the sample corpus) shows no bar at all; slow work (the first
keyness of 10,000 speeches) shows one, filled by progress reports from the worker
thread. The screen has a ``ProgressBar`` and a ``_status(message)`` method.
"""

from __future__ import annotations

import time

from textual.timer import Timer
from textual.widgets import ProgressBar

SHOW_PROGRESS_AFTER = 1.0  # seconds of work before the progress bar appears


class BusyMixin:
    """``_busy(what)`` when work starts, ``_idle()`` when it ends; progress from threads."""

    _busy_since: float | None = None
    _busy_timer: Timer | None = None

    def _busy(self, what: str) -> None:
        self._status(f"{what}…")  # type: ignore[attr-defined]
        self._busy_since = time.monotonic()
        if self._busy_timer is not None:
            self._busy_timer.stop()
        self._busy_timer = self.set_timer(SHOW_PROGRESS_AFTER, self._show_progress)

    def _show_progress(self) -> None:
        if self._busy_since is not None:
            bar = self.query_one(ProgressBar)
            bar.display = True

    def _progress_from_thread(self, done: int, total: int) -> None:
        self.app.call_from_thread(self._progress, done, total)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.query_one(ProgressBar).update(total=total, progress=done)

    def _idle(self) -> None:
        self._busy_since = None
        if self._busy_timer is not None:
            self._busy_timer.stop()
        bar = self.query_one(ProgressBar)
        bar.display = False
        bar.update(total=None, progress=0)
