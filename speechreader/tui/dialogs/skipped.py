"""Why some files of the corpus were not loaded, and what is wrong in metadata.csv (``!``)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from speechreader.core.corpus import Skipped
from speechreader.core.words import plural, verb
from speechreader.tui.literal import literal


class SkippedFiles(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close")
    ]

    def __init__(self, skipped: list[Skipped], warnings: list[str] | None = None) -> None:
        super().__init__()
        self.skipped = skipped
        self.warnings = list(warnings or [])

    def compose(self) -> ComposeResult:
        said = []
        if self.skipped:
            n = len(self.skipped)
            said.append(f"{plural(n, 'file')} {verb(n, 'was', 'were')} not loaded")
        if self.warnings:
            said.append(f"metadata.csv has {plural(len(self.warnings), 'problem')}")
        title = "; ".join(said).capitalize() if said else "Every file was loaded"
        with Vertical(classes="dialog", id="skipped"):
            yield Label(title, classes="dialog-title", markup=False)
            table: DataTable = DataTable(cursor_type="row")
            table.add_columns("File", "Reason")
            for item in self.skipped:
                table.add_row(literal(item.path), literal(item.reason))
            for warning in self.warnings:
                where, _, what = warning.partition(": ")
                table.add_row(literal(where), literal(what))
            yield table
            yield Label("Esc close", classes="dialog-hint")
