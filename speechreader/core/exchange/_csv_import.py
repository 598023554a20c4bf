"""Import of the CSV export back into a database, row by row, checked against the corpus.

The file is read as a stream (a million rows never sit in memory at once) and handed
to the store's bulk import (:meth:`Store.bulk_import`), which writes it as one undo
step, holding the database lock only for the final renames. Rows are grouped by
``annotation_id`` (one row per tag); each annotation is checked against the corpus
text. Rows that cannot be used are reported with their spreadsheet row number instead
of failing the file.

Only the columns the file has are imported: a file with just the required columns
updates the passages and tags of annotations that exist already, and keeps their
notes, highlights, coders and dates.

A row whose passage no longer stands at its offsets is refused, unless the file's
``anchor`` column says ``orphaned``: the export says so of a passage that was already
gone from its (changed or deleted) document. Such an annotation is kept as an orphan
(its passage, offsets, tags, note and coder as exported, and the hash
:data:`UNKNOWN_VERSION`, so that every reader looks for it rather than trusting its
offsets), to be re-placed or deleted by a coder; the report counts them. Files
without the ``anchor`` column (older exports, other tools) keep the strict rule.

The CSV is read with its line breaks as they are (a note may hold ``\\r``), in the
encoding found from its first megabyte (UTF-8 with or without BOM, or what a Chinese
spreadsheet saves: GB18030, Big5), with no limit on a cell's size beyond memory.
"""

from __future__ import annotations

import csv
import functools
import operator
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput, SpeechreaderError, UnreadableFile
from speechreader.core.exchange._cells import unneutralise
from speechreader.core.gcpause import paused_gc
from speechreader.core.store import HIGHLIGHTS, UNKNOWN_VERSION, make_anchor
from speechreader.core.text import decode_bytes

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus
    from speechreader.core.store import Store

REQUIRED_IMPORT_COLUMNS = ("annotation_id", "doc_id", "start", "end", "tag", "passage")
#: Columns that are imported when the file has them (else stored values are kept).
OPTIONAL_IMPORT_COLUMNS = ("note", "highlight", "coder", "created", "updated")
#: A cell may be as long as this (Python's csv module stops at 128 KB by default).
FIELD_LIMIT = 2**31 - 1
_SAMPLE = 1 << 20


@dataclass(frozen=True)
class RowProblem:
    row: int  # row number in a spreadsheet: the header is row 1
    reason: str


@dataclass
class ImportReport:
    added: int = 0
    updated: int = 0  # includes the unchanged ones, as before
    rejected: list[RowProblem] = field(default_factory=list)
    unchanged: int = 0
    orphaned: int = 0  # annotations kept as orphans (anchor=orphaned, passage not found)


def _encoding_of(path: Path) -> str:
    """The codec to stream ``path`` with, found from its first megabyte."""
    with open(path, "rb") as handle:
        sample = handle.read(_SAMPLE)
        more = bool(handle.read(1))
    if more and b"\n" in sample:  # cut at a line end: no character is split there
        sample = sample[: sample.rindex(b"\n") + 1]
    try:
        return decode_bytes(sample, name=str(path)).encoding
    except UnreadableFile as exc:
        raise InvalidInput(f"{path}: {exc.reason}") from None


@functools.cache
def _raise_field_limit() -> None:
    csv.field_size_limit(max(csv.field_size_limit(), FIELD_LIMIT))


def _header(reader: Iterator[list[str]], path: Path) -> list[str]:
    """The header row, checked for the required columns."""
    _raise_field_limit()
    try:
        header = [h.strip().lstrip("\ufeff") for h in next(reader, [])]
    except csv.Error as exc:
        raise InvalidInput(f"{path}: not a CSV file ({exc})") from None
    missing = [c for c in REQUIRED_IMPORT_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            f"{path}: not a speechreader export (missing column{'s' if len(missing) > 1 else ''}: "
            f"{', '.join(missing)})"
        )
    return header


class _Texts:
    """Documents' texts, the last few kept (an export comes sorted by document)."""

    def __init__(self, corpus: Corpus) -> None:
        self.corpus = corpus
        self.get = functools.lru_cache(maxsize=32)(corpus.text)
        self.hash = functools.lru_cache(maxsize=None)(lambda d: corpus.get(d).content_hash)


#: The columns an annotation is read from, in the order of :func:`_cells`' tuples.
#: ``anchor`` (the export's status of the passage) is read, never stored.
_FIELDS = (
    "annotation_id", "doc_id", "start", "end", "tag", "passage", *OPTIONAL_IMPORT_COLUMNS,
    "anchor",
)  # fmt: skip
_ID, _DOC, _START, _END, _TAG, _PASSAGE, _NOTE, _HIGHLIGHT, _CODER, _CREATED, _UPDATED = range(11)
_ANCHOR = 11
_AGREE = [i for i in range(len(_FIELDS)) if i not in (_ID, _TAG)]

Cells = tuple[str, ...]


def _annotation(group: list[tuple[int, Cells]], texts: _Texts) -> dict:
    """One annotation record from the rows sharing its id; InvalidInput with the reason."""
    first = group[0][1]
    for _, cells in group[1:]:
        for i in _AGREE:
            if cells[i] != first[i]:
                raise InvalidInput(f"rows of annotation {first[_ID]} disagree on {_FIELDS[i]}")
    doc_id = first[_DOC]
    orphan = first[_ANCHOR].strip() == "orphaned"
    if doc_id not in texts.corpus and not orphan:
        raise InvalidInput(f"unknown document {doc_id!r}")
    try:
        start, end = int(first[_START]), int(first[_END])
    except ValueError:
        raise InvalidInput(
            f"start/end are not whole numbers: {first[_START]!r}, {first[_END]!r}"
        ) from None
    text = texts.get(doc_id) if doc_id in texts.corpus else ""
    if 0 <= start < end <= len(text) and text[start:end] == first[_PASSAGE]:
        orphan = False  # it stands where the row says: an ordinary passage
    elif orphan and 0 <= start < end and first[_PASSAGE]:
        pass  # kept as the orphan the export says it is
    elif not 0 <= start < end <= len(text):
        raise InvalidInput(f"offsets {start}..{end} outside {doc_id} (0..{len(text)})")
    else:
        raise InvalidInput(f"passage does not match the text of {doc_id} at {start}..{end}")
    highlight = first[_HIGHLIGHT].strip() or None
    if highlight is not None and highlight not in HIGHLIGHTS:
        raise InvalidInput(f"unknown highlight {highlight!r} (use one of {', '.join(HIGHLIGHTS)})")
    if len(group) == 1:
        tag = first[_TAG].strip()
        tags = [tag] if tag else []
    else:
        tags = list(dict.fromkeys(t for t in (c[_TAG].strip() for _, c in group) if t))
    if orphan:  # its context is not in the file: none, and a hash no text has
        quote, prefix, suffix, doc_hash = first[_PASSAGE], "", "", UNKNOWN_VERSION
    else:
        anchor = make_anchor(text, start, end)
        quote, prefix, suffix = anchor.quote, anchor.prefix, anchor.suffix
        doc_hash = texts.hash(doc_id)
    return {
        "id": first[_ID], "doc_id": doc_id, "start": start, "end": end,
        "quote": quote, "prefix": prefix, "suffix": suffix,
        "tags": tags, "highlight": highlight,
        "note": first[_NOTE], "coder": first[_CODER], "created": first[_CREATED],
        "updated": first[_UPDATED], "doc_hash": doc_hash,
    }  # fmt: skip


def _groups(
    reader: Iterator[list[str]], header: list[str], report: ImportReport, path: Path
) -> Iterator[list[tuple[int, Cells]]]:
    """Runs of consecutive rows with the same annotation id (one run per annotation in an
    export; the store joins runs of one id that come apart, e.g. a file sorted by tag).

    Each row becomes a tuple of :data:`_FIELDS` ("" for a column the file lacks), its
    cells un-neutralised (see :mod:`_cells`): a million rows go through here.
    """
    present = [f for f in _FIELDS if f in header]
    pick = operator.itemgetter(*(header.index(f) for f in present))
    width = max(header.index(f) for f in present) + 1
    complete = len(present) == len(_FIELDS)
    slots = [_FIELDS.index(f) for f in present]
    group: list[tuple[int, Cells]] = []
    row = 1
    try:
        for cells in reader:
            row += 1
            if len(cells) < width:
                if not any(cells):
                    continue  # a blank line
                cells = cells + [""] * (width - len(cells))
            values: Cells = pick(cells)
            if not complete:  # the columns the file lacks read as ""
                full = [""] * len(_FIELDS)
                for slot, value in zip(slots, values, strict=True):
                    full[slot] = value
                values = tuple(full)
            if "'" in "".join(values):  # rare: only then look for neutralised cells
                values = tuple(map(unneutralise, values))
            ann_id = values[_ID]
            if not ann_id or ann_id[0].isspace() or ann_id[-1].isspace():
                ann_id = ann_id.strip()
                if not ann_id:
                    report.rejected.append(RowProblem(row, "no annotation_id"))
                    continue
                values = (ann_id, *values[1:])
            if group and group[0][1][_ID] != ann_id:
                yield group
                group = []
            group.append((row, values))
    except csv.Error as exc:
        raise InvalidInput(f"{path}: row {row + 1}: {exc}; nothing was imported") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput(
            f"{path}: row {row + 1} is not {exc.encoding} like the rows before it; "
            "nothing was imported"
        ) from None
    if group:
        yield group


def import_csv(path: Path | str, store: Store, corpus: Corpus) -> ImportReport:
    """Import an export file: each annotation checked against the corpus, in one undo step."""
    path = Path(path)
    encoding = _encoding_of(path)
    report = ImportReport()
    texts = _Texts(corpus)
    with open(path, encoding=encoding, newline="") as handle:
        reader = csv.reader(handle)
        header = _header(reader, path)
        given = [c for c in OPTIONAL_IMPORT_COLUMNS if c in header]
        orphans: dict[str, int] = {}  # annotation id -> its first row (orphans are few)
        with store.bulk_import(given) as bulk, paused_gc():
            for group in _groups(reader, header, report, path):
                rows = [row for row, _ in group]
                try:
                    record = _annotation(group, texts)
                    bulk.add(record, rows)
                except SpeechreaderError as exc:
                    bulk.refuse(group[0][1][_ID], rows, str(exc))
                    continue
                if record["doc_hash"] == UNKNOWN_VERSION:
                    orphans.setdefault(record["id"], rows[0])
            result = bulk.commit()
    report.added, report.unchanged = result.added, result.unchanged
    report.updated = result.updated + result.unchanged
    refused = set()
    for rows, reason in result.refused:
        report.rejected.extend(RowProblem(row, reason) for row in rows)
        refused.update(rows)
    report.orphaned = sum(1 for row in orphans.values() if row not in refused)
    report.rejected.sort(key=lambda p: p.row)
    return report
