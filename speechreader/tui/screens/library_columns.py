"""The library's columns: what each shows, how wide it is, how it sorts.

Widths share the terminal: fixed columns keep their width, the title gets most of
what is left. A header always has room for its sort indicator (▲ ▼) on the sorted
column, and on every column where the terminal has room, so the headers do not shift
when the sort moves. Text columns sort by pinyin (郭聲琨, 李俊, 鹿心社, 王寧), both
scripts together; empty values last.
"""

from __future__ import annotations

from rich.cells import cell_len

from speechreader.core.corpus import DocumentInfo
from speechreader.tui import problems
from speechreader.tui.widgets.document_table import TableColumn

COLUMNS: tuple[TableColumn, ...] = (
    TableColumn("title", "Title", 0),
    TableColumn("date", "Date", 10),
    TableColumn("speaker", "Speaker", 0),
    TableColumn("place", "Place", 0),
    TableColumn("script", "Script", 6),
    TableColumn("chars", "Length", 6, align_right=True),
    TableColumn("annotations", "Coded", 5, align_right=True),
    TableColumn("problems", "!", 3),
)
_FLEXIBLE = ("title", "speaker", "place", "problems")
#: From this width on, the problems column has counts (M4 G97), not just letters (MG).
WIDE = 110
PROBLEMS_WIDE = ("Distrust", 12)
_SCRIPT_SHORT = {"simplified": "simp", "traditional": "trad", "mixed": "mixed"}
#: Text columns read by pinyin when sorted (date and script sort as written).
PINYIN_COLUMNS = frozenset({"title", "speaker", "place"})
NUMBER_COLUMNS = frozenset({"chars", "annotations"})
#: What a sorted header adds: " ▲" or " ▼".
INDICATOR = 2
#: The title keeps at least this much when other headers grow to fit their indicator.
_TITLE_KEEPS = 30
_TITLE_MIN = 8

#: Shown once anyone has marked a document done: who has (coders' names, cut to fit).
DONE_COLUMN = TableColumn("done", "Done", 10)
#: The Done column's width on a narrow terminal, where it shows a count, not names.
NARROW_DONE = 4


def flexible_widths(total: int, columns: tuple[TableColumn, ...] = COLUMNS) -> dict[str, int]:
    """Widths of the columns that share what the fixed ones leave: the title gets most.

    At 80 columns every column still fits on screen; wider terminals give the extra
    room to the title once speaker and place have enough.
    """
    flags = PROBLEMS_WIDE[1] if total >= WIDE else COLUMNS[-1].width
    flexible = (*_FLEXIBLE, DONE_COLUMN.key)
    fixed = sum(c.width for c in columns if c.key not in flexible) + 2 * len(columns) + 4
    widths: dict[str, int] = {}
    avail = total - fixed - flags
    if any(c.key == DONE_COLUMN.key for c in columns):
        # narrow terminals: the Done column shrinks to a count of coders before the title does
        widths[DONE_COLUMN.key] = max(NARROW_DONE, min(DONE_COLUMN.width, avail - 24))
        avail -= widths[DONE_COLUMN.key]
    rest = max(24 if widths else 30, avail)
    speaker = max(6, min(16, rest * 18 // 100))
    place = max(6, min(20, rest * 22 // 100))
    widths.update(title=rest - speaker - place, speaker=speaker, place=place, problems=flags)
    return widths


def header_label(column: TableColumn, wide: bool) -> str:
    return PROBLEMS_WIDE[0] if column.key == "problems" and wide else column.label


def column_widths(
    total: int, columns: tuple[TableColumn, ...], sorted_key: str | None, *, wide: bool
) -> dict[str, int]:
    """Every column's width: :func:`flexible_widths`, then headers made to fit their
    label and sort indicator, the room taken from the title.

    Where the title keeps ``_TITLE_KEEPS`` cells, every header fits its indicator
    (nothing moves when the sort changes); on a narrow terminal only the sorted one.
    """
    flexible = flexible_widths(total, columns)
    widths = {c.key: flexible.get(c.key, c.width) for c in columns}
    short = {
        c.key: cell_len(header_label(c, wide)) + INDICATOR - widths[c.key]
        for c in columns
        if c.key != "title" and cell_len(header_label(c, wide)) + INDICATOR > widths[c.key]
    }
    if sum(short.values()) <= widths["title"] - _TITLE_KEEPS:
        grow = short
    elif sorted_key in short:
        grow = {sorted_key: min(short[sorted_key], max(0, widths["title"] - _TITLE_MIN))}
    else:
        grow = {}
    for key, extra in grow.items():
        widths[key] += extra
        widths["title"] -= extra
    return widths


def done_cell(coders: list[str], width: int) -> str:
    """Who is done with a document: their names, or only how many when the column is narrow."""
    if width <= NARROW_DONE and coders:
        return str(len(coders))
    return ", ".join(coders)


def row_values(doc: DocumentInfo, coded: int, wide: bool) -> dict[str, object]:
    meta = doc.metadata
    return {
        "title": doc.title,
        "date": meta.get("date", ""),
        "speaker": meta.get("speaker", ""),
        "place": meta.get("place", ""),
        "script": _SCRIPT_SHORT.get(doc.script, doc.script),
        "chars": doc.chars,
        "annotations": coded,
        "problems": problems.badge(doc.problems, counts=wide),
    }


def distrust(doc: DocumentInfo) -> tuple:
    """Sort key: damage (mojibake, lost characters) above noise, then by how much."""
    damage = sum(p.count for p in doc.problems if problems.group(p.kind) == "damage")
    return (damage, sum(p.count for p in doc.problems), doc.id)


def fold(text: str) -> str:
    """Script- and case-insensitive form for filtering: 廣西 and 广西 match alike."""
    from speechreader.core.text import convert

    return convert(text, "t2s").casefold()
