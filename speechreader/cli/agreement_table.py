"""The agreement table as text lines, for a person at a terminal."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.words import plural

if TYPE_CHECKING:
    from speechreader.core.reliability import Agreement

#: Up to this many coder pairs get a κ column each; beyond, one column gives the range.
KAPPA_COLUMNS = 3


def _cells(text: str) -> int:
    from rich.cells import cell_len

    return cell_len(text)


def _pad(text: str, width: int, *, right: bool = False) -> str:
    gap = " " * max(0, width - _cells(text))
    return gap + text if right else text + gap


def _num(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def _ci(value: tuple[float, float] | None) -> str:
    return "—" if value is None else f"[{value[0]:.3f}, {value[1]:.3f}]"


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{100 * value:.1f}%"


def _kappa_range(values: list[float | None]) -> str:
    defined = [v for v in values if v is not None]
    if not defined:
        return "—"
    low, high = min(defined), max(defined)
    return f"{low:.3f}" if low == high else f"{low:.3f}–{high:.3f}"


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(_cells(r[i]) for r in [header, *rows]) for i in range(len(header))]
    return [
        "  ".join(_pad(cell, widths[i], right=i in right) for i, cell in enumerate(row)).rstrip()
        for row in [header, *rows]
    ]


def table_lines(result: Agreement) -> list[str]:
    """The heading, the tag table, the group table and the notes."""
    n = len(result.coders)
    docs = plural(result.documents, "document")
    lines = [
        f"Agreement of {n} coders ({', '.join(result.coders)}) on {result.unit} units: "
        f"{docs}, {plural(result.units, 'unit')}",
    ]
    if result.bootstrap:
        lines.append(
            f"95% intervals: {result.bootstrap} bootstrap resamples of the units, "
            f"seed {result.seed}"
        )
    pairs = list(result.tags[0].kappa) if result.tags else []
    each = len(pairs) <= KAPPA_COLUMNS
    header = ["tag", "α"]
    if result.bootstrap:
        header.append("95% CI")
    header.append("agree")
    header += [f"κ {p}" for p in pairs] if each else ["κ (pairs)"]
    header += ["units", "tagged"]
    rows = []
    for t in result.tags:
        row = [t.tag, _num(t.alpha)]
        if result.bootstrap:
            row.append(_ci(t.alpha_ci95))
        row.append(_pct(t.percent_agreement))
        kappas = [t.kappa[p] for p in pairs]
        row += [_num(k) for k in kappas] if each else [_kappa_range(kappas)]
        row += [str(t.units), str(t.units_tagged)]
        rows.append(row)
    if rows:
        lines.append("")
        lines += _table(header, rows, right=set(range(1, len(header))))
    if result.groups:
        g_header = ["group", "level", "α"]
        if result.bootstrap:
            g_header.append("95% CI")
        g_header += ["units", "conflicts", "values"]
        g_rows = []
        for g in result.groups:
            row = [g.group, g.level, _num(g.alpha)]
            if result.bootstrap:
                row.append(_ci(g.alpha_ci95))
            row += [str(g.units), str(len(g.conflicts)), " | ".join(g.values)]
            g_rows.append(row)
        lines.append("")
        lines += _table(g_header, g_rows, right={2, 3, 4} if not result.bootstrap else {2, 3, 4, 5})
        for g in result.groups:
            for c in g.conflicts:
                lines.append(
                    f"  conflict in {g.group}: {c.coder} applied {', '.join(c.values)} "
                    f"to {c.doc_id} {c.start}-{c.end}"
                )
    notes = result.notes()
    if notes:
        lines.append("")
        lines += [f"note: {note}" for note in notes]
    return lines


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def write_csv(result: Agreement, path: Path) -> None:
    """The methods table (:meth:`Agreement.csv_rows`) to ``path``, atomically, UTF-8.

    Text cells (tag names, coders, notes) are made safe from spreadsheet formulas;
    numbers are written as numbers, a negative α included.
    """
    from speechreader.core.errors import InvalidInput
    from speechreader.core.exchange import neutralise
    from speechreader.core.fileio import atomic_write_text

    if path.is_dir():
        raise InvalidInput(f"{path} is a folder; give a file name for the table")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in result.csv_rows():
        writer.writerow([cell if _is_number(cell) else neutralise(cell) for cell in row])
    atomic_write_text(path, buffer.getvalue())
