"""The library: every document of the corpus in a sortable, filterable table."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, ProgressBar, Static

from speechreader.core.corpus import DocumentInfo
from speechreader.core.errors import SpeechreaderError
from speechreader.tui.dialogs.skipped import SkippedFiles
from speechreader.tui.session import Session
from speechreader.tui.widgets.keybar import KeyBar


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int | None  # None: take the rest


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", None),
    Column("date", "Date", 10),
    Column("speaker", "Speaker", None),
    Column("place", "Place", None),
    Column("script", "Script", 6),
    Column("chars", "Length", 6),
    Column("annotations", "Coded", 5),
)
_SCRIPT_SHORT = {"simplified": "simp", "traditional": "trad", "mixed": "mixed"}


def flexible_widths(total: int) -> dict[str, int]:
    """Widths of the columns that share what the fixed ones leave: the title gets most.

    At 80 columns every column still fits on screen; wider terminals give the extra
    room to the title once speaker and place have enough.
    """
    fixed = sum(c.width or 0 for c in COLUMNS) + 2 * len(COLUMNS) + 4
    rest = max(30, total - fixed)
    speaker = max(6, min(16, rest * 18 // 100))
    place = max(6, min(20, rest * 22 // 100))
    return {"title": rest - speaker - place, "speaker": speaker, "place": place}


def _row_values(doc: DocumentInfo, coded: int) -> dict[str, object]:
    meta = doc.metadata
    return {
        "title": doc.title,
        "date": meta.get("date", ""),
        "speaker": meta.get("speaker", ""),
        "place": meta.get("place", ""),
        "script": _SCRIPT_SHORT.get(doc.script, doc.script),
        "chars": doc.chars,
        "annotations": coded,
    }


def fold(text: str) -> str:
    """Script- and case-insensitive form for filtering: 廣西 and 广西 match alike."""
    from speechreader.core.convert import convert

    return convert(text, "t2s").casefold()


class LibraryScreen(Screen[None]):
    """Choose a document; ``/`` filters, ``s`` sorts, Enter opens."""

    CSS_PATH = "library.tcss"
    AUTO_FOCUS = "#documents"  # the list, not the filter: keys like s and ! must work at once
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("exclamation_mark", "skipped", "Skipped files", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.sort_column = 1  # date
        self.sort_reverse = False
        self.counts: dict[str, int] = {}
        self._filter_timer: Timer | None = None
        self._shown: list[DocumentInfo] = []
        self._haystacks: dict[str, str] = {}  # doc id → folded id, title and metadata

    def compose(self) -> ComposeResult:
        root = self.session.corpus_root
        yield Static(f"speechreader · {root.resolve().name or root}", id="library-title")
        yield Input(placeholder="/ filter by title, speaker, place, id…", id="filter")
        yield ProgressBar(id="loading", show_eta=False)
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        yield Static("", id="library-status")
        yield KeyBar()

    @property
    def table(self) -> DataTable:
        return self.query_one(DataTable)

    def on_mount(self) -> None:
        for column in COLUMNS:
            self.table.add_column(column.label, key=column.key, width=column.width)
        self._resize_title_column()
        if self.session.corpus is not None:
            self._loaded()
        else:
            self._load_corpus()

    def on_resize(self) -> None:
        self._resize_title_column()

    def _resize_title_column(self) -> None:
        for key, width in flexible_widths(self.size.width).items():
            column = self.table.columns.get(key)  # type: ignore[call-overload]
            if column is not None:
                column.width = width
                column.auto_width = False
        self.table.refresh()

    @work(thread=True, exclusive=True, group="corpus")
    def _load_corpus(self) -> None:
        """Decode the corpus off the UI thread (instant when the listing cache is warm)."""

        def progress(done: int, total: int) -> None:
            self.app.call_from_thread(self._progress, done, total)

        try:
            self.session.load_corpus(progress=progress)
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded)

    def _progress(self, done: int, total: int) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#library-status", Static).update(Text(message, style="bold red"))

    def _loaded(self) -> None:
        self.query_one(ProgressBar).display = False
        if not self.query_one(Input).has_focus:  # the user may already be typing a filter
            self.table.focus()
        self.refresh_counts()
        self.set_timer(0.05, self.app.prepare_reader)  # type: ignore[attr-defined]

    def on_screen_resume(self) -> None:
        """Back from the reader: annotation counts may have changed."""
        if self.session.corpus is not None and self.is_mounted:
            self.refresh_counts()

    def refresh_counts(self) -> None:
        self.counts = self.session.annotation_counts()
        self._fill()

    # --- table --------------------------------------------------------------------

    def _fill(self) -> None:
        corpus = self.session.corpus
        if corpus is None:
            return
        needle = fold(self.query_one(Input).value.strip())
        docs = [d for d in corpus.documents if not needle or needle in self._haystack(d)]
        key = COLUMNS[self.sort_column].key
        docs.sort(key=lambda d: self._sort_value(d, key), reverse=self.sort_reverse)
        self._shown = docs
        selected = self._current_id()
        table = self.table
        table.clear()
        for doc in docs:
            values = _row_values(doc, self.counts.get(doc.id, 0))
            cells = [
                Text(str(values[c.key]), justify="right")
                if c.key in ("chars", "annotations")
                else str(values[c.key])
                for c in COLUMNS
            ]
            table.add_row(*cells, key=doc.id)
        if selected is not None and selected in table.rows:
            table.move_cursor(row=table.get_row_index(selected))
        for index, column in enumerate(COLUMNS):
            marker = (" ▼" if self.sort_reverse else " ▲") if index == self.sort_column else ""
            table.columns[column.key].label = Text(column.label + marker)  # type: ignore[index]
        self._status(len(docs))

    def _haystack(self, doc: DocumentInfo) -> str:
        if doc.id not in self._haystacks:
            self._haystacks[doc.id] = fold(" ".join([doc.id, doc.title, *doc.metadata.values()]))
        return self._haystacks[doc.id]

    @staticmethod
    def _sort_value(doc: DocumentInfo, key: str) -> tuple:
        if key == "chars":
            return (doc.chars,)
        values = _row_values(doc, 0)
        value = str(values[key])
        return (value == "", value.casefold(), doc.id)  # empty values last

    def _current_id(self) -> str | None:
        table = self.table
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # the cursor points at nothing yet
            return None

    def _status(self, shown: int) -> None:
        corpus = self.session.corpus
        assert corpus is not None
        parts = [
            f"{shown} of {len(corpus)} documents"
            if shown != len(corpus)
            else f"{len(corpus)} documents"
        ]
        parts.append(f"{sum(self.counts.values())} annotations")
        if corpus.skipped:
            parts.append(f"{len(corpus.skipped)} files skipped (! to see why)")
        if self.session.store_error:
            parts.append(f"read-only: {self.session.store_error}")
        self.query_one("#library-status", Static).update(" │ ".join(parts))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.app.open_document(event.row_key.value)  # type: ignore[attr-defined]

    def on_data_table_header_selected(self, event: DataTable.HeaderSelected) -> None:
        index = event.column_index
        if index == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = index, False
        self._fill()

    # --- actions ------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(Input).focus()

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
        self.sort_column = (self.sort_column + 1) % len(COLUMNS)
        self.sort_reverse = False
        self._fill()

    def action_sort_reverse(self) -> None:
        self.sort_reverse = not self.sort_reverse
        self._fill()

    def action_skipped(self) -> None:
        corpus = self.session.corpus
        if corpus is not None:
            self.app.push_screen(SkippedFiles(corpus.skipped))
