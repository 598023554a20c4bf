"""The agreement screen: α per tag and group, worst first, and the way to their disagreements.

The table is computed in a worker (500 documents take about a second), the bootstrap
(``b``, 1,000 resamples) too, with a progress bar: the screen never freezes. Enter on
a tag opens the compare view at its first disagreement.
"""

from __future__ import annotations

from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import ProgressBar, Static

from speechreader.core.errors import SpeechreaderError
from speechreader.core.reliability import UNITS, Agreement
from speechreader.core.words import plural
from speechreader.tui.literal import compose, literal
from speechreader.tui.session import Session
from speechreader.tui.widgets.agreement_table import AgreementRow, AgreementTable
from speechreader.tui.widgets.keybar import KeyBar

RESAMPLES = 1000
SORTS = ("α (worst first)", "name", "agreement", "units tagged")


def _kappa(values: list[float | None]) -> str:
    defined = [v for v in values if v is not None]
    if not defined:
        return "—"
    low, high = min(defined), max(defined)
    return f"{low:.2f}" if low == high else f"{low:.2f}–{high:.2f}"


def rows_of(result: Agreement) -> list[AgreementRow]:
    rows = [
        AgreementRow(t.tag, "tag", t.alpha, t.alpha_ci95, t.percent_agreement,
                     _kappa(list(t.kappa.values())), t.units, t.units_tagged, t.note)
        for t in result.tags
    ]  # fmt: skip
    rows += [
        AgreementRow(g.group, "group", g.alpha, g.alpha_ci95, None, "", g.units,
                     len(g.conflicts), g.note)
        for g in result.groups
    ]  # fmt: skip
    return rows


def sort_rows(rows: list[AgreementRow], how: int, reverse: bool) -> list[AgreementRow]:
    """Worst α first (undefined last), or by name, agreement, units tagged."""
    if how == 0:
        key = lambda r: (r.alpha is None, r.alpha if r.alpha is not None else 0.0, r.name)  # noqa: E731
    elif how == 1:
        key = lambda r: r.name.casefold()  # noqa: E731
    elif how == 2:
        key = lambda r: (r.agree is None, r.agree or 0.0, r.name)  # noqa: E731
    else:
        key = lambda r: (-r.tagged, r.name)  # noqa: E731
    return sorted(rows, key=key, reverse=reverse)


class AgreementScreen(Screen[None]):
    """Intercoder agreement of the whole corpus: a row per tag (and per group of children)."""

    CSS_PATH = "agreement.tcss"
    AUTO_FOCUS = "#agreement-table"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sort_next", "Sort"),
        Binding("S", "sort_reverse", "Reverse", show=False),
        Binding("b", "bootstrap", "95% CI"),
        Binding("u", "cycle_unit", "Unit"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.unit = "sentence"
        self.sort = 0
        self.reverse = False
        self.result: Agreement | None = None
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Static("Agreement", id="agreement-title")
        yield ProgressBar(id="agreement-progress", show_eta=False)
        yield AgreementTable(id="agreement-table")
        yield Static("", id="agreement-notes")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(ProgressBar).display = False
        self._compute(0)

    def store_changed(self) -> None:
        if not self._busy:
            self._compute(0)

    # --- computing ----------------------------------------------------------------

    def _groups(self) -> list[str]:
        tags = self.session.tags()
        return [t.name for t in tags if sum(c.parent == t.name for c in tags) >= 2]

    @work(thread=True, exclusive=True, group="agreement")
    def _compute(self, resamples: int) -> None:
        from speechreader.core.reliability import measure_agreement

        self._busy = True
        self.app.call_from_thread(self._started, resamples)

        def progress(stage: str, done: int, total: int) -> None:
            if stage == "bootstrap":
                self.app.call_from_thread(self._progress, done, total)

        store, corpus = self.session.store, self.session.corpus
        try:
            if store is None or corpus is None:
                raise SpeechreaderError(self.session.store_error or "no database open")
            result = measure_agreement(
                store, corpus, unit=self.unit, groups=self._groups(), resamples=resamples,
                progress=progress,
            )  # fmt: skip
        except SpeechreaderError as exc:
            self.app.call_from_thread(self._failed, str(exc))
            return
        finally:
            self._busy = False
        self.app.call_from_thread(self._show, result)

    def _started(self, resamples: int) -> None:
        title = "computing the bootstrap interval…" if resamples else "computing…"
        self.query_one("#agreement-notes", Static).update(title)
        bar = self.query_one(ProgressBar)
        bar.display = bool(resamples)
        if resamples:
            bar.update(total=resamples, progress=0)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            self.query_one(ProgressBar).update(total=total, progress=done)

    def _failed(self, message: str) -> None:
        self.query_one(ProgressBar).display = False
        self.query_one("#agreement-title", Static).update("Agreement")
        self.query_one("#agreement-notes", Static).update(literal(message, "bold"))
        self.query_one(AgreementTable).set_rows([])

    def _show(self, result: Agreement) -> None:
        self.result = result
        self.query_one(ProgressBar).display = False
        docs = plural(result.documents, "document")
        title = compose(
            ("Agreement", "bold"),
            f" · {result.unit} units · {docs}, {plural(result.units, 'unit')} · coders: ",
            ", ".join(result.coders),
            f" · sorted by {SORTS[self.sort]}{' (reversed)' if self.reverse else ''}",
        )
        if result.bootstrap:
            title.append(f" · {plural(result.bootstrap, 'resample')}, seed {result.seed}")
        self.query_one("#agreement-title", Static).update(title)
        notes = result.notes()
        self.query_one("#agreement-notes", Static).update(
            literal(
                "\n".join(notes[:3]) + (f"\n(+{len(notes) - 3} more)" if len(notes) > 3 else "")
            )
        )
        self._fill()

    def _fill(self) -> None:
        if self.result is None:
            return
        rows = sort_rows(rows_of(self.result), self.sort, self.reverse)
        self.query_one(AgreementTable).set_rows(rows, show_ci=bool(self.result.bootstrap))

    # --- keys ---------------------------------------------------------------------

    def action_sort_next(self) -> None:
        self.sort, self.reverse = (self.sort + 1) % len(SORTS), False
        if self.result is not None:
            self._show(self.result)

    def action_sort_reverse(self) -> None:
        self.reverse = not self.reverse
        if self.result is not None:
            self._show(self.result)

    def action_bootstrap(self) -> None:
        if not self._busy:
            self._compute(RESAMPLES)

    def action_cycle_unit(self) -> None:
        if self._busy:
            return
        self.unit = UNITS[(UNITS.index(self.unit) + 1) % len(UNITS)]
        self._compute(0)

    def action_back(self) -> None:
        self.app.pop_screen()

    def on_agreement_table_opened(self, event: AgreementTable.Opened) -> None:
        row = event.row
        if row.kind != "tag":
            self.notify("Enter opens a tag's disagreements; a group's are its children's")
            return
        self._first_disagreement(row.name)

    @work(thread=True, exclusive=True, group="agreement-open")
    def _first_disagreement(self, tag: str) -> None:
        from speechreader.core.reliability import (
            choose_coders,
            collect,
            find_disagreements,
            read_coding,
        )

        store, corpus = self.session.store, self.session.corpus
        if store is None or corpus is None or self.result is None:
            return
        documents = list(corpus)
        coding = read_coding(store, [d.id for d in documents])
        coders = choose_coders(store, [d.id for d in documents], self.result.coders, coding[1])
        study = collect(store, corpus, documents, coders, unit=self.unit, tags=[tag],
                        coding=coding)  # fmt: skip
        found = find_disagreements(study, [tag])
        self.app.call_from_thread(self._open, tag, found[0] if found else None, coders)

    def _open(self, tag: str, first, coders: list[str]) -> None:
        from speechreader.tui.screens.compare import CompareScreen

        if first is None:
            self.notify(f"No disagreement on {tag}", timeout=3)
            return
        try:
            screen = CompareScreen(
                self.session, first.doc_id, tags=[tag], unit=self.unit, coders=coders,
                at=first.start,
            )  # fmt: skip
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="warning", timeout=6)
            return
        self.app.push_screen(screen)
