"""Co-occurrence counted over the passages as columns (numpy): pairs and shared units.

The counting walked every document's passages in Python, pair by pair and unit by
unit: 0.8 s of CPU for 100,000 passages, most of the two seconds the command may take.
Here the same figures come from arrays (the definitions are :mod:`._cooccurrence`'s):

- pairs: passages sorted by start, each paired with the later ones starting before it
  ends (the same document: documents are moved apart on one axis), plus the pairs of
  tags a passage carries itself; counted per pair of tag sets, then per pair of tags;
- within a document: n_A × n_B per document, summed (a per-document count matrix);
- covered units: the points where a passage starts or ends cut the axis into segments;
  a running count of the passages of each tag over them says which tags cover each
  segment, so the units of a tag and of each pair are sums of segment lengths.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

    from speechreader.core.corpus import DocumentInfo

#: pairs of passages counted at once (memory: 8 bytes each, several arrays)
CHUNK = 2_000_000
#: up to this many (tag set, tag set) combinations, pairs are counted in a dense table
DENSE = 1 << 22


def in_units(
    doc: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    documents: Sequence[DocumentInfo],
    spans_of: Callable[[DocumentInfo], Sequence[tuple[int, int]]],
) -> tuple[np.ndarray, np.ndarray]:
    """Passages (sorted by document) in unit coordinates ``[first, last + 1)``: the units
    sharing a character with them; a passage of spaces between two units belongs to the
    next one (after the last, to the last); a document without units is one unit."""
    import numpy as np

    first = np.zeros(len(doc), dtype=np.int64)
    after = np.ones(len(doc), dtype=np.int64)
    cuts = np.flatnonzero(np.diff(doc)) + 1
    for a, b in zip(np.r_[0, cuts].tolist(), np.r_[cuts, len(doc)].tolist(), strict=True):
        if a == b:
            continue
        spans = np.asarray(spans_of(documents[int(doc[a])]), dtype=np.int64).reshape(-1, 2)
        n = len(spans)
        if not n:
            continue
        f = np.searchsorted(spans[:, 1], start[a:b], side="right")
        last = np.searchsorted(spans[:, 0], end[a:b], side="left") - 1
        alone = f > last
        f = np.where(alone, np.minimum(f, n - 1), f)
        first[a:b] = f
        after[a:b] = np.where(alone, f + 1, last + 1)
    return first, after


def _axis(doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end on one axis where documents never meet."""
    room = int(end.max()) + 1 if len(end) else 1
    return doc * room + start, doc * room + end


def pair_counts(
    doc: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    tagset: np.ndarray,
    by_set: np.ndarray,
    whole_documents: bool,
) -> np.ndarray:
    """tags × tags: pairs of (A passage, B passage) that overlap (or share a document).

    ``by_set`` (tag sets × tags, bool) says which tags each tag set counts for; passages
    are sorted by document and start. Only entries off the diagonal are meaningful.
    """
    import numpy as np

    sets = by_set.astype(np.float64)
    if whole_documents:
        per_doc = sets[tagset]
        cuts = np.flatnonzero(np.diff(doc)) + 1
        counts = np.add.reduceat(per_doc, np.r_[0, cuts], axis=0) if len(doc) else per_doc
        return np.rint(counts.T @ counts).astype(np.int64)
    s, e = _axis(doc, start, end)
    n = len(s)
    later = np.maximum(np.searchsorted(s, e, side="left") - np.arange(n) - 1, 0)
    first = np.cumsum(later) - later
    size = len(by_set)
    between = np.zeros((sets.shape[1], sets.shape[1]), dtype=np.float64)
    total = int(later.sum())
    for lo in range(0, total, CHUNK):  # pair k: passage i owns it, j = i + 1 + its rank
        k = np.arange(lo, min(total, lo + CHUNK))
        i = np.searchsorted(first + later, k, side="right")
        j = i + 1 + (k - first[i])
        codes = tagset[i] * size + tagset[j]
        if size * size <= DENSE:  # pairs per (earlier, later) tag set
            pairs = np.bincount(codes, minlength=size * size).reshape(size, size)
            between += sets.T @ pairs @ sets  # [a, b]: a on the earlier passage, b the later
        else:  # many tag sets: only the combinations that occur
            code, n = np.unique(codes, return_counts=True)
            between += sets[code // size].T @ (sets[code % size] * n[:, None])
    own = np.bincount(tagset, minlength=size).astype(np.float64)
    itself = sets.T @ (sets * own[:, None])  # a passage with two of the tags
    return np.rint(between + between.T + itself).astype(np.int64)


def shared_units(
    doc: np.ndarray, start: np.ndarray, end: np.ndarray, hit: np.ndarray
) -> np.ndarray:
    """tags × tags: units covered by both tags (the diagonal: by the tag)."""
    import numpy as np

    tags = hit.shape[1]
    if not len(doc):
        return np.zeros((tags, tags), dtype=np.int64)
    s, e = _axis(doc, start, end)
    points = np.unique(np.concatenate([s, e]))
    at_s = np.searchsorted(points, s)
    at_e = np.searchsorted(points, e)
    active = np.empty((len(points), tags), dtype=np.float64)
    for t in range(tags):
        on = hit[:, t]
        step = np.bincount(at_s[on], minlength=len(points)) - np.bincount(
            at_e[on], minlength=len(points)
        )
        active[:, t] = np.cumsum(step) > 0
    lengths = np.diff(points).astype(np.float64)
    covered = active[:-1]
    return np.rint(covered.T @ (covered * lengths[:, None])).astype(np.int64)
