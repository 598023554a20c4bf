"""CSV export of coded passages (:mod:`_csv_import` reads the format back).

One row per (annotation, tag); an annotation with no tag gets one row with an empty
tag. Columns: :data:`EXPORT_COLUMNS`, then the corpus's metadata columns. The file
is UTF-8 (with a BOM when ``excel=True``, so Excel shows Chinese correctly).

Cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, TAB or CR) get a leading ``'``, reversibly: see :mod:`_cells`.
:func:`import_csv` removes exactly one. Every other cell is written as it is, so
pandas and R read it back unchanged.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from speechreader.core.errors import InvalidInput, UnreadableFile
from speechreader.core.exchange._cells import neutralise
from speechreader.core.fileio import atomic_writer
from speechreader.core.gcpause import paused_gc
from speechreader.core.store import Annotation, make_anchor, place_annotation
from speechreader.core.text import get_variant, other_pane

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, DocumentInfo
    from speechreader.core.store import Store

EXPORT_COLUMNS: tuple[str, ...] = (
    "annotation_id", "doc_id", "doc_title", "start", "end", "tag",
    "passage", "passage_simplified", "passage_traditional",
    "note", "highlight", "coder", "created", "updated", "anchor",
)  # fmt: skip


def _metadata_headers(corpus: Corpus) -> list[tuple[str, str]]:
    """(header, metadata key) pairs; a key clashing with our columns gets a ``meta_`` prefix."""
    return [
        (f"meta_{key}" if key in EXPORT_COLUMNS else key, key) for key in corpus.metadata_columns
    ]


#: Characters OpenCC never converts across (a subset of ``text._offsets.SEPARATORS``):
#: context beyond the nearest one cannot change how a passage converts.
_CONTEXT_CUTS = " \t\n\u3000，。、；：？！,.;:?!“”‘’「」『』（）()《》〈〉【】…—"
_UNCUT_RUN = re.compile(f"[^{re.escape(_CONTEXT_CUTS)}]*")


def _near_context(prefix: str, suffix: str) -> tuple[str, str]:
    """The context up to the nearest cut each side (kept), or all of it if there is none.

    The passage converts as in the whole document, and the window to align is short:
    aligning every 32-character context in full made an s2twp export 2.5 times slower.
    """
    before = _UNCUT_RUN.match(prefix[::-1]).end()  # type: ignore[union-attr]
    after = _UNCUT_RUN.match(suffix).end()  # type: ignore[union-attr]
    if before < len(prefix):
        prefix = prefix[len(prefix) - before - 1 :]
    return prefix, suffix[: after + 1]


class _PassageConverter:
    """Both scripts of a passage, as the reader shows them.

    The document's own script is the passage itself. The other is converted *in
    context* (prefix + passage + suffix), so that OpenCC sees the same phrases as in
    the full text, without converting whole documents (100,000 passages must export
    in seconds); the passage is then found in the conversion through the offset map,
    exactly as the reader maps a selection (``span_to_dst``). Slicing by position
    instead went wrong whenever a passage boundary cut a replaced phrase that kept
    its length (s2twp: 项|目 → 專|案): the reader shows the whole 專案.
    """

    def __init__(self, variant: str) -> None:
        self.variant = get_variant(variant)

    def many(self, items: list[tuple[str, str, str, str]]) -> list[tuple[str, str]]:
        """(simplified, traditional) for each (base script, passage, prefix, suffix).

        Windows going the same way are joined with newlines and converted (with their
        map) in one call: no OpenCC phrase spans a newline, so each window converts
        as it would alone. 100,000 calls became 100.
        """
        others: list[str | None] = [None] * len(items)
        by_config: dict[str, list[int]] = {}
        for i, (base, _, _, _) in enumerate(items):
            other = "traditional" if base == "simplified" else "simplified"
            by_config.setdefault(self.variant.config_to(other), []).append(i)
        for config, indexes in by_config.items():
            contexts = [_near_context(items[i][2], items[i][3]) for i in indexes]
            windows = [
                prefix + items[i][1] + suffix
                for i, (prefix, suffix) in zip(indexes, contexts, strict=True)
            ]
            # the variant's conversion, 著 read as in the reader's pane (隨著 → 随着)
            base = "simplified" if config == self.variant.to_traditional else "traditional"
            converted = other_pane("\n".join(windows), base, self.variant.name)
            out, mapping = converted.text, converted.map
            span_to_dst = None if mapping.is_identity else mapping.span_to_dst
            position = 0
            for i, window, (prefix, _) in zip(indexes, windows, contexts, strict=True):
                passage = items[i][1]
                start = position + len(prefix)
                end = start + len(passage)
                if span_to_dst is not None:  # the identity map returns the span itself
                    start, end = span_to_dst(start, end)
                others[i] = out[start:end]
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


def _resolve(
    ann: Annotation, info: DocumentInfo | None, text_of: Callable[[str], str | None]
) -> tuple[_Resolved | Annotation, str]:
    """Where the passage is now, and its anchor status (exact, moved, orphaned).

    Stored offsets if the file is unchanged, else re-anchored; an orphaned passage is
    reported where it was (stored offsets and quote), marked so. An annotation has every
    field of a :class:`_Resolved`: when nothing moved it stands for itself (no object
    per annotation for 100,000 of them).
    """
    if info is not None and ann.doc_hash and info.content_hash == ann.doc_hash:
        return ann, "exact"
    text = text_of(info.id) if info is not None else None
    found = place_annotation(ann, text, info.content_hash if info else "")
    if found.status != "moved":
        return ann, found.status
    anchor = make_anchor(text, found.start, found.end)  # type: ignore[arg-type]
    return _Resolved(found.start, found.end, anchor.quote, anchor.prefix, anchor.suffix), "moved"


def _text_reader(corpus: Corpus) -> Callable[[str], str | None]:
    """``corpus.text`` remembering the last document (annotations come sorted by document)."""
    last: list = [None, None]

    def text_of(doc_id: str) -> str | None:
        if last[0] != doc_id:
            try:
                last[:] = [doc_id, corpus.text(doc_id)]
            except UnreadableFile:
                last[:] = [doc_id, None]
        return last[1]

    return text_of


def export_rows(
    annotations: Iterable[Annotation],
    corpus: Corpus,
    *,
    variant: str = "standard",
    cell: Callable[[str], str] = neutralise,
) -> Iterable[list[str]]:
    """The export table as lists of cells (header first), neutralised against formulas.

    ``cell`` is applied to every text cell: the Parquet export passes ``str`` (its
    values are data, never formulas, and must come out exactly as written).
    """
    meta = _metadata_headers(corpus)
    yield [*EXPORT_COLUMNS, *(header for header, _ in meta)]
    converter = _PassageConverter(variant)
    text_of = _text_reader(corpus)
    doc_id: str | None = None  # annotations come by document: its cells are made once
    doc: tuple[list[str], list[str]] = ([], [])
    for batch in _batches(annotations, 2000):
        placed = []
        for ann in batch:
            info = corpus.get(ann.doc_id) if ann.doc_id in corpus else None
            placed.append((ann, info, *_resolve(ann, info, text_of)))
        scripts = converter.many(
            [
                (info.base_script if info else "simplified", w.quote, w.prefix, w.suffix)
                for _, info, w, _ in placed
            ]
        )
        for (ann, info, where, status), (simplified, traditional) in zip(
            placed, scripts, strict=True
        ):
            if ann.doc_id != doc_id:
                doc_id, doc = ann.doc_id, _document_cells(ann.doc_id, info, meta, cell)
            yield from _rows(ann, where, status, simplified, traditional, doc, cell)


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
    doc_id: str,
    info: DocumentInfo | None,
    meta: list[tuple[str, str]],
    cell: Callable[[str], str] = neutralise,
) -> tuple[list[str], list[str]]:
    """A document's own cells (id, title; metadata), neutralised once per document."""
    metadata = info.metadata if info else {}
    return (
        [cell(doc_id), cell(info.title) if info else ""],
        [cell(metadata.get(key, "")) for _, key in meta],
    )


def _rows(
    ann: Annotation,
    where: _Resolved | Annotation,
    status: str,
    simplified: str,
    traditional: str,
    doc: tuple[list[str], list[str]],
    cell: Callable[[str], str] = neutralise,
) -> Iterable[list[str]]:
    """The export rows of one annotation: one per tag (one with an empty tag if none).

    Cells come neutralised (see :func:`neutralise`): each once per annotation, and a
    document's own cells once per document.
    """
    n = cell
    head = [n(ann.id), *doc[0], str(where.start), str(where.end)]
    tail = [
        n(where.quote), n(simplified), n(traditional), n(ann.note), ann.highlight or "",
        n(ann.coder), n(ann.created), n(ann.updated), status, *doc[1],
    ]  # fmt: skip
    for tag in ann.tags or [""]:
        yield [*head, n(tag), *tail]


def stored_annotations(
    store: Store | None,
    coders: Iterable[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[Annotation]:
    """Every annotation (of ``coders``, if given) by (document, start, end, id), read
    document by document as the export goes (never all at once: a million passages
    held as objects took 1.7 GB). ``progress(documents done, documents)``."""
    if store is None:
        return
    documents = store.by_document(coders)
    total = len(documents)
    for done, (_, passages) in enumerate(documents, 1):
        yield from passages
        if progress and (done % 50 == 0 or done == total):
            progress(done, total)


def export_csv(
    store: Store | None,
    corpus: Corpus,
    out: Path | str | TextIO,
    *,
    excel: bool = False,
    variant: str = "standard",
    progress: Callable[[int, int], None] | None = None,
    coders: Iterable[str] | None = None,
) -> int:
    """Write the CSV export; return the number of data rows.

    ``coders``: only these coders' passages (``consensus``: the adjudicated coding).
    ``progress(documents done, documents)``. The database is read a document at a time
    as the rows are written, so memory does not grow with it. A path is written
    atomically (a temporary file renamed into place when it is whole), so a crash or a
    damaged file found half-way never leaves half an export where the last good one was.
    """
    annotations = stored_annotations(store, coders, progress)

    if isinstance(out, (str, Path)):
        path = Path(out)
        if path.is_dir():
            raise InvalidInput(f"{path} is a folder; give a file name for the export")
        encoding = "utf-8-sig" if excel else "utf-8"
        with atomic_writer(
            path, "w", prefix=".sr-export-", suffix=".csv", encoding=encoding, newline=""
        ) as handle:
            return _write(handle, annotations, corpus, variant)
    if excel:
        out.write("\ufeff")
    return _write(out, annotations, corpus, variant)


def _write(handle: TextIO, annotations: Iterable[Annotation], corpus: Corpus, variant: str) -> int:
    writer = csv.writer(handle)
    rows = -1
    with paused_gc():  # rows are short-lived but many: collections would walk every annotation
        for rows, row in enumerate(export_rows(annotations, corpus, variant=variant)):  # noqa: B007
            writer.writerow(row)
    return max(rows, 0)
