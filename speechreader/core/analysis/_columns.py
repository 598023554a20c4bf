"""The chosen passages as columns: what the tables count, with numpy, in one pass per tag.

Walking 100,000 records in Python to count them took longer than the one second a
table may take on the command line, and reading them as records (every annotation
file parsed and validated) took two. :class:`Passages` holds only what the tables
need: each passage's document (its position among the chosen documents), start,
end and set of tags, in the coding's order (document, start, end, id).

It is made either from the records themselves (:func:`from_annotations`, when the
passages' text is wanted too) or from the store's span cache (:func:`from_spans`,
``Store.spans``: the same fields, kept per annotation file by its stat key and never
trusted over the files). Both give the same columns, so every table is the same
either way (a test compares them on real data). Passages whose document changed
since they were coded are read in full in either case and found again by their quote
(:mod:`._coding`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.store import Annotation

if TYPE_CHECKING:
    import numpy as np

    from speechreader.core.corpus import Corpus, DocumentInfo
    from speechreader.core.store import SpanTable, Store


@dataclass(frozen=True)
class Passages:
    """Each passage's document (index into the coding's documents), start, end, and tags
    (index into ``tagsets``), sorted by document, start, end and id."""

    doc: np.ndarray  # int64
    start: np.ndarray  # int64
    end: np.ndarray  # int64
    tagset: np.ndarray  # int64
    tagsets: list[tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.doc)

    def used_tags(self) -> set[str]:
        """Every tag some passage carries."""
        import numpy as np

        return {t for i in np.unique(self.tagset).tolist() for t in self.tagsets[i]}

    def by_set(self, members: Sequence[frozenset[str]]) -> np.ndarray:
        """tag sets × ``members``: True where the tag set has a tag of that member set."""
        import numpy as np

        by_set = np.zeros((len(self.tagsets), len(members)), dtype=bool)
        for i, tags in enumerate(self.tagsets):
            for j, names in enumerate(members):
                by_set[i, j] = not names.isdisjoint(tags)
        return by_set

    def matrix(self, members: Sequence[frozenset[str]]) -> np.ndarray:
        """passages × ``members``: True where the passage carries a tag of that set."""
        return self.by_set(members)[self.tagset]


def _columns(doc, start, end, tagset, ids, tagsets) -> tuple[Passages, np.ndarray]:
    """The columns in the coding's order, and that order (indexes into the inputs)."""
    import numpy as np

    doc, start, end, tagset = (np.asarray(a, dtype=np.int64) for a in (doc, start, end, tagset))
    order = np.lexsort((end, start, doc))
    # passages at the same place are ordered by id: few, so sorted here rather than by a
    # lexsort over 100,000 strings
    place = np.stack([doc[order], start[order], end[order]])
    same = (place[:, 1:] == place[:, :-1]).all(axis=0)  # same place as the next one
    if same.any():
        tied = np.zeros(len(order), dtype=bool)
        tied[:-1] |= same
        tied[1:] |= same
        at = np.flatnonzero(tied)
        run = np.cumsum(~np.concatenate(([False], same)))[at]  # which place each is at
        keys = np.array([ids[i] for i in order[at].tolist()], dtype=str)
        order[at] = order[at][np.lexsort((keys, run))]
    return Passages(doc[order], start[order], end[order], tagset[order], tagsets), order


def from_annotations(
    annotations: list[Annotation], documents: Sequence[DocumentInfo]
) -> tuple[Passages, list[Annotation]]:
    """The columns of ``annotations`` (of ``documents``), and the annotations in their order."""
    position = {info.id: i for i, info in enumerate(documents)}
    index: dict[tuple[str, ...], int] = {}
    tagset = [index.setdefault(tuple(a.tags), len(index)) for a in annotations]
    passages, order = _columns(
        [position[a.doc_id] for a in annotations],
        [a.start for a in annotations],
        [a.end for a in annotations],
        tagset,
        [a.id for a in annotations],
        list(index),
    )
    return passages, [annotations[i] for i in order.tolist()]


@dataclass
class FromSpans:
    """What :func:`from_spans` found: the columns of the passages whose offsets still hold,
    those to find again (read in full), and the passages of documents not in the corpus."""

    table: SpanTable
    rows: np.ndarray  # indexes into table of the passages kept as they are
    row_doc: np.ndarray  # their document positions
    changed: dict[str, list[Annotation]]  # document id -> passages to find again
    missing: int


def from_spans(
    corpus: Corpus,
    store: Store,
    documents: Sequence[DocumentInfo],
    coders: Iterable[str],
) -> FromSpans:
    """The passages of ``documents`` by ``coders`` (all if none), from ``store.spans()``.

    A passage is kept as it is when its document's content hash is the one it was coded
    in (or it has none) and its offsets fall inside the text, exactly as
    :func:`._coding.load_coding` decides for records; the others are read in full
    (``store.for_document``) to be found again by their quote.
    """
    import numpy as np

    table = store.spans()
    wanted = set(coders)
    position = {info.id: i for i, info in enumerate(documents)}
    hash_index = {h: i for i, h in enumerate(table.hashes)}
    files = len(table.counts)
    file_doc = np.full(files, -1, dtype=np.int64)  # -1: not chosen
    file_hash = np.full(files, -2, dtype=np.int64)  # index of the document's hash now
    file_chars = np.zeros(files, dtype=np.int64)
    missing = 0
    for f, (coder, doc_id, n) in enumerate(
        zip(table.coders, table.doc_ids, table.counts.tolist(), strict=True)
    ):
        if not n or (wanted and coder not in wanted):
            continue
        at = position.get(doc_id)
        if at is None:
            missing += n if doc_id not in corpus else 0
            continue
        info = documents[at]
        file_doc[f] = at
        file_hash[f] = hash_index.get(info.content_hash, -2)
        file_chars[f] = info.chars
    file = table.file
    doc = file_doc[file]
    chosen = doc >= 0
    same = (table.doc_hash == hash_index.get("", -1)) | (table.doc_hash == file_hash[file])
    inside = (table.start >= 0) & (table.start < table.end) & (table.end <= file_chars[file])
    keep = chosen & same & inside
    changed: dict[str, list[Annotation]] = {}
    moved = np.flatnonzero(chosen & ~keep)
    if len(moved):
        ids = {table.ids[i] for i in moved.tolist()}
        for f in sorted({int(file[i]) for i in moved.tolist()}, key=file_doc.__getitem__):
            doc_id = table.doc_ids[f]
            if doc_id in changed:
                continue
            found = [a for a in store.for_document(doc_id) if a.id in ids]
            changed[doc_id] = sorted(found, key=lambda a: (a.start, a.end, a.id))
    rows = np.flatnonzero(keep)
    return FromSpans(table, rows, doc[rows], changed, missing)


def spans_passages(
    found: FromSpans, relocated: list[Annotation], documents: Sequence[DocumentInfo]
) -> tuple[Passages, Callable[[], list[Annotation]]]:
    """The columns of the kept passages and the ``relocated`` ones, and a function making
    them as records (without quote and context, which the span cache does not hold)."""
    import numpy as np

    t = found.table
    position = {info.id: i for i, info in enumerate(documents)}
    index = {tags: i for i, tags in enumerate(t.tagsets)}
    extra = [index.setdefault(tuple(a.tags), len(index)) for a in relocated]
    rows = found.rows
    ids = [t.ids[i] for i in rows.tolist()] + [a.id for a in relocated]

    def ints(values: list[int]) -> np.ndarray:
        return np.asarray(values, dtype=np.int64)

    passages, order = _columns(
        np.concatenate([found.row_doc, ints([position[a.doc_id] for a in relocated])]),
        np.concatenate([t.start[rows], ints([a.start for a in relocated])]),
        np.concatenate([t.end[rows], ints([a.end for a in relocated])]),
        np.concatenate([t.tagset[rows], ints(extra)]),
        ids,
        list(index),
    )

    def records() -> list[Annotation]:
        kept = len(rows)
        file = t.file
        out = []
        for i in order.tolist():
            if i >= kept:
                out.append(relocated[i - kept])
                continue
            row = int(rows[i])
            f = int(file[row])
            out.append(
                Annotation(
                    id=t.ids[row],
                    doc_id=t.doc_ids[f],
                    start=int(t.start[row]),
                    end=int(t.end[row]),
                    quote="",
                    tags=list(t.tagsets[t.tagset[row]]),
                    coder=t.coders[f],
                    doc_hash=t.hashes[t.doc_hash[row]],
                )
            )
        return out

    return passages, records
