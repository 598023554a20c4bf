"""The codebook as a research team shares it in a spreadsheet: CSV in and out.

A team agrees on a codebook before coding, often in a spreadsheet, so the codebook
goes in and out as CSV with the columns ``name, parent, colour, description``.
Importing updates the tags that exist and adds the rest, in one undo step, and
reports the rows it could not use instead of refusing the whole file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from speechreader.core.errors import InvalidInput, SpeechreaderError
from speechreader.core.exchange._cells import neutralise, unneutralise
from speechreader.core.store import Tag, check_colour, clean_tag_name, plural, tree_rows
from speechreader.core.text import read_text_file

if TYPE_CHECKING:
    from speechreader.core.store import Store

CSV_COLUMNS: tuple[str, ...] = ("name", "parent", "colour", "description")


def write_codebook_csv(tags: list[Tag], handle: TextIO) -> int:
    """Write the codebook in tree order (parents before children); return the row count."""
    writer = csv.writer(handle, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    rows = tree_rows(tags)
    for row in rows:
        t = row.tag
        writer.writerow([neutralise(c) for c in (t.name, t.parent or "", t.colour, t.description)])
    return len(rows)


@dataclass(frozen=True)
class RowProblem:
    row: int  # spreadsheet row: the header is row 1 (for a .qdc: the code's place in the file)
    reason: str
    unit: str = "row"

    def __str__(self) -> str:
        return f"{self.unit} {self.row}: {self.reason}"


@dataclass
class CodebookRow:
    """One usable row: only the columns the file has are applied."""

    row: int
    name: str
    parent: str | None = None  # "" in the file: top level
    colour: str | None = None
    description: str | None = None
    has_parent: bool = False


@dataclass
class CodebookImport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was changed to fit (renamed codes)

    def summary(self) -> str:
        return (
            f"added {len(self.added)}, updated {len(self.updated)}, "
            f"unchanged {len(self.unchanged)}, rejected {plural(len(self.rejected), 'row')}"
        )


def read_codebook_csv(path: Path) -> tuple[list[CodebookRow], list[RowProblem]]:
    """The usable rows of a codebook CSV (any encoding) and what is wrong with the others."""
    text = read_text_file(path, name=str(path)).text
    reader = csv.DictReader(io.StringIO(text))
    header = [(h or "").strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    if "name" not in header:
        raise InvalidInput(
            f"{path}: not a codebook (no 'name' column; expected {', '.join(CSV_COLUMNS)})"
        )
    rows: list[CodebookRow] = []
    problems: list[RowProblem] = []
    first_row: dict[str, int] = {}
    for number, record in enumerate(reader, start=2):
        cells = {k: unneutralise((v or "").strip()) for k, v in record.items() if k}
        try:
            name = clean_tag_name(cells.get("name", ""))
            if name in first_row:
                raise InvalidInput(f"tag {name!r} is already on row {first_row[name]}")
            item = CodebookRow(number, name)
            if "parent" in cells:
                item.has_parent = True
                item.parent = clean_tag_name(cells["parent"]) if cells["parent"] else None
                if item.parent == name:
                    raise InvalidInput(f"tag {name!r} cannot be its own parent")
            if cells.get("colour"):
                item.colour = check_colour(cells["colour"])
            if "description" in cells:
                item.description = cells["description"]
        except InvalidInput as exc:
            problems.append(RowProblem(number, str(exc)))
            continue
        first_row[name] = number
        rows.append(item)
    return rows, problems


def import_codebook(store: Store, path: Path) -> CodebookImport:
    """Add and update tags from a codebook CSV, as one undo step."""
    rows, problems = read_codebook_csv(path)
    return apply_codebook(store, rows, problems, f"import codebook {path.name}")


def apply_codebook(
    store: Store,
    rows: list[CodebookRow],
    problems: list[RowProblem],
    label: str,
    *,
    unit: str = "row",
) -> CodebookImport:
    """Add the tags of ``rows`` the codebook lacks and update the others, as one undo step.

    Shared by the CSV and the REFI-QDA (.qdc) codebook imports: only the fields a row
    has are applied, a parent may come after its child, and a row that cannot be used
    (unknown parent, a loop) is reported instead of refusing the whole file.
    """
    report = CodebookImport(rejected=list(problems))
    book = {t.name: t for t in store.tags()}
    known = set(book) | {r.name for r in rows}
    usable = []
    for r in rows:
        if r.parent and r.parent not in known:
            report.rejected.append(RowProblem(r.row, f"unknown parent tag {r.parent!r}", unit))
        else:
            usable.append(r)
    new = [r for r in usable if r.name not in book]
    with store.batch(f"{label} ({plural(len(usable), 'tag')})"):
        for r in new:  # first without parents: a parent may come later in the file
            store.add_tag(r.name, colour=r.colour, description=r.description or "")
            report.added.append(r.name)
        for r in usable:
            old = book.get(r.name)
            change: dict = {}
            if old is not None and r.colour is not None and r.colour != old.colour:
                change["colour"] = r.colour
            if old is not None and r.description is not None and r.description != old.description:
                change["description"] = r.description
            if r.has_parent and r.parent != (old.parent if old else None):
                change["parent"] = r.parent
            if change:
                try:
                    store.update_tag(r.name, **change)
                except SpeechreaderError as exc:  # e.g. the parents would form a loop
                    report.rejected.append(RowProblem(r.row, str(exc), unit))
                    continue
            if old is not None:
                (report.updated if change else report.unchanged).append(r.name)
    report.rejected.sort(key=lambda p: p.row)
    return report
