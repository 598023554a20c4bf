"""Trends as lines (plotext, drawn in braille), with a legend that shows tags literally.

plotext measures labels in characters, not terminal cells, so a Chinese tag name in
its legend would push the box out of line; the legend is drawn here instead, under
the plot, and the plot itself carries only numbers and periods (ASCII).
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

from speechreader.tui.literal import literal

#: (plotext's name, Rich's name) of each line's colour, in order
LINE_COLOURS = (("cyan", "cyan"), ("orange", "dark_orange"), ("green", "green"),
                ("magenta", "magenta"), ("yellow", "yellow"), ("red", "red"),
                ("blue", "blue"), ("white", "white"))  # fmt: skip
MAX_TICKS = 8


class TrendChart(Vertical):
    """One line per tag over the dated periods; the undated documents named below."""

    DEFAULT_CSS = """
    TrendChart PlotextPlot { height: 1fr; }
    TrendChart #trend-legend { height: auto; max-height: 3; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Static("", id="trend-legend")

    def plot(self, periods: Sequence[str], series: dict[str, list[float]], undated) -> None:
        """``series``: per tag, its rate in each of ``periods`` (dated ones, in order)."""
        plot = self.query_one(PlotextPlot)
        plt = plot.plt
        plt.clear_data()
        plt.clear_figure()
        legend = Text(no_wrap=True, overflow="ellipsis")
        drawn = [tag for tag, values in series.items() if any(values)][: len(LINE_COLOURS)]
        xs = list(range(1, len(periods) + 1))
        for (colour, style), tag in zip(LINE_COLOURS, drawn, strict=False):
            plt.plot(xs, series[tag], color=colour, marker="braille")
            legend.append("━━ ", style=style)
            legend.append_text(literal(tag))
            legend.append("  ")
        if periods:
            step = max(1, -(-len(periods) // MAX_TICKS))
            plt.xticks(xs[::step], list(periods[::step]))
        plt.title("per 10,000 characters")
        if undated:
            names = ", ".join(d.id for d in undated[:3])
            more = f" and {len(undated) - 3} more" if len(undated) > 3 else ""
            legend.append(f"\n{len(undated)} undated, not on the line: ", style="dim")
            legend.append_text(literal(names + more, "dim"))
        self.query_one("#trend-legend", Static).update(legend)
        plot.refresh()
