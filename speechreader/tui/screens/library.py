"""The library: every document of the corpus in a sortable, filterable table.

The last column flags what to distrust in each document (the problems the listing
counted: ``M`` mojibake, ``L`` lost characters, ``G`` pinyin glosses ...), as letters
where the terminal is narrow and with counts where it is wide; the status line spells
out the problems of the document under the cursor.
"""

from __future__ import annotations

import operator
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, ProgressBar, Static

from speechreader.core.errors import SpeechreaderError
from speechreader.core.gcpause import freeze_survivors, paused_gc
from speechreader.core.store import DamagedFile
from speechreader.core.words import plural
from speechreader.tui import problems
from speechreader.tui.literal import literal
from speechreader.tui.screens.library_columns import (
    COLUMNS,
    DONE_COLUMN,
    WIDE,
    column_widths,
    fold,
    header_label,
)
from speechreader.tui.screens.library_edits import MetadataEdits
from speechreader.tui.screens.library_rows import LibraryRows, OrderKey
from speechreader.tui.screens.library_sorting import LibrarySorting
from speechreader.tui.screens.library_typing import LibraryTyping
from speechreader.tui.session import Session
from speechreader.tui.widgets.document_table import DocumentTable, TableColumn
from speechreader.tui.widgets.keybar import KeyBar
from speechreader.tui.widgets.typed_input import TypedInput

_doc_id = operator.attrgetter("id")  # the table's row id: in C, over 100,000 rows


def _on_rows(name: str, doc: str) -> property:
    """A property of the screen that is the rows model's attribute ``name``."""
    return property(
        lambda self: getattr(self.rows, name),
        lambda self, value: setattr(self.rows, name, value),
        doc=doc,
    )


class LibraryScreen(LibrarySorting, LibraryTyping, MetadataEdits, Screen[None]):
    """Choose a document; ``/`` filters, ``s`` sorts, Enter opens."""

    CSS_PATH = "library.tcss"
    AUTO_FOCUS = "#documents"  # the list, not the filter: keys like s and ! must work at once
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort_next", "Sort"),
        Binding("e", "edit_metadata", "Edit"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("exclamation_mark", "skipped", "Skipped files, metadata problems", show=False),
        # priority: run when the key arrives, before keys typed behind it reach the filter
        Binding("escape", "clear_filter", "Clear filter", show=False, priority=True),
    ]
    #: From this many documents a sort not yet cached runs in a worker: by title, the
    #: pinyin of 100,000 titles takes seconds (~50 µs each), 5,000 take a quarter second.
    SORT_IN_WORKER = 5000

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.sort_column = 1  # date
        self.sort_reverse = False
        # cells, filter text, sorted orders; and what the cells show: the counts, done
        # marks, widths (the screen reads and sets them there, one copy)
        self.rows = LibraryRows(COLUMNS)
        self.damaged: list[DamagedFile] = []  # annotation files that cannot be read
        self._filter_timer: Timer | None = None
        self._shown_sort: tuple[int, bool] | None = (self.sort_column, self.sort_reverse)
        self._sorting: OrderKey | None = None  # the order a worker is making
        self._status_parts: list[str] = []
        self._status_text = ""

    def compose(self) -> ComposeResult:
        root = self.session.corpus_root
        yield Static(literal(f"speechreader · {root.resolve().name or root}"), id="library-title")
        yield TypedInput(placeholder="/ filter by title, speaker, place, id…", id="filter")
        yield ProgressBar(id="loading", show_eta=False)
        yield DocumentTable(id="documents")
        yield Static("", id="library-status")
        yield KeyBar()

    @property
    def table(self) -> DocumentTable:
        return self.query_one(DocumentTable)

    def on_mount(self) -> None:
        self._set_columns()
        if self.session.corpus is not None:
            self._loaded()
        else:
            self._load_corpus()

    def on_resize(self) -> None:
        if (self.size.width >= WIDE) != self._wide:
            self._wide = not self._wide
            self._rows_changed()
            self._fill()
        self._set_columns()

    def _set_columns(self) -> None:
        columns = self._columns()
        in_order = self._shown_sort  # while a sort runs, the order the rows are in
        sorted_index = in_order[0] if in_order is not None and in_order[0] < len(columns) else -1
        sorted_key = columns[sorted_index].key if sorted_index >= 0 else None
        widths = column_widths(self.size.width, columns, sorted_key, wide=self._wide)
        done_width = widths.get(DONE_COLUMN.key, DONE_COLUMN.width)
        if done_width != self._done_width:
            self._done_width = done_width
            self._rows_changed()
            self._fill()
        shown = []
        for index, column in enumerate(columns):
            reverse = in_order is not None and in_order[1]
            descending = reverse != (column.key == "problems")  # worst first
            marker = (" ▼" if descending else " ▲") if index == sorted_index else ""
            shown.append(
                TableColumn(
                    column.key,
                    header_label(column, self._wide) + marker,
                    widths[column.key],
                    column.align_right,
                )
            )
        self.table.set_columns(shown)

    @work(thread=True, exclusive=True, group="corpus")
    def _load_corpus(self) -> None:
        """Open the database and decode the corpus off the UI thread.

        Both are quick when warm, but a first load (or 100,000 annotations to count)
        takes seconds: the screen is up meanwhile, with a progress bar.
        """

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        if self.session.store is None and self.session.store_error is None:
            self.session.open_store()
        # No collection until all of it is frozen below: the first one after the load
        # walked every new row (a 40 ms stall at 100,000 documents)
        with paused_gc():
            try:
                self.session.load_corpus(progress=progress)
            except SpeechreaderError as exc:
                self.app.call_from_thread(self._failed, str(exc))
                return
            counts = self.session.annotation_counts()
            corpus = self.session.corpus
            if corpus is not None:
                # Off the UI thread: the filter's haystacks (one OpenCC call), every row's
                # cells and the first sort, which froze the screen for seconds at 100,000.
                self.rows.filter_text.build(corpus.documents)
                self.counts, self.done = counts, self.session.done_marks()
                self._rows_changed()
                for doc in corpus.documents:
                    self.rows.cells(doc)
                self.rows.sort(corpus.documents, self.sort_column, self.sort_reverse)
                # 100,000 documents, rows and haystacks live as long as the library: out
                # of the collector's walks (each full collection took ~0.3 s, a stall)
                freeze_survivors()
        self.app.call_from_thread(self._loaded, counts)

    def _progress(self, done: int, total: int) -> None:
        if total <= 0:  # an empty folder (ProgressBar divides by its total)
            return
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#library-status", Static).update(literal(message, "bold red"))

    def _loaded(self, counts: dict[str, int] | None = None) -> None:
        self.query_one(ProgressBar).display = False
        if not self.query_one(Input).has_focus:  # the user may already be typing a filter
            self.table.focus()
        if counts is None:
            self.refresh_counts()
        else:
            if counts is not self.counts:  # not already prepared by the loading worker
                self.counts = counts
                self.done = self.session.done_marks()
                self._rows_changed()
            self.damaged = self.session.damaged_documents()
            self._fill()
        self._report_store_problem()
        self.set_timer(0.05, self.app.prepare_reader)  # type: ignore[attr-defined]

    _reported = False

    def _report_store_problem(self) -> None:
        if self.session.store_error and not self._reported:
            self._reported = True
            self.notify(
                f"{self.session.store_error}\nAnnotations cannot be saved until this is fixed "
                "(try `speechreader doctor`).",
                title="Database problem",
                severity="error",
                timeout=15,
            )

    def on_screen_resume(self) -> None:
        """Back from the reader: annotation counts may have changed."""
        if self.session.corpus is not None and self.is_mounted:
            self.refresh_counts()

    def store_changed(self) -> None:
        """Another process changed the database (see the app's watcher): recount."""
        if self.session.corpus is not None and self.is_mounted:
            self.refresh_counts()

    def refresh_counts(self) -> None:
        """Re-read counts and done marks; only the rows that changed are made again (back
        from the reader, one document's row, not 100,000), nothing is redrawn if none did."""
        counts = self.session.annotation_counts()
        done = self.session.done_marks()
        self.damaged = self.session.damaged_documents()
        changed = {
            k for k in counts.keys() | self.counts.keys() if counts.get(k) != self.counts.get(k)
        }
        changed |= {k for k in done.keys() | self.done.keys() if done.get(k) != self.done.get(k)}
        columns_changed = bool(done) != bool(self.done)  # the Done column comes or goes
        self.counts, self.done = counts, done
        if columns_changed:
            self._rows_changed()
        elif changed:
            self._rows_changed(changed)
        if changed or columns_changed or not self.table.rows:
            self._fill()
        else:
            self._status(len(self.table.rows))

    # --- table --------------------------------------------------------------------

    def _fill(self) -> None:
        corpus = self.session.corpus
        if corpus is None:
            return
        needle = fold(self.query_one(Input).value.strip())
        if self.sort_column >= len(self._columns()):  # the Done column went away
            self.sort_column = 1
        # sorting and filtering commute (the sort keys end with the id): the whole corpus is
        # sorted once per column and direction, a filter keeps that order (100,000 rows)
        wanted = (self.sort_column, self.sort_reverse)
        ordered = self.rows.cached_order(*wanted)
        shown: tuple[int, bool] | None = wanted
        if ordered is None and len(corpus) < self.SORT_IN_WORKER:
            ordered = self.rows.sort(corpus.documents, *wanted)
        elif ordered is None:  # the rows stay in the order they are in until it is made
            self._sort_in_worker(*wanted)
            shown = self._shown_sort
            ordered = self.rows.cached_order(*shown) if shown is not None else None
            if ordered is None:
                ordered, shown = corpus.documents, None  # id order
        docs = self.rows.matching(ordered, needle) if needle else ordered
        self.table.set_rows(docs, _doc_id, self.rows.cells, keep=self.table.cursor_id)
        self._shown_sort = shown
        self._set_columns()
        self._status(len(docs))

    def _rows_changed(self, doc_ids=None, *, haystacks: bool = False) -> None:
        """The rows of ``doc_ids`` (all if None) are made again, and the orders they
        change dropped."""
        rows = self.rows
        columns = self._columns()
        corpus = self.session.corpus
        if doc_ids is None or rows.columns != columns or corpus is None:
            rows.columns = columns
            rows.forget_all(haystacks=haystacks)
        else:
            rows.forget((corpus.get(i) for i in doc_ids if i in corpus), haystacks=haystacks)

    # what the rows model holds once, read and set here as the screen's own
    counts = _on_rows("counts", "Annotations per document (replaced, never mutated).")
    done = _on_rows("done", "Who marked each document done (replaced, never mutated).")
    _wide = _on_rows("wide", "Problem counts in the table, not only letters.")
    _done_width = _on_rows("done_width", "The Done column's width.")

    def _columns(self) -> tuple[TableColumn, ...]:
        """The table's columns: Done only once someone has marked a document done."""
        return (*COLUMNS, DONE_COLUMN) if self.done else COLUMNS

    def _status(self, shown: int) -> None:
        corpus = self.session.corpus
        assert corpus is not None
        parts = [
            f"{shown} of {plural(len(corpus), 'document')}"
            if shown != len(corpus)
            else plural(len(corpus), "document")
        ]
        parts.append(plural(sum(self.counts.values()), "annotation"))
        if corpus.skipped:
            parts.append(f"{plural(len(corpus.skipped), 'file')} skipped (! to see why)")
        if corpus.warnings:
            parts.append(f"metadata.csv: {plural(len(corpus.warnings), 'problem')} (! to see)")
        if self.damaged:
            names = ", ".join(d.doc_id or d.path for d in self.damaged)
            parts.append(f"damaged, read-only until `speechreader doctor --repair`: {names}")
        if self.session.store_error:
            parts.append(f"read-only: {self.session.store_error}")
        if self._sorting is not None and self._sorting[0] < len(self._columns()):
            column = self._columns()[self._sorting[0]]
            parts.append(f"sorting by {header_label(column, self._wide).lower()}…")
        self._status_parts = parts
        self._show_status()

    def _show_status(self) -> None:
        """The counts, then what to distrust in the document under the cursor."""
        parts = list(self._status_parts)
        corpus, doc_id = self.session.corpus, self.table.cursor_id
        doc = corpus.get(doc_id) if corpus is not None and doc_id is not None else None
        if doc is not None and doc.problems:
            parts.append("! " + problems.in_words(doc.problems))
        text = " │ ".join(parts)
        if text != self._status_text:  # a key in the table repaints two rows, not the screen
            self._status_text = text
            self.query_one("#library-status", Static).update(literal(text))

    def on_document_table_highlighted(self, event: DocumentTable.Highlighted) -> None:
        self._show_status()

    def on_document_table_opened(self, event: DocumentTable.Opened) -> None:
        self.app.open_document(event.doc_id)  # type: ignore[attr-defined]

    def on_document_table_header_clicked(self, event: DocumentTable.HeaderClicked) -> None:
        if event.index == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = event.index, False
        self._fill()

    # --- actions ------------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.12, self._fill)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._fill()
        self.set_focus(self.table)  # now: Widget.focus waits, and keys typed behind Enter
        # (s, e, Enter) reached the filter

    def action_clear_filter(self) -> None:
        filter_input = self.query_one(Input)
        if filter_input.value:
            filter_input.value = ""
            self._fill()
        self.set_focus(self.table)  # now, for the same reason: Esc e opened no editor

    def action_sort_next(self) -> None:
        self.sort_column = (self.sort_column + 1) % len(self._columns())
        self.sort_reverse = False
        self._fill()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._fill()

    def action_skipped(self) -> None:
        corpus = self.session.corpus
        if corpus is None:
            return
        if not corpus.skipped and not corpus.warnings:
            also = ", and metadata.csv has none" if corpus.metadata_stamp is not None else ""
            self.notify(f"No problems: every file was loaded{also}.", timeout=3)
            return
        from speechreader.tui.dialogs.skipped import SkippedFiles

        self.app.push_screen(SkippedFiles(corpus.skipped, corpus.warnings))
