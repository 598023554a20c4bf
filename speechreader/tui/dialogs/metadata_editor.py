"""``e`` in the library: a document's title, date, speaker and place, saved to metadata.csv.

Enter moves to the next field and saves from the last; ctrl+s saves from any field;
Esc leaves everything as it was. ``save`` does the write (the library's, through the
core) and raises :class:`SpeechreaderError` to say why it could not: the message
stays under the fields, with what was typed, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from speechreader.core.errors import SpeechreaderError
from speechreader.tui.literal import editable, edited, literal

FIELDS: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("date", "Date (e.g. 2011-12-06)"),
    ("speaker", "Speaker"),
    ("place", "Place"),
)


class MetadataEditor(ModalScreen[dict[str, str] | None]):
    """Edit four fields; dismissed with what changed (saved by ``save``), or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "save", "Save", priority=True),
    ]

    def __init__(
        self,
        heading: str,
        values: Mapping[str, str],
        save: Callable[[dict[str, str]], None],
    ) -> None:
        super().__init__()
        self.heading = heading
        self.values = {name: values.get(name, "") for name, _ in FIELDS}
        self.save = save

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="metadata-editor"):
            yield Label(literal(self.heading), classes="dialog-title")
            for name, label in FIELDS:
                yield Label(label, classes="field-label")
                yield Input(editable(self.values[name]), id=f"meta-{name}")
            yield Label("", classes="dialog-error", id="meta-error")
            yield Label(
                "Saved to metadata.csv (the old file kept as metadata.csv.bak); "
                "the speech itself is never changed.",
                classes="dialog-detail",
            )
            yield Label(
                "Enter next field, saves on the last · ctrl+s save · Esc cancel",
                classes="dialog-hint",
            )

    def on_mount(self) -> None:
        self.query_one(f"#meta-{FIELDS[0][0]}", Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#meta-error", Label).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        if index + 1 < len(inputs):
            inputs[index + 1].focus()
        else:
            self.action_save()

    def changed(self) -> dict[str, str]:
        out = {}
        for name, _ in FIELDS:
            value = edited(self.query_one(f"#meta-{name}", Input).value).strip()
            if value != self.values[name].strip():
                out[name] = value
        return out

    def action_save(self) -> None:
        changes = self.changed()
        if changes:
            try:
                self.save(changes)
            except SpeechreaderError as exc:
                self.query_one("#meta-error", Label).update(literal(exc, lines=True))
                return
        self.dismiss(changes)
