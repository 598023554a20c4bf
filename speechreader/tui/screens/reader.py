"""The reader screen: one document in both scripts, and the keys that code it.

Every change goes straight to the store (which writes atomically), so there is no
save step to forget; the status line says when the last change was saved.

What to distrust in a scraped text is marked in the panes (``e``/``E`` go from one
problem to the next, the panel below says what it is), and ``z`` switches to the
clean view (pinyin glosses hidden, doubled punctuation once), which only changes what
is drawn: offsets, and so tags, search hits and exports, are those of the raw text.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Static

from speechreader.core.corpus import DocumentInfo
from speechreader.core.gcpause import freeze_survivors
from speechreader.core.text import (
    CleanView,
    ProblemSpan,
    clean_view,
    find_problems,
    get_variant,
    pane_texts,
)
from speechreader.core.words import plural
from speechreader.tui.literal import literal
from speechreader.tui.problems import explain
from speechreader.tui.screens.reader_coding import CodingActions
from speechreader.tui.screens.reader_orphans import OrphanActions
from speechreader.tui.screens.reader_study import StudyActions
from speechreader.tui.session import Session
from speechreader.tui.state import ReaderState
from speechreader.tui.widgets.annotation_panels import AnnotationInfo, AnnotationList
from speechreader.tui.widgets.keybar import KeyBar
from speechreader.tui.widgets.reader_view import DualReader


def fit_status(parts: list[str], saved: str, width: int, optional: tuple[str, ...] = ()) -> str:
    """The status line with "✓ all changes saved" at its end, never cut off: said shorter
    ("✓ saved") when the line would not fit ``width``, then without the ``optional``
    parts (the script and standard, which the panes' headers show too), and at last
    first in the line."""
    short = "✓ saved" if saved.startswith("✓") else saved
    kept = [p for p in parts if p not in optional]
    for line in ([*parts, saved], [*parts, short], [*kept, short]):
        status = " │ ".join(line)
        if cell_len(status) <= width:
            return status
    return " │ ".join([short, *kept])  # first, where a narrow terminal does not cut it


class ReaderScreen(StudyActions, OrphanActions, CodingActions, Screen[None]):
    """Read and code one document."""

    CSS_PATH = "reader.tcss"
    #: toasts are one line each over the key bar and status line (reader.tcss): a third
    #: would cover the text, so a new one replaces the oldest
    TOASTS_AT_ONCE = 2
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "tag", "Tag"),
        *(
            Binding(str(n), f"digit_tag({n})", "Apply codebook tag 1-9", show=False)
            for n in range(1, 10)
        ),
        Binding("h", "highlight", "Highlight"),
        Binding("m", "note", "Memo"),
        Binding("x", "delete", "Delete"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+r", "redo", "Redo", show=False),
        Binding("a", "toggle_list", "List"),
        Binding("c", "cycle_variant", "Variant", show=False),
        Binding("slash", "search_here", "Search here", show=False),
        Binding("o", "orphans", "Orphaned annotations", show=False),
        Binding("enter", "place_orphan", "Place here"),
        Binding("D", "toggle_done", "Done", show=False),
        Binding("V", "compare", "Compare coders", show=False),
        Binding("n", "next_hit(1)", "Next hit", show=False),
        Binding("N", "next_hit(-1)", "Previous hit", show=False),
        Binding("z", "toggle_clean", "Clean view", show=False),
        Binding("e", "next_problem(1)", "Next problem", show=False),
        Binding("E", "next_problem(-1)", "Previous problem", show=False),
        Binding("escape", "back", "Library"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.doc_id = ""
        self.info: DocumentInfo | None = None
        self.text = ""
        self._pending = False  # a document to show once mounted and current
        self.state: ReaderState | None = None
        self.tag_colours: dict[str, str] = {}
        self._problems: list[ProblemSpan] | None = None  # of self.text, found on first show
        self._clean: CleanView | None = None
        self.saved_message = "✓ all changes saved" if session.writable else "read-only"
        self._status_text = ""

    def compose(self) -> ComposeResult:
        yield Static("", id="doc-title")
        yield DualReader(id="reader")
        yield AnnotationList(
            id="annotation-list", classes="" if self.session.annotation_list else "hidden"
        )
        yield AnnotationInfo(id="annotation-info")
        yield Static("", id="status")
        yield KeyBar()

    @property
    def reader(self) -> DualReader:
        return self.query_one(DualReader)

    def on_mount(self) -> None:
        self._fit_list(self.app.size.width)
        self._show_pending()

    #: below this many columns the annotation list lies over the panes (docked beside
    #: them it would leave each pane a few characters wide)
    LIST_BESIDE_FROM = 120

    def on_resize(self, event) -> None:
        self._fit_list(event.size.width)

    def _fit_list(self, width: int) -> None:
        self.set_class(width < self.LIST_BESIDE_FROM, "narrow")

    def on_screen_resume(self) -> None:
        if self._pending:
            self._show_pending()
        elif self.state is not None:
            self._reload_annotations()  # back from the codebook or a search: tags may have changed

    def open_document(self, doc_id: str, *, select: tuple[int, int] | None = None) -> None:
        """Show another document in this (already built) screen.

        The app keeps one reader screen: building a screen's widgets and styles costs
        more than laying out a 45 KB speech, so opening a document only swaps text.
        """
        self.doc_id = doc_id
        self.replacing = None
        self.info, self.text = self.session.document(doc_id)
        self._problems = self._clean = None
        self.state = None
        self._select = select
        self._pending = True
        if self.is_mounted and self.is_current:
            self._show_pending()

    @property
    def is_current(self) -> bool:
        return self.app.screen is self

    _select: tuple[int, int] | None = None

    def _show_pending(self) -> None:
        if not self._pending or self.info is None:
            return
        self._pending = False
        self.query_one("#doc-title", Static).update(literal(self.info.title))
        self._load(cursor=0)
        if self._select is not None:
            self.reader.select(*self._select, cursor_at_start=True, jump=True)
            self._select = None
        self.reader.focus()

    # --- loading ------------------------------------------------------------------

    def _load(self, cursor: int) -> None:
        """Build the panes for the current variant and view, and show them."""
        if self._problems is None:  # a few ms: the problems of a 45 KB speech take ~3
            # the listing's script, so the marks are what the library counts and
            # `show --problems` lists (residue only in a traditional document)
            self._problems = find_problems(self.text, self.info.base_script)
            self._clean = clean_view(self.text, self._problems)
        view = self._clean if self.session.clean_view else None
        shown = self.text if view is None else view.text
        panes = pane_texts(shown, self.info.base_script, self.session.variant)
        previous = self.state
        self.state = ReaderState(self.text, panes, view=view, problems=self._problems)
        if previous is not None:
            self.state.boundaries, self.state.segmented = previous.boundaries, previous.segmented
            self.state.anchor = previous.anchor
        self.state.cursor = cursor
        self.state.snap_to_view()
        self._reload_annotations(refresh=False)
        self.reader.show(self.state, self._variant_config(), opened=previous is None)
        self._update_panels()
        freeze_survivors()  # the document's layout, spans and marks: no pauses while reading
        if not self.state.segmented:
            self._segment(self.text)

    def _variant_config(self) -> str:
        variant = get_variant(self.session.variant)
        return (
            variant.to_simplified
            if self.info.base_script == "traditional"
            else variant.to_traditional
        )

    @work(thread=True, exclusive=True, group="segment")
    def _segment(self, text: str) -> None:
        """jieba word boundaries, off the UI thread (cached per content after the first time)."""
        from speechreader.core.text import word_boundaries

        bounds = word_boundaries(text)
        self.app.call_from_thread(self._got_boundaries, text, bounds)

    def _got_boundaries(self, text: str, bounds: list[int]) -> None:
        if self.state is not None and self.state.text == text:
            self.state.boundaries = bounds
            self.state.segmented = True
            freeze_survivors()
            self._update_panels(list_too=False)

    def _reload_annotations(self, *, refresh: bool = True) -> None:
        assert self.state is not None
        self.tag_colours = self.session.tag_colours()
        self.state.placed = self.session.placed_annotations(self.info, self.text)
        self.state.orphans = self.session.orphaned_annotations(self.info, self.text)
        self.done_here = self.is_done()
        if refresh:
            self.reader.refresh_panes()
            self._update_panels()

    def store_changed(self) -> None:
        """Another process changed the database (see the app's watcher)."""
        if self.state is not None and not self._pending:
            self._reload_annotations()

    # --- panels -------------------------------------------------------------------

    def on_dual_reader_cursor_moved(self, message: DualReader.CursorMoved) -> None:
        self._update_panels(list_too=False)

    def _update_panels(self, list_too: bool = True) -> None:
        state = self.state
        if state is None:
            return
        mark = state.mark_at(state.cursor)
        problem = explain(mark, state.marks.index(mark) + 1, len(state.marks)) if mark else None
        me = self.coder()
        self.query_one(AnnotationInfo).show(
            state.annotations_at(state.cursor, coder=me), self.tag_colours, problem, me
        )
        if list_too:
            self.query_one(AnnotationList).show(state.placed, self.tag_colours, self.text, me)
        selection = state.selection
        script = f"{self.info.script} · {get_variant(self.session.variant).name}"
        parts = [
            state.position_percent(),
            script,
            plural(len(state.placed), "annotation"),
        ]
        if selection:
            parts.insert(1, f"{plural(selection[1] - selection[0], 'char')} selected")
        if state.sticky_select:
            parts.insert(1, "SELECT")
        if state.clean:
            parts.insert(1, "CLEANED")
        if not state.segmented:
            parts.append("segmenting…")
        orphans = self.orphan_status()
        if orphans:
            parts.append(orphans)
        if self.done_here:
            parts.append("✓ done")
        status = fit_status(parts, self.saved_message, self.size.width - 2, (script,))
        if status != self._status_text:
            self._status_text = status
            self.query_one("#status", Static).update(literal(status))

    def on_annotation_list_jump(self, message: AnnotationList.Jump) -> None:
        # The cursor on the passage, so the panel below shows its tags and note; a
        # list lying over the panes steps aside to show it.
        if self.has_class("narrow"):
            self._show_list(False)
        self.reader.select(message.start, message.end, cursor_at_start=True, jump=True)
        self.reader.focus()

    # --- view ---------------------------------------------------------------------

    def action_toggle_list(self) -> None:
        self._show_list(self.query_one(AnnotationList).has_class("hidden"))

    def _show_list(self, show: bool) -> None:
        """Open or close the annotation list (remembered for this corpus)."""
        panel = self.query_one(AnnotationList)
        panel.set_class(not show, "hidden")
        if show:
            if self.state is not None:
                panel.highlight_near(self.state.cursor)
            panel.focus()
        else:
            self.reader.focus()
        if self.session.annotation_list != show:
            self.session.annotation_list = show
            self.session.remember_view()

    def action_cycle_variant(self) -> None:
        self.set_variant(self.session.next_variant())

    def set_variant(self, name: str) -> None:
        self.session.variant = get_variant(name).name
        self.session.remember_view()
        cursor = self.state.cursor if self.state else 0
        self._load(cursor=cursor)
        self.notify(f"Variant: {get_variant(name).label}", timeout=2)

    def _clean_summary(self) -> str:
        """What the clean view hides in this document (the status line just says CLEANED)."""
        hidden = self._clean.hidden if self._clean is not None else {}
        glosses, marks = hidden.get("pinyin_gloss", 0), hidden.get("doubled_punctuation", 0)
        if not hidden:
            return "Clean view: nothing to hide in this document"
        counts = [
            f"{glosses} pinyin gloss{'es' if glosses != 1 else ''} hidden" if glosses else "",
            f"{marks} doubled mark{'s' if marks != 1 else ''} shown once" if marks else "",
        ]
        return f"Clean view: {', '.join(filter(None, counts))} (z: the text as scraped)"

    def action_toggle_clean(self) -> None:
        """z: the clean view (glosses hidden, doubled marks once) or the text as scraped."""
        self.session.clean_view = not self.session.clean_view
        self.session.remember_view()
        if self.state is None:
            return
        self._load(cursor=self.state.cursor)
        if self.session.clean_view:
            self.notify(self._clean_summary(), timeout=3)
        else:
            self.notify("Raw view: the text as scraped, problems marked (z: clean view)", timeout=3)

    def action_next_problem(self, direction: int) -> None:
        """e / E: the cursor to the next or previous problem mark; the panel explains it."""
        state = self.state
        if state is None:
            return
        mark = state.next_mark(direction)
        if mark is None:
            hidden = sum(self._clean.hidden.values()) if self._clean else 0
            self.notify(
                "Nothing else to distrust here: z shows the hidden glosses and marks"
                if state.clean and hidden
                else "No problems found in this document",
                timeout=3,
            )
            return
        wrapped = (mark.start <= state.cursor) if direction > 0 else (mark.start >= state.cursor)
        self.reader.move_to(mark.start, jump=True)
        if wrapped and len(state.marks) > 1:
            self.notify("Back to the " + ("first" if direction > 0 else "last") + " problem",
                        timeout=2)  # fmt: skip

    def action_search_here(self) -> None:
        self.app.action_search(doc_id=self.doc_id)  # type: ignore[attr-defined]

    def action_next_hit(self, delta: int) -> None:
        """n / N: the next or previous search hit, opening its document if need be."""
        span = self.session.step_hit(delta)
        if span is None:
            self.notify("No search results: ctrl+f searches the corpus, / this document",
                        timeout=3)  # fmt: skip
            return
        doc_id, start, end = span
        position = f"hit {self.session.hit_position + 1} of {len(self.session.hits)}"
        if doc_id == self.doc_id:
            self.reader.select(start, end, cursor_at_start=True, jump=True)
        else:
            self.open_document(doc_id, select=(start, end))
        self.notify(position, timeout=1.5)

    def action_back(self) -> None:
        self.app.pop_screen()
