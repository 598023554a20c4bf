"""Choose one tag of the codebook: a new parent (``m``), the survivor of a merge (``M``).

Unlike the reader's tag picker, typing never creates a tag: these choices rearrange
the codebook, and a typo silently becoming a new parent would be worse than no match.
What is typed finds tags as in the picker: either script, any width or case, pinyin
initials (:class:`~speechreader.core.search.TagMatcher`); they stay in tree order.
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
from speechreader.core.store import TreeRow
from speechreader.tui.literal import cleaned, shown
from speechreader.tui.widgets.tag_rows import chooser_text, tree_guides
from speechreader.tui.widgets.typed_input import TypedInput

#: what the chooser returns for "(top level)": no parent
TOP_LEVEL = ""
_TOP_ID = "\x00top-level"


class TagChooser(ModalScreen[str | None]):
    """A filterable list of tags in tree order; returns a name, TOP_LEVEL, or None (Esc).

    The tag being moved or merged (``current``) stays in the list, greyed, so the tree
    keeps its shape and its children are still seen in place.
    """

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("down", "cursor(1)", "Next", show=False),
        Binding("up", "cursor(-1)", "Previous", show=False),
    ]

    def __init__(
        self,
        rows: list[TreeRow],
        title: str,
        *,
        detail: str = "",
        top_level: bool = False,
        current: str | None = None,
    ) -> None:
        super().__init__()
        self.choices = list(zip(rows, tree_guides([r.depth for r in rows]), strict=True))
        self.current = current  # shown (the tree stays whole) but not offered
        self.title_text = title
        self.detail = detail
        self.top_level = top_level
        self.matcher = TagMatcher(row.tag for row in rows)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tag-chooser"):
            yield Label(shown(self.title_text), classes="dialog-title")
            if self.detail:
                yield Label(shown(self.detail), classes="dialog-detail")
            yield TypedInput(placeholder="Type to filter…", id="chooser-filter")
            yield OptionList(id="chooser-options")
            yield Label("Enter choose · ↑↓ move · Esc cancel", classes="dialog-hint")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, typed: str) -> None:
        found = self.query(OptionList)
        if not found:  # Input.Changed can come before the list is mounted
            return
        options = found.first()
        needle = typed.strip().casefold()
        found = {tag.name for tag in self.matcher.find(needle)}
        items: list[Option] = []
        if self.top_level and (not needle or needle in "(top level)"):
            items.append(Option(Text("(top level: no parent)", style="bold"), id=_TOP_ID))
        for row, guide in self.choices:
            if row.tag.name not in found:
                continue
            this = row.tag.name == self.current
            note = "(this tag)" if this else ""
            # Filtered, the tree is broken up: show the parent instead of guides.
            if needle and row.tag.parent:
                text = chooser_text(row, "", note or f"⊂ {row.tag.parent}")
            else:
                text = chooser_text(row, guide, note)
            items.append(Option(cleaned(text), id=row.tag.name, disabled=this))
        options.set_options(items)
        enabled = [i for i, item in enumerate(items) if not item.disabled]
        options.highlighted = enabled[0] if enabled else None

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def action_cursor(self, delta: int) -> None:
        options = self.query_one(OptionList)
        enabled = [i for i, o in enumerate(options.options) if not o.disabled]
        if not enabled:
            return
        now = options.highlighted if options.highlighted is not None else enabled[0]
        after = [i for i in enabled if (i > now if delta > 0 else i < now)]
        if after:
            options.highlighted = after[0] if delta > 0 else after[-1]

    def _choose(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None or options.highlighted_option.disabled:
            return
        chosen = options.get_option_at_index(options.highlighted).id
        self.dismiss(TOP_LEVEL if chosen == _TOP_ID else chosen)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._choose()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.query_one(OptionList).highlighted = event.option_index
        self._choose()
