"""Search the corpus (ctrl+f) or one document (/ in the reader), in either script.

Results are keyword-in-context lines; Enter opens the reader at the hit with the hit
selected, and the reader's n / N walk on through the same list. ``A`` auto-codes the
hits (with a preview; one undo removes them all).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Checkbox, Input, ProgressBar, Static
from textual.worker import get_current_worker

from speechreader.core.errors import SpeechreaderError
from speechreader.core.gcpause import paused_gc
from speechreader.core.search import (
    SORTS,
    HitList,
    SearchFilter,
    Span,
    find,
    found_by_document,
    kwic,
    sort_spans,
)
from speechreader.tui.dialogs.autocode import AutocodeDialog
from speechreader.tui.literal import literal
from speechreader.tui.session import Session
from speechreader.tui.widgets.keybar import KeyBar
from speechreader.tui.widgets.kwic import KwicView
from speechreader.tui.widgets.typed_input import TypedInput

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus

SORT_LABELS = {"doc": "document order", "left": "left context", "right": "right context"}
FIRST_RESULTS = 0.2  # seconds: a search still running by then shows what it has so far
PROGRESS_AFTER = 1.0  # seconds of indexing before the progress bar appears


class SearchScreen(Screen[None]):
    """Find a phrase in every document (or one), show KWIC lines, open or auto-code them."""

    CSS_PATH = "search.tcss"
    AUTO_FOCUS = "#query"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("ctrl+s", "sort", "Sort", priority=True),
        Binding("ctrl+a", "autocode", "Auto-code", priority=True),
        Binding("ctrl+u", "undo", "Undo", priority=True),
    ]

    def __init__(self, session: Session, *, doc_id: str | None = None, query: str = "") -> None:
        super().__init__()
        self.session = session
        self.doc_id = doc_id
        self.initial = query
        self.sort = "doc"
        self.spans: Sequence[Span] = []
        self._timer: Timer | None = None
        self._searched: tuple | None = None

    def compose(self) -> ComposeResult:
        scope = "this document" if self.doc_id else "the whole corpus"
        if self.doc_id and self.session.corpus is not None:
            scope = self.session.corpus.get(self.doc_id).title
        yield Static(literal(f"Search · {scope}"), id="search-title")
        with Horizontal(id="search-bar"):
            yield TypedInput(
                self.initial,
                placeholder="简体 or 繁體: 两个维护, 幹部… (Enter: to results)",
                id="query",
            )
            yield Checkbox("regex", id="regex", compact=True)
            yield Checkbox("whole word", id="whole-word", compact=True)
        with Horizontal(id="filters"):
            yield TypedInput(placeholder="speaker", id="speaker")
            yield TypedInput(placeholder="place", id="place")
            yield TypedInput(placeholder="from (2018, 2018-06…)", id="date-from")
            yield TypedInput(placeholder="to", id="date-to")
            yield TypedInput(placeholder="only inside tag", id="in-tag")
        yield ProgressBar(id="indexing", show_eta=False)
        yield KwicView(id="hits")
        yield Static("", id="search-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        if self.doc_id:
            self.query_one("#filters").display = False
        if self.initial:
            self._schedule(0)

    # --- running a search ---------------------------------------------------------

    def _request(self) -> tuple:
        def value(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        return (
            value("query"),
            self.query_one("#regex", Checkbox).value,
            self.query_one("#whole-word", Checkbox).value,
            SearchFilter(
                speaker=value("speaker") or None, place=value("place") or None,
                date_from=value("date-from") or None, date_to=value("date-to") or None,
                tag=value("in-tag") or None,
                doc_ids=frozenset([self.doc_id]) if self.doc_id else None,
            ),
            self.sort,
        )  # fmt: skip

    def _schedule(self, delay: float = 0.3) -> None:
        """Search after ``delay`` seconds of quiet (typing restarts the wait)."""
        if self._timer is not None:
            self._timer.stop()
        # Never 0: a Textual timer divides by its delay.
        self._timer = self.set_timer(max(delay, 0.01), self._run)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._schedule()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self._schedule(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._schedule(0)
        self.query_one(KwicView).focus()

    def _run(self) -> None:
        request = self._request()
        if request == self._searched:
            return
        self._searched = request
        query = request[0]
        if not query:
            self.spans = []
            self.query_one(KwicView).show([], lambda spans: [], {})
            self._status("Type a word or phrase, in simplified or traditional characters.")
            return
        self._status("searching…")
        self._search(request)

    @work(thread=True, exclusive=True, group="search")
    def _search(self, request: tuple) -> None:
        query, regex, whole_word, where, sort = request
        started = time.perf_counter()
        worker = get_current_worker()

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total, time.perf_counter() - started)

        try:
            index = self.session.search_index(progress=progress)
            if sort != "doc":
                spans = find(index, query, regex=regex, whole_word=whole_word, where=where,
                             store=self.session.store)  # fmt: skip
                spans = sort_spans(index, spans, sort)
            else:  # in document order: the first results are shown while the rest come
                spans = HitList()  # arrays: 2 million hits of 发展 at 100,000 speeches
                shown = False
                with paused_gc():
                    for doc_id, _, found in found_by_document(
                        index, query, regex=regex, whole_word=whole_word, where=where,
                        store=self.session.store,
                    ):  # fmt: skip
                        if worker.is_cancelled:
                            return
                        spans.add_document(doc_id, found)
                        if not shown and time.perf_counter() - started > FIRST_RESULTS:
                            shown = True
                            self.app.call_from_thread(self._show, request, spans.copy(), None)
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._status, str(exc), True)
            return
        elapsed = time.perf_counter() - started
        self.app.call_from_thread(self._show, request, spans, elapsed)

    def _progress(self, done: int, total: int, elapsed: float) -> None:
        if total <= 0:  # nothing to index (ProgressBar divides by its total)
            return
        bar = self.query_one(ProgressBar)
        bar.display = done < total and elapsed > PROGRESS_AFTER  # a cached index: no flash
        bar.update(total=total, progress=done)
        if done < total:
            self._status(f"indexing the corpus for search: {done} of {total} documents")

    def _show(self, request: tuple, spans: Sequence[Span], elapsed: float | None) -> None:
        """Show hits; ``elapsed`` None: the first of them, while the search goes on."""
        if request != self._request():
            return  # the user has typed on: a newer search is coming
        self.query_one(ProgressBar).display = False
        self.spans = spans
        index = self.session.search_index()
        self.query_one(KwicView).show(spans, lambda page: kwic(index, page), _Titles(index.corpus))
        if elapsed is None:
            self._status(f"searching… {len(spans)} found so far")
            return
        if isinstance(spans, HitList):
            documents = spans.documents
        else:
            documents = len({doc_id for doc_id, _, _ in spans})
        self._status(
            f"{len(spans)} hit{'s' if len(spans) != 1 else ''} in {documents} "
            f"document{'s' if documents != 1 else ''} · sorted by {SORT_LABELS[self.sort]} · "
            f"{elapsed * 1000:.0f} ms"
        )

    def _status(self, message: str, error: bool = False) -> None:
        self.query_one("#search-status", Static).update(
            literal(message, "bold red" if error else "")
        )

    # --- actions ------------------------------------------------------------------

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._schedule(0)

    def on_kwic_view_opened(self, message: KwicView.Opened) -> None:
        doc_id, start, end = self.spans[message.index]
        self.session.set_hits(self.spans, message.index)
        self.app.open_document(doc_id, select=(start, end))  # type: ignore[attr-defined]

    def action_autocode(self) -> None:
        query, regex, whole_word, where, _ = self._request()
        if not query or not self.spans:
            self.notify("Search for something first: auto-coding tags what the search finds",
                        severity="warning")  # fmt: skip
            return
        if not self.session.writable:
            self.notify(f"Cannot code: {self.session.store_error or 'read-only database'}",
                        severity="error")  # fmt: skip
            return
        self.app.push_screen(
            AutocodeDialog(self.session, query, regex=regex, whole_word=whole_word, where=where)
        )

    def action_undo(self) -> None:
        store = self.session.store
        if store is None:
            return
        try:
            change = store.undo()
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="error")
            return
        self.notify(f"Undone: {change.label}" if change else "Nothing to undo", timeout=3)

    def action_back(self) -> None:
        self.app.pop_screen()


class _Titles:
    """Document titles looked up when a KWIC line is drawn: a dict of 100,000 titles
    was made on the UI thread each time results were shown."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus

    def get(self, doc_id: str, default: str) -> str:
        return self.corpus.get(doc_id).title if doc_id in self.corpus else default
