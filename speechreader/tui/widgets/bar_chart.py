"""Horizontal bars drawn with block characters: label, bar, value; Chinese labels fit.

Eighths of a cell (▏▎▍▌▋▊▉█) give a bar 8 × its width in steps, enough to tell
twelve speakers apart in 30 columns. Labels are user text (tags, speakers, words):
shown literally, cut by terminal cells (a Chinese character takes two).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual.widgets import Static

from speechreader.tui.literal import visible

EIGHTHS = " ▏▎▍▌▋▊▉█"


def bar(value: float, maximum: float, width: int) -> str:
    """A bar of ``width`` cells at most, ``value / maximum`` of it full, in eighths."""
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    eighths = max(1, round(value / maximum * width * 8))
    full, rest = divmod(min(eighths, width * 8), 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def fit_cells(text: str, width: int) -> str:
    """``text`` made exactly ``width`` cells: cut with … or padded with spaces."""
    text = visible(text)
    if cell_len(text) > width:
        text = set_cell_size(text, max(0, width - 1)) + "…"
    return text + " " * (width - cell_len(text))


def bar_lines(items: Sequence[tuple[str, float, str]], width: int, *, colour: str = "cyan") -> Text:
    """One line per ``(label, value, shown value)``, bars scaled to the largest value."""
    out = Text(no_wrap=True, overflow="crop")
    if not items:
        return out
    label_width = min(16, max(4, *(cell_len(visible(label)) for label, _, _ in items)))
    value_width = max(cell_len(shown) for _, _, shown in items)
    bar_width = max(4, width - label_width - value_width - 3)
    maximum = max(value for _, value, _ in items)
    for i, (label, value, shown) in enumerate(items):
        if i:
            out.append("\n")
        out.append(fit_cells(label, label_width) + " ")
        drawn = bar(value, maximum, bar_width)
        out.append(drawn, style=colour)
        out.append(" " * (bar_width - cell_len(drawn)) + " " + shown.rjust(value_width))
    return out


class BarChart(Static):
    """A titled bar chart that redraws at its own width."""

    DEFAULT_CSS = """
    BarChart { height: 1fr; padding: 0 1; overflow-y: auto; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__("", **kwargs)
        self._title = ""
        self._items: list[tuple[str, float, str]] = []

    def plot(self, title: str, items: Sequence[tuple[str, float, str]]) -> None:
        self._title = title
        self._items = list(items)
        self._redraw()

    def on_resize(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        text = Text(visible(self._title), style="bold", no_wrap=True, overflow="ellipsis")
        body = bar_lines(self._items, max(10, self.content_size.width))
        if self._items:
            text.append("\n")
            text.append_text(body)
        else:
            text.append("\n(nothing to show)", style="dim")
        self.update(text)
