"""The library: every document of the corpus in a sortable, filterable table.

The last column flags what to distrust in each document (the problems the listing
counted: ``M`` mojibake, ``L`` lost characters, ``G`` pinyin glosses ...), as letters
where the terminal is narrow and with counts where it is wide; the status line spells
out the problems of the document under the cursor.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, ProgressBar, Static

from speechreader.core.corpus import DocumentInfo, pinyin_sort_key
from speechreader.core.errors import SpeechreaderError
from speechreader.core.store import DamagedFile
from speechreader.core.words import plural
from speechreader.tui import problems
from speechreader.tui.literal import literal
from speechreader.tui.screens.library_columns import (
    COLUMNS,
    DONE_COLUMN,
    NUMBER_COLUMNS,
    PINYIN_COLUMNS,
    WIDE,
    column_widths,
    distrust,
    done_cell,
    fold,
    header_label,
    row_values,
)
from speechreader.tui.screens.library_edits import MetadataEdits
from speechreader.tui.session import Session
from speechreader.tui.widgets.document_table import DocumentTable, TableColumn
from speechreader.tui.widgets.keybar import KeyBar


def haystack_text(doc: DocumentInfo) -> str:
    """What the filter looks through: id, title and metadata values, on one line."""
    return " ".join([doc.id, doc.title, *doc.metadata.values()]).replace("\n", " ")


def fold_all(docs: list[DocumentInfo]) -> dict[str, str]:
    """Every document's folded haystack, with one conversion of them all joined by lines
    (100,000 conversions one by one took seconds; OpenCC never converts across a line)."""
    texts = [haystack_text(d) for d in docs]
    folded = fold("\n".join(texts)).split("\n")
    if len(folded) != len(texts):  # cannot happen with a line-preserving conversion
        folded = [fold(t) for t in texts]
    return {d.id: f for d, f in zip(docs, folded, strict=True)}


class LibraryScreen(MetadataEdits, Screen[None]):
    """Choose a document; ``/`` filters, ``s`` sorts, Enter opens."""

    CSS_PATH = "library.tcss"
    AUTO_FOCUS = "#documents"  # the list, not the filter: keys like s and ! must work at once
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort_next", "Sort"),
        Binding("e", "edit_metadata", "Edit"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("exclamation_mark", "skipped", "Skipped files, metadata problems", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.sort_column = 1  # date
        self.sort_reverse = False
        self.counts: dict[str, int] = {}
        self.damaged: list[DamagedFile] = []  # annotation files that cannot be read
        self._filter_timer: Timer | None = None
        self._shown: list[DocumentInfo] = []
        self._haystacks: dict[str, str] = {}  # doc id → folded id, title and metadata
        self._row_cache: dict[str, list[str]] = {}
        self._pinyin_keys: dict[str, tuple] = {}  # a title, speaker or place → its sort key
        self._orders: dict[tuple, list[DocumentInfo]] = {}  # (column, reverse, n) → all sorted
        self._wide = False  # problem counts in the table, not only letters
        self._done_width = DONE_COLUMN.width
        self._status_parts: list[str] = []
        self._status_text = ""

    def compose(self) -> ComposeResult:
        root = self.session.corpus_root
        yield Static(literal(f"speechreader · {root.resolve().name or root}"), id="library-title")
        yield Input(placeholder="/ filter by title, speaker, place, id…", id="filter")
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
        sorted_key = columns[self.sort_column].key if self.sort_column < len(columns) else None
        widths = column_widths(self.size.width, columns, sorted_key, wide=self._wide)
        done_width = widths.get(DONE_COLUMN.key, DONE_COLUMN.width)
        if done_width != self._done_width:
            self._done_width = done_width
            self._rows_changed()
            self._fill()
        shown = []
        for index, column in enumerate(columns):
            descending = self.sort_reverse != (column.key == "problems")  # worst first
            marker = (" ▼" if descending else " ▲") if index == self.sort_column else ""
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
        try:
            self.session.load_corpus(progress=progress)
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        counts = self.session.annotation_counts()
        corpus = self.session.corpus
        if corpus is not None:
            # Off the UI thread: the filter's haystacks (one OpenCC call), every row's cells
            # and the first sort, which froze the screen for seconds at 100,000 documents.
            self._haystacks = fold_all(corpus.documents)
            self.counts, self.done = counts, self.session.done_marks()
            self._rows_changed()
            for doc in corpus.documents:
                self._cells(doc)
            self._ordered(corpus.documents)
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
        ordered = self._ordered(corpus.documents)
        if needle:
            hay = self._haystacks
            docs = [d for d in ordered if needle in (hay.get(d.id) or self._haystack(d))]
        else:
            docs = ordered
        self.table.set_rows([(d.id, self._cells(d)) for d in docs], keep=self.table.cursor_id)
        self._set_columns()
        self._status(len(docs))

    def _ordered(self, documents: list[DocumentInfo]) -> list[DocumentInfo]:
        """Every document in the order of the sort column (cached until a row changes)."""
        key = (self.sort_column, self.sort_reverse, len(self._columns()))
        if self._orders.get(key) is None:
            other = self._orders.get((self.sort_column, not self.sort_reverse, key[2]))
            # every sort key ends with the unique id: the other direction is this one reversed
            self._orders[key] = other[::-1] if other is not None else self._sorted(list(documents))
        return self._orders[key]

    def _rows_changed(self, doc_ids=None) -> None:
        """Forget the cells of ``doc_ids`` (all if None), and the sorted orders."""
        self._orders = {}
        if doc_ids is None:
            self._row_cache.clear()
        else:
            for doc_id in doc_ids:
                self._row_cache.pop(doc_id, None)

    def _sorted(self, docs: list[DocumentInfo]) -> list[DocumentInfo]:
        column = self.sort_column
        key = self._columns()[column].key
        if key in NUMBER_COLUMNS:
            docs.sort(key=lambda d: (int(self._cells(d)[column]), d.id), reverse=self.sort_reverse)
        elif key == "problems":  # what to distrust most comes first
            docs.sort(key=distrust, reverse=not self.sort_reverse)
        else:  # text, empty values last; titles, speakers, places by pinyin
            keys = self._pinyin_keys
            pinyin = key in PINYIN_COLUMNS

            def text_key(doc: DocumentInfo) -> tuple:
                value = self._cells(doc)[column]
                if not pinyin:
                    return (value == "", value.casefold(), doc.id)
                if value not in keys:
                    keys[value] = pinyin_sort_key(value)
                return (value == "", keys[value], doc.id)

            docs.sort(key=text_key, reverse=self.sort_reverse)
        return docs

    def _haystack(self, doc: DocumentInfo) -> str:
        if doc.id not in self._haystacks:
            self._haystacks[doc.id] = fold(haystack_text(doc))
        return self._haystacks[doc.id]

    done: dict[str, list[str]] = {}  # noqa: RUF012  (replaced, never mutated)

    def _columns(self) -> tuple[TableColumn, ...]:
        """The table's columns: Done only once someone has marked a document done."""
        return (*COLUMNS, DONE_COLUMN) if self.done else COLUMNS

    def _cells(self, doc: DocumentInfo) -> list[str]:
        """A document's row as strings, built once per refresh of the counts."""
        cells = self._row_cache.get(doc.id)
        if cells is None:
            values = row_values(doc, self.counts.get(doc.id, 0), self._wide)
            values["done"] = done_cell(self.done.get(doc.id, []), self._done_width)
            cells = self._row_cache[doc.id] = [str(values[c.key]) for c in self._columns()]
        return cells

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

    def action_filter(self) -> None:
        self._typing = True  # keys typed before the filter has focus go into it
        self.query_one(Input).focus()

    _typing = False

    def on_key(self, event: events.Key) -> None:
        """A character typed in the table starts the filter with it (a bound key, such
        as s, e, q, still does its job); right after ``/`` every character goes there.

        Focus moves a moment after it is asked for: keys typed quickly after ``/`` (or
        after the first letter) still reach the table, and were lost or sorted.
        """
        filter_input = self.query_one(Input)
        char = event.character
        editor = self.editor_opening
        early = editor is not None and event.key in editor.EARLY_EDITS
        if editor is not None and (early or (event.is_printable and char)):
            event.stop()  # typed right after e, before the editor showed: it is the editor's
            event.prevent_default()
            if early:
                editor.early_edit(event.key)
            else:
                editor.type_ahead(char or "")
            return
        if filter_input.has_focus or not event.is_printable or not char or char.isspace():
            return
        if event.key in ("slash", "e") and not self._typing:
            # here, not through the binding: that runs after the keys already typed
            # behind it have passed this screen (they would sort, or start the filter)
            event.stop()
            event.prevent_default()
            if event.key == "slash":
                self.action_filter()
            else:
                self.action_edit_metadata()
            return
        if not self._typing and event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        filter_input.insert_text_at_cursor(char)
        self._typing = True
        filter_input.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is not self.query_one(Input):
            self._typing = False

    def on_input_changed(self, event: Input.Changed) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._filter_timer = self.set_timer(0.12, self._fill)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self._filter_timer is not None:
            self._filter_timer.stop()
        self._fill()
        self.table.focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one(Input)
        if filter_input.value:
            filter_input.value = ""
            self._fill()
        self.table.focus()

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
