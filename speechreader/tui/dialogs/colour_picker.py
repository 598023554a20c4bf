"""A tag's colour (``c`` in the codebook): the palette as swatches, or any #rrggbb typed.

The palette is what new tags get, chosen to stay distinguishable side by side; the
list says which tags already use each colour, so two codes are not made to look alike
by accident. Typed colours go through :func:`check_colour`, the rule the CSV import
uses, so the database only ever holds ``#rrggbb``.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from speechreader.core.errors import SpeechreaderError
from speechreader.core.store import PALETTE, Tag, check_colour
from speechreader.tui.literal import cleaned, compose, literal, shown
from speechreader.tui.widgets.tag_rows import swatch
from speechreader.tui.widgets.typed_input import TypedInput


class ColourPicker(ModalScreen[str | None]):
    """Returns the chosen colour as ``#rrggbb``, or None when cancelled."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
    ]

    def __init__(self, tag: Tag, tags: list[Tag], title: str) -> None:
        super().__init__()
        self.tag = tag
        self.title_text = title
        self.users: dict[str, list[str]] = {}
        for other in tags:
            self.users.setdefault(other.colour.lower(), []).append(other.name)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="colour-picker"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield TypedInput(
                placeholder="#rrggbb or a colour name, or choose below", id="colour-input"
            )
            yield Label("", classes="dialog-feedback", id="colour-feedback")
            yield OptionList(*self._options(), id="colour-options")
            yield Label("Enter choose · ↑↓ palette · Esc cancel", classes="dialog-hint")

    def _options(self) -> list[Option]:
        current = self.tag.colour.lower()
        colours = list(PALETTE)
        if current not in colours:
            colours.insert(0, current)
        options = []
        for colour in colours:
            text = Text(no_wrap=True, overflow="ellipsis")
            text.append(swatch(colour, 6))
            text.append(f" {colour} ")
            users = self.users.get(colour, [])
            if colour == current:
                text.append(" ● current", style="bold")
                users = [u for u in users if u != self.tag.name]
            if users:
                text.append(f"  used by {', '.join(users)}", style="dim")
            options.append(Option(cleaned(text), id=colour))
        return options

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        current = self.tag.colour.lower()
        options.highlighted = options.get_option_index(current)
        self.query_one(Input).focus()

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        current = options.highlighted or 0
        options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def on_input_changed(self, event: Input.Changed) -> None:
        """A preview of a typed colour, so a hex value can be judged before it is saved."""
        feedback = self.query_one("#colour-feedback", Label)
        feedback.remove_class("dialog-error")
        try:
            colour = check_colour(event.value) if event.value.strip() else None
        except SpeechreaderError:
            colour = None
        feedback.update("" if colour is None else compose(swatch(colour, 6), f" {colour}"))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        if not typed:
            options = self.query_one(OptionList)
            if options.highlighted is not None:
                self.dismiss(options.get_option_at_index(options.highlighted).id)
            return
        try:
            self.dismiss(check_colour(typed))
        except SpeechreaderError as exc:
            feedback = self.query_one("#colour-feedback", Label)
            feedback.add_class("dialog-error")
            feedback.update(literal(exc, lines=True))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)
