"""The widgets of the analysis screen: filters, five tabs of a table and a chart, status."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Checkbox, ProgressBar, Select, Static, TabbedContent, TabPane

from speechreader.core import analysis as an
from speechreader.tui.widgets.bar_chart import BarChart
from speechreader.tui.widgets.keybar import KeyBar
from speechreader.tui.widgets.sortable_table import SortableTable
from speechreader.tui.widgets.trend_chart import TrendChart
from speechreader.tui.widgets.typed_input import TypedInput


def analysis_layout() -> ComposeResult:
    """Title, filters (where, coder, child tags), progress, the tabs, status, keys."""
    yield Static("Analysis", id="analysis-title")
    with Horizontal(id="analysis-filters"):
        yield TypedInput(
            placeholder="/ only documents where… speaker=郭声琨, date>=2015", id="where"
        )
        yield TypedInput(placeholder="coder (all)", id="coder")
        yield Checkbox("child tags", id="children", compact=True)
    yield ProgressBar(id="analysis-progress", show_eta=False)
    with TabbedContent(id="analysis-tabs"):
        with TabPane("Frequencies", id="freq"), Horizontal(classes="body"):
            yield SortableTable(id="freq-table")
            yield BarChart(id="freq-chart")
        with TabPane("By group", id="crosstab"):
            yield _control("by", [("speaker", "speaker")], "speaker", "by")
            with Horizontal(classes="body"):
                yield SortableTable(id="crosstab-table")
                yield BarChart(id="crosstab-chart")
        with TabPane("Co-occurrence", id="cooccur"):
            yield _control("within", [(w, w) for w in an.WITHIN], "overlap", "within")
            with Horizontal(classes="body"):
                yield SortableTable(id="cooccur-table")
                yield BarChart(id="cooccur-chart")
        with TabPane("Trends", id="trend"):
            yield _control("by", [(p, p) for p in an.PERIODS], "year", "period")
            with Horizontal(classes="body"):
                yield SortableTable(id="trend-table")
                yield TrendChart(id="trend-chart")
        with TabPane("Keyness", id="keyness"):
            with Horizontal(classes="controls"):
                yield Static("words of tag", classes="label")
                yield Select([], id="key-tag", prompt="choose a tag", compact=True)
                yield Static("min", classes="label")
                yield Select(
                    [(str(n), n) for n in (1, 2, 3, 5, 10)],
                    value=an.MIN_FREQ,
                    id="min-freq",
                    allow_blank=False,
                    compact=True,
                )
                yield TypedInput(placeholder="or documents where… speaker=郭声琨", id="key-target")
            with Horizontal(classes="body"):
                yield SortableTable(id="keyness-table")
                yield BarChart(id="keyness-chart")
    yield Static("", id="analysis-status")
    yield KeyBar()


def _control(
    label: str, options: list[tuple[str, object]], value: object, widget_id: str
) -> Horizontal:
    """A labelled choice above a tab's table: ``by`` speaker, ``within`` sentence..."""
    return Horizontal(
        Static(label, classes="label"),
        Select(options, value=value, id=widget_id, allow_blank=False, compact=True),
        classes="controls",
    )
