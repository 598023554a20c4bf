"""Tags drawn as rows of text: colour swatch, tree guides, shortcut digit, count.

Shared by the codebook screen and its dialogs (the tag chooser, the colour picker),
so a tag looks the same wherever it is chosen. Pure functions of the data: no widget
state, easy to test and cheap to redraw (a codebook has tens of tags).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.color import Color, ColorParseError
from rich.text import Text

from speechreader.core.store import TreeRow
from speechreader.tui.widgets.document_table import fit

SWATCH = "    "  # four cells of background colour


def safe_colour(colour: str) -> str | None:
    """``colour`` if Rich can draw it, else None.

    The store accepts any string as a colour (a hand-edited codebook.json, an old
    import); one bad value must not stop the whole screen from drawing.
    """
    try:
        Color.parse(colour)
    except ColorParseError:
        return None
    return colour


def swatch(colour: str, width: int = len(SWATCH)) -> Text:
    """A block of the tag's colour, or ``?`` marks for a colour that cannot be drawn."""
    drawable = safe_colour(colour)
    if drawable is None:
        return Text(fit("?", width), style="bold red")
    return Text(" " * width, style=f"on {drawable}")


def tree_guides(depths: list[int]) -> list[str]:
    """The ``├─``/``└─``/``│`` prefix of each row, given the depths of rows in tree order.

    Top-level rows get no prefix (the tree reads as groups under headings); a child's
    prefix has one three-cell column per ancestor below the top level.
    """
    count = len(depths)
    last = [True] * count
    for i, depth in enumerate(depths):
        for j in range(i + 1, count):
            if depths[j] < depth:
                break
            if depths[j] == depth:
                last[i] = False
                break
    guides: list[str] = []
    continues: dict[int, bool] = {}  # depth -> an ancestor at that depth has a later sibling
    for i, depth in enumerate(depths):
        continues[depth] = not last[i]
        if depth == 0:
            guides.append("")
            continue
        parts = ["│  " if continues.get(level) else "   " for level in range(1, depth)]
        parts.append("└─ " if last[i] else "├─ ")
        guides.append("".join(parts))
    return guides


@dataclass(frozen=True)
class Columns:
    """Cell widths of the codebook table; the description takes what is left."""

    name: int
    description: int

    KEY = 4
    COLOUR = 9  # " #rrggbb "
    COUNT = 11  # "Annotations"

    @classmethod
    def for_width(cls, total: int, rows: list[TreeRow], guides: list[str]) -> Columns:
        fixed = cls.KEY + len(SWATCH) + cls.COLOUR + cls.COUNT + 2
        widest = max(
            (cell_len(g) + cell_len(r.tag.name) for r, g in zip(rows, guides, strict=True)),
            default=0,
        )
        name = max(16, min(widest + 2, max(16, (total - fixed) * 45 // 100)))
        return cls(name, max(10, total - fixed - name))


def header_text(columns: Columns) -> Text:
    text = Text(no_wrap=True, overflow="ellipsis", style="bold")
    text.append(fit("Key", Columns.KEY))
    text.append(fit("Colour", len(SWATCH) + Columns.COLOUR))
    text.append(fit("Tag", columns.name))
    text.append(fit("Annotations", Columns.COUNT, right=True))
    text.append("  " + fit("Description", columns.description))
    return text


def tag_row_text(row: TreeRow, guide: str, columns: Columns) -> Text:
    """One line of the codebook table for ``row``."""
    tag = row.tag
    text = Text(no_wrap=True, overflow="ellipsis")
    digit = str(row.shortcut) if row.shortcut else ""
    text.append(fit(f" {digit}", Columns.KEY), style="bold")
    text.append(swatch(tag.colour))
    text.append(" " + fit(tag.colour, Columns.COLOUR - 1), style="dim")
    text.append(guide, style="dim")
    name_width = max(1, columns.name - cell_len(guide))
    text.append(fit(tag.name, name_width), style="bold" if row.depth == 0 else "")
    text.append(fit(str(row.count), Columns.COUNT, right=True))
    text.append("  ")
    text.append(fit(tag.description, columns.description), style="italic")
    return text


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with an ellipsis, never padded."""
    return fit(text, width) if cell_len(text) > width else fit(text, cell_len(text))


def chooser_text(row: TreeRow, guide: str, note: str = "") -> Text:
    """A tag as a choice in a dialog: swatch, tree position, name, count, note or description.

    One line each (long descriptions are cut), so the tree's guides stay unbroken.
    """
    text = Text(no_wrap=True, overflow="ellipsis")
    text.append(swatch(row.tag.colour, 2))
    text.append(" " + guide, style="dim")
    text.append(clip(row.tag.name, 30), style="bold" if row.depth == 0 else "")
    text.append(f"  ({row.count})", style="dim")
    if note:
        text.append(f"  {note}", style="italic")
    elif row.tag.description:
        text.append(f"  {clip(row.tag.description, 30)}", style="italic dim")
    return text
