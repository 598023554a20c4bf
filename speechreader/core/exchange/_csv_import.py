"""Import of the CSV export back into a database, row by row, checked against the corpus.

Rows are grouped by ``annotation_id`` (one row per tag); each annotation is checked
against the corpus text, and the whole import is one undo step. Rows that cannot be
used are reported with their spreadsheet row number instead of failing the file.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.exchange._cells import unneutralise
from speechreader.core.store import HIGHLIGHTS, Annotation, make_anchor
from speechreader.core.text import read_text_file

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus
    from speechreader.core.store import Store

REQUIRED_IMPORT_COLUMNS = ("annotation_id", "doc_id", "start", "end", "tag", "passage")


@dataclass(frozen=True)
class RowProblem:
    row: int  # line number in a spreadsheet: the header is row 1
    reason: str


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0
    rejected: list[RowProblem] = field(default_factory=list)


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    decoded = read_text_file(path, name=str(path))
    reader = csv.DictReader(io.StringIO(decoded.text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"{path}: not a speechreader export (missing column{'s' if len(missing) > 1 else ''}: "
            f"{', '.join(missing)})"
        )
    rows = []
    for record in reader:
        row_number = reader.line_num  # physical line of the record's end; fine for one-line rows
        cells = {k: unneutralise(v or "") for k, v in record.items() if k is not None}
        rows.append((row_number, cells))
    return header, rows


def _annotation_from_group(
    group: list[tuple[int, dict[str, str]]], corpus: Corpus, default_coder: str
) -> Annotation:
    """Build one annotation from the rows sharing its id; raise InvalidInput with the reason."""
    first = group[0][1]
    for _, cells in group[1:]:
        for key in ("doc_id", "start", "end", "passage", "note", "highlight", "coder"):
            if cells.get(key, "") != first.get(key, ""):
                raise InvalidInput(f"rows of annotation {first['annotation_id']} disagree on {key}")
    doc_id = first["doc_id"]
    if doc_id not in corpus:
        raise InvalidInput(f"unknown document {doc_id!r}")
    try:
        start, end = int(first["start"]), int(first["end"])
    except ValueError:
        raise InvalidInput(
            f"start/end are not whole numbers: {first['start']!r}, {first['end']!r}"
        ) from None
    text = corpus.text(doc_id)
    if not 0 <= start < end <= len(text):
        raise InvalidInput(f"offsets {start}..{end} outside {doc_id} (0..{len(text)})")
    if text[start:end] != first["passage"]:
        raise InvalidInput(f"passage does not match the text of {doc_id} at {start}..{end}")
    highlight = first.get("highlight", "").strip() or None
    if highlight is not None and highlight not in HIGHLIGHTS:
        raise InvalidInput(f"unknown highlight {highlight!r} (use one of {', '.join(HIGHLIGHTS)})")
    tags: list[str] = []
    for _, cells in group:
        tag = cells.get("tag", "").strip()
        if tag and tag not in tags:
            tags.append(tag)
    anchor = make_anchor(text, start, end)
    return Annotation(
        id=first["annotation_id"], doc_id=doc_id, start=start, end=end,
        quote=anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix, tags=tags,
        highlight=highlight, note=first.get("note", ""),
        coder=first.get("coder") or default_coder, created=first.get("created", ""),
        updated=first.get("updated", ""), doc_hash=corpus.get(doc_id).content_hash,
    )  # fmt: skip


def import_csv(path: Path | str, store: Store, corpus: Corpus) -> ImportReport:
    """Import an export file: each annotation checked against the corpus, in one undo step."""
    _, rows = _read_rows(Path(path))
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    report = ImportReport()
    for row_number, cells in rows:
        ann_id = cells.get("annotation_id", "").strip()
        if not ann_id:
            report.rejected.append(RowProblem(row_number, "no annotation_id"))
            continue
        groups.setdefault(ann_id, []).append((row_number, cells))
    valid: list[Annotation] = []
    for group in groups.values():
        try:
            valid.append(_annotation_from_group(group, corpus, store.coder))
        except InvalidInput as exc:
            report.rejected.extend(RowProblem(n, str(exc)) for n, _ in group)
    if valid:
        # One call: each database file written once, and one undo step for the import.
        for outcome in store.import_annotations(valid):
            if outcome == "added":
                report.added += 1
            else:
                report.updated += 1
    report.rejected.sort(key=lambda p: p.row)
    return report
