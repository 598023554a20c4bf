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
from collections import Counter
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


def _intervals(
    coding: Coding, tags: Sequence[str], children: bool, within: str, units: UnitSpans | None
) -> list[list[Interval]]:
    """Each document's passages as intervals in unit coordinates with the tags they count
    for, from the passages as columns (no records made)."""
    members = {tag: coding.members(tag, children) for tag in tags}
    p = coding.passages
    found = [frozenset(t for t, m in members.items() if not m.isdisjoint(ts)) for ts in p.tagsets]
    out: dict[int, list[Interval]] = {}
    for doc, start, end, tagset in zip(
        p.doc.tolist(), p.start.tolist(), p.end.tolist(), p.tagset.tolist(), strict=True
    ):
        if tags_of := found[tagset]:
            out.setdefault(doc, []).append((start, end, tags_of))
    if units is None and within in ("sentence", "paragraph"):
        units = text_units(coding)
    docs = coding.documents
    return [_in_units(docs[d], within, units, coding, iv) for d, iv in out.items()]


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


def _key(a: str, b: str, order: dict[str, int]) -> tuple[str, str]:
    return (a, b) if order[a] < order[b] else (b, a)


def _pairs(intervals: list[Interval], order: dict[str, int], counts: Counter) -> None:
    """Count (A passage, B passage) pairs whose intervals overlap, a passage with itself too."""
    intervals = sorted(intervals, key=lambda iv: (iv[0], iv[1]))
    for i, (_, end, tags) in enumerate(intervals):
        for a, b in itertools.combinations(sorted(tags, key=order.__getitem__), 2):
            counts[a, b] += 1
        for other_start, _, other_tags in intervals[i + 1 :]:
            if other_start >= end:
                break
            for a in tags:
                for b in other_tags:
                    if a != b:
                        counts[_key(a, b, order)] += 1


def _document_pairs(intervals: list[Interval], order: dict[str, int], counts: Counter) -> None:
    """Within a document every A passage pairs with every B passage: n_A × n_B."""
    n: Counter[str] = Counter(t for _, _, tags in intervals for t in tags)
    for a, b in itertools.combinations(sorted(n, key=order.__getitem__), 2):
        counts[a, b] += n[a] * n[b]


def _coverage(
    intervals: list[Interval], order: dict[str, int], union: Counter, shared: Counter
) -> None:
    """Units covered by each tag, and by each pair of tags, in one document."""
    events: list[tuple[int, int, str]] = []
    for start, end, tags in intervals:
        for tag in tags:
            events.append((start, 1, tag))
            events.append((end, -1, tag))
    events.sort(key=lambda e: e[0])
    active: Counter[str] = Counter()
    previous = None
    for position, group in itertools.groupby(events, key=lambda e: e[0]):
        if previous is not None and active:
            length = position - previous
            on = sorted((t for t, n in active.items() if n > 0), key=order.__getitem__)
            for tag in on:
                union[tag] += length
            for a, b in itertools.combinations(on, 2):
                shared[a, b] += length
        for _, step, tag in group:
            active[tag] += step
            if not active[tag]:
                del active[tag]
        previous = position


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
    names = coding.check_tags(tags) if tags else list(coding.tag_names)
    order = {tag: i for i, tag in enumerate(names)}
    counts: Counter[tuple[str, str]] = Counter()
    union: Counter[str] = Counter()
    shared: Counter[tuple[str, str]] = Counter()
    for intervals in _intervals(coding, names, children, within, units):
        if within == "document":
            _document_pairs(intervals, order, counts)
        else:
            _pairs(intervals, order, counts)
        _coverage(intervals, order, union, shared)
    rows = []
    for a, b in itertools.combinations(names, 2):
        both = shared[a, b]
        either = union[a] + union[b] - both
        rows.append(
            CoOccurrence(
                a, b, counts[a, b], both / either if either else 0.0, both, union[a], union[b]
            )
        )
    return rows
