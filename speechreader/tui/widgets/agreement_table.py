"""The agreement table: one row per tag and group, α as a horizontal bar.

The bar reads without colour: its length is α (0 to 1), ``◀`` marks a negative α,
dots an undefined one; a verdict beside it follows Krippendorff's guide (α ≥ .800
reliable ``✓``, ≥ .667 tentative ``~``, below ``✗``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.message import Message
from textual.strip import Strip

from speechreader.tui.widgets.cursor_list import CursorList
from speechreader.tui.widgets.document_table import fit

BAR = 20


@dataclass
class AgreementRow:
    """What a row shows (the table sorts these)."""

    name: str
    kind: str  # "tag" | "group"
    alpha: float | None
    ci: tuple[float, float] | None
    agree: float | None
    kappa: str  # "0.61" or "0.55–0.70" (pairs), "" for groups
    units: int
    tagged: int  # units tagged (tags) or conflicts (groups)
    note: str = ""


def bar(alpha: float | None, width: int = BAR) -> str:
    """α as a bar of ``width`` cells (see the module docstring)."""
    if alpha is None:
        return "·" * width
    if alpha < 0:
        return "◀" + " " * (width - 1)
    filled = max(0, min(width, round(alpha * width)))
    return "█" * filled + "░" * (width - filled)


def verdict(alpha: float | None) -> str:
    if alpha is None:
        return "?"
    return "✓" if alpha >= 0.8 else "~" if alpha >= 0.667 else "✗"


def _num(value: float | None) -> str:
    return "—" if value is None else f"{value:.3f}"


class AgreementTable(CursorList):
    """Rows of :class:`AgreementRow`; Enter posts :class:`AgreementTable.Opened`."""

    header_lines = 1
    CURSOR_CLASS = "agreement--cursor"
    COMPONENT_CLASSES: ClassVar[set[str]] = {"agreement--header", "agreement--cursor"}
    DEFAULT_CSS = """
    AgreementTable { overflow-x: hidden; overflow-y: scroll; scrollbar-size-vertical: 1; }
    AgreementTable > .agreement--header { text-style: bold; background: $panel; }
    AgreementTable > .agreement--cursor { background: $accent 40%; text-style: bold; }
    AgreementTable:focus > .agreement--cursor { background: $accent; color: $text; }
    """

    class Opened(Message):
        def __init__(self, row: AgreementRow) -> None:
            super().__init__()
            self.row = row

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[AgreementRow] = []
        self.show_ci = False

    @property
    def row_count(self) -> int:
        return len(self.rows)

    def set_rows(self, rows: list[AgreementRow], *, show_ci: bool = False) -> None:
        self.show_ci = show_ci
        keep = self.rows[self.cursor].name if self.rows else None
        self.rows = rows
        names = [r.name for r in rows]
        self.rows_changed(cursor=names.index(keep) if keep in names else 0)

    def _columns(self, width: int) -> list[tuple[str, int, bool]]:
        """(title, width, right-aligned); the bar shrinks and the CI shows only once computed."""
        bar_width = BAR if width >= 110 else BAR // 2
        columns = [("tag / group", 0, False), ("α", bar_width + 2, False), ("", 6, True)]
        if self.show_ci:
            columns.append(("95% CI", 13, False))
        columns += [("agree", 6, True), ("κ (pairs)", 9, True), ("tagged", 6, True)]
        fixed = sum(w for _, w, _ in columns[1:]) + 2 * len(columns)
        columns[0] = ("tag / group", max(8, width - fixed), False)
        return columns

    def _line(self, cells: list[str], style: Style, width: int) -> Strip:
        return Strip(
            Segment(" " + fit(value, w, right=right) + " ", style)
            for (_, w, right), value in zip(self._columns(width), cells, strict=True)
        )

    def render_header(self, line: int, width: int) -> Strip:
        style = self.rich_style + self.get_component_rich_style("agreement--header")
        cells = [title for title, _, _ in self._columns(width)]
        return self._line(cells, style, width).crop_extend(0, width, style)

    def render_row(self, index: int, style: Style, width: int) -> Strip:
        row = self.rows[index]
        columns = self._columns(width)
        name = row.name if row.kind == "tag" else f"◆ {row.name} (group)"
        agree = "—" if row.agree is None else f"{100 * row.agree:.1f}%"
        cells = [name, f"{bar(row.alpha, columns[1][1] - 2)} {verdict(row.alpha)}", _num(row.alpha)]
        if self.show_ci:
            cells.append("—" if row.ci is None else f"{row.ci[0]:.2f} – {row.ci[1]:.2f}")
        cells += [agree, row.kappa, str(row.tagged)]
        return self._line(cells, style, width)

    def activated(self, index: int) -> None:
        self.post_message(self.Opened(self.rows[index]))
