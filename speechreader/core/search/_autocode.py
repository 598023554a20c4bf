"""Auto-coding: tag every passage a search finds, as one undoable step.

A researcher who has checked that 两个维护 always signals loyalty codes all its
occurrences at once: the hits of a search become passages (the hit itself, or the
sentence or paragraph around it), a preview says what would happen, and applying it
is one change in the store, so one undo takes it all back.

Only the applying coder's annotations count as "already there": coders code
independently (inter-coder agreement), so another coder's identical passage is theirs.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.search._find import SearchFilter, Span, find
from speechreader.core.search._index import SearchIndex
from speechreader.core.store import clean_tag_name, plural
from speechreader.core.text import paragraph_spans, sentence_spans

if TYPE_CHECKING:
    from speechreader.core.store import Store

UNITS = ("hit", "sentence", "paragraph")
NEW, ADD_TAG, CODED = "new", "add-tag", "coded"


@dataclass(frozen=True)
class Passage:
    """A passage to code: ``status`` says whether it is new, an existing annotation of
    exactly that range that lacks the tag (``annotation_id``), or already coded."""

    doc_id: str
    start: int
    end: int
    hits: int
    status: str
    annotation_id: str | None = None
    text: str = field(default="", compare=False)


@dataclass
class AutocodePlan:
    """What auto-coding would do; :func:`apply_autocode` does it."""

    query: str
    tag: str
    unit: str
    coder: str
    tag_exists: bool
    passages: list[Passage]
    hits: int

    def _count(self, status: str) -> int:
        return sum(1 for p in self.passages if p.status == status)

    @property
    def new(self) -> int:
        return self._count(NEW)

    @property
    def add_tag(self) -> int:
        return self._count(ADD_TAG)

    @property
    def coded(self) -> int:
        return self._count(CODED)

    @property
    def documents(self) -> int:
        return len({p.doc_id for p in self.passages})

    @property
    def changes(self) -> int:
        """Passages that applying would create or tag."""
        return self.new + self.add_tag

    @property
    def label(self) -> str:
        """The undo step's name, e.g. ``autocode 两个维护 → tag 'loyalty' (12 passages)``."""
        return f"autocode {self.query} → tag {self.tag!r} ({plural(self.changes, 'passage')})"

    def summary(self) -> str:
        """One line: how many passages in how many documents, and what becomes of them."""
        return (
            f"{plural(len(self.passages), 'passage')} in {plural(self.documents, 'document')} "
            f"({plural(self.hits, 'hit')}): {self.new} new, {self.add_tag} existing to tag, "
            f"{self.coded} already coded"
        )


def passage_spans(
    text: str, hits: Iterable[tuple[int, int]], unit: str
) -> list[tuple[int, int, int]]:
    """``(start, end, hits)`` of the passages holding ``hits`` (sorted), overlaps merged.

    A sentence or paragraph unit takes every unit a hit touches; a hit outside every
    unit (only whitespace) stays a passage of its own.
    """
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit {unit!r}; choose one of: {', '.join(UNITS)}")
    units = (
        None if unit == "hit" else (sentence_spans if unit == "sentence" else paragraph_spans)(text)
    )
    merged: list[list[int]] = []
    for start, end in hits:
        a, b = start, end
        if units:
            i = bisect_right(units, (start, len(text) + 1)) - 1
            if i >= 0 and units[i][1] > start:
                a = units[i][0]
            j = bisect_right(units, (end - 1, len(text) + 1)) - 1
            if j >= 0 and units[j][1] >= end:
                b = units[j][1]
            a, b = min(a, start), max(b, end)
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
            merged[-1][2] += 1
        else:
            merged.append([a, b, 1])
    return [(a, b, n) for a, b, n in merged]


def plan_autocode(
    index: SearchIndex,
    store: Store | None,
    query: str,
    tag: str,
    *,
    unit: str = "sentence",
    regex: bool = False,
    whole_word: bool = False,
    where: SearchFilter | None = None,
    coder: str | None = None,
) -> AutocodePlan:
    """Search, make passages of ``unit``, and compare them with the coder's annotations.

    ``store`` None stands for a database not created yet (a dry run compares with
    nothing); ``coder`` is then the configured coder unless given.
    """
    tag = clean_tag_name(tag)
    if store is not None:
        coder = store.coder
    elif coder is None:
        from speechreader.core.config import load_settings

        coder = load_settings().coder
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit {unit!r}; choose one of: {', '.join(UNITS)}")
    spans = find(index, query, regex=regex, whole_word=whole_word, where=where, store=store)
    by_doc: dict[str, list[tuple[int, int]]] = {}
    for doc_id, start, end in spans:
        by_doc.setdefault(doc_id, []).append((start, end))
    passages = []
    for doc_id, hits in by_doc.items():
        text = index.entry(doc_id).text()
        mine: dict[tuple[int, int], list] = {}
        for ann in store.for_document(doc_id) if store is not None else ():
            if ann.coder == coder:
                mine.setdefault((ann.start, ann.end), []).append(ann)
        for start, end, n in passage_spans(text, hits, unit):
            existing = mine.get((start, end), [])
            if any(tag in a.tags for a in existing):
                status, ann_id = CODED, next(a.id for a in existing if tag in a.tags)
            elif existing:
                status, ann_id = ADD_TAG, existing[0].id
            else:
                status, ann_id = NEW, None
            passages.append(Passage(doc_id, start, end, n, status, ann_id, text[start:end]))
    tag_exists = store is not None and tag in store.tag_counts()
    return AutocodePlan(query, tag, unit, coder, tag_exists, passages, len(spans))


@dataclass(frozen=True)
class AutocodeResult:
    created: int
    tagged: int
    label: str


def apply_autocode(index: SearchIndex, store: Store, plan: AutocodePlan) -> AutocodeResult:
    """Create the new passages and tag the existing ones: one store change, one undo step."""
    if plan.coder != store.coder:
        raise InvalidInput(f"the plan was made for coder {plan.coder!r}, not {store.coder!r}")
    todo = [p for p in plan.passages if p.status != CODED]
    if not todo:
        return AutocodeResult(0, 0, plan.label)
    texts: dict[str, str] = {}
    items = []
    for p in todo:
        if p.status == NEW:
            if p.doc_id not in texts:
                texts[p.doc_id] = index.entry(p.doc_id).text()
            items.append(
                {
                    "doc_id": p.doc_id,
                    "start": p.start,
                    "end": p.end,
                    "text": texts[p.doc_id],
                    "doc_hash": index.corpus.get(p.doc_id).content_hash,
                    "tags": [plan.tag],
                }
            )
    tagged = 0
    with store.batch(plan.label):
        store.add_many(items)
        for p in todo:
            if p.status == ADD_TAG and p.annotation_id is not None:
                ann = store.get(p.annotation_id)
                if plan.tag not in ann.tags:
                    store.update(p.annotation_id, tags=[*ann.tags, plan.tag])
                    tagged += 1
    return AutocodeResult(len(items), tagged, plan.label)


__all__ = [
    "UNITS", "AutocodePlan", "AutocodeResult", "Passage", "Span", "apply_autocode",
    "passage_spans", "plan_autocode",
]  # fmt: skip
