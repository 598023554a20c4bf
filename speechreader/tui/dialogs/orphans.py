"""The document's orphaned annotations (``o`` in the reader): re-place or delete each.

An annotation is orphaned when its document changed and the coded passage is no
longer in it. It is never dropped silently: here the coder sees each one (the quote
as it was coded, its tags, coder and memo) and chooses to place it on a new passage
(Enter, then select the passage in the reader) or to delete it (x, undoable).
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option

from speechreader.core.store import Annotation
from speechreader.tui.literal import compose

QUOTE_CHARS = 40


def _row(ann: Annotation) -> Text:
    quote = " ".join(ann.quote.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[: QUOTE_CHARS - 1] + "…"
    label = ", ".join(ann.tags) or (f"highlight {ann.highlight}" if ann.highlight else "memo")
    parts: list = [("“" + quote + "”", "bold"), "  ", (f"[{label}]", "italic"), f"  {ann.coder}"]
    if ann.note:
        parts.append(("  ✎ " + " ".join(ann.note.split())[:40], "dim"))
    return compose(*parts)


class Orphans(ModalScreen[tuple[str, Annotation] | None]):
    """Returns ``("replace", ann)``, ``("delete", ann)`` or None."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "choose('replace')", "Re-place"),
        Binding("x,delete", "choose('delete')", "Delete"),
        Binding("escape,q,o", "dismiss(None)", "Close"),
    ]

    def __init__(self, orphans: list[Annotation]) -> None:
        super().__init__()
        self.orphans = orphans

    def compose(self) -> ComposeResult:
        count = len(self.orphans)
        lost = "annotations lost their passage" if count != 1 else "annotation lost its passage"
        with Vertical(classes="dialog", id="orphans"):
            yield Label(
                f"{count} {lost}: the document changed and the coded text is no longer in it",
                classes="dialog-title",
                markup=False,
            )
            yield OptionList(*(Option(_row(a), id=a.id) for a in self.orphans))
            yield Label(
                "Enter re-place (select its passage, Enter)  x delete (u undoes)  Esc close",
                classes="dialog-hint",
                markup=False,
            )

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_choose(self, what: str) -> None:
        index = self.query_one(OptionList).highlighted
        if index is not None:
            self.dismiss((what, self.orphans[index]))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose("replace")
