"""The tag picker (``t``): type to filter the codebook, Enter applies, a new name creates.

What is typed finds tags in either script, any width or case, and by pinyin initials
(組 and zz find 组织: :class:`~speechreader.core.search.TagMatcher`). A new name that
differs from a tag only by script, width or case is asked about before it is created
(組織 beside 组织 would split one code in two); No comes back to the picker.

Enter is a priority binding, as in the codebook's new tag form: it takes the focus
from the filter at once (keys typed behind it never reach the filter) and chooses once
the filter has handled the keys it already had, from what they found.
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

from speechreader.core.search import TagMatcher
from speechreader.core.store import Tag, shortcut_keys
from speechreader.tui.dialogs.tag_form import near_duplicate_question
from speechreader.tui.literal import cleaned, literal, shown
from speechreader.tui.widgets.typed_input import TypedInput

_CREATE = "\x00create"


class TagPicker(ModalScreen[str | None]):
    """Choose a tag for the selection; returns its name (new or existing) or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
        Binding("enter", "choose", "Apply", show=False, priority=True),
    ]

    def __init__(self, tags: list[Tag], counts: dict[str, int], title: str) -> None:
        super().__init__()
        self.tags = tags
        self.counts = counts
        self.title_text = title
        self.matcher = TagMatcher(tags)
        self.keys = shortcut_keys(tags)
        self.filled_for: str | None = None  # what the list shows the matches of

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag-picker"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield TypedInput(placeholder="Type to filter, or a new tag name…", id="tag-filter")
            yield OptionList(id="tag-options")
            yield Label("Enter apply · ↑↓ choose · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill(self.query_one(Input).value)
        self.query_one(Input).focus()
        # pypinyin's dictionary loads while the coder reads the list, not on the first
        # Latin letter typed
        self.run_worker(self.matcher.prepare_initials, thread=True, group="pinyin")

    def _fill(self, typed: str) -> None:
        # Input.Changed can arrive before the list is mounted (keys typed right after t).
        found = self.query(OptionList)
        if not found:
            return
        options = found.first()
        options.clear_options()
        wanted = typed.strip()
        for tag in self.matcher.find(wanted):
            label = Text()
            label.append("  ", style=f"on {tag.colour}")
            key = self.keys.get(tag.name)
            label.append(f" {key or ' '} ", style="dim")
            label.append(tag.name, style="bold")
            if tag.parent:
                label.append(f"  ⊂ {tag.parent}", style="dim")
            label.append(f"  ({self.counts.get(tag.name, 0)})", style="dim")
            if tag.description:
                label.append(f"  {tag.description}", style="italic dim")
            options.add_option(Option(cleaned(label), id=tag.name))
        if wanted and not any(tag.name == wanted for tag in self.tags):
            create = literal(f"+ Create tag “{wanted}”", "bold")
            near = self.matcher.near_duplicates(wanted)
            if near:
                create.append(
                    literal(f"  (only the {near[0].describe()} differs from “{near[0].tag.name}”)")
                )
            options.add_option(Option(create, id=_CREATE))
        if options.option_count:
            options.highlighted = 0
        self.filled_for = typed

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_choose(self) -> None:
        if self.focused is None:  # already chosen, or a question is open
            return
        typed = self.query_one(Input)
        self.set_focus(None)  # now: what is typed from here on never reaches the filter
        typed.call_later(self._choose)  # after the keys the filter already had

    def _choose(self) -> None:
        field = self.query_one(Input)
        typed = field.value
        if typed != self.filled_for:  # the list has not caught up with the last keys
            self._fill(typed)
        options = self.query_one(OptionList)
        wanted = typed.strip()
        if options.highlighted is None:
            if wanted:
                self._create(wanted)
            else:
                self.set_focus(field)
            return
        option = options.get_option_at_index(options.highlighted)
        if option.id == _CREATE:
            self._create(wanted)
        else:
            self.dismiss(option.id)

    def _create(self, name: str) -> None:
        """Dismiss with a new name, after asking if it nearly repeats a tag."""
        question = near_duplicate_question(name, self.tags)
        if question is None:
            self.dismiss(name)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(name)
            else:
                self.set_focus(self.query_one(Input))

        self.app.push_screen(question, answered)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()  # Enter is the screen's (action_choose)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(OptionList).highlighted = event.option_index
        self.action_choose()
