"""A list of rows with a cursor, drawn with the Line API: only visible rows cost anything.

The library table (10,000 documents) and the KWIC results (200,000 hits) are both
this: keys move a cursor row, the view follows it, a move repaints two lines, Enter
or a click on the cursor row opens it. Subclasses say how many rows there are, how
to draw one, and whether line 0 is a fixed header.
"""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip


class CursorList(ScrollView, can_focus=True):
    """Rows ``0..row_count-1`` under ``header_lines`` fixed lines; ``cursor`` is one row."""

    header_lines = 0
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "cursor(-1)", "Up", show=False),
        Binding("down", "cursor(1)", "Down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "edge(0)", "First", show=False),
        Binding("end", "edge(1)", "Last", show=False),
        Binding("enter", "open", "Open"),
    ]

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.cursor = 0

    # --- for subclasses -----------------------------------------------------------

    @property
    def row_count(self) -> int:
        raise NotImplementedError

    def render_row(self, index: int, style: Style, width: int) -> Strip:
        """Row ``index`` drawn in ``style`` (the cursor's or the base one)."""
        raise NotImplementedError

    def render_header(self, line: int, width: int) -> Strip:
        return Strip.blank(width, self.rich_style)

    #: the component class (of the subclass) that styles the cursor row
    CURSOR_CLASS = ""

    def cursor_style(self, index: int) -> Style:
        """The style a row is drawn in; subclasses add zebra stripes and the like."""
        if index == self.cursor and self.CURSOR_CLASS:
            return self.get_component_rich_style(self.CURSOR_CLASS)
        return Style()

    # --- drawing and size ---------------------------------------------------------

    def rows_changed(self, *, cursor: int = 0) -> None:
        """Call after replacing the rows: new size, cursor kept in view, full repaint."""
        self.cursor = max(0, min(cursor, self.row_count - 1))
        self.virtual_size = Size(self.size.width, self.row_count + self.header_lines)
        self._follow_cursor()
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        if y < self.header_lines:
            return self.render_header(y, width)
        index = round(self.scroll_y) + y - self.header_lines
        if index >= self.row_count:
            return Strip.blank(width, self.rich_style)
        style = self.rich_style + self.cursor_style(index)
        return self.render_row(index, style, width).crop_extend(0, width, style)

    # --- the cursor ---------------------------------------------------------------

    def _visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - self.header_lines)

    def _follow_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._visible_rows():
            self.scroll_to(y=self.cursor - self._visible_rows() + 1, animate=False, immediate=True)

    def set_cursor(self, index: int) -> None:
        if not self.row_count:
            return
        old, self.cursor = self.cursor, max(0, min(index, self.row_count - 1))
        top = round(self.scroll_y)
        self._follow_cursor()
        if round(self.scroll_y) == top:  # not scrolled: repaint just the two rows
            for row in (old, self.cursor):
                self.refresh(Region(0, row - top + self.header_lines, self.size.width, 1))

    def action_cursor(self, delta: int) -> None:
        self.set_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self.set_cursor(self.cursor + direction * self._visible_rows())

    def action_edge(self, end: int) -> None:
        self.set_cursor(self.row_count - 1 if end else 0)

    def action_open(self) -> None:
        if self.row_count:
            self.activated(self.cursor)

    def activated(self, index: int) -> None:
        """Row ``index`` is to be opened (Enter, or a click on the cursor row).

        Subclasses post their own message, naming what the row is.
        """

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        if offset.y < self.header_lines:
            self.header_clicked(offset.x)
            return
        index = round(self.scroll_y) + offset.y - self.header_lines
        if 0 <= index < self.row_count:
            if index == self.cursor or event.chain > 1:  # like a file manager
                self.set_cursor(index)
                self.action_open()
            else:
                self.set_cursor(index)

    def header_clicked(self, x: int) -> None:
        """A click on the header at cell ``x`` (subclasses sort, for instance)."""
