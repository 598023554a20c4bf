"""The compare view: one document, its coders side by side, and settling their disagreements.

``]`` / ``[`` walk the disagreements; ``a``, ``b``... take coder A's, B's... coding of
the unit, ``+`` takes all of them (both), ``0`` none; ``=`` copies every unit the
coders agree on. Each choice is written as the target coder's (``consensus``)
annotations, one undo step each (``u``; ``ctrl+r`` redoes). The document's agreement,
recomputed after every change (and when another process writes), is shown below.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from speechreader.core.errors import SpeechreaderError
from speechreader.core.reliability import (
    CONSENSUS,
    Comparison,
    accept_agreements,
    compare,
    settle,
)
from speechreader.core.store import plural
from speechreader.tui.literal import compose, literal
from speechreader.tui.session import Session
from speechreader.tui.widgets.compare_view import LETTERS, CompareView
from speechreader.tui.widgets.keybar import KeyBar


class CompareScreen(Screen[None]):
    """Compare the coders of one document and settle their disagreements."""

    CSS_PATH = "compare.tcss"
    AUTO_FOCUS = "#compare-view"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right_square_bracket", "step(1)", "Next"),
        Binding("left_square_bracket", "step(-1)", "Previous"),
        Binding("a", "take(0)", "A's"),
        Binding("b", "take(1)", "B's"),
        *(Binding(LETTERS[i].lower(), f"take({i})", f"{LETTERS[i]}'s", show=False)
          for i in range(2, len(LETTERS))),
        Binding("plus", "take_all", "Both"),
        Binding("0", "take_none", "Neither"),
        Binding("equals_sign", "accept", "Accept agreed", show=False),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+r", "redo", "Redo", show=False),
        Binding("escape", "back", "Back"),
    ]  # fmt: skip

    def __init__(
        self,
        session: Session,
        doc_id: str,
        *,
        tags: Sequence[str] | None = None,
        coders: Sequence[str] | None = None,
        unit: str = "sentence",
        at: int | None = None,
        target: str = CONSENSUS,
    ) -> None:
        super().__init__()
        self.session = session
        self.doc_id = doc_id
        self.tags = list(tags) if tags else None
        self.unit = unit
        self.target = target
        self.current = 0
        self.comparison = self._compare(coders)  # errors reach the caller: nothing to show
        self.coders = self.comparison.coders
        if at is not None:
            self._go_to(at)

    def _compare(self, coders: Sequence[str] | None) -> Comparison:
        store, corpus = self.session.store, self.session.corpus
        if store is None or corpus is None:
            raise SpeechreaderError(self.session.store_error or "no database open")
        return compare(store, corpus, self.doc_id, coders=coders, tags=self.tags,
                       unit=self.unit, target=self.target)  # fmt: skip

    def _go_to(self, start: int) -> None:
        found = self.comparison.disagreements
        later = [i for i, d in enumerate(found) if d.end > start]
        self.current = later[0] if later else max(0, len(found) - 1)

    def compose(self) -> ComposeResult:
        yield Static("", id="compare-title")
        yield Static("", id="compare-legend")
        yield CompareView(id="compare-view")
        yield Static("", id="compare-detail")
        yield Static("", id="compare-status")
        yield KeyBar()

    def on_mount(self) -> None:
        c = self.comparison
        title = compose(("Compare", "bold"), " · ", c.info.title)
        title.no_wrap, title.overflow = True, "ellipsis"
        self.query_one("#compare-title", Static).update(title)
        legend = Text("gutter: ▶ this disagreement  • another  ")
        for i, coder in enumerate(c.coders):
            legend.append_text(compose((LETTERS[i], "bold"), " ", coder, "  "))
        legend.append_text(compose(("=", "bold"), " ", c.target, f"  · {c.unit} units"))
        if self.tags:
            legend.append_text(compose(" · tags: ", ", ".join(self.tags)))
        self.query_one("#compare-legend", Static).update(legend)
        self._refresh()

    # --- showing ------------------------------------------------------------------

    def _refresh(self) -> None:
        c = self.comparison
        if c.disagreements:
            self.current = max(0, min(self.current, len(c.disagreements) - 1))
        self.query_one(CompareView).show(c, self.current if c.disagreements else -1)
        self._detail()
        self._status()

    def _detail(self) -> None:
        c = self.comparison
        panel = self.query_one("#compare-detail", Static)
        if not c.disagreements:
            panel.update("No disagreements in this document: = copies the agreed coding")
            return
        d = c.disagreements[self.current]
        lines = compose(
            f"Disagreement {self.current + 1} of {len(c.disagreements)} · characters "
            f"{d.start}–{d.end} · on: ", ", ".join(d.tags),
        )  # fmt: skip
        for i, coder in enumerate(c.coders):
            if coder in d.codes:
                tags = ", ".join(d.codes[coder]) or "—"
            else:
                tags = "(did not code this document)"
            lines.append_text(compose("\n", (LETTERS[i], "bold"), " ", coder, ": ", tags))
        mine = c.codes_at(c.target, (d.start, d.end))
        same = c.settled_as(d)
        letters = ", ".join(LETTERS[c.coders.index(s)] + "'s" for s in same)
        settled = f"  (= {letters})" if same else ""
        lines.append_text(
            compose("\n", ("=", "bold"), " ", c.target, ": ", ", ".join(mine) or "—", settled)
        )
        panel.update(lines)

    def _status(self) -> None:
        c = self.comparison
        rows = c.agreement.tags
        parts = [
            f"{t.tag} α {t.alpha:.2f}" if t.alpha is not None else f"{t.tag} α —" for t in rows
        ]
        done = sum(bool(c.settled_as(d)) for d in c.disagreements)
        text = literal(
            "this document: " + (" · ".join(parts[:6]) or "nothing coded")
            + (f" (+{len(parts) - 6})" if len(parts) > 6 else "")
            + f" │ {plural(len(c.disagreements), 'disagreement')}, {done} with a consensus coding"
        )  # fmt: skip
        self.query_one("#compare-status", Static).update(text)

    def store_changed(self) -> None:
        """Another process wrote: compare again, staying on the same unit."""
        self._recompare()

    def _recompare(self) -> None:
        c = self.comparison
        at = c.disagreements[self.current].start if c.disagreements else 0
        try:
            self.comparison = self._compare(self.coders)
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        self._go_to(at)
        self._refresh()

    # --- keys ---------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        found = self.comparison.disagreements
        if not found:
            self.notify("No disagreements in this document", timeout=2)
            return
        target = self.current + delta
        if not 0 <= target < len(found):
            self.notify("Last disagreement" if delta > 0 else "First disagreement", timeout=2)
            return
        self.current = target
        self.query_one(CompareView).set_current(self.current)
        self._detail()

    def _write(self, change: Callable[[], object], done: str) -> None:
        store = self.session.store
        if store is None or not self.session.writable:
            self.notify(f"Cannot save: {self.session.store_error or 'read-only'}", severity="error")
            return
        try:
            change()
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            return
        self._recompare()
        self.notify(done, timeout=2)

    def _settle(self, take: list[str]) -> None:
        c = self.comparison
        if not c.disagreements:
            self.notify("No disagreement here", timeout=2)
            return
        d = c.disagreements[self.current]
        store = self.session.store
        self._write(lambda: settle(store, c, d, take), "Saved (u to undo)")  # type: ignore[arg-type]

    def action_take(self, index: int) -> None:
        if index < len(self.coders):
            self._settle([self.coders[index]])

    def action_take_all(self) -> None:
        self._settle(list(self.coders))

    def action_take_none(self) -> None:
        self._settle([])

    def action_accept(self) -> None:
        store = self.session.store
        added: list[int] = []
        self._write(lambda: added.append(accept_agreements(store, self.comparison)),  # type: ignore[arg-type]
                    "Agreed coding copied")  # fmt: skip

    def _history(self, undo: bool) -> None:
        store = self.session.store
        if store is None:
            return
        result: list[object] = []
        self._write(lambda: result.append(store.undo() if undo else store.redo()),
                    "Undone" if undo else "Redone")  # fmt: skip

    def action_undo(self) -> None:
        self._history(True)

    def action_redo(self) -> None:
        self._history(False)

    def action_back(self) -> None:
        self.app.pop_screen()
