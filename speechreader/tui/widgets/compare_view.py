"""A document with every compared coder's passages visible at once, without colour.

Each row has a gutter: ``▶`` on the rows of the current disagreement (``•`` on other
disagreements' rows), then one column per coder with its letter (``A``, ``B``...) where
that coder has a coded passage on the row and ``·`` where not, then ``=`` for the
target (consensus) coding. In the text, disagreements are underlined and the current
one is in reverse video: all of it reads the same on a monochrome terminal.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from speechreader.core.reliability import Comparison
from speechreader.tui.layout import display_text, split_lines, wrap_line

LETTERS = "ABCDEFGHI"


@dataclass
class _Row:
    start: int
    end: int
    gutter: str


class CompareView(ScrollView, can_focus=True):
    """Draws a :class:`Comparison`; the screen says which disagreement is current."""

    DEFAULT_CSS = """
    CompareView { overflow-x: hidden; overflow-y: scroll; scrollbar-size-vertical: 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.comparison: Comparison | None = None
        self.current = -1
        self.rows: list[_Row] = []
        self._width = 0

    def show(self, comparison: Comparison, current: int) -> None:
        self.comparison = comparison
        self.current = current
        self._width = 0  # lay out again: passages changed
        self._layout()

    def set_current(self, current: int) -> None:
        self.current = current
        self._width = 0
        self._layout()

    def on_resize(self) -> None:
        self._layout()

    def gutter_width(self) -> int:
        c = self.comparison
        return 0 if c is None else len(c.coders) + 4  # marker, letters, "=", space

    def _layout(self) -> None:
        c = self.comparison
        width = self.scrollable_content_region.width
        if c is None or width <= 0 or width == self._width:
            return
        self._width = width
        text_width = max(8, width - self.gutter_width())
        spans: list[tuple[int, int]] = []
        for line in split_lines(c.text):
            for a, b in wrap_line(c.text[line.start : line.end], text_width):
                spans.append((line.start + a, line.start + b))
        owners = [*c.coders, c.target]
        passages = {
            name: [(p.start, p.end) for p in c.passages.get(name, [])
                   if any(t in c.tags for t in p.annotation.tags)]
            for name in owners
        }  # fmt: skip
        current = (
            c.disagreements[self.current] if 0 <= self.current < len(c.disagreements) else None
        )
        self.rows = []
        for a, b in spans:
            hit = max(b, a + 1)
            if current is not None and current.start < hit and a < current.end:
                mark = "▶"
            elif any(d.start < hit and a < d.end for d in c.disagreements):
                mark = "•"
            else:
                mark = " "
            letters = [
                (LETTERS[i] if i < len(c.coders) else "=")
                if any(s < hit and a < e for s, e in passages[name])
                else "·"
                for i, name in enumerate(owners)
            ]
            self.rows.append(_Row(a, b, mark + "".join(letters) + " "))
        self.virtual_size = Size(width, len(self.rows))
        self.refresh()
        self.scroll_to_current()

    def scroll_to_current(self) -> None:
        c = self.comparison
        if c is None or not (0 <= self.current < len(c.disagreements)):
            return
        start = c.disagreements[self.current].start
        for i, row in enumerate(self.rows):
            if row.end > start or row.start >= start:
                top = max(0, i - 3)
                self.scroll_to_region(Region(0, top, 1, 8), animate=False, immediate=True)
                return

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        index = round(self.scroll_y) + y
        c = self.comparison
        if c is None or index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        gutter_style = base + Style(dim=True)
        segments = [Segment(row.gutter[0], base + Style(bold=True)),
                    Segment(row.gutter[1:], gutter_style)]  # fmt: skip
        current = (
            c.disagreements[self.current] if 0 <= self.current < len(c.disagreements) else None
        )
        runs: list[tuple[int, Style | None]] = []
        for pos in range(row.start, row.end):
            style = None
            if current is not None and current.start <= pos < current.end:
                style = Style(reverse=True, bold=True)
            elif any(d.start <= pos < d.end for d in c.disagreements):
                style = Style(underline=True)
            if runs and runs[-1][1] == style:
                continue
            runs.append((pos, style))
        for i, (pos, style) in enumerate(runs):
            end = runs[i + 1][0] if i + 1 < len(runs) else row.end
            chunk = display_text(c.text[pos:end])
            segments.append(Segment(chunk, base + style if style else base))
        return Strip(segments).crop_extend(0, width, base)
