"""Keyword-in-context lines, aligned on the hit, made only for the rows on screen.

A common word (发展) has ~200,000 hits in a 10,000-speech corpus; making every KWIC
line costs more than finding them. This view keeps the sorted spans and asks the
index for the lines of the visible page only (cached per page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from speechreader.core.search import Hit, Span
from speechreader.tui.layout import display_text

MakeLines = Callable[[list[Span]], list[Hit]]
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
    return (
        set_cell_size(text, width)
        if cell_len(text) > width
        else text + " " * (width - cell_len(text))
    )


class KwicView(ScrollView, can_focus=True):
    """One line per hit: left context | hit | right context   document."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"kwic--match", "kwic--cursor", "kwic--doc"}
    DEFAULT_CSS = """
    KwicView { overflow-x: hidden; overflow-y: scroll; scrollbar-size-vertical: 1; }
    KwicView > .kwic--match { text-style: bold; color: $warning; }
    KwicView > .kwic--cursor { background: $accent 40%; }
    KwicView:focus > .kwic--cursor { background: $accent; }
    KwicView > .kwic--doc { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "open", "Open hit"),
    ]

    class Opened(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.spans: list[Span] = []
        self.titles: dict[str, str] = {}
        self.cursor = 0
        self._make: MakeLines | None = None
        self._pages: dict[int, list[Hit]] = {}

    def show(self, spans: list[Span], make_lines: MakeLines, titles: dict[str, str]) -> None:
        self.spans = spans
        self._make = make_lines
        self.titles = titles
        self._pages.clear()
        self.cursor = 0
        self.virtual_size = Size(self.size.width, len(spans))
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    def hit(self, index: int) -> Hit | None:
        if not 0 <= index < len(self.spans) or self._make is None:
            return None
        page = index // PAGE
        if page not in self._pages:
            self._pages[page] = self._make(self.spans[page * PAGE : (page + 1) * PAGE])
        return self._pages[page][index % PAGE]

    # --- drawing ------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = round(self.scroll_y) + y
        hit = self.hit(index)
        if hit is None:
            return Strip.blank(width, base)
        style = (
            base + self.get_component_rich_style("kwic--cursor") if index == self.cursor else base
        )
        match_style = style + self.get_component_rich_style("kwic--match")
        doc_style = style + self.get_component_rich_style("kwic--doc")
        doc_width = min(28, max(12, width // 5))
        match = _clean(hit.match)
        match_width = min(cell_len(match), max(4, width // 3))
        side = max(4, (width - doc_width - match_width - 4) // 2)
        title = self.titles.get(hit.doc_id, hit.doc_id)
        segments = [
            Segment(left_fit(hit.left, side) + " ", style),
            Segment(right_fit(match, match_width), match_style),
            Segment(" " + right_fit(hit.right, side) + "  ", style),
            Segment(right_fit(title, doc_width), doc_style),
        ]
        return Strip(segments).crop_extend(0, width, style)

    # --- cursor -------------------------------------------------------------------

    def _visible(self) -> int:
        return max(1, self.scrollable_content_region.height)

    def set_cursor(self, index: int) -> None:
        if not self.spans:
            return
        old, self.cursor = self.cursor, max(0, min(index, len(self.spans) - 1))
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._visible():
            self.scroll_to(y=self.cursor - self._visible() + 1, animate=False, immediate=True)
        if round(self.scroll_y) == top:
            for row in (old, self.cursor):
                self.refresh(Region(0, row - top, self.size.width, 1))

    def action_cursor(self, delta: int) -> None:
        self.set_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.set_cursor(self.cursor + direction * self._visible())

    def action_edge(self, end: int) -> None:
        self.set_cursor(len(self.spans) - 1 if end else 0)

    def action_open(self) -> None:
        if self.spans:
            self.post_message(self.Opened(self.cursor))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        index = round(self.scroll_y) + offset.y
        if 0 <= index < len(self.spans):
            if index == self.cursor or event.chain > 1:
                self.post_message(self.Opened(index))
            else:
                self.set_cursor(index)
