"""One pane of the reader: a document in one script, drawn row by row (Line API).

The two panes are separate widgets on purpose. Textual positions every widget's
piece of a line with its own cursor move, so if a terminal draws an
"ambiguous-width" character (“ ” … —) wider than we measured, the damage stays
inside the left pane instead of pushing the right one out of line.

A pane draws from the shared :class:`~speechreader.tui.state.ReaderState`; it holds
no state of its own except its scroll position, which the reader keeps in sync.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from speechreader.core.store import HIGHLIGHTS
from speechreader.tui.layout import display_row
from speechreader.tui.problems import group

if TYPE_CHECKING:
    from speechreader.tui.state import ReaderState

#: Terminal-friendly values for the highlight colour names.
HIGHLIGHT_HEX = {
    "yellow": "#f5e663",
    "green": "#8fd694",
    "blue": "#8ab6f9",
    "pink": "#f7a8d8",
    "orange": "#f9b572",
}
assert set(HIGHLIGHT_HEX) == set(HIGHLIGHTS)


def colour_style(colour: str, *, overlap: bool = False) -> Style:
    """Background ``colour`` with a readable foreground; overlaps are also underlined."""
    value = HIGHLIGHT_HEX.get(colour, colour)
    try:
        parsed = Color.parse(value)
    except Exception:  # a hand-edited colour we cannot parse: fall back to yellow
        parsed = Color.parse(HIGHLIGHT_HEX["yellow"])
    r, g, b = parsed.get_truecolor()
    light = (0.299 * r + 0.587 * g + 0.114 * b) > 140
    return Style(
        bgcolor=parsed, color="#000000" if light else "#ffffff", underline=overlap, bold=overlap
    )


class PaneView(ScrollView, can_focus=False):
    """Draws one side (0 = simplified, 1 = traditional) of the reader."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "pane--cursor",
        "pane--cursor-mirror",
        "pane--selection",
        "pane--mark-damage",
        "pane--mark-noise",
        "pane--mark-wording",
    }

    # Problem marks are underlined (and bold, dim or italic by group) so that they show
    # without colour too, and over an annotation's background without hiding it.
    DEFAULT_CSS = """
    PaneView { scrollbar-size-vertical: 1; overflow-x: hidden; overflow-y: scroll; }
    PaneView > .pane--cursor { background: $accent; color: $text; text-style: bold; }
    PaneView > .pane--cursor-mirror { background: $accent 50%; text-style: underline; }
    PaneView > .pane--selection { background: $primary 60%; color: $text; }
    PaneView > .pane--mark-damage { color: $error; text-style: bold underline; }
    PaneView > .pane--mark-noise { color: $text-muted; text-style: dim underline; }
    PaneView > .pane--mark-wording { color: $warning; text-style: italic underline; }
    """

    class Pressed(Message):
        """The mouse went down (``drag`` False) or moved with a button held (``drag`` True)."""

        def __init__(self, side: int, offset: int, *, drag: bool, shift: bool) -> None:
            super().__init__()
            self.side = side
            self.offset = offset
            self.drag = drag
            self.shift = shift

    def __init__(
        self,
        side: int,
        state: ReaderState | None = None,
        *,
        on_scroll: Callable[[int, float], None] | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.side = side
        self.state = state
        self.on_scroll = on_scroll
        self.styles_cache: dict[tuple[str, bool], Style] = {}
        self._dragging = False
        self.active = True  # the reader has focus: draw the cursor at full strength
        self._styles: dict[str, Style] | None = None
        self._mark_over: dict[tuple[Style, str], Style] = {}
        #: the layout row last drawn at the top of the pane (-1: none yet), and its first
        #: source offset: what the terminal shows, which may lag ``scroll_y`` by a frame
        #: if a repaint is missed; tests read it to check both panes show the same rows
        self.painted_top_row = -1
        self.painted_top_offset = -1

    # --- content ------------------------------------------------------------------

    def set_state(self, state: ReaderState, height: int) -> None:
        self.state = state
        self.virtual_size = Size(max(1, self.scrollable_content_region.width), height)
        self.refresh()

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        """Tell the reader at once (not by message) so it moves the other pane now.

        A message would arrive late: after two quick scrolls (opening a document,
        then scrolling to its hit) the first one's message moved the other pane back
        to where this one no longer was, and the panes stayed out of step.
        """
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value) and self.on_scroll is not None:
            self.on_scroll(self.side, new_value)

    def _annotation_runs(self, start: int, end: int) -> list[tuple[int, int, Style]]:
        """Background runs for annotations on pane offsets ``start..end``."""
        state = self.state
        assert state is not None
        coverage: dict[int, list[tuple[int, str]]] = {}
        for placed in state.placed:
            a, b = state.span_to_pane(self.side, placed.start, placed.end)
            if b <= start or a >= end:
                continue
            ann = placed.annotation
            colour = self.app_tag_colour(ann.tags[0]) if ann.tags else (ann.highlight or "yellow")
            for pos in range(max(a, start), min(b, end)):
                coverage.setdefault(pos, []).append((b - a, colour))
        runs: list[tuple[int, int, Style]] = []
        for pos in sorted(coverage):
            layers = sorted(coverage[pos])
            style = self._cached_colour(layers[0][1], len(layers) > 1)
            if runs and runs[-1][1] == pos and runs[-1][2] == style:
                runs[-1] = (runs[-1][0], pos + 1, style)
            else:
                runs.append((pos, pos + 1, style))
        return runs

    def _cached_colour(self, colour: str, overlap: bool) -> Style:
        key = (colour, overlap)
        if key not in self.styles_cache:
            self.styles_cache[key] = colour_style(colour, overlap=overlap)
        return self.styles_cache[key]

    def app_tag_colour(self, name: str) -> str:
        colours = getattr(self.screen, "tag_colours", {})
        return colours.get(name, "#a9a9a9")

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._mark_over = {}

    def _style(self, name: str) -> Style:
        """Base and component styles, computed once per theme/CSS change, not per line."""
        if self._styles is None:
            self._styles = {"base": self.rich_style}
            for component in self.COMPONENT_CLASSES:
                self._styles[component] = self.get_component_rich_style(component)
        return self._styles[name]

    def _marked(self, style: Style | None, kind: str) -> Style:
        """A problem mark: its own style, or only its attributes over an annotation."""
        mark = self._style(f"pane--mark-{group(kind)}")
        if style is None:
            return mark
        key = (style, kind)
        if key not in self._mark_over:
            attributes = Style(underline=True, bold=mark.bold, dim=mark.dim, italic=mark.italic)
            self._mark_over[key] = style + attributes
        return self._mark_over[key]

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        state = self.state
        base = self._style("base")
        if state is None or state.layout is None:
            return Strip.blank(width, base)
        row = round(self.scroll_y) + y
        layout = state.layout
        if row >= layout.height:
            return Strip.blank(width, base)
        rows = layout.panes[self.side]
        start, end = rows.starts[row], rows.ends[row]
        if y == 0:
            self.painted_top_row = row
            self.painted_top_offset = state.from_pane(self.side, start)
        text = state.texts[self.side]
        styles: list[Style | None] = [None] * (end - start + 1)  # +1: cursor after the text
        for a, b, style in self._annotation_runs(start, end):
            for pos in range(a, b):
                styles[pos - start] = style
        for a, b, mark in state.marks_in(self.side, start, end):
            for pos in range(max(a, start), min(b, end)):
                styles[pos - start] = self._marked(styles[pos - start], mark.kind)
        selection = state.selection
        if selection:
            sel_a, sel_b = state.span_to_pane(self.side, *selection)
            sel_style = self._style("pane--selection")
            for pos in range(max(sel_a, start), min(sel_b, end)):
                styles[pos - start] = sel_style
        cursor = state.to_pane(self.side, state.cursor)
        show_cursor = rows.real[row] and rows.row_of(cursor) == row and start <= cursor <= end
        if show_cursor:
            name = "pane--cursor" if self.side == state.original else "pane--cursor-mirror"
            cursor_style = self._style(name)
            if not self.active:
                cursor_style = cursor_style + Style(dim=True)
            styles[cursor - start] = cursor_style
        segments: list[Segment] = []
        run_start = start
        run_style = styles[0]
        column = 0  # where the run starts on screen: a tab reaches the next tab stop
        for pos in range(start + 1, end + 1):
            style = styles[pos - start]
            if style != run_style:
                shown, column = display_row(text[run_start:pos], column, layout.width)
                segments.append(Segment(shown, base + run_style if run_style else base))
                run_start, run_style = pos, style
        if run_start < end:
            shown, column = display_row(text[run_start:end], column, layout.width)
            segments.append(Segment(shown, base + run_style if run_style else base))
        if show_cursor and cursor == end:
            segments.append(Segment(" ", base + styles[end - start]))
            column += 1
        if column > width:  # cannot happen (rows are laid out narrower): crop, to be safe
            return Strip(segments).crop_extend(0, width, base)
        # The cells are known (the layout's measure, Rich's tables): telling the strip
        # saves measuring every character again, a third of a 2 MB PageDown's drawing.
        return Strip(segments, column).extend_cell_length(width, base)

    # --- mouse --------------------------------------------------------------------

    def _offset_for(self, event: events.MouseEvent, *, nearest: bool = False) -> int | None:
        if self.state is None or self.state.layout is None:
            return None
        # Clicks on the padding beside the text count as its nearest column.
        region = self.content_region
        x = max(0, event.screen_x - region.x)
        y = max(0, min(event.screen_y - region.y, region.height - 1))
        return self.state.offset_at(self.side, round(self.scroll_y) + y, x, nearest=nearest)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        target = self._offset_for(event)
        if target is None:
            return
        self._dragging = True
        self.capture_mouse()
        self.post_message(self.Pressed(self.side, target, drag=False, shift=event.shift))

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        target = self._offset_for(event, nearest=True)
        if target is not None:
            self.post_message(self.Pressed(self.side, target, drag=True, shift=True))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()
