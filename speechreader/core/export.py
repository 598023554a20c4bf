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
from speechreader.core.convert import convert_mapped, converter, get_variant
from speechreader.core.encoding import read_text_file
from speechreader.core.errors import InvalidInput
from speechreader.core.gcpause import paused_gc
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


_CHECK_START = frozenset("=+-@'")


def neutralise(cell: str) -> str:
    """Make a cell safe from formula injection, reversibly (see module docstring)."""
    if not cell or cell[0] not in _CHECK_START:  # nearly every cell: one set lookup
        return cell
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
        # One converter per export: asking for it per passage re-checks the user's
        # phrase file each time (100,000 passages: 7 s of the export).
        self._converters: dict[str, object] = {}

    def _converter(self, config: str):
        conv = self._converters.get(config)
        if conv is None:
            conv = self._converters[config] = converter(config)
        return conv

    def _one(self, config: str, passage: str, prefix: str, suffix: str) -> str:
        window = prefix + passage + suffix
        out = self._converter(config).convert(window)
        if len(out) == len(window):  # character-level: positions are the same
            return out[len(prefix) : len(prefix) + len(passage)]
        converted = convert_mapped(window, config)
        start, end = converted.map.span_to_dst(len(prefix), len(prefix) + len(passage))
        return converted.text[start:end]

    def many(self, items: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
        """(simplified, traditional) for each (base script, passage, prefix, suffix).

        Windows going the same way are joined with newlines and converted in one call:
        no OpenCC phrase spans a newline, and a character-level conversion keeps every
        position, so each window is sliced back out. 100,000 calls became 100.
        """
        others: list[str | None] = [None] * len(items)
        by_config: dict[str, list[int]] = {}
        for i, (base, _, _, _) in enumerate(items):
            other = "traditional" if base == "simplified" else "simplified"
            by_config.setdefault(self.variant.config_to(other), []).append(i)
        for config, indexes in by_config.items():
            windows = [items[i][2] + items[i][1] + items[i][3] for i in indexes]
            joined = "\n".join(windows)
            out = self._converter(config).convert(joined)
            if len(out) != len(joined):  # a phrase-level config: one by one, with maps
                for i in indexes:
                    others[i] = self._one(config, items[i][1], items[i][2], items[i][3])
                continue
            position = 0
            for i, window in zip(indexes, windows, strict=True):
                _, passage, prefix, _ = items[i]
                start = position + len(prefix)
                others[i] = out[start : start + len(passage)]
                position += len(window) + 1
        return [
            (passage, other) if base == "simplified" else (other, passage)  # type: ignore[misc]
            for (base, passage, _, _), other in zip(items, others, strict=True)
        ]


@dataclass
class _Resolved:
    """Where a passage is now, when its file changed (else the annotation itself serves)."""

    start: int
    end: int
    quote: str
    prefix: str
    suffix: str


def _resolve(ann: Annotation, info: DocumentInfo | None, corpus: Corpus) -> _Resolved | Annotation:
    """Where the passage is now: stored offsets if the file is unchanged, else re-anchored.

    An annotation has every field of a :class:`_Resolved`: when nothing moved it stands
    for itself (no object per annotation for 100,000 of them).
    """
    if info is None or info.content_hash == ann.doc_hash or not ann.doc_hash:
        return ann
    text = corpus.text(info.id)
    found = locate(text, ann.start, ann.end, Anchor(ann.quote, ann.prefix, ann.suffix))
    if found.status == "orphaned":
        return ann  # reported where it was: the stored offsets and quote
    anchor = make_anchor(text, found.start, found.end)
    return _Resolved(found.start, found.end, anchor.quote, anchor.prefix, anchor.suffix)


def export_rows(
    annotations: Iterable[Annotation], corpus: Corpus, *, variant: str = "standard"
) -> Iterable[list[str]]:
    """The export table as lists of cells (header first), neutralised against formulas."""
    meta = _metadata_headers(corpus)
    yield [*EXPORT_COLUMNS, *(header for header, _ in meta)]
    converter = _PassageConverter(variant)
    documents: dict[str, tuple[list[str], list[str]]] = {}
    for batch in _batches(annotations, 2000):
        placed = []
        for ann in batch:
            info = corpus.get(ann.doc_id) if ann.doc_id in corpus else None
            placed.append((ann, info, _resolve(ann, info, corpus)))
        scripts = converter.many(
            [
                (info.base_script if info else "simplified", w.quote, w.prefix, w.suffix)
                for _, info, w in placed
            ]
        )
        for (ann, info, where), (simplified, traditional) in zip(placed, scripts, strict=True):
            doc = documents.get(ann.doc_id)
            if doc is None:
                doc = documents[ann.doc_id] = _document_cells(ann.doc_id, info, meta)
            yield from _rows(ann, where, simplified, traditional, doc)


def _batches(items: Iterable[Annotation], size: int) -> Iterable[list[Annotation]]:
    batch: list[Annotation] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _document_cells(
    doc_id: str, info: DocumentInfo | None, meta: list[tuple[str, str]]
) -> tuple[list[str], list[str]]:
    """A document's own cells (id, title; metadata), neutralised once per document."""
    metadata = info.metadata if info else {}
    return (
        [neutralise(doc_id), neutralise(info.title) if info else ""],
        [neutralise(metadata.get(key, "")) for _, key in meta],
    )


def _rows(
    ann: Annotation,
    where: _Resolved,
    simplified: str,
    traditional: str,
    doc: tuple[list[str], list[str]],
) -> Iterable[list[str]]:
    """The export rows of one annotation: one per tag (one with an empty tag if none).

    Cells come neutralised (see :func:`neutralise`): each once per annotation, and a
    document's own cells once per document.
    """
    n = neutralise
    head = [n(ann.id), *doc[0], str(where.start), str(where.end)]
    tail = [
        n(where.quote), n(simplified), n(traditional), n(ann.note), ann.highlight or "",
        n(ann.coder), n(ann.created), n(ann.updated), *doc[1],
    ]  # fmt: skip
    for tag in ann.tags or [""]:
        yield [*head, n(tag), *tail]


def _sorted_annotations(store: Store | None) -> list[Annotation]:
    """Every annotation by (document, start, end, id): the order Store.all gives."""
    return list(store.all()) if store is not None else []


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
    with paused_gc():  # rows are short-lived but many: collections would walk every annotation
        for rows, row in enumerate(export_rows(annotations, corpus, variant=variant)):  # noqa: B007
            writer.writerow(row)
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
