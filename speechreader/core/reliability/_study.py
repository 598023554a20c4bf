"""Reliability data from a database and a corpus: who applied which tag to which unit.

A :class:`Study` holds, for the documents that at least two of the chosen coders
coded, every unit (sentence, paragraph or character) and, per tag, a boolean
``coders × units`` array: did this coder apply the tag to this unit (the coding rule
of :mod:`_units`)? ``present`` says which coder coded which unit's document at all:
where it is False the coder's value is *missing*, never "did not apply".

Passages are placed where they are now: by their offsets when the document is
unchanged, else found again by quote and context; a passage that cannot be found
(orphaned) is left out and counted, never guessed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from speechreader.core.errors import InvalidInput, UnknownTag
from speechreader.core.reliability._units import Span, UnitIndex, check_unit, unit_spans
from speechreader.core.store import Anchor, Annotation, Tag, locate

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, DocumentInfo
    from speechreader.core.store import Store

#: The coder adjudicated codings are written as; left out of agreement unless named.
CONSENSUS = "consensus"
#: Below this many documents, annotations are read document by document.
_FEW_DOCUMENTS = 20


@dataclass
class Passage:
    """A coded passage where it is now (start..end in the document's current text)."""

    annotation: Annotation
    start: int
    end: int


@dataclass
class StudyDocument:
    doc_id: str
    text: str
    first: int  # index of its first unit in the study
    units: UnitIndex
    coders: list[int]  # the chosen coders (indexes) who coded it
    passages: dict[int, list[Passage]] = field(default_factory=dict)  # by coder index

    @property
    def spans(self) -> list[Span]:
        return self.units.spans

    @property
    def end(self) -> int:
        return self.first + len(self.units)


@dataclass
class Study:
    """Reliability data: units of the documents two or more chosen coders coded."""

    unit: str
    coders: list[str]
    documents: list[StudyDocument]
    present: np.ndarray  # bool [coders, units]
    applied: dict[str, np.ndarray]  # tag -> bool [coders, units]
    codebook: list[Tag]
    left_out: list[str]  # chosen documents only one of the coders coded
    orphaned: int  # passages that could not be found in their document's text

    @property
    def units(self) -> int:
        return int(self.present.shape[1])

    def tag_array(self, tag: str) -> np.ndarray:
        """``applied`` for a tag, all False if no chosen coder used it here."""
        found = self.applied.get(tag)
        if found is None:
            return np.zeros_like(self.present)
        return found

    def locate_unit(self, index: int) -> tuple[StudyDocument, int]:
        """The document of a unit (by its index in the study) and its index there."""
        lo, hi = 0, len(self.documents) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if self.documents[mid].first <= index:
                lo = mid
            else:
                hi = mid - 1
        doc = self.documents[lo]
        return doc, index - doc.first


def read_coding(
    store: Store, doc_ids: Sequence[str]
) -> tuple[list[Annotation], dict[str, list[str]]]:
    """The annotations of these documents and who coded each (marks or annotations).

    One pass over the database: a few documents are read file by file, many through
    :meth:`Store.all` (every file once, straight through).
    """
    if len(doc_ids) <= _FEW_DOCUMENTS:
        annotations = [a for doc_id in doc_ids for a in store.for_document(doc_id)]
    else:
        wanted = set(doc_ids)
        annotations = [a for a in store.all() if a.doc_id in wanted]
    return annotations, store.coded_by(annotations)


def choose_coders(
    store: Store,
    doc_ids: Iterable[str],
    requested: Sequence[str] | None,
    coded_by: dict[str, list[str]] | None = None,
) -> list[str]:
    """The coders to compare: those named (checked), else all who coded these documents.

    By default the adjudicated coding (coder ``consensus``) is left out: it would agree
    with itself. Naming it includes it.
    """
    coded_by = store.coded_by() if coded_by is None else coded_by
    wanted = set(doc_ids)
    here = {c for doc, coders in coded_by.items() if doc in wanted for c in coders}
    if requested:
        names = list(dict.fromkeys(n.strip() for n in requested if n.strip()))
        missing = [n for n in names if n not in here]
        known = store.coders() if missing else []
        unknown = [n for n in missing if n not in known]
        if unknown:
            hint = ", ".join(known) if known else "none yet"
            close = {m for n in unknown for m in difflib.get_close_matches(n, known, n=2)}
            maybe = f" (did you mean {', '.join(sorted(close))}?)" if close else ""
            raise InvalidInput(
                f"unknown coder{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(map(repr, unknown))}{maybe}; coders in this database: {hint}"
            )
        chosen = names
    else:
        chosen = sorted(here - {CONSENSUS})
    if len(chosen) < 2:
        every = store.coded_by()
        counts = {c: sum(c in coders for coders in every.values()) for c in store.coders()}
        listing = (
            ", ".join(f"{c} ({n} document{'s' if n != 1 else ''})" for c, n in counts.items())
            or "none yet"
        )
        raise InvalidInput(
            "agreement needs at least two coders who coded the same documents; "
            f"coders in this database: {listing}"
        )
    return chosen


def scope_tags(
    store: Store,
    requested: Sequence[str] | None,
    annotations: Iterable[Annotation] | None = None,
) -> tuple[list[str], list[Tag]]:
    """The tags to report (codebook order, then used-but-missing ones) and the codebook.

    Tags used but missing from the codebook (``doctor`` adds them) come from
    ``annotations`` when given, else from the database's summaries.
    """
    codebook = store.tags()
    every = [t.name for t in codebook]
    if annotations is None:
        used: Iterable[str] = store.tag_counts()
    else:
        used = dict.fromkeys(t for a in annotations for t in a.tags)
    known = set(every)
    every += sorted(t for t in used if t not in known)
    if not requested:
        return every, codebook
    names = list(dict.fromkeys(n.strip() for n in requested if n.strip()))
    for name in names:
        if name not in every:
            close = difflib.get_close_matches(name, every, n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownTag(f"no tag {name!r} in the codebook{hint}")
    return names, codebook


def group_values(codebook: list[Tag], parent: str) -> list[str]:
    """The children of ``parent`` in codebook order: the values of its group."""
    names = [t.name for t in codebook]
    if parent not in names:
        close = difflib.get_close_matches(parent, names, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UnknownTag(f"no tag {parent!r} in the codebook{hint}")
    children = [t.name for t in codebook if t.parent == parent]
    if len(children) < 2:
        has = "one child tag" if children else "no child tags"
        raise InvalidInput(
            f"tag {parent!r} has {has}: a group's values are its children "
            "(e.g. tone: positive, neutral, negative); add them in the codebook (C)"
        )
    return children


def place(ann: Annotation, text: str, doc_hash: str) -> tuple[int, int] | None:
    """Where a passage is in ``text`` now, or None if it cannot be found (orphaned)."""
    if (not ann.doc_hash or ann.doc_hash == doc_hash) and 0 <= ann.start < ann.end <= len(text):
        return ann.start, ann.end
    found = locate(text, ann.start, ann.end, Anchor(ann.quote, ann.prefix, ann.suffix))
    return None if found.status == "orphaned" else (found.start, found.end)


def collect(
    store: Store,
    corpus: Corpus,
    documents: Sequence[DocumentInfo],
    coders: Sequence[str],
    *,
    unit: str = "sentence",
    tags: Iterable[str] | None = None,
    coding: tuple[list[Annotation], dict[str, list[str]]] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Study:
    """The reliability data of ``documents`` for ``coders`` (see the module docstring).

    ``tags``: the tags whose arrays are needed (all used ones if None). ``coding``:
    what :func:`read_coding` returned for these documents, if the caller has it.
    """
    check_unit(unit)
    coders = list(coders)
    index_of = {c: i for i, c in enumerate(coders)}
    annotations, coded_by = coding or read_coding(store, [d.id for d in documents])
    sample: list[tuple[DocumentInfo, list[int]]] = []
    left_out = []
    for info in documents:
        who = sorted(index_of[c] for c in coded_by.get(info.id, ()) if c in index_of)
        if len(who) >= 2:
            sample.append((info, who))
        elif who:
            left_out.append(info.id)
    docs: list[StudyDocument] = []
    first = 0
    for done, (info, who) in enumerate(sample, 1):
        text = corpus.text(info.id)
        units = UnitIndex(unit_spans(text, unit))
        docs.append(StudyDocument(info.id, text, first, units, who))
        first += len(units)
        if progress is not None:
            progress(done, len(sample))
    present = np.zeros((len(coders), first), dtype=bool)
    for doc in docs:
        present[doc.coders, doc.first : doc.end] = True
    wanted = set(tags) if tags is not None else None
    cells: dict[str, list[int]] = {}  # tag -> flat indexes (coder * units + unit) applied
    orphaned = 0
    by_id = {doc.doc_id: doc for doc in docs}
    hashes = {info.id: info.content_hash for info, _ in sample}
    for ann in annotations:
        doc = by_id.get(ann.doc_id)
        coder = index_of.get(ann.coder)
        if doc is None or coder is None:
            continue
        where = place(ann, doc.text, hashes[doc.doc_id])
        if where is None:
            orphaned += 1
            continue
        doc.passages.setdefault(coder, []).append(Passage(ann, *where))
        hit = doc.units.applied(*where)
        if not hit:
            continue
        base = coder * first + doc.first
        for tag in ann.tags:
            if wanted is None or tag in wanted:
                cells.setdefault(tag, []).extend(base + i for i in hit)
    applied: dict[str, np.ndarray] = {}
    for tag, flat in cells.items():
        array = np.zeros(len(coders) * first, dtype=bool)
        array[flat] = True
        applied[tag] = array.reshape(len(coders), first)
    return Study(unit, coders, docs, present, applied, store.tags(), left_out, orphaned)
