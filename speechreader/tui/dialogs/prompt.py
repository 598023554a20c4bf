"""A one-line question (a tag's name, its description): Enter answers, Esc cancels."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from speechreader.core.errors import SpeechreaderError
from speechreader.tui.literal import editable, edited, literal, shown
from speechreader.tui.widgets.typed_input import TypedInput


class TextPrompt(ModalScreen[str | None]):
    """Ask for one line of text; returns it (stripped, possibly empty) or None when cancelled.

    ``check`` turns what was typed into the answer or raises SpeechreaderError; its
    message is shown under the field and the dialog stays open, so a typo (a name that
    is taken, a bad colour) costs one key instead of the whole dialog again.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self,
        title: str,
        value: str = "",
        *,
        detail: str = "",
        placeholder: str = "",
        hint: str = "Enter save · Esc cancel",
        check: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.value = value
        self.detail = detail
        self.placeholder = placeholder
        self.hint = hint
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="text-prompt"):
            yield Label(shown(self.title_text), classes="dialog-title")
            if self.detail:
                yield Label(shown(self.detail), classes="dialog-detail")
            yield TypedInput(editable(self.value), placeholder=self.placeholder, id="prompt-input")
            yield Label("", classes="dialog-error", id="prompt-error")
            yield Label(self.hint, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.query_one("#prompt-error", Label).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        typed = edited(event.value).strip()
        try:
            answer = self.check(typed) if self.check else typed
        except SpeechreaderError as exc:
            self.query_one("#prompt-error", Label).update(literal(exc, lines=True))
            return
        self.dismiss(answer)
