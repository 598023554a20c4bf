"""What the reader shows and where the cursor is, without any Textual.

Offsets here are *source* offsets: characters of the document text as loaded, the
same offsets annotations are stored in. Each pane maps them to its own text with the
pane's :class:`~speechreader.core.text.OffsetMap` (the identity for the pane that
shows the original, and for every character-level conversion).

In the clean view (``z``) the panes show :class:`~speechreader.core.text.CleanView`'s
text: a source offset goes first through the view's map, then through the pane's. The
cursor then only ever stands at the start of a unit (a glossed character with its
gloss, a doubled run of marks), so every selection made in the view is a selection the
raw view could have made: same offsets, same quote.

Keeping this apart from the widgets lets tests check movement and selection on real
text quickly, and keeps the widget code about drawing.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from speechreader.core.store import Annotation
from speechreader.core.text import (
    CLEANED_KINDS,
    CleanView,
    OffsetMap,
    PaneTexts,
    ProblemSpan,
    next_span_start,
    next_word_start,
    paragraph_spans,
    prev_span_start,
    prev_word_start,
    sentence_spans,
    span_at,
)
from speechreader.tui.layout import DocumentLayout, char_cells, layout_document

SIMPLIFIED, TRADITIONAL = 0, 1
#: characters from which the status line gives the position with a decimal
LONG_TEXT = 50_000
SIDES = ("simplified", "traditional")


@dataclass(frozen=True)
class Placed:
    """An annotation as shown: where it is now in the source text (it may have moved)."""

    annotation: Annotation
    start: int
    end: int
    status: str = "exact"  # "exact" | "moved"


#: two or more ASCII letters and digits: one word, with no boundary inside
_ASCII_WORD = re.compile(r"[A-Za-z0-9]{2,}")


def fallback_boundaries(text: str) -> list[int]:
    """Word boundaries before segmentation arrives: every CJK character, ASCII runs whole.

    Every offset, made in C by ``range``, less the insides of the few ASCII words: a
    quarter of the time of a loop over the characters (40 ms instead of 155 for 2 MB,
    0.8 instead of 3 for the 45 KB speech, CPU time).
    """
    bounds: list[int] = []
    previous = 0
    for word in _ASCII_WORD.finditer(text):
        bounds.extend(range(previous, word.start() + 1))
        previous = word.end()
    bounds.extend(range(previous, len(text) + 1))
    return bounds


class ReaderState:
    """Cursor, selection, annotations and layout of one open document."""

    def __init__(
        self,
        text: str,
        panes: PaneTexts,
        *,
        view: CleanView | None = None,
        problems: Sequence[ProblemSpan] = (),
    ) -> None:
        """``panes`` are of ``view.text`` when a clean view is given, else of ``text``."""
        self.text = text
        self.panes = panes
        self.original = SIMPLIFIED if panes.original == "simplified" else TRADITIONAL
        self.texts = (panes.simplified.text, panes.traditional.text)
        self.maps: tuple[OffsetMap, OffsetMap] = (panes.simplified.map, panes.traditional.map)
        self.cursor = 0
        self.anchor: int | None = None  # selection anchor; None = no selection
        self.sticky_select = False  # "v": every movement extends the selection
        self.goal_x: int | None = None  # column kept while moving up and down
        self.boundaries: list[int] = fallback_boundaries(text)
        self.segmented = False
        self.sentences = sentence_spans(text)
        self.paragraphs = paragraph_spans(text)
        self.placed: list[Placed] = []
        self.orphans: list[Annotation] = []  # passages no longer in the text
        self.layout: DocumentLayout | None = None
        self.clean = view is not None
        self.view = None if view is None or view.is_identity else view
        #: the problems drawn as marks: all of them, less what the clean view hides
        self.marks: list[ProblemSpan] = [
            p for p in problems if not (self.clean and p.kind in CLEANED_KINDS)
        ]
        self._mark_cache: dict[int, tuple[list[int], list[int], list[ProblemSpan]]] = {}

    # --- layout -------------------------------------------------------------------

    def relayout(self, width: int) -> DocumentLayout:
        if self.layout is None or self.layout.width != width:
            self.layout = layout_document(self.texts[0], self.texts[1], width)
        return self.layout

    def to_pane(self, side: int, offset: int) -> int:
        if self.view is not None:
            offset = self.view.map.to_dst(offset)
        return self.maps[side].to_dst(offset)

    def from_pane(self, side: int, offset: int) -> int:
        offset = self.maps[side].to_src(offset)
        return offset if self.view is None else self.view.map.to_src(offset)

    def span_to_pane(self, side: int, start: int, end: int) -> tuple[int, int]:
        if self.view is not None:
            start, end = self.view.map.span_to_dst(start, end)
        return self.maps[side].span_to_dst(start, end)

    def marks_in(self, side: int, start: int, end: int) -> list[tuple[int, int, ProblemSpan]]:
        """Problem marks drawn on pane offsets ``start..end``, as pane spans."""
        if side not in self._mark_cache:
            spans = [(*self.span_to_pane(side, m.start, m.end), m) for m in self.marks]
            reach, furthest = [], 0  # running maximum of the ends: bisectable
            for _, b, _ in spans:
                furthest = max(furthest, b)
                reach.append(furthest)
            self._mark_cache[side] = ([a for a, _, _ in spans], reach, spans)
        starts, reach, spans = self._mark_cache[side]
        first, last = bisect_right(reach, start), bisect_right(starts, end - 1)
        return [span for span in spans[first:last] if span[1] > start and span[0] < end]

    def cursor_row(self, side: int | None = None) -> int:
        assert self.layout is not None
        side = self.original if side is None else side
        return self.layout.panes[side].row_of(self.to_pane(side, self.cursor))

    def offset_at(self, side: int, row: int, x: int, *, nearest: bool = False) -> int:
        """Source offset of the character drawn at cell ``x`` of ``row`` in a pane.

        With ``nearest``, the right half of a wide character means the position after
        it (how a drag includes the character the pointer is on, as editors do).
        """
        assert self.layout is not None
        rows = self.layout.panes[side]
        row = max(0, min(row, self.layout.height - 1))
        start, end = rows.starts[row], rows.ends[row]
        text = self.texts[side]
        cells = 0
        pos = start
        while pos < end:
            width = char_cells(text[pos], cells, self.layout.width)  # a tab: to its tab stop
            if cells + width > x:
                if nearest and x - cells >= width / 2:
                    pos += 1
                break
            cells += width
            pos += 1
        return self.from_pane(side, pos)

    def _x_of(self, side: int, offset: int) -> int:
        assert self.layout is not None
        rows = self.layout.panes[side]
        pane_offset = self.to_pane(side, offset)
        row = rows.row_of(pane_offset)
        text = self.texts[side]
        cells = 0
        for ch in text[rows.starts[row] : pane_offset]:
            cells += char_cells(ch, cells, self.layout.width)
        return cells

    # --- selection ----------------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return (min(self.anchor, self.cursor), max(self.anchor, self.cursor))

    def select(
        self, start: int, end: int, *, cursor_at_start: bool = False, snap: bool = False
    ) -> None:
        """Select ``start..end`` with the cursor at its end (or its start).

        ``snap`` (a selection the user makes, such as ``s``) widens it to whole units of
        the clean view; a search hit or an annotation is shown exactly as stored.
        """
        if snap and self.view is not None:
            start, end = self.view.snap(start), self.view.snap(end, forward=True)
        self.anchor, self.cursor = self._clamp(start), self._clamp(end)
        if cursor_at_start:
            self.anchor, self.cursor = self.cursor, self.anchor
        self.goal_x = None

    def snap_to_view(self) -> None:
        """Cursor and selection on whole units (when a document is switched to the clean view)."""
        if self.view is None:
            return
        if self.anchor is None:
            self.cursor = self.view.snap(self.cursor)
            return
        if self.anchor <= self.cursor:
            self.anchor = self.view.snap(self.anchor)
            self.cursor = self.view.snap(self.cursor, forward=True)
        else:
            self.cursor = self.view.snap(self.cursor)
            self.anchor = self.view.snap(self.anchor, forward=True)

    def clear_selection(self) -> None:
        self.anchor = None
        self.sticky_select = False

    def _clamp(self, offset: int) -> int:
        return max(0, min(offset, len(self.text)))

    def move(self, offset: int, *, extend: bool = False, keep_goal: bool = False) -> None:
        """Put the cursor at ``offset``; ``extend`` (or sticky selection) grows the selection.

        In the clean view the cursor goes on to the next unit in the direction it
        moves: into a hidden gloss means past it going right, onto its character going
        left (or with no direction, such as a jump).
        """
        offset = self._clamp(offset)
        if self.view is not None:
            offset = self.view.snap(offset, forward=offset > self.cursor)
        if extend or self.sticky_select:
            if self.anchor is None:
                self.anchor = self.cursor
        else:
            self.anchor = None
        self.cursor = offset
        if not keep_goal:
            self.goal_x = None

    # --- movements (each returns the target offset) -------------------------------

    def char_left(self) -> int:
        return self.cursor - 1

    def char_right(self) -> int:
        return self.cursor + 1

    def word_right(self) -> int:
        return next_word_start(self.text, self.boundaries, self.cursor)

    def word_left(self) -> int:
        return prev_word_start(self.text, self.boundaries, self.cursor)

    def sentence_right(self) -> int:
        return next_span_start(self.sentences, self.cursor, len(self.text))

    def sentence_left(self) -> int:
        return prev_span_start(self.sentences, self.cursor)

    def paragraph_right(self) -> int:
        return next_span_start(self.paragraphs, self.cursor, len(self.text))

    def paragraph_left(self) -> int:
        return prev_span_start(self.paragraphs, self.cursor)

    def row_delta(self, delta: int) -> int:
        """Offset ``delta`` rows down (up if negative) in the original pane, keeping the column."""
        assert self.layout is not None
        side = self.original
        rows = self.layout.panes[side]
        if self.goal_x is None:
            self.goal_x = self._x_of(side, self.cursor)
        row = self.cursor_row(side) + delta
        if row < 0:
            return 0
        if row >= self.layout.height:
            return len(self.text)
        step = 1 if delta > 0 else -1
        while 0 <= row < self.layout.height and not rows.real[row]:
            row += step  # skip pad rows, which show nothing of this pane
        if not 0 <= row < self.layout.height:
            return self.cursor
        return self.offset_at(side, row, self.goal_x)

    def row_home(self) -> int:
        assert self.layout is not None
        side = self.original
        rows = self.layout.panes[side]
        return self.from_pane(side, rows.starts[self.cursor_row(side)])

    def row_end(self) -> int:
        assert self.layout is not None
        side = self.original
        rows = self.layout.panes[side]
        return self.from_pane(side, rows.ends[self.cursor_row(side)])

    # --- units at the cursor ------------------------------------------------------

    def sentence_at_cursor(self) -> tuple[int, int] | None:
        return span_at(self.sentences, self.cursor)

    def paragraph_at_cursor(self) -> tuple[int, int] | None:
        return span_at(self.paragraphs, self.cursor)

    # --- annotations --------------------------------------------------------------

    def mark_at(self, offset: int) -> ProblemSpan | None:
        """The problem mark the cursor at ``offset`` stands on, if any."""
        for mark in self.marks:
            if mark.start > offset:
                break
            if offset < mark.end:
                return mark
        return None

    def next_mark(self, direction: int) -> ProblemSpan | None:
        """The next mark after the cursor (``direction`` 1) or before it (-1), wrapping round."""
        if not self.marks:
            return None
        starts = [m.start for m in self.marks]
        if direction > 0:
            index = bisect_right(starts, self.cursor) % len(starts)
        else:
            here = self.mark_at(self.cursor)
            cursor = here.start if here is not None else self.cursor
            index = (bisect_right(starts, cursor - 1) - 1) % len(starts)
        return self.marks[index]

    def annotations_at(self, offset: int, coder: str | None = None) -> list[Placed]:
        """Annotations covering ``offset``, innermost (shortest) first; of two on the
        same span, ``coder``'s own first (the one the reader's keys act on)."""
        hits = [p for p in self.placed if p.start <= offset < p.end]
        return sorted(hits, key=lambda p: (p.end - p.start, p.start, p.annotation.coder != coder))

    def position_percent(self) -> str:
        """How far through the text the cursor is, for the status line ("37%").

        In a long text a page is less than 1 %, so the figure gets a decimal there
        ("0.4%"): otherwise paging through a 100,000-character speech would leave the
        status at 0 % for pages on end.
        """
        if not self.text:
            return "100%"
        share = 100 * self.cursor / len(self.text)
        return f"{share:.1f}%" if len(self.text) >= LONG_TEXT else f"{round(share)}%"
