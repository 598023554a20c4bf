"""Keyword-in-context lines, aligned on the hit, made only for the rows on screen.

A common word (发展) has ~200,000 hits in a 10,000-speech corpus; making every KWIC
line costs more than finding them. This view keeps the sorted spans and asks the
index for the lines of the visible page only (cached per page).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar, Protocol

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.message import Message
from textual.strip import Strip

from speechreader.core.search import Hit, Span
from speechreader.tui.layout import display_text
from speechreader.tui.widgets.cursor_list import CursorList

MakeLines = Callable[[list[Span]], list[Hit]]


class Titles(Protocol):
    """Where a line's document title comes from (a dict, or a lookup in the corpus)."""

    def get(self, doc_id: str, default: str, /) -> str: ...


PAGE = 64  # KWIC lines made at a time


def _clean(text: str) -> str:
    return display_text(text.replace("\n", "⏎"))


def left_fit(text: str, width: int) -> str:
    """The *end* of ``text`` in ``width`` cells, right-aligned (the words next to the hit)."""
    text = _clean(text)
    while cell_len(text) > width:
        text = text[1:]
    return " " * (width - cell_len(text)) + text


def right_fit(text: str, width: int) -> str:
    text = _clean(text)
    if cell_len(text) > width:
        return set_cell_size(text, width)
    return text + " " * (width - cell_len(text))


class KwicView(CursorList):
    """One line per hit: left context | hit | right context   document."""

    CURSOR_CLASS = "kwic--cursor"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"kwic--match", "kwic--cursor", "kwic--doc"}
    DEFAULT_CSS = """
    KwicView { overflow-x: hidden; overflow-y: scroll; scrollbar-size-vertical: 1; }
    KwicView > .kwic--match { text-style: bold; color: $warning; }
    KwicView > .kwic--cursor { background: $accent 40%; }
    KwicView:focus > .kwic--cursor { background: $accent; }
    KwicView > .kwic--doc { color: $text-muted; }
    """

    class Opened(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spans: Sequence[Span] = []
        self.titles: Titles = {}
        self._make: MakeLines | None = None
        self._pages: dict[int, list[Hit]] = {}

    @property
    def row_count(self) -> int:
        return len(self.spans)

    def show(self, spans: Sequence[Span], make_lines: MakeLines, titles: Titles) -> None:
        self.spans = spans
        self._make = make_lines
        self.titles = titles
        self._pages.clear()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.rows_changed(cursor=0)

    def hit(self, index: int) -> Hit | None:
        if not 0 <= index < len(self.spans) or self._make is None:
            return None
        page = index // PAGE
        if page not in self._pages:
            self._pages[page] = self._make(self.spans[page * PAGE : (page + 1) * PAGE])
        return self._pages[page][index % PAGE]

    def render_row(self, index: int, style: Style, width: int) -> Strip:
        hit = self.hit(index)
        if hit is None:
            return Strip.blank(width, style)
        match_style = style + self.get_component_rich_style("kwic--match")
        doc_style = style + self.get_component_rich_style("kwic--doc")
        doc_width = min(28, max(12, width // 5))
        match = _clean(hit.match)
        match_width = min(cell_len(match), max(4, width // 3))
        side = max(4, (width - doc_width - match_width - 4) // 2)
        title = self.titles.get(hit.doc_id, hit.doc_id)
        return Strip(
            [
                Segment(left_fit(hit.left, side) + " ", style),
                Segment(right_fit(match, match_width), match_style),
                Segment(" " + right_fit(hit.right, side) + "  ", style),
                Segment(right_fit(title, doc_width), doc_style),
            ]
        )

    def activated(self, index: int) -> None:
        self.post_message(self.Opened(index))
