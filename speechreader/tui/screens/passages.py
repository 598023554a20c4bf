"""The passages behind a figure: a sortable list; Enter opens the reader on one.

Reached with Enter on a cell of the analysis screen (a tag, a tag in a group or a
period, a pair of tags, a key word). Columns: document, the passage in its line of
context, tags, speaker, date, coder, offset. ``s`` sorts by the column under the cursor.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from speechreader.core.analysis import PassageRow
from speechreader.tui.literal import compose, visible
from speechreader.tui.session import Session
from speechreader.tui.widgets.bar_chart import fit_cells
from speechreader.tui.widgets.keybar import KeyBar
from speechreader.tui.widgets.sortable_table import Row, SortableTable, number

CONTEXT = 12  # characters of context each side in the list
PASSAGE = 40  # characters of the passage itself
TITLE = 16  # cells of the document's title


def passage_text(row: PassageRow) -> Text:
    """…left【passage】right…, the passage bold; line breaks inside shown as ⏎."""

    def clean(text: str) -> str:
        return visible(text.replace("\n", "⏎"))

    return compose(
        (clean(row.left[-CONTEXT:]), "dim"),
        (
            clean(row.passage if len(row.passage) <= PASSAGE else row.passage[:PASSAGE] + "…"),
            "bold",
        ),
        (clean(row.right[:CONTEXT]), "dim"),
    )


class PassagesScreen(Screen[None]):
    """A list of coded passages; Enter opens one in the reader with it selected."""

    CSS_PATH = "analysis.tcss"
    AUTO_FOCUS = "#passages-table"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "Back")]

    def __init__(self, session: Session, title: str, rows: list[PassageRow]) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.rows = rows
        self.by_id = {r.annotation_id: r for r in rows}

    def compose(self) -> ComposeResult:
        yield Static(compose("Passages · ", self.title_text), id="passages-title")
        yield SortableTable(id="passages-table")
        docs = len({r.doc_id for r in self.rows})
        yield Static(
            f"{len(self.rows)} passage{'s' if len(self.rows) != 1 else ''} in {docs} "
            f"document{'s' if docs != 1 else ''} · Enter opens the reader · s sorts",
            id="passages-status",
        )
        yield KeyBar()

    def on_mount(self) -> None:
        corpus = self.session.corpus
        rows = []
        for r in self.rows:
            meta = corpus.get(r.doc_id).metadata if corpus and r.doc_id in corpus else {}
            rows.append(
                Row(
                    r.annotation_id,
                    [
                        (r.title or r.doc_id, fit_cells(r.title or r.doc_id, TITLE).rstrip()),
                        (r.passage, passage_text(r)),
                        (", ".join(r.tags), ", ".join(r.tags)),
                        (meta.get("speaker", ""), meta.get("speaker", "")),
                        (meta.get("date", ""), meta.get("date", "")),
                        (r.coder, r.coder),
                        (r.start, number(str(r.start))),
                    ],
                )
            )
        headers = ["Document", "Passage", "Tags", "Speaker", "Date", "Coder", "At"]
        table = self.query_one(SortableTable)
        table.show(headers, rows)
        if table.hidden_rows:
            self.query_one("#passages-status", Static).update(
                f"{len(self.rows):,} passages; the first {len(self.rows) - table.hidden_rows:,} "
                "shown (s sorts all of them; `speechreader passages` lists every one)"
            )

    def on_data_table_cell_selected(self, event: SortableTable.CellSelected) -> None:
        event.stop()
        row = self.by_id.get(str(event.cell_key.row_key.value))
        if row is not None:
            self.app.open_document(row.doc_id, select=(row.start, row.end))  # type: ignore[attr-defined]

    def action_back(self) -> None:
        self.app.pop_screen()
