"""The analysis screen (Y): what the coding says, as tables with a chart beside each.

Five tabs over one loaded coding (the documents the ``where`` filter keeps, the
chosen coders): frequencies (bars), tag × group per 10,000 characters (a heat map,
and bars of the tag under the cursor: which speaker uses it most), co-occurrence
(a heat map), trends (lines) and keyness (bars of G²). Enter on a cell lists the
passages behind it. Everything is computed in a worker; past one second a progress
bar shows, and the screen never waits.
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Checkbox, Input, ProgressBar, Select, Static, TabbedContent

from speechreader.core import analysis as an
from speechreader.core.errors import SpeechreaderError
from speechreader.core.words import plural
from speechreader.tui.literal import compose, literal, visible
from speechreader.tui.screens import analysis_views as views
from speechreader.tui.screens.analysis_layout import analysis_layout
from speechreader.tui.screens.analysis_views import passages_behind
from speechreader.tui.screens.passages import PassagesScreen
from speechreader.tui.session import Session
from speechreader.tui.widgets.bar_chart import BarChart
from speechreader.tui.widgets.busy import BusyMixin
from speechreader.tui.widgets.sortable_table import SortableTable
from speechreader.tui.widgets.trend_chart import TrendChart

TABS = ("freq", "crosstab", "cooccur", "trend", "keyness")


class AnalysisScreen(BusyMixin, Screen[None]):
    """Frequencies, tag × group, co-occurrence, trends and keyness of the coding."""

    CSS_PATH = "analysis.tcss"
    AUTO_FOCUS = "#freq-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back"),
        Binding("1", "show_tab(0)", "Tabs 1-5"),
        *(Binding(str(n + 1), f"show_tab({n})", show=False) for n in range(1, 5)),
        Binding("slash", "filter", "Filter"),
        Binding("n", "measure", "Count / rate"),
        Binding("r", "reload", "Reload"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.coding: an.Coding | None = None
        self.table: an.WordTable | None = None
        self.results: dict[str, Any] = {}
        self.measure = {"crosstab": "per_10k", "cooccur": "count"}
        self._signature: tuple | None = None

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield from analysis_layout()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        corpus = self.session.corpus
        if corpus is not None:
            fields = an.group_fields(corpus)
            by = self.query_one("#by", Select)
            by.set_options([(literal(f), f) for f in fields])
            by.value = "speaker" if "speaker" in fields else fields[0]
        self.reload()

    # --- loading ------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the coding again (filters changed, or the database did)."""
        if self.session.corpus is None:
            self._status("The corpus is still loading", error=True)
            return
        where = self.query_one("#where", Input).value.strip()
        coder = self.query_one("#coder", Input).value.strip()
        self._signature = self._store_signature()
        self._busy("reading the coding")
        self._load(where, coder)

    def _store_signature(self) -> tuple:
        return (tuple(self.session.tag_counts().items()), tuple(self.session.tags()))

    @work(thread=True, exclusive=True, group="analysis-load")
    def _load(self, where: str, coder: str) -> None:
        from speechreader.core.corpus import parse_where

        corpus = self.session.corpus
        assert corpus is not None
        try:
            conditions = parse_where([w for w in where.split(",") if w.strip()], corpus)
            coders = [c.strip() for c in coder.split(",") if c.strip()]
            coding = an.load_coding(
                corpus,
                self.session.store,
                conditions=conditions,
                coders=coders,
                progress=self._progress_from_thread,
            )
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        self.app.call_from_thread(self._loaded, coding)

    def _loaded(self, coding: an.Coding) -> None:
        self.coding = coding
        self.results.clear()
        key_tag = self.query_one("#key-tag", Select)
        chosen = key_tag.value
        key_tag.set_options([(literal(t), t) for t in coding.tag_names])
        used = [t for t in coding.tag_names if any(t in a.tags for a in coding.annotations)]
        if chosen in coding.tag_names:
            key_tag.value = chosen
        elif used:
            key_tag.value = used[0]  # so the tab shows something at once
        left_out = f" · {plural(len(coding.orphaned), 'passage')} left out (text gone)" * bool(
            coding.orphaned
        )
        where = " · " + " and ".join(map(str, coding.conditions)) if coding.conditions else ""
        self.query_one("#analysis-title", Static).update(
            compose(
                f"Analysis · {plural(len(coding.documents), 'document')} · "
                f"{plural(len(coding.annotations), 'passage')}",
                where,
                left_out,
            )
        )
        self.compute()

    def _failed(self, message: str) -> None:
        self._idle()
        self._status(message, error=True)

    # --- computing the current tab -----------------------------------------------------

    @property
    def tab(self) -> str:
        return self.query_one(TabbedContent).active or "freq"

    def _params(self, tab: str) -> tuple:
        children = self.query_one("#children", Checkbox).value
        if tab == "crosstab":
            return (tab, children, self.query_one("#by", Select).value)
        if tab == "cooccur":
            return (tab, children, self.query_one("#within", Select).value)
        if tab == "trend":
            return (tab, children, self.query_one("#period", Select).value)
        if tab == "keyness":
            target = self.query_one("#key-target", Input).value.strip()
            min_freq = self.query_one("#min-freq", Select).value
            return (tab, children, self.query_one("#key-tag", Select).value, target, min_freq)
        return (tab, children)

    def compute(self) -> None:
        if self.coding is None:
            return
        params = self._params(self.tab)
        if self.results.get(self.tab, (None,))[0] == params:
            self._show(self.tab)
            return
        if params[0] == "keyness" and not isinstance(params[2], str) and not params[3]:
            self._status("Choose a tag (or type which documents) to see the words that mark it")
            return
        self._busy(f"computing {self.query_one(TabbedContent).active_pane.id}")  # type: ignore[union-attr]
        self._compute(self.coding, params)

    @work(thread=True, exclusive=True, group="analysis-compute")
    def _compute(self, coding: an.Coding, params: tuple) -> None:
        tab, children = params[0], params[1]
        started = time.perf_counter()
        try:
            if tab == "freq":
                result: Any = an.frequencies(coding, children=children)
            elif tab == "crosstab":
                result = an.crosstab(coding, str(params[2]), children=children)
            elif tab == "cooccur":
                result = an.cooccurrence(
                    coding,
                    str(params[2]),
                    children=children,
                    units=self._units(coding, str(params[2])),
                )
            elif tab == "trend":
                result = an.trend(coding, str(params[2]), children=children)
            else:
                result = self._keyness(coding, params)
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        elapsed = time.perf_counter() - started
        self.app.call_from_thread(self._computed, params, result, elapsed)

    def _units(self, coding: an.Coding, within: str):
        if within not in ("sentence", "paragraph"):
            return None
        table = self.table or an.WordTable.cached(coding.corpus)
        return an.cached_units(coding, table)

    def _word_table(self, coding: an.Coding) -> an.WordTable:
        if self.table is None or not all(self.table.has(d) for d in coding.documents):
            self.table = an.WordTable.open(
                coding.corpus, coding.documents, progress=self._progress_from_thread
            )
        return self.table

    def _keyness(self, coding: an.Coding, params: tuple) -> an.Keyness:
        from speechreader.core.corpus import parse_where, select_documents

        _, children, tag, target, min_freq = params
        table = self._word_table(coding)
        if target:
            conditions = parse_where([t for t in target.split(",") if t.strip()], coding.corpus)
            chosen = {d.id for d in select_documents(coding.corpus, conditions)}
            label = " and ".join(map(str, conditions))
            return an.document_keyness(coding, table, chosen, label=label, min_freq=min_freq)
        return an.tag_keyness(coding, table, str(tag), children=children, min_freq=min_freq)

    def _computed(self, params: tuple, result: Any, elapsed: float) -> None:
        self._idle()
        self.results[params[0]] = (params, result)
        if params[0] == self.tab:
            self._show(params[0])
            hint = self._hint(params[0])
            hidden = self.query_one(f"#{params[0]}-table", SortableTable).hidden_rows
            if hidden:
                hint = f"{hidden:,} more rows not shown: s sorts all of them · {hint}"
            if params[0] == "keyness" and not result.words:
                hint = f"No word is key at min {params[4]}: choose a lower minimum frequency"
            self._status(f"{hint} · {elapsed * 1000:.0f} ms")

    # --- showing ------------------------------------------------------------------------

    def _show(self, tab: str) -> None:
        assert self.coding is not None
        _, result = self.results[tab]
        table = self.query_one(f"#{tab}-table", SortableTable)
        tags = self.coding.tag_names
        if tab == "freq":
            _fill(table, views.frequency_table(result))
            self.query_one("#freq-chart", BarChart).plot(
                "passages per tag", views.frequency_bars(result)
            )
        elif tab == "crosstab":
            (headers, rows, keys), self._crosstab_values = views.matrix(
                result, tags, self.measure["crosstab"]
            )
            table.show(headers, rows, column_keys=keys)
            if rows and tags:
                table.move_cursor(column=3)
            self._crosstab_chart()
        elif tab == "cooccur":
            _fill(table, views.cooccurrence_matrix(result, tags, self.measure["cooccur"]))
            if tags:
                table.move_cursor(column=min(2, len(tags)))
            self._cooccur_chart()
        elif tab == "trend":
            (headers, rows, keys), periods, series = views.trend_table(result, tags)
            table.show(headers, rows, column_keys=keys)
            self.query_one(TrendChart).plot(periods, series, result.undated)
        else:
            _fill(table, views.keyness_table(result))
            self.query_one("#keyness-chart", BarChart).plot(
                f"G² · {result.target}", views.keyness_bars(result)
            )

    def _crosstab_chart(self) -> None:
        keys = self.query_one("#crosstab-table", SortableTable).cursor_keys()
        values = getattr(self, "_crosstab_values", {})
        tag = keys[1] if keys and keys[1] in values else next(iter(values), None)
        unit = "per 10,000 characters" if self.measure["crosstab"] == "per_10k" else "passages"
        items = views.column_bars(values.get(tag, {}), self.measure["crosstab"]) if tag else []
        self.query_one("#crosstab-chart", BarChart).plot(f"{tag or ''} · {unit}", items)

    def _cooccur_chart(self) -> None:
        if "cooccur" not in self.results:
            return
        keys = self.query_one("#cooccur-table", SortableTable).cursor_keys()
        tag = keys[0] if keys else None
        _, rows = self.results["cooccur"]
        measure = self.measure["cooccur"]
        items = views.cooccurrence_bars(rows, tag, measure) if tag else []
        self.query_one("#cooccur-chart", BarChart).plot(f"{tag or ''} with · {measure}", items)

    def _hint(self, tab: str) -> str:
        return {
            "freq": "Enter: the passages of a tag",
            "crosstab": "s sorts by the column · n count/rate · Enter: the passages in a cell",
            "cooccur": "n count/Jaccard · Enter: the passages that go together",
            "trend": "Enter: the passages of a tag in a period",
            "keyness": "Enter: the passages with the word",
        }[tab]

    # --- events -------------------------------------------------------------------------

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.compute()
        if not isinstance(self.focused, Input | Select):
            self.query_one(f"#{self.tab}-table", SortableTable).focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.compute()

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        self.results.clear()
        self.compute()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "key-target":
            self.compute()
        else:
            self.reload()

    def on_data_table_cell_highlighted(self, event: SortableTable.CellHighlighted) -> None:
        if event.data_table.id == "crosstab-table":
            self._crosstab_chart()
        elif event.data_table.id == "cooccur-table":
            self._cooccur_chart()

    def on_data_table_cell_selected(self, event: SortableTable.CellSelected) -> None:
        table = event.data_table
        if not isinstance(table, SortableTable) or self.coding is None:
            return
        keys = table.cursor_keys()
        if keys is None:
            return
        self._open_passages(table.id or "", *keys)

    def _open_passages(self, table_id: str, row: str, column: str) -> None:
        """The passages behind the cell (row, column) of a table."""
        assert self.coding is not None
        tab = table_id.removesuffix("-table")
        params, _ = self.results.get(tab, ((tab, False), None))
        try:
            found = passages_behind(self.coding, self.table, params, row, column, self._units)
        except SpeechreaderError as exc:
            self._status(str(exc), error=True)
            return
        if found is None:
            self._status("No passages behind this cell: choose a tag's column")
            return
        anns, title = found
        self.app.push_screen(
            PassagesScreen(self.session, title, an.passage_rows(self.coding, anns))
        )

    # --- actions and status ----------------------------------------------------------------

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_show_tab(self, index: int) -> None:
        self.query_one(TabbedContent).active = TABS[index]
        self.query_one(f"#{TABS[index]}-table", SortableTable).focus()

    def action_filter(self) -> None:
        self.query_one("#where", Input).focus()

    def action_reload(self) -> None:
        self.table = None
        self.reload()

    def action_measure(self) -> None:
        tab = self.tab
        if tab == "crosstab":
            self.measure[tab] = "passages" if self.measure[tab] == "per_10k" else "per_10k"
        elif tab == "cooccur":
            self.measure[tab] = "jaccard" if self.measure[tab] == "count" else "count"
        else:
            return
        if tab in self.results:
            self._show(tab)

    def on_screen_resume(self) -> None:
        """Back from the reader: reload if passages were coded meanwhile."""
        if self.coding is not None and self._store_signature() != self._signature:
            self.reload()

    def store_changed(self) -> None:
        """Another process wrote the database (the app's watcher says so)."""
        self.reload()

    def _status(self, message: str, error: bool = False) -> None:
        self.query_one("#analysis-status", Static).update(
            Text(visible(message), style="bold red" if error else "")
        )


def _fill(table: SortableTable, content: views.Table) -> None:
    headers, rows, keys = content
    table.show(headers, rows, column_keys=keys)
