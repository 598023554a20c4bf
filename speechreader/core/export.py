"""CSV export of coded passages, and import of that format back.

One row per (annotation, tag); an annotation with no tag gets one row with an empty
tag. Columns: :data:`EXPORT_COLUMNS`, then the corpus's metadata columns. The file
is UTF-8 (with a BOM when ``excel=True``, so Excel shows Chinese correctly).

Cells starting with ``=``, ``+``, ``-`` or ``@`` would be run as formulas by
spreadsheet programs; they get a leading ``'``. So that this is reversible, a cell
that already starts with ``'`` followed by one of those characters gets one more.
:func:`import_csv` removes exactly one. Every other cell is written as it is, so
pandas and R read it back unchanged.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from speechreader.core.anchors import Anchor, locate, make_anchor
from speechreader.core.convert import convert_mapped, get_variant
from speechreader.core.encoding import read_text_file
from speechreader.core.errors import InvalidInput
from speechreader.core.records import HIGHLIGHTS, Annotation

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, DocumentInfo
    from speechreader.core.store import Store

EXPORT_COLUMNS: tuple[str, ...] = (
    "annotation_id", "doc_id", "doc_title", "start", "end", "tag",
    "passage", "passage_simplified", "passage_traditional",
    "note", "highlight", "coder", "created", "updated",
)  # fmt: skip
REQUIRED_IMPORT_COLUMNS = ("annotation_id", "doc_id", "start", "end", "tag", "passage")

_FORMULA_START = ("=", "+", "-", "@")


def neutralise(cell: str) -> str:
    """Make a cell safe from formula injection, reversibly (see module docstring)."""
    if cell.lstrip("'")[:1] in _FORMULA_START:
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise`."""
    if cell.startswith("'") and cell.lstrip("'")[:1] in _FORMULA_START:
        return cell[1:]
    return cell


def _metadata_headers(corpus: Corpus) -> list[tuple[str, str]]:
    """(header, metadata key) pairs; a key clashing with our columns gets a ``meta_`` prefix."""
    return [
        (f"meta_{key}" if key in EXPORT_COLUMNS else key, key) for key in corpus.metadata_columns
    ]


class _PassageConverter:
    """Both scripts of a passage, as the reader shows them.

    The document's own script is the passage itself. The other is converted *in
    context* (prefix + passage + suffix), so that OpenCC sees the same phrases as in
    the full text, without converting whole documents (100,000 passages must export
    in seconds).
    """

    def __init__(self, variant: str) -> None:
        self.variant = get_variant(variant)

    def both(self, base_script: str, passage: str, prefix: str, suffix: str) -> tuple[str, str]:
        other = "traditional" if base_script == "simplified" else "simplified"
        window = prefix + passage + suffix
        converted = convert_mapped(window, self.variant.config_to(other))
        start, end = converted.map.span_to_dst(len(prefix), len(prefix) + len(passage))
        other_text = converted.text[start:end]
        if base_script == "simplified":
            return passage, other_text
        return other_text, passage


@dataclass
class _Resolved:
    start: int
    end: int
    passage: str
    prefix: str
    suffix: str


def _resolve(ann: Annotation, info: DocumentInfo | None, corpus: Corpus) -> _Resolved:
    """Where the passage is now: stored offsets if the file is unchanged, else re-anchored."""
    stored = _Resolved(ann.start, ann.end, ann.quote, ann.prefix, ann.suffix)
    if info is None or info.content_hash == ann.doc_hash or not ann.doc_hash:
        return stored
    text = corpus.text(info.id)
    found = locate(text, ann.start, ann.end, Anchor(ann.quote, ann.prefix, ann.suffix))
    if found.status == "orphaned":
        return stored
    anchor = make_anchor(text, found.start, found.end)
    return _Resolved(found.start, found.end, anchor.quote, anchor.prefix, anchor.suffix)


def export_rows(
    annotations: Iterable[Annotation], corpus: Corpus, *, variant: str = "standard"
) -> Iterable[list[str]]:
    """The export table as lists of cells (header first), not yet neutralised."""
    meta = _metadata_headers(corpus)
    yield [*EXPORT_COLUMNS, *(header for header, _ in meta)]
    converter = _PassageConverter(variant)
    for ann in annotations:
        info = corpus.get(ann.doc_id) if ann.doc_id in corpus else None
        where = _resolve(ann, info, corpus)
        base = info.base_script if info else "simplified"
        simplified, traditional = converter.both(base, where.passage, where.prefix, where.suffix)
        metadata = info.metadata if info else {}
        common = [
            where.passage, simplified, traditional, ann.note, ann.highlight or "",
            ann.coder, ann.created, ann.updated,
        ]  # fmt: skip
        for tag in ann.tags or [""]:
            yield [
                ann.id, ann.doc_id, info.title if info else "", str(where.start), str(where.end),
                tag, *common, *(metadata.get(key, "") for _, key in meta),
            ]  # fmt: skip


def _sorted_annotations(store: Store | None) -> list[Annotation]:
    if store is None:
        return []
    return sorted(store.all(), key=lambda a: (a.doc_id, a.start, a.end, a.id))


def export_csv(
    store: Store | None,
    corpus: Corpus,
    out: Path | str | TextIO,
    *,
    excel: bool = False,
    variant: str = "standard",
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Write the CSV export; return the number of data rows.

    A path is written atomically (a temporary file renamed into place), so a crash
    never leaves half an export where the last good one was.
    """
    annotations = _sorted_annotations(store)
    total = len(annotations)

    def counted() -> Iterable[Annotation]:
        for done, ann in enumerate(annotations, 1):
            yield ann
            if progress and (done % 500 == 0 or done == total):
                progress(done, total)

    if isinstance(out, (str, Path)):
        path = Path(out)
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder; give a file name for the export")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".sr-export-", suffix=".csv", dir=path.parent)
        try:
            encoding = "utf-8-sig" if excel else "utf-8"
            with os.fdopen(fd, "w", encoding=encoding, newline="") as handle:
                rows = _write(handle, counted(), corpus, variant)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        return rows
    if excel:
        out.write("\ufeff")
    return _write(out, counted(), corpus, variant)


def _write(handle: TextIO, annotations: Iterable[Annotation], corpus: Corpus, variant: str) -> int:
    writer = csv.writer(handle)
    rows = -1
    for rows, row in enumerate(export_rows(annotations, corpus, variant=variant)):  # noqa: B007
        writer.writerow([neutralise(cell) for cell in row])
    return max(rows, 0)


# --- import -----------------------------------------------------------------------


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


__all__ = [
    "EXPORT_COLUMNS", "ImportReport", "RowProblem", "export_csv", "export_rows",
    "import_csv", "neutralise", "unneutralise",
]  # fmt: skip
