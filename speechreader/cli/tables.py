"""Tables on the terminal, and the same rows as JSON, CSV or Parquet.

Every analysis command prints an aligned table by default (Chinese takes two cells,
so widths are measured in cells), ``--json`` prints the rows' JSON forms (a
contract), and ``--csv FILE`` / ``--parquet FILE`` write the same rows with their
column types. Text from files and people is shown with control characters as
visible pictures, never sent to the terminal as escapes.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click

from speechreader.cli.common import echo_json

NEWLINE_MARK = "⏎"


def shown(value: object) -> str:
    """Text for a terminal line: control characters as pictures, line breaks as ⏎."""
    from speechreader.tui.layout import display_text

    text = str(value).replace("\r\n", "\n").replace("\n", NEWLINE_MARK).replace("\t", " ")
    return display_text(text)


def cells(text: str) -> int:
    """Terminal cells of ``text`` as :func:`shown` gives it (ASCII: one each, quickly)."""
    from rich.cells import cell_len

    return len(text) if text.isascii() else cell_len(text)


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (with …), never padded."""
    from rich.cells import set_cell_size

    if len(text) <= width // 2 or cells(text) <= width:  # a cell is at most two wide
        return text
    return set_cell_size(text, max(0, width - 1)) + "…"


@dataclass(frozen=True)
class Column:
    """A column of a terminal table: its heading, how a row shows in it, its alignment."""

    heading: str
    cell: Callable[[Any], str]
    right: bool = False
    max_width: int = 40


def print_table(columns: Sequence[Column], rows: Sequence[Any]) -> None:
    """An aligned table (widths in terminal cells) on standard output.

    Each cell is measured once, a text that repeats (a tag, a speaker: a crosstab by
    speaker has 40,000 rows of a few thousand names) only the first time, and the table
    is written at once."""
    seen: dict[tuple[str, int], tuple[str, int]] = {}
    table = [[_cell(c.heading, 1 << 30, seen) for c in columns]]
    table += [[_cell(c.cell(row), c.max_width, seen) for c in columns] for row in rows]
    widths = [max(line[i][1] for line in table) for i in range(len(columns))]
    right = [c.right for c in columns]

    def line(values: Sequence[tuple[str, int]]) -> str:
        parts = []
        for (value, size), width, to_right in zip(values, widths, right, strict=True):
            pad = " " * (width - size)
            parts.append(pad + value if to_right else value + pad)
        return "  ".join(parts).rstrip()

    click.echo("\n".join(map(line, table)))


def _cell(
    value: object, max_width: int, seen: dict[tuple[str, int], tuple[str, int]]
) -> tuple[str, int]:
    """A cell's text for the terminal and its width in cells (``seen``: those measured)."""
    text = str(value)
    if text.isascii() and text.isprintable() and len(text) <= max_width:  # numbers, mostly
        return text, len(text)
    known = seen.get((text, max_width))
    if known is None:
        fitted = fit(shown(text), max_width)
        known = seen[(text, max_width)] = (fitted, cells(fitted))
    return known


def output(
    rows: Sequence[Any],
    row_type: type,
    *,
    as_json: bool,
    csv_file: Path | None,
    parquet_file: Path | None,
    show: Callable[[], None],
) -> None:
    """Write ``rows`` (of ``row_type``, whose COLUMNS give names and types) where asked:
    JSON on stdout, a CSV file, a Parquet file; with none of them, ``show()`` a table."""
    from speechreader.core.exchange import write_table

    for path in (csv_file, parquet_file):
        if path is not None:
            count = write_table(path, row_type.COLUMNS, [r.values() for r in rows])
            click.echo(f"wrote {count} row{'s' if count != 1 else ''} to {path}", err=True)
    if as_json:
        echo_json([r.to_json() for r in rows])
    elif csv_file is None and parquet_file is None:
        show()


def note(message: str) -> None:
    """A line for the person at the terminal (stderr, so stdout stays the table or JSON)."""
    click.echo(shown(message), err=True)


def progress(what: str) -> Callable[[int, int], None] | None:
    """A progress line on stderr while slow work runs, if stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def report(done: int, total: int) -> None:
        click.echo(f"\r{what}: {done}/{total}", err=True, nl=done >= total)

    return report
