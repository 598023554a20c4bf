"""How often each code is used: overall, by group of documents, and over time.

Rates are per 10,000 characters of the documents in question (the group's, the
period's): a speaker with twice the text should not look twice as keen on a code.
Every tag of the codebook gets a row, used or not (a zero is a finding too); a
group or period with no passage of a tag is a row with 0 passages.

With ``children`` a tag counts its own passages and those of every tag under it; a
passage coded with both a parent and its child counts once for the parent.

The counting is over the coding's passages as columns (numpy), a pass per tag:
walking 100,000 records in Python took half a second per table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.analysis._coding import gc_paused
from speechreader.core.analysis._groups import PERIODS, check_field, group_documents
from speechreader.core.analysis._rows import GroupCount, TagFrequency, TrendPoint
from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np

    from speechreader.core.analysis._coding import Coding
    from speechreader.core.corpus import DocumentInfo

UNDATED = "undated"


def per_10k(passages: int, characters: int) -> float:
    return passages / characters * 10_000 if characters else 0.0


def covered(doc: np.ndarray, start: np.ndarray, end: np.ndarray) -> int:
    """Characters covered by the spans, each counted once where spans of a document
    overlap; the spans sorted by document, start and end, as a coding's passages are."""
    import numpy as np

    if not len(doc):
        return 0
    room = int(end.max()) + 1  # document d's spans move to d * room: no two documents meet
    start, end = doc * room + start, doc * room + end
    reach = np.maximum.accumulate(end)  # the furthest any earlier span reaches
    before = np.concatenate(([-1], reach[:-1]))
    return int(np.maximum(0, end - np.maximum(start, before)).sum())


def _tags(coding: Coding, tags: Sequence[str] | None) -> list[str]:
    return coding.check_tags(tags) if tags else list(coding.tag_names)


@gc_paused
def frequencies(
    coding: Coding, tags: Sequence[str] | None = None, *, children: bool = False
) -> list[TagFrequency]:
    """Per tag: passages, documents, coded characters and their share of all characters."""
    import numpy as np

    names = _tags(coding, tags)
    p = coding.passages
    hit = coding.tag_matrix(names, children)
    total = coding.characters
    rows = []
    for j, tag in enumerate(names):
        on = hit[:, j]
        doc = p.doc[on]
        chars = covered(doc, p.start[on], p.end[on])
        documents = len(np.unique(doc))
        rows.append(
            TagFrequency(tag, int(on.sum()), documents, chars, chars / total if total else 0)
        )
    return rows


def _by_group(
    coding: Coding, names: list[str], children: bool, group_of: dict[str, str], groups: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """tags × groups: passages, and documents with a passage."""
    import numpy as np

    at = {group: i for i, group in enumerate(groups)}
    doc_group = np.array([at[group_of[info.id]] for info in coding.documents], dtype=np.int64)
    p = coding.passages
    hit = coding.tag_matrix(names, children)
    passage_group = doc_group[p.doc]
    passages = np.zeros((len(names), len(groups)), dtype=np.int64)
    documents = np.zeros_like(passages)
    for j in range(len(names)):
        on = hit[:, j]
        passages[j] = np.bincount(passage_group[on], minlength=len(groups))
        documents[j] = np.bincount(doc_group[np.unique(p.doc[on])], minlength=len(groups))
    return passages, documents


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
    groups = sorted(chars, key=_group_order)
    passages, tag_docs = _by_group(coding, names, children, group_of, groups)
    return [
        GroupCount(
            tag,
            group,
            int(passages[j, g]),
            chars[group],
            per_10k(int(passages[j, g]), chars[group]),
            int(tag_docs[j, g]),
            docs[group],
        )
        for j, tag in enumerate(names)
        for g, group in enumerate(groups)
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
    periods = sorted(chars, key=lambda p: (p == UNDATED, p))
    passages, _ = _by_group(coding, names, children, period_of, periods)
    points = [
        TrendPoint(tag, p, int(passages[j, i]), chars[p], per_10k(int(passages[j, i]), chars[p]),
                   docs[p])
        for j, tag in enumerate(names)
        for i, p in enumerate(periods)
    ]  # fmt: skip
    undated = [info for info in coding.documents if period_of[info.id] == UNDATED]
    return Trend(period, points, undated)
