"""How often each code is used: overall, by group of documents, and over time.

Rates are per 10,000 characters of the documents in question (the group's, the
period's): a speaker with twice the text should not look twice as keen on a code.
Every tag of the codebook gets a row, used or not (a zero is a finding too); a
group or period with no passage of a tag is a row with 0 passages.

With ``children`` a tag counts its own passages and those of every tag under it; a
passage coded with both a parent and its child counts once for the parent.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.analysis._coding import gc_paused
from speechreader.core.analysis._groups import PERIODS, check_field, group_documents
from speechreader.core.analysis._rows import GroupCount, TagFrequency, TrendPoint
from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    from speechreader.core.analysis._coding import Coding
    from speechreader.core.corpus import DocumentInfo

UNDATED = "undated"


def per_10k(passages: int, characters: int) -> float:
    return passages / characters * 10_000 if characters else 0.0


def union_length(spans: list[tuple[int, int]]) -> int:
    """Characters covered by ``spans`` (each counted once where spans overlap)."""
    total, reach = 0, -1
    for start, end in sorted(spans):
        if end <= reach:
            continue
        total += end - max(start, reach)
        reach = end
    return total


def _tags(coding: Coding, tags: Sequence[str] | None) -> list[str]:
    return coding.check_tags(tags) if tags else list(coding.tag_names)


@gc_paused
def frequencies(
    coding: Coding, tags: Sequence[str] | None = None, *, children: bool = False
) -> list[TagFrequency]:
    """Per tag: passages, documents, coded characters and their share of all characters."""
    names = _tags(coding, tags)
    passages: Counter[str] = Counter()
    spans: dict[str, dict[str, list[tuple[int, int]]]] = defaultdict(dict)
    for ann, found in coding.tag_sets(names, children):
        for tag in found:
            passages[tag] += 1
            spans[tag].setdefault(ann.doc_id, []).append((ann.start, ann.end))
    total = coding.characters
    rows = []
    for tag in names:
        chars = sum(union_length(s) for s in spans[tag].values())
        rows.append(
            TagFrequency(tag, passages[tag], len(spans[tag]), chars, chars / total if total else 0)
        )
    return rows


def _group_order(name: str) -> tuple:
    return (name == "", name)  # the group without a value last


def _group_sizes(
    documents: Sequence[DocumentInfo], group_of: dict[str, str]
) -> tuple[Counter[str], Counter[str]]:
    """Characters and documents of each group: the denominators of its rates."""
    chars: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    for info in documents:
        chars[group_of[info.id]] += info.chars
        docs[group_of[info.id]] += 1
    return chars, docs


@gc_paused
def crosstab(
    coding: Coding, field: str, tags: Sequence[str] | None = None, *, children: bool = False
) -> list[GroupCount]:
    """Tag × group (``speaker``, ``place``, ``year``, ``document``, any metadata column).

    Every tag gets a row for every group, in tag order then group name (the group of
    documents without a value, ``""``, last).
    """
    field = check_field(coding.corpus, field)
    names = _tags(coding, tags)
    group_of = group_documents(coding.documents, field)
    chars, docs = _group_sizes(coding.documents, group_of)
    passages: Counter[tuple[str, str]] = Counter()
    tag_docs: dict[tuple[str, str], set[str]] = defaultdict(set)
    for ann, found in coding.tag_sets(names, children):
        group = group_of[ann.doc_id]
        for tag in found:
            passages[tag, group] += 1
            tag_docs[tag, group].add(ann.doc_id)
    groups = sorted(chars, key=_group_order)
    return [
        GroupCount(
            tag,
            group,
            passages[tag, group],
            chars[group],
            per_10k(passages[tag, group], chars[group]),
            len(tag_docs.get((tag, group), ())),
            docs[group],
        )
        for tag in names
        for group in groups
    ]


@dataclass(frozen=True)
class Trend:
    """A tag's rate period by period; documents without a date are counted, and named.

    ``points`` run period by period for each tag, with a last ``undated`` point per
    tag when some documents have no date (by month: no month either). ``undated``
    lists those documents.
    """

    period: str
    points: list[TrendPoint]
    undated: list[DocumentInfo]


@gc_paused
def trend(
    coding: Coding,
    period: str = "year",
    tags: Sequence[str] | None = None,
    *,
    children: bool = False,
) -> Trend:
    """Per tag and period (``year`` or ``month`` of the ``date`` column), per 10,000 characters."""
    if period not in PERIODS:
        raise InvalidInput(f"unknown period {period!r}: use year or month")
    names = _tags(coding, tags)
    period_of = {k: v or UNDATED for k, v in group_documents(coding.documents, period).items()}
    chars, docs = _group_sizes(coding.documents, period_of)
    passages: Counter[tuple[str, str]] = Counter()
    for ann, found in coding.tag_sets(names, children):
        for tag in found:
            passages[tag, period_of[ann.doc_id]] += 1
    periods = sorted(chars, key=lambda p: (p == UNDATED, p))
    points = [
        TrendPoint(tag, p, passages[tag, p], chars[p], per_10k(passages[tag, p], chars[p]), docs[p])
        for tag in names
        for p in periods
    ]
    undated = [info for info in coding.documents if period_of[info.id] == UNDATED]
    return Trend(period, points, undated)
