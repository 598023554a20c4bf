"""A new tag in one dialog (the codebook's ``a``): its name and its description.

The codebook used to ask for the name ("Enter save"), then open a second prompt for
the description: a coder who took Enter at its word typed on, and the next keys
landed in a description they never meant to write. Here both fields are on screen,
Enter in either adds the tag with what both hold, and Tab moves between them.

Typed ahead, keys must never land in the wrong field. Textual hands each key to the
focused widget's own queue and runs an ordinary binding only once the key has come
back up from there, so by then the keys typed behind it are in the field too. Tab and
Enter are therefore *priority* bindings, run while Textual reads the key itself: Tab
moves the focus at once (characters typed behind it go to the description), and Enter
takes the focus from both fields at once (nothing typed behind it reaches either) and
reads them once each has handled the keys it already had.

A name that differs from an existing tag only by script, width or case (組織 beside
组织) is asked about first (:func:`~speechreader.core.search.near_duplicates`); No
goes back to the form with the name as it was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from speechreader.core.errors import SpeechreaderError
from speechreader.core.search import near_duplicates
from speechreader.core.store import Tag
from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.literal import edited, literal, shown
from speechreader.tui.widgets.typed_input import TypedInput

HINT = "Enter add the tag · Tab name / description · Esc cancel"


def near_duplicate_question(
    name: str, tags: list[Tag], *, rename_from: str | None = None
) -> Confirm | None:
    """The question to ask before creating ``name`` (or renaming ``rename_from`` to it)
    beside a tag it nearly repeats, if any."""
    found = near_duplicates(name, tags)
    if not found:
        return None
    first = found[0]
    others = ", ".join(f"“{d.tag.name}”" for d in found[1:])
    also = f" (and {others})" if others else ""
    if rename_from is None:
        title, yes = f"Create “{name}” as a new tag?", f"y creates “{name}”"
    else:
        title, yes = f"Rename “{rename_from}” to “{name}”?", "y renames it"
    return Confirm(
        title,
        f"The codebook has “{first.tag.name}”{also}, which differs only in "
        f"{first.describe()}: passages coded with both would be counted apart. "
        f"{yes} · n goes back",
    )


class TagForm(ModalScreen[tuple[str, str] | None]):
    """Ask for a new tag's name and description; returns both, or None (Esc).

    ``check`` turns the typed name into the tag's name or raises SpeechreaderError (a
    name that is taken): the message shows under the name and the form stays open.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("tab", "switch", "Next field", show=False, priority=True),
        Binding("shift+tab", "switch", "Previous field", show=False, priority=True),
        Binding("enter", "submit", "Add the tag", show=False, priority=True),
    ]

    def __init__(
        self,
        tags: list[Tag],
        *,
        title: str = "New tag",
        check: Callable[[str], str] | None = None,
    ) -> None:
        super().__init__()
        self.tags = tags
        self.title_text = title
        self.check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag-form"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield TypedInput(placeholder="the tag's name", id="tag-name")
            yield Label("", classes="dialog-error", id="tag-name-error")
            yield TypedInput(
                placeholder="description (optional): what the tag means", id="tag-description"
            )
            yield Label(HINT, classes="dialog-hint")

    def on_mount(self) -> None:
        self.query_one("#tag-name", Input).focus()

    def action_switch(self) -> None:
        name = self.query_one("#tag-name", Input)
        target = self.query_one("#tag-description", Input) if self.focused is name else name
        # Screen.set_focus moves it now (Widget.focus would wait for the next idle,
        # after the keys typed behind the Tab were handed to the name field)
        self.set_focus(target)

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "tag-name":
            self.query_one("#tag-name-error", Label).update("")

    def action_submit(self) -> None:
        if self.focused is None:  # already submitted, or a question is open
            return
        name = self.query_one("#tag-name", Input)
        description = self.query_one("#tag-description", Input)
        self.set_focus(None)  # now: what is typed from here on reaches neither field
        # Each field's queue may still hold keys typed before Enter: read both after them.
        name.call_later(description.call_later, self._submit)

    def _submit(self) -> None:
        name_input = self.query_one("#tag-name", Input)
        description = edited(self.query_one("#tag-description", Input).value).strip()
        typed = edited(name_input.value).strip()
        try:
            name = self.check(typed) if self.check else typed
        except SpeechreaderError as exc:
            self.query_one("#tag-name-error", Label).update(literal(exc, lines=True))
            self.set_focus(name_input)
            return
        answer = (name, description)
        question = near_duplicate_question(name, self.tags)
        if question is None:
            self.dismiss(answer)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(answer)
            else:
                self.set_focus(name_input)

        self.app.push_screen(question, answered)
