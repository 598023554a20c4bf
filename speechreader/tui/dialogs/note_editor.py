"""The memo editor (``m``): a note on a passage, several lines if needed."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, TextArea

from speechreader.tui.literal import editable, edited, shown


class NoteEditor(ModalScreen[str | None]):
    """Edit a note; returns the new text (possibly empty) or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(self, note: str, title: str) -> None:
        super().__init__()
        self.note = note
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="note-editor"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield TextArea(
                editable(self.note), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save (ctrl+s)", variant="primary", id="save")
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(edited(self.query_one(TextArea).text).strip())

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)
