"""Settling disagreements into one agreed coding, written as another coder's annotations.

A :class:`Comparison` is one document seen through several coders: their passages,
the units where they differ (:func:`find_disagreements`), the document's agreement,
and what the target coder (``consensus`` by default) has coded so far.

:func:`settle` decides one disagreement: the target's passages that code that unit
(with tags in scope) lose those tags, or go if nothing else is left on them; then the
chosen coders' passages that code the unit are copied, with their tags in scope, as
the target's. Taking no one ("neither") leaves the unit uncoded. A passage spanning
several units is copied whole (the coder's own extent is kept), and removing one can
touch a neighbouring unit: the view shows the target's coding of every unit. Each
call is one transaction and one undo step.

:func:`accept_agreements` copies, in one step, the passages of every unit where all
the coders applied the same tags: adjudication is then only about the disagreements.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.reliability._agreement import Agreement, compute
from speechreader.core.reliability._disagreements import Disagreement, find_disagreements
from speechreader.core.reliability._study import (
    CONSENSUS,
    Passage,
    Study,
    choose_coders,
    collect,
    place,
    read_coding,
    scope_tags,
)
from speechreader.core.reliability._units import Span, UnitIndex, applies

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, DocumentInfo
    from speechreader.core.store import Store


@dataclass
class Comparison:
    """One document, several coders, and the target coder's coding of it."""

    info: DocumentInfo
    text: str
    coders: list[str]
    target: str
    tags: list[str]  # in scope
    unit: str
    study: Study
    passages: dict[str, list[Passage]]  # by coder name, the target's included
    disagreements: list[Disagreement]
    agreement: Agreement  # of this document, tags used in it

    @property
    def units(self) -> UnitIndex:
        return self.study.documents[0].units if self.study.documents else UnitIndex([])

    def codes_at(self, coder: str, span: Span) -> list[str]:
        """The tags in scope a coder's passages apply to this unit (the coding rule)."""
        found: dict[str, None] = {}
        for p in self.passages.get(coder, []):
            if applies(span, p.start, p.end):
                found.update((t, None) for t in p.annotation.tags if t in self.tags)
        return [t for t in self.tags if t in found]

    def settled_as(self, d: Disagreement) -> list[str]:
        """The coders whose coding of the unit the target's now equals (none before it coded)."""
        if not self.passages.get(self.target):
            return []
        mine = set(self.codes_at(self.target, (d.start, d.end)))
        return [c for c, tags in d.codes.items() if set(tags) == mine]


def compare(
    store: Store,
    corpus: Corpus,
    doc_id: str,
    *,
    coders: Sequence[str] | None = None,
    tags: Sequence[str] | None = None,
    unit: str = "sentence",
    target: str = CONSENSUS,
) -> Comparison:
    """The comparison of ``coders`` (default: all who coded it, but the target) on a document."""
    info = corpus.get(doc_id)
    annotations, coded_by = read_coding(store, [doc_id])
    if coders is None:
        here = [c for c in coded_by.get(doc_id, []) if c not in (target, CONSENSUS)]
        if len(here) < 2:
            who = ", ".join(here) or "nobody"
            raise InvalidInput(
                f"nothing to compare in this document: coded by {who}; "
                "agreement needs two coders who coded it (D marks a document done)"
            )
        coders = here
    else:
        coders = choose_coders(store, [doc_id], coders, coded_by=coded_by)
    scope, _ = scope_tags(store, tags, annotations)
    study = collect(
        store, corpus, [info], list(coders), unit=unit, tags=scope, coding=(annotations, coded_by)
    )
    passages: dict[str, list[Passage]] = {}
    doc = study.documents[0] if study.documents else None
    for index, name in enumerate(coders):
        passages[name] = doc.passages.get(index, []) if doc else []
    text = doc.text if doc else corpus.text(doc_id)
    passages[target] = [
        Passage(a, *where)
        for a in annotations
        if a.coder == target and (where := place(a, text, info.content_hash)) is not None
    ]
    used = [t for t in scope if t in study.applied]
    return Comparison(
        info=info,
        text=text,
        coders=list(coders),
        target=target,
        tags=scope,
        unit=unit,
        study=study,
        passages=passages,
        disagreements=find_disagreements(study, scope),
        agreement=compute(study, used),
    )


def _copies(comparison: Comparison, coders: Sequence[str], span: Span) -> dict[Span, list[str]]:
    """The passages of ``coders`` that code the unit: their extent and tags in scope."""
    copies: dict[Span, list[str]] = {}
    for coder in coders:
        for p in comparison.passages.get(coder, []):
            tags = [t for t in p.annotation.tags if t in comparison.tags]
            if tags and applies(span, p.start, p.end):
                have = copies.setdefault((p.start, p.end), [])
                have += [t for t in tags if t not in have]
    return copies


def _new(comparison: Comparison, span: Span, tags: list[str]) -> dict:
    return {
        "doc_id": comparison.info.id, "start": span[0], "end": span[1],
        "text": comparison.text, "doc_hash": comparison.info.content_hash,
        "tags": tags, "coder": comparison.target,
    }  # fmt: skip


def settle(
    store: Store, comparison: Comparison, disagreement: Disagreement, take: Sequence[str]
) -> str:
    """Code the disagreement's unit as ``take`` (coder names; empty: neither); the step's label."""
    unknown = [c for c in take if c not in comparison.coders]
    if unknown:
        raise InvalidInput(f"{', '.join(unknown)} did not code this document")
    span = (disagreement.start, disagreement.end)
    scope = set(comparison.tags)
    retag: dict[str, list[str]] = {}
    delete: list[str] = []
    kept: dict[Span, str] = {}  # target passages that stay (other tags): id by extent
    for p in comparison.passages.get(comparison.target, []):
        ann = p.annotation
        if not applies(span, p.start, p.end) or not scope & set(ann.tags):
            continue
        rest = [t for t in ann.tags if t not in scope]
        if rest or ann.note or ann.highlight:
            retag[ann.id] = rest
            kept[(p.start, p.end)] = ann.id
        else:
            delete.append(ann.id)
    add = []
    for extent, tags in _copies(comparison, take, span).items():
        if extent in kept:
            retag[kept[extent]] = [*retag[kept[extent]], *tags]
        else:
            add.append(_new(comparison, extent, tags))
    who = " and ".join(f"{c}'s" for c in take) if take else "neither"
    label = f"settle {comparison.info.id} {span[0]}-{span[1]}: take {who}"
    store.apply_edits(add=add, retag=retag, delete=delete, label=label, coder=comparison.target)
    return label


def accept_agreements(store: Store, comparison: Comparison) -> int:
    """Copy the passages of every unit all coders coded alike; return how many were added."""
    doc = comparison.study.documents[0] if comparison.study.documents else None
    if doc is None:
        return 0
    have = {
        (p.start, p.end): set(p.annotation.tags)
        for p in comparison.passages.get(comparison.target, [])
    }
    first = comparison.study.coders[doc.coders[0]]
    add: dict[Span, list[str]] = {}
    for span in doc.spans:
        codes = [comparison.codes_at(comparison.study.coders[c], span) for c in doc.coders]
        if not codes[0] or any(set(c) != set(codes[0]) for c in codes[1:]):
            continue
        for extent, tags in _copies(comparison, [first], span).items():
            missing = [t for t in tags if t not in have.get(extent, set())]
            if missing:
                known = add.setdefault(extent, [])
                known += [t for t in missing if t not in known]
    if not add:
        return 0
    store.apply_edits(
        add=[_new(comparison, extent, tags) for extent, tags in add.items()],
        label=f"accept the agreed coding of {comparison.info.id} ({len(add)} passages)",
        coder=comparison.target,
    )
    return len(add)
