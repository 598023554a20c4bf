"""The two panes side by side, with the cursor, selection and movement keys.

The reader owns a :class:`~speechreader.tui.state.ReaderState` and two
:class:`PaneView` widgets. It keeps their scroll positions equal (one scroll moves
both), lays the document out again when the width changes, and turns keys and mouse
presses into cursor movements. Coding actions (tag, note, delete...) belong to the
reader *screen*, which listens for :class:`DualReader.CursorMoved`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.geometry import Region
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Label

from speechreader.core.gcpause import freeze_survivors
from speechreader.tui.state import SIDES, ReaderState
from speechreader.tui.widgets.pane import PaneView

_SCRIPT_LABEL = {"simplified": "简体 simplified", "traditional": "繁體 traditional"}


def _move(key: str, method: str, description: str, *, show: bool = False) -> list[Binding]:
    """A movement key and its shift+ variant that extends the selection."""
    return [
        Binding(key, f"move('{method}', False)", description, show=show),
        Binding(f"shift+{key}", f"move('{method}', True)", f"Select: {description}", show=False),
    ]


def _key(key: str, method: str, description: str) -> Binding:
    """A movement key without a shift+ variant (select mode, ``v``, extends with it)."""
    return Binding(key, f"move('{method}', False)", description, show=False)


class DualReader(Widget, can_focus=True):
    """Simplified on the left, traditional on the right, always row-aligned."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *_move("left", "char_left", "Character left"),
        *_move("right", "char_right", "Character right"),
        *_move("up", "row_up", "Row up"),
        *_move("down", "row_down", "Row down"),
        *_move("pageup", "page_up", "Page up"),
        *_move("pagedown", "page_down", "Page down"),
        *_move("home", "row_home", "Start of row"),
        *_move("end", "row_end", "End of row"),
        *_move("ctrl+right", "word_right", "Next word"),
        *_move("ctrl+left", "word_left", "Previous word"),
        Binding("w", "move('word_right', False)", "Word →", show=False),
        Binding("b", "move('word_left', False)", "Word ←", show=False),
        Binding("W", "move('word_right', True)", "Select word →", show=False),
        Binding("B", "move('word_left', True)", "Select word ←", show=False),
        _key("right_parenthesis", "sentence_right", "Next sentence"),
        _key("left_parenthesis", "sentence_left", "Previous sentence"),
        _key("right_curly_bracket", "paragraph_right", "Next paragraph"),
        _key("left_curly_bracket", "paragraph_left", "Previous paragraph"),
        Binding("g", "move('doc_start', False)", "Start of document", show=False),
        Binding("G", "move('doc_end', False)", "End of document", show=False),
        Binding("v", "toggle_select_mode", "Select mode", show=False),
        Binding("s", "select_unit('sentence')", "Select sentence"),
        Binding("p", "select_unit('paragraph')", "Select paragraph", show=False),
        Binding("escape", "clear_selection", "Clear selection", show=False),
    ]  # fmt: skip

    class CursorMoved(Message):
        """The cursor or the selection changed."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.state: ReaderState | None = None
        self._syncing = False
        self._jump_pending = False  # a jump asked for before the layout: done after it

    def compose(self) -> ComposeResult:
        with Horizontal(id="pane-titles"):
            yield Label("", id="title-0", classes="pane-title")
            yield Label("", id="title-1", classes="pane-title")
        with Horizontal(id="panes"):
            yield PaneView(0, id="pane-0", on_scroll=self._pane_scrolled)
            yield PaneView(1, id="pane-1", on_scroll=self._pane_scrolled)

    @property
    def panes(self) -> tuple[PaneView, PaneView]:
        return (self.query_one("#pane-0", PaneView), self.query_one("#pane-1", PaneView))

    # --- loading and layout -------------------------------------------------------

    def show(self, state: ReaderState, config: str, *, opened: bool = False) -> None:
        """Display a document (or the same one in another variant).

        ``opened``: a document has just been opened (from the library, a search hit,
        ``n``/``N``): both panes start again from the top, so where the cursor ends
        up on screen does not depend on where the previous document was scrolled.
        """
        self.state = state
        if opened and self.is_mounted:
            for pane in self.panes:
                pane.scroll_to(y=0, animate=False, immediate=True)
        for side, label in enumerate(self.query(".pane-title").results(Label)):
            script = SIDES[side]
            role = "original" if side == state.original else f"OpenCC {config}"
            clean = " · cleaned" if state.clean else ""
            label.update(f"{_SCRIPT_LABEL[script]} · {role}{clean}")
            label.set_class(side == state.original, "original")
        self._layout_when_sized()

    def pane_width(self) -> int | None:
        """Cells available for text in each pane (one kept free for the cursor at row end).

        None until the panes have been given a size: laying out 45 KB at a made-up
        width only to do it again a frame later is what made opening slow.
        """
        widths = [pane.scrollable_content_region.width for pane in self.panes]
        if min(widths) <= 1:
            return None
        return max(4, min(widths) - 1)

    def _layout_when_sized(self) -> None:
        if self.state is None or not self.is_mounted:
            return
        width = self.pane_width()
        if width is None:
            self.call_after_refresh(self._layout_when_sized)
            return
        if self.state.layout is None or self.state.layout.width != width:
            layout = self.state.relayout(width)
            for side in (0, 1):
                self.state.marks_in(side, 0, 0)  # the marks' spans, built once per document
            freeze_survivors()  # rows and marks live as long as the document: gc, skip them
            for pane in self.panes:
                pane.set_state(self.state, layout.height)
        else:
            for pane in self.panes:
                pane.set_state(self.state, self.state.layout.height)
        self.scroll_to_cursor()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._layout_when_sized)

    def refresh_panes(self) -> None:
        for pane in self.panes:
            pane.refresh()
        self._same_frame()

    def _same_frame(self) -> None:
        """Hand both panes' repaints to the screen now, together, so one frame draws both.

        ``refresh()`` only marks a widget dirty; each pane then tells the screen from
        its own message queue when it next goes idle, and the screen's frame timer
        (a task of its own) may fire between the two: the left pane drawn, the right
        one a frame later (20-110 ms on a 2 MB document). Adding both to the screen's
        set of dirty widgets in one step leaves no such gap; the panes' own late
        notices then find nothing left to repaint.
        """
        try:
            screen = self.screen
        except Exception:  # not on a screen yet
            return
        dirty = getattr(screen, "_dirty_widgets", None)
        if isinstance(dirty, set):
            dirty.update(self.panes)
            screen.check_idle()

    def _highlighted(self) -> tuple[int, int]:
        """Source offsets drawn specially: the selection, or just the cursor's character."""
        assert self.state is not None
        selection = self.state.selection
        if selection:
            return (min(selection[0], self.state.cursor), max(selection[1], self.state.cursor + 1))
        return (self.state.cursor, self.state.cursor + 1)

    def _refresh_changed(self, before: tuple[int, int], scroll_before: float) -> None:
        """Repaint only the rows whose drawing changed (a key must repaint in ≤ 30 ms)."""
        state = self.state
        if state is None or state.layout is None:
            return
        if round(self.panes[0].scroll_y) != round(scroll_before):
            self.refresh_panes()  # scrolled: everything moved anyway
            return
        after = self._highlighted()
        if after == before:
            rows_spans = [before]
        elif max(before[0], after[0]) < min(before[1], after[1]):  # overlapping: the ends moved
            rows_spans = [
                (min(before[0], after[0]), max(before[0], after[0]) + 1),
                (min(before[1], after[1]) - 1, max(before[1], after[1])),
            ]
        else:
            rows_spans = [before, after]
        for side, pane in enumerate(self.panes):
            rows = state.layout.panes[side]
            for start, end in rows_spans:
                first = rows.row_of(state.to_pane(side, start))
                last = rows.row_of(state.to_pane(side, max(start, end - 1)))
                pane.refresh_lines(first, last - first + 1)
        self._same_frame()

    # --- scrolling ----------------------------------------------------------------

    def _pane_scrolled(self, side: int, y: float) -> None:
        """One pane scrolled (wheel, scrollbar, clamping): the other follows, now."""
        if self._syncing or not self.is_mounted or len(self.query(PaneView)) < 2:
            return  # still being built: there is no other pane yet
        self._syncing = True
        try:
            other = self.panes[1 - side]
            if round(other.scroll_y) != round(y):
                other.scroll_to(y=y, animate=False, immediate=True)
            self._same_frame()
        finally:
            self._syncing = False

    def scroll_to_cursor(self, *, jump: bool = False) -> None:
        """Both panes to the same row, with the cursor's row in view.

        A movement key scrolls as little as it can. A ``jump`` (a search hit, an
        annotation from the list, a problem mark) puts the cursor's row in the upper
        third of the view, where the eye looks and no toast covers it, with the rows of
        a long passage below it, unless it is in the upper third already. A jump
        asked for before the panes are laid out waits for the layout.
        """
        if self.state is None or self.state.layout is None:
            self._jump_pending = self._jump_pending or jump
            return
        jump, self._jump_pending = jump or self._jump_pending, False
        row = self.state.cursor_row()
        pane = self.panes[self.state.original]
        if jump:
            height = max(1, pane.scrollable_content_region.height)
            top = round(pane.scroll_y)
            if not top <= row < top + max(1, height // 3):
                pane.scroll_to(y=max(0, row - (height - 1) // 4), animate=False, immediate=True)
        else:
            pane.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)
        self._pane_scrolled(self.state.original, pane.scroll_y)  # even if it did not move

    # --- movement -----------------------------------------------------------------

    def _target(self, method: str) -> int:
        state = self.state
        assert state is not None
        page = max(1, self.panes[0].scrollable_content_region.height - 2)
        special = {
            "row_up": lambda: state.row_delta(-1),
            "row_down": lambda: state.row_delta(1),
            "page_up": lambda: state.row_delta(-page),
            "page_down": lambda: state.row_delta(page),
            "doc_start": lambda: 0,
            "doc_end": lambda: len(state.text),
        }
        if method in special:
            return special[method]()
        return getattr(state, method)()

    def action_move(self, method: str, extend: bool) -> None:
        if self.state is None or self.state.layout is None:
            return
        keep_goal = method in ("row_up", "row_down", "page_up", "page_down")
        before, scroll = self._highlighted(), self.panes[0].scroll_y
        row = self.state.cursor_row()
        self.state.move(self._target(method), extend=extend, keep_goal=keep_goal)
        if method in ("page_up", "page_down"):
            # The view turns a page with the cursor, which keeps its place on screen
            # (rows, not lines: one long paragraph is many pages), as a pager does;
            # at either end of the document the cursor goes on alone.
            pane = self.panes[self.state.original]
            moved = self.state.cursor_row() - row
            pane.scroll_to(y=round(pane.scroll_y) + moved, animate=False, immediate=True)
        self.scroll_to_cursor()
        self._refresh_changed(before, scroll)
        self.post_message(self.CursorMoved())

    def move_to(self, offset: int, *, extend: bool = False, jump: bool = False) -> None:
        """The cursor to ``offset``; ``jump``: somewhere else in the text (upper third)."""
        if self.state is None:
            return
        self.state.move(offset, extend=extend)
        self._moved(jump=jump)

    def select(
        self,
        start: int,
        end: int,
        *,
        cursor_at_start: bool = False,
        snap: bool = False,
        jump: bool = False,
    ) -> None:
        """Select ``start..end``; ``jump``: a passage found elsewhere (upper third)."""
        if self.state is None:
            return
        self.state.select(start, end, cursor_at_start=cursor_at_start, snap=snap)
        self._moved(jump=jump)

    def _moved(self, *, jump: bool = False) -> None:
        self.scroll_to_cursor(jump=jump)
        self.refresh_panes()
        self.post_message(self.CursorMoved())

    def action_toggle_select_mode(self) -> None:
        if self.state is None:
            return
        self.state.sticky_select = not self.state.sticky_select
        if self.state.sticky_select and self.state.anchor is None:
            self.state.anchor = self.state.cursor
        self.notify(
            "Select mode: movements extend the selection (v again to stop)"
            if self.state.sticky_select
            else "Select mode off",
            timeout=2,
        )
        self._moved()

    def action_select_unit(self, unit: str) -> None:
        if self.state is None:
            return
        span = (
            self.state.sentence_at_cursor()
            if unit == "sentence"
            else self.state.paragraph_at_cursor()
        )
        if span is None:
            self.notify(f"No {unit} here", severity="warning", timeout=2)
            return
        self.select(*span, snap=True)

    def action_clear_selection(self) -> None:
        if self.state is not None and self.state.layout is not None:
            before, scroll = self._highlighted(), self.panes[0].scroll_y
            self.state.clear_selection()
            self.scroll_to_cursor()
            self._refresh_changed(before, scroll)  # only the rows the selection was on
            self.post_message(self.CursorMoved())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Escape with nothing selected goes on to the screen (back to the library).
        if action == "clear_selection":
            return self.state is not None and (self.state.anchor is not None)
        return True

    # --- mouse and focus ----------------------------------------------------------

    def on_pane_view_pressed(self, message: PaneView.Pressed) -> None:
        message.stop()
        self.focus()
        if self.state is None:
            return
        self.state.sticky_select = False
        before, scroll = self._highlighted(), self.panes[0].scroll_y
        if message.drag:
            if self.state.anchor is None:
                self.state.anchor = self.state.cursor
            self.state.cursor = message.offset
        else:
            self.state.move(message.offset, extend=message.shift)
        self._refresh_changed(before, scroll)
        self.post_message(self.CursorMoved())

    def on_focus(self) -> None:
        self._set_active(True)

    def on_blur(self) -> None:
        self._set_active(False)

    def _set_active(self, active: bool) -> None:
        if not self.is_mounted:
            return
        for pane in self.panes:
            pane.active = active
            pane.refresh()
