"""Which codes go together: tag × tag, by overlapping passages or a shared sentence,
paragraph or document.

Two tags A and B co-occur when a passage coded A and a passage coded B overlap
(``overlap``), or touch a common sentence, paragraph or document. ``count`` is the
number of such pairs: one passage coded both A and B is one pair; a document with
three A passages and two B passages has six pairs ``within`` the document.

Beside the count, the Jaccard index says how much the two codes cover the same
ground: the units covered by both over the units covered by either, where the units
are characters (``overlap``), sentences, paragraphs or documents. 1 means the two
codes always go together, 0 never.

Sentences and paragraphs are those the reader moves by (:mod:`speechreader.core.text`);
a passage touches every unit it shares a character with.
"""

from __future__ import annotations

import itertools
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from speechreader.core.analysis._coding import gc_paused
from speechreader.core.analysis._rows import CoOccurrence
from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    from speechreader.core.analysis._coding import Coding
    from speechreader.core.analysis._wordtable import WordTable
    from speechreader.core.corpus import DocumentInfo
    from speechreader.core.store import Annotation

WITHIN = ("overlap", "sentence", "paragraph", "document")

#: (document, "sentence" | "paragraph") -> sorted (start, end) spans of its units
UnitSpans = Callable[["DocumentInfo", str], Sequence[tuple[int, int]]]

Interval = tuple[int, int, frozenset[str]]


def text_units(coding: Coding) -> UnitSpans:
    """Units found from the texts themselves (the word table has them cached)."""
    from speechreader.core.text import paragraph_spans, sentence_spans

    def units(info: DocumentInfo, kind: str) -> Sequence[tuple[int, int]]:
        text = coding.corpus.text(info.id)
        return sentence_spans(text) if kind == "sentence" else paragraph_spans(text)

    return units


def cached_units(coding: Coding, table: WordTable) -> UnitSpans:
    """Units from the word table where it has the document, else from the text."""
    from_text = text_units(coding)

    def units(info: DocumentInfo, kind: str) -> Sequence[tuple[int, int]]:
        if table.has(info):
            return table.units_of(info, kind)  # type: ignore[return-value]
        return from_text(info, kind)

    return units


def _unit_range(starts: list[int], ends: list[int], start: int, end: int) -> tuple[int, int]:
    """Indexes ``[first, last + 1)`` of the units sharing a character with ``start..end``
    (units given by their sorted ``starts`` and ``ends``); a passage of spaces between
    two units belongs to the next one (after the last, to the last)."""
    n = len(starts)
    if n == 0:
        return 0, 1
    first = bisect_right(ends, start)
    last = bisect_left(starts, end) - 1
    if first > last:
        first = min(first, n - 1)
        return first, first + 1
    return first, last + 1


def _placed(
    coding: Coding, tags: Sequence[str], children: bool, within: str, units: UnitSpans | None
) -> dict[str, list[tuple[int, int, frozenset[str], Annotation]]]:
    """Each document's passages as intervals in unit coordinates, with their tags."""
    out: dict[str, list[tuple[int, int, frozenset[str], Annotation]]] = {}
    for ann, found in coding.tag_sets(tags, children):
        out.setdefault(ann.doc_id, []).append((ann.start, ann.end, found, ann))
    return {
        doc_id: _in_units(coding.info[doc_id], within, units, coding, intervals)
        for doc_id, intervals in out.items()
    }


def _in_units(info: DocumentInfo, within: str, units: UnitSpans | None, coding: Coding, intervals):
    """(start, end, ...) in characters → (first, last + 1, ...) in ``within`` units."""
    if within == "document":
        return [(0, 1, *rest) for _, _, *rest in intervals]
    if within == "overlap":
        return intervals
    spans = (units or text_units(coding))(info, within)
    spans = spans.tolist() if hasattr(spans, "tolist") else spans  # a numpy array
    starts, ends = [s for s, _ in spans], [e for _, e in spans]
    return [(*_unit_range(starts, ends, s, e), *rest) for s, e, *rest in intervals]


@gc_paused
def cooccurring(
    coding: Coding,
    tag_a: str,
    tag_b: str,
    within: str = "overlap",
    *,
    children: bool = False,
    units: UnitSpans | None = None,
) -> list[Annotation]:
    """The passages behind a pair's count: each A or B passage paired with the other tag."""
    if within not in WITHIN:
        raise InvalidInput(f"unknown unit {within!r}: use {', '.join(WITHIN)}")
    tag_a, tag_b = coding.check_tags([tag_a, tag_b]) if tag_a != tag_b else (tag_a, tag_b)
    found: dict[str, Annotation] = {}
    for intervals in _placed(coding, [tag_a, tag_b], children, within, units).values():
        for start, end, tags, ann in intervals:
            for other_start, other_end, other_tags, other in intervals:
                if other_start >= end or start >= other_end:
                    continue
                if tag_a in tags and tag_b in other_tags and (other is not ann or tag_a != tag_b):
                    found[ann.id] = ann
                    found[other.id] = other
    order = {id(a): i for i, a in enumerate(coding.annotations)}
    return sorted(found.values(), key=lambda a: order.get(id(a), 0))


@gc_paused
def cooccurrence(
    coding: Coding,
    within: str = "overlap",
    tags: Sequence[str] | None = None,
    *,
    children: bool = False,
    units: UnitSpans | None = None,
) -> list[CoOccurrence]:
    """Every pair of tags (in codebook order, A before B) with its count and Jaccard index.

    ``units`` gives a document's sentences or paragraphs (default: from its text).
    """
    if within not in WITHIN:
        raise InvalidInput(f"unknown unit {within!r}: use {', '.join(WITHIN)}")
    import numpy as np

    from speechreader.core.analysis._pair_counts import in_units, pair_counts, shared_units

    names = coding.check_tags(tags) if tags else list(coding.tag_names)
    p = coding.passages
    by_set = p.by_set([coding.members(tag, children) for tag in names])
    hit = by_set[p.tagset]
    rows = np.flatnonzero(hit.any(axis=1))
    doc, tagset, hit = p.doc[rows], p.tagset[rows], hit[rows]
    if within == "overlap":
        start, end = p.start[rows], p.end[rows]
    elif within == "document":
        start, end = np.zeros(len(rows), dtype=np.int64), np.ones(len(rows), dtype=np.int64)
    else:
        get = units or text_units(coding)
        start, end = in_units(
            doc, p.start[rows], p.end[rows], coding.documents, lambda info: get(info, within)
        )
    counts = pair_counts(doc, start, end, tagset, by_set, within == "document")
    shared = shared_units(doc, start, end, hit).tolist()
    out = []
    for a, b in itertools.combinations(range(len(names)), 2):
        both = shared[a][b]
        either = shared[a][a] + shared[b][b] - both
        out.append(
            CoOccurrence(
                names[a],
                names[b],
                int(counts[a, b]),
                both / either if either else 0.0,
                both,
                shared[a][a],
                shared[b][b],
            )
        )
    return out
