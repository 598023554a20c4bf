"""The tag picker (``t``): type to filter the codebook, Enter applies, a new name creates."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from speechreader.core.store import Tag
from speechreader.tui.literal import cleaned, literal, shown

_CREATE = "\x00create"


class TagPicker(ModalScreen[str | None]):
    """Choose a tag for the selection; returns its name (new or existing) or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
    ]

    def __init__(self, tags: list[Tag], counts: dict[str, int], title: str) -> None:
        super().__init__()
        self.tags = tags
        self.counts = counts
        self.title_text = title

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag-picker"):
            yield Label(shown(self.title_text), classes="dialog-title")
            yield Input(placeholder="Type to filter, or a new tag name…", id="tag-filter")
            yield OptionList(id="tag-options")
            yield Label("Enter apply · ↑↓ choose · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill(self.query_one(Input).value)
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        # Input.Changed can arrive before the list is mounted (keys typed right after t).
        found = self.query(OptionList)
        if not found:
            return
        options = found.first()
        options.clear_options()
        needle = typed.strip().casefold()
        exact = False
        for index, tag in enumerate(self.tags):
            haystack = f"{tag.name} {tag.description} {tag.parent or ''}".casefold()
            if needle and needle not in haystack:
                continue
            exact = exact or tag.name.casefold() == needle
            label = Text()
            label.append("  ", style=f"on {tag.colour}")
            label.append(f" {index + 1 if index < 9 else ' '} ", style="dim")
            label.append(tag.name, style="bold")
            if tag.parent:
                label.append(f"  ⊂ {tag.parent}", style="dim")
            label.append(f"  ({self.counts.get(tag.name, 0)})", style="dim")
            if tag.description:
                label.append(f"  {tag.description}", style="italic dim")
            options.add_option(Option(cleaned(label), id=tag.name))
        if needle and not exact:
            options.add_option(
                Option(literal(f"+ Create tag “{typed.strip()}”", "bold"), id=_CREATE)
            )
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def _choose(self) -> None:
        options = self.query_one(OptionList)
        typed = self.query_one(Input).value.strip()
        if options.highlighted is None:
            if typed:
                self.dismiss(typed)
            return
        option = options.get_option_at_index(options.highlighted)
        self.dismiss(typed if option.id == _CREATE else option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(OptionList).highlighted = event.option_index
        self._choose()
