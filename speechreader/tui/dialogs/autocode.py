"""Auto-coding from a search: choose a tag and a unit, read the preview, apply.

The preview says how many passages in how many documents would be created, tagged or
are coded already; applying is one store change, so one undo removes it all.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Button, Input, Label, RadioButton, RadioSet, Static

from speechreader.core.errors import SpeechreaderError
from speechreader.core.search import (
    UNITS,
    AutocodePlan,
    SearchFilter,
    apply_autocode,
    plan_autocode,
)
from speechreader.core.words import plural
from speechreader.tui.literal import literal
from speechreader.tui.session import Session
from speechreader.tui.widgets.typed_input import TypedInput


class AutocodeDialog(ModalScreen[None]):
    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(
        self, session: Session, query: str, *, regex: bool, whole_word: bool, where: SearchFilter
    ) -> None:
        super().__init__()
        self.session = session
        self.query_text = query
        self.regex = regex
        self.whole_word = whole_word
        self.where = where
        self.plan: AutocodePlan | None = None

    def compose(self) -> ComposeResult:
        tags = [tag.name for tag in self.session.tags()]
        with Vertical(classes="dialog", id="autocode"):
            yield Label(
                literal(f"Auto-code every hit of “{self.query_text}”"), classes="dialog-title"
            )
            yield TypedInput(
                placeholder="tag to apply (new or from the codebook)",
                id="autocode-tag",
                suggester=SuggestFromList(tags, case_sensitive=False),
            )
            with RadioSet(id="autocode-unit"):
                for unit in UNITS:
                    label = {"hit": "the hit itself", "sentence": "its sentence",
                             "paragraph": "its paragraph"}[unit]  # fmt: skip
                    yield RadioButton(label, value=unit == "sentence", name=unit)
            yield Static("Type a tag name to see what would be coded.", id="autocode-preview")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Apply", variant="primary", id="apply", disabled=True)
                yield Button("Cancel (Esc)", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#autocode-tag", Input).focus()

    def _unit(self) -> str:
        pressed = self.query_one(RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "sentence"

    def on_input_changed(self, event: Input.Changed) -> None:
        self._preview()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._preview()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.plan is not None and self.plan.changes:
            self._apply()

    def _preview(self) -> None:
        tag = self.query_one("#autocode-tag", Input).value.strip()
        self.plan = None
        self.query_one("#apply", Button).disabled = True
        if not tag:
            self.query_one("#autocode-preview", Static).update("Type a tag name.")
            return
        self.query_one("#autocode-preview", Static).update("counting…")
        self._plan(tag, self._unit())

    @work(thread=True, exclusive=True, group="autocode-plan")
    def _plan(self, tag: str, unit: str) -> None:
        try:
            plan = plan_autocode(
                self.session.search_index(), self.session.store, self.query_text, tag,
                unit=unit, regex=self.regex, whole_word=self.whole_word, where=self.where,
            )  # fmt: skip
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._planned, None, str(exc))
            return
        self.app.call_from_thread(self._planned, plan, "")

    def _planned(self, plan: AutocodePlan | None, error: str) -> None:
        current = self.query_one("#autocode-tag", Input).value.strip()
        if plan is not None and (plan.tag != current or plan.unit != self._unit()):
            return  # an older preview; a newer one is coming
        self.plan = plan
        preview = self.query_one("#autocode-preview", Static)
        if plan is None:
            preview.update(literal(error, lines=True))
            return
        text = plan.summary()
        if not plan.tag_exists:
            text += f"\nThe tag “{plan.tag}” is new: it will be added to the codebook."
        preview.update(literal(text, lines=True))
        self.query_one("#apply", Button).disabled = plan.changes == 0

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "apply":
            self._apply()
        else:
            self.dismiss(None)

    def _apply(self) -> None:
        store = self.session.store
        if self.plan is None or store is None:
            return
        try:
            result = apply_autocode(self.session.search_index(), store, self.plan)
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="error", timeout=8)
            return
        self.notify(
            f"Coded {plural(result.created + result.tagged, 'passage')} with “{self.plan.tag}” "
            f"({result.created} new, {result.tagged} tagged). ctrl+u (or u in the reader) undoes.",
            timeout=6,
        )
        self.dismiss(None)
