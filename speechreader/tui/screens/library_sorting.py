"""Sorting a big library in a worker: the order is made off the UI thread while the
rows stay as they are, then the table is filled (a mixin of LibraryScreen).

From :attr:`LibraryScreen.SORT_IN_WORKER` documents an order not yet cached is made
here: a sort by title reads every title in pinyin (~5 s at 100,000 documents). The
status says what is being sorted; a progress bar shows after a second.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widgets import ProgressBar

from speechreader.tui.screens.library_rows import OrderKey

if TYPE_CHECKING:
    from textual.screen import Screen

    from speechreader.tui.screens.library_rows import LibraryRows
    from speechreader.tui.session import Session

    _Base = Screen[None]
else:
    _Base = object


class LibrarySorting(_Base):
    """The library's sorts made in a worker."""

    session: Session
    rows: LibraryRows
    _sorting: OrderKey | None

    if TYPE_CHECKING:

        def _fill(self) -> None: ...

        def _progress(self, done: int, total: int) -> None: ...

    def _sort_in_worker(self, column: int, reverse: bool) -> None:
        key = self.rows.order_key(column, reverse)
        if key == self._sorting:  # already being made
            return
        self._sorting = key
        self.set_timer(1.0, lambda: self._show_sort_progress(key))
        self._sort_worker(column, reverse)

    @work(thread=True, group="sort")
    def _sort_worker(self, column: int, reverse: bool) -> None:
        """One sort of the whole corpus, off the UI thread; then the table is filled."""
        corpus = self.session.corpus
        if corpus is None:
            return
        key = self.rows.order_key(column, reverse)

        def progress(done: int, total: int) -> None:
            if self._sorting == key:
                self.app.call_from_thread(self._progress, done, total)

        try:
            self.rows.sort(corpus.documents, column, reverse, progress)
        finally:
            self.app.call_from_thread(self._sorted, key)

    def _sorted(self, key: OrderKey) -> None:
        if self._sorting == key:
            self._sorting = None
            self.query_one(ProgressBar).display = False
        if self.is_mounted:
            self._fill()

    def _show_sort_progress(self, key: OrderKey) -> None:
        """A sort still running after a second shows its progress."""
        if self._sorting == key:
            self.query_one(ProgressBar).display = True
