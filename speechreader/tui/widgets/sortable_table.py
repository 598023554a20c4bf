"""A table of figures that sorts by the column under the cursor, and colours cells as a heat map.

Each cell is ``(value, shown)``: ``value`` sorts (numbers largest first, text in
order), ``shown`` is what is drawn. ``s`` sorts by the cursor's column, again to
reverse. Rows and columns carry keys (a tag, a group, a word), so what Enter means
does not depend on where the sort put them. User text is shown literally.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.color import Color
from textual.widgets import DataTable

from speechreader.tui.literal import literal

MAX_WIDTH = 40  # cells: a long title or passage is cut, the table stays readable
#: rows drawn at most: a DataTable of 10,000 rows takes seconds to build and paint on
#: the UI thread; sorting still runs over every row, so ``s`` brings any of them up
ROW_LIMIT = 1000
LOW = Color.parse("#1d3557")
HIGH = Color.parse("#e76f51")


def heat(value: float, maximum: float, text: str) -> Text:
    """``text`` on a background from dark blue (low) to orange (the largest value)."""
    if maximum <= 0 or value <= 0:
        return Text(text, style="dim", justify="right")
    share = min(1.0, value / maximum)
    background = LOW.blend(HIGH, share)
    colour = "black" if share > 0.6 else "white"
    return Text(text, style=f"{colour} on {background.hex}", justify="right")


def number(text: str) -> Text:
    return Text(text, justify="right")


@dataclass(frozen=True)
class Row:
    key: str
    cells: Sequence[tuple[Any, Text | str]]


class SortableTable(DataTable):
    """A DataTable whose rows are re-sorted by the cursor's column with ``s``."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("s", "sort", "Sort by column")]

    def __init__(self, **kwargs) -> None:
        super().__init__(cursor_type="cell", zebra_stripes=True, **kwargs)
        self.headers: list[str] = []
        self.column_keys: list[str] = []
        self.rows_data: list[Row] = []
        self.sorted_by: tuple[int, bool] | None = None

    def show(
        self,
        headers: Sequence[str],
        rows: Sequence[Row],
        *,
        column_keys: Sequence[str] | None = None,
        sort: tuple[int, bool] | None = None,
    ) -> None:
        """Replace the table; ``sort`` is (column, descending) or None for the given order."""
        self.headers = list(headers)
        self.column_keys = list(column_keys or headers)
        self.rows_data = list(rows)
        self.sorted_by = sort
        self._refill()

    def _refill(self) -> None:
        cursor = self.cursor_coordinate
        self.clear(columns=True)
        rows = self.rows_data
        if self.sorted_by is not None:
            column, descending = self.sorted_by
            rows = sorted(rows, key=lambda r: _sort_key(r.cells[column][0]), reverse=descending)
        rows = rows[:ROW_LIMIT]
        shown = [[c if isinstance(c, Text) else literal(c) for _, c in r.cells] for r in rows]
        for i, header in enumerate(self.headers):
            mark = ""
            if self.sorted_by and self.sorted_by[0] == i:
                mark = " ▼" if self.sorted_by[1] else " ▲"
            label = literal(header + mark)
            width = max([label.cell_len, *(cells[i].cell_len for cells in shown)])
            self.add_column(label, key=str(i), width=min(width, MAX_WIDTH))
        for row, cells in zip(rows, shown, strict=True):
            self.add_row(*cells, key=row.key)
        if self.row_count:
            self.move_cursor(
                row=min(cursor.row, self.row_count - 1),
                column=min(cursor.column, len(self.headers) - 1),
            )

    @property
    def hidden_rows(self) -> int:
        """Rows beyond :data:`ROW_LIMIT`, not drawn (sorting reaches them)."""
        return max(0, len(self.rows_data) - ROW_LIMIT)

    def action_sort(self) -> None:
        if not self.headers:
            return
        column = self.cursor_coordinate.column
        numeric = any(isinstance(r.cells[column][0], int | float) for r in self.rows_data)
        if self.sorted_by and self.sorted_by[0] == column:
            self.sorted_by = (column, not self.sorted_by[1])
        else:
            self.sorted_by = (column, numeric)  # numbers: largest first
        self._refill()

    def cursor_keys(self) -> tuple[str, str] | None:
        """(row key, column key) under the cursor."""
        if not self.row_count:
            return None
        row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        return str(row_key.value), self.column_keys[self.cursor_coordinate.column]


def _sort_key(value: Any) -> tuple:
    if isinstance(value, int | float):
        return (0, value, "")
    return (1, 0, str(value))
