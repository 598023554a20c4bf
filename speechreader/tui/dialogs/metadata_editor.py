"""``e`` in the library: a document's title, date, speaker and place, saved to metadata.csv.

Enter moves to the next field and saves from the last; ctrl+s saves from any field;
Esc leaves everything as it was. A field opens with the cursor at its end (not all
selected: a key would replace a whole title), and keys typed between ``e`` and the
dialog's showing go there too. ``save`` does the write (the library's, through the
core) and raises :class:`SpeechreaderError` to say why it could not: the message
stays under the fields, with what was typed, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from speechreader.core.errors import SpeechreaderError
from speechreader.tui.literal import editable, edited, literal
from speechreader.tui.widgets.typed_input import TypedInput

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
        Binding("enter", "next_field", "Next field", show=False, priority=True),
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
        #: keys typed before the dialog was mounted: ("char", c) or ("edit", action)
        self._typed: list[tuple[str, str]] = []
        self._saving = False  # ctrl+s taken: the fields are being read

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="metadata-editor"):
            yield Label(literal(self.heading), classes="dialog-title")
            for name, label in FIELDS:
                yield Label(label, classes="field-label")
                yield TypedInput(
                    editable(self.values[name]), id=f"meta-{name}", select_on_focus=False
                )
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
        first = self.query_one(f"#meta-{FIELDS[0][0]}", Input)
        self.set_focus(first)  # now: Widget.focus would wait, and keys typed meanwhile miss it
        typed, self._typed = self._typed, []
        for kind, value in typed:  # (is_mounted is not yet true here)
            if kind == "char":
                self._insert(value)
            else:
                self._edit(value)

    def _target(self) -> Input:
        focused = self.focused if isinstance(self.focused, Input) else None
        return focused or self.query_one(f"#meta-{FIELDS[0][0]}", Input)

    def _insert(self, char: str) -> None:
        self._target().insert_text_at_cursor(char)

    def _edit(self, key: str) -> None:
        field = self._target()
        self.set_focus(field)
        getattr(field, f"action_{self.EARLY_EDITS[key]}")()

    def type_ahead(self, char: str) -> None:
        """A key typed before a field had the focus: it goes into the first field."""
        if self.is_mounted:
            self._insert(char)
        else:
            self._typed.append(("char", char))

    #: editing keys that act on the first field when they come before it has the focus
    EARLY_EDITS: ClassVar[dict[str, str]] = {
        "ctrl+u": "delete_left_all",
        "ctrl+w": "delete_left_word",
        "ctrl+k": "delete_right_all",
    }

    def early_edit(self, key: str) -> None:
        """An editing key (ctrl+u clears the field) typed before a field had the focus."""
        if self.is_mounted:
            self._edit(key)
        else:
            self._typed.append(("edit", key))

    def on_key(self, event: events.Key) -> None:
        """A key no field took (none had the focus yet) goes to the first field.

        A character that reaches the dialog while a field has the focus was sent here
        before the field had it (a field keeps every character it sees): it goes into
        that field, after the ones typed before it.
        """
        if isinstance(self.focused, Input):
            if event.is_printable and event.character and not self._saving:
                event.stop()
                event.prevent_default()
                self.focused.insert_text_at_cursor(event.character)
            return
        if event.key in self.EARLY_EDITS or (event.is_printable and event.character):
            event.stop()
            event.prevent_default()
            if self._saving:  # typed after ctrl+s: too late for this edit
                return
            if event.key in self.EARLY_EDITS:
                self.early_edit(event.key)
            else:
                self.type_ahead(event.character or "")

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#meta-error", Label).update("")

    def action_next_field(self) -> None:
        """Enter: the next field, now (keys typed behind it go there), or save on the last.

        A priority binding, run as Textual reads the key: an Input's own Enter would run
        only after the keys typed behind it had gone into the field it leaves.
        """
        inputs = list(self.query(Input))
        if self._saving or self.focused not in inputs:
            return
        index = inputs.index(self.focused)
        if index + 1 < len(inputs):
            self.set_focus(inputs[index + 1])
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
        """Save what the fields hold once each has handled the keys typed before ctrl+s.

        Textual queues keys for the focused field and runs this priority binding as the
        key is read, so a title typed quickly and saved at once may still be on its way
        into its field: the focus leaves the fields now, and they are read after their
        queues.
        """
        if self._saving:
            return
        self._saving = True
        back = self.focused
        inputs = list(self.query(Input))
        self.set_focus(None)

        def after(index: int) -> None:
            if index < len(inputs):
                inputs[index].call_later(after, index + 1)
            else:
                self._save_now(back)

        after(0)

    def _save_now(self, back: object) -> None:
        changes = self.changed()
        if changes:
            try:
                self.save(changes)
            except SpeechreaderError as exc:
                self._saving = False
                self.query_one("#meta-error", Label).update(literal(exc, lines=True))
                field = back if isinstance(back, Input) else self.query_one(Input)
                self.set_focus(field)
                return
        self.dismiss(changes)
