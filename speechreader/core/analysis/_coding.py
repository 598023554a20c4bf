"""The coding as analysis sees it: the chosen documents and their coded passages.

Every table of this part is computed from a :class:`Coding`: the documents that pass
the ``--where`` conditions (read by :mod:`speechreader.core.corpus`, the same way
for every command), and every annotation of those documents by the chosen coders,
at the place its passage is *now*. A document whose file changed since it was coded
has its passages found again by their quote and context (as the reader and the
export do); one that cannot be found is left out and counted in ``orphaned``, never
counted somewhere it no longer is.

Loading is the slow part: 100,000 annotations read and validated as records take about
two seconds, so the TUI loads a Coding once and computes each table from it as the user
asks. The tables need only each passage's document, place and tags (``passages``, as
columns: :mod:`._columns`); ``load_coding(..., text=False)`` reads just those from the
store's span cache (``Store.spans``, kept fresh by each file's stat key), ten times
quicker, for the command line's one-table runs.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from speechreader.core.analysis._columns import (
    Passages,
    from_annotations,
    from_spans,
    spans_passages,
)
from speechreader.core.errors import UnknownTag
from speechreader.core.gcpause import paused_gc
from speechreader.core.store import Anchor, Annotation, Tag, locate, make_anchor

if TYPE_CHECKING:
    import numpy as np

    from speechreader.core.corpus import Condition, Corpus, DocumentInfo
    from speechreader.core.store import Store

ProgressCallback = Callable[[int, int], None]


def gc_paused(func):
    """Run ``func`` with the cyclic GC paused: a table over 100,000 passages makes as many
    small objects, and collections walking them all made it three times slower."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with paused_gc():
            return func(*args, **kwargs)

    return wrapper


@dataclass
class Coding:
    """The documents chosen for analysis and their coded passages (where they are now).

    ``annotations`` are sorted by document (corpus order), start, end and id; each
    carries its current offsets, quote and context (not loaded with ``text=False``:
    then quote, context, note and times are empty). ``passages`` are the same
    passages as columns. ``codebook`` is in codebook order. ``orphaned`` are passages
    whose text is no longer in their document; ``missing`` those whose document is
    not in the corpus at all.
    """

    corpus: Corpus
    documents: list[DocumentInfo]
    passages: Passages
    records: Callable[[], list[Annotation]] = field(repr=False)
    codebook: list[Tag] = field(default_factory=list)
    orphaned: list[Annotation] = field(default_factory=list)
    missing: int = 0
    conditions: tuple[Condition, ...] = ()
    coders: tuple[str, ...] = ()

    @cached_property
    def annotations(self) -> list[Annotation]:
        return self.records()

    @cached_property
    def characters(self) -> int:
        """Characters of the chosen documents: what rates per 10,000 characters divide by."""
        return sum(info.chars for info in self.documents)

    @cached_property
    def by_document(self) -> dict[str, list[Annotation]]:
        """The annotations of each document, in order (documents without any left out)."""
        out: dict[str, list[Annotation]] = {}
        for ann in self.annotations:
            out.setdefault(ann.doc_id, []).append(ann)
        return out

    @cached_property
    def info(self) -> dict[str, DocumentInfo]:
        return {info.id: info for info in self.documents}

    # --- tags ---------------------------------------------------------------------

    @cached_property
    def tag_names(self) -> list[str]:
        """Codebook tags in codebook order, then tags used but missing from it (sorted)."""
        names = [t.name for t in self.codebook]
        known = set(names)
        used = sorted(self.passages.used_tags() - known)
        return names + used

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        children: dict[str, list[str]] = {}
        known = {t.name for t in self.codebook}
        for tag in self.codebook:
            if tag.parent and tag.parent in known and tag.parent != tag.name:
                children.setdefault(tag.parent, []).append(tag.name)
        return children

    def members(self, tag: str, children: bool = False) -> frozenset[str]:
        """The tag names that count as ``tag``: itself, and with ``children`` its descendants."""
        found = {tag}
        if children:
            todo = [tag]
            while todo:
                for child in self._children.get(todo.pop(), []):
                    if child not in found:  # a loop in a hand-edited codebook ends here
                        found.add(child)
                        todo.append(child)
        return frozenset(found)

    def check_tags(self, tags: Iterable[str]) -> list[str]:
        """The tags as given, each checked to exist (in the codebook or on a passage)."""
        names = list(dict.fromkeys(tags))
        known = set(self.tag_names)
        for name in names:
            if name not in known:
                close = difflib.get_close_matches(name, self.tag_names, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                raise UnknownTag(f"no tag {name!r} in the codebook or on any passage{hint}")
        return names

    def tagged(self, tag: str, children: bool = False) -> list[Annotation]:
        """The passages coded ``tag`` (or, with ``children``, any tag under it)."""
        names = self.members(tag, children)
        if len(names) == 1:
            return [ann for ann in self.annotations if tag in ann.tags]
        return [ann for ann in self.annotations if not names.isdisjoint(ann.tags)]

    def tag_matrix(self, tags: Sequence[str], children: bool = False) -> np.ndarray:
        """passages × ``tags`` (bool): which tags each passage counts for (see tag_sets)."""
        return self.passages.matrix([self.members(tag, children) for tag in tags])

    def tag_sets(
        self, tags: Sequence[str], children: bool = False
    ) -> list[tuple[Annotation, frozenset[str]]]:
        """Each passage with the analysed ``tags`` it counts for (passages counting for none
        are left out). With ``children`` a passage coded with a child tag counts for its
        parent too, once however many of its children it carries."""
        members = {tag: self.members(tag, children) for tag in tags}
        memo: dict[tuple[str, ...], frozenset[str]] = {}  # few distinct combinations of tags
        out = []
        for ann in self.annotations:
            key = tuple(ann.tags)
            found = memo.get(key)
            if found is None:
                found = memo[key] = frozenset(
                    t for t, m in members.items() if not m.isdisjoint(key)
                )
            if found:
                out.append((ann, found))
        return out


def load_coding(
    corpus: Corpus,
    store: Store | None,
    *,
    conditions: Iterable[Condition] = (),
    coders: Iterable[str] = (),
    progress: ProgressCallback | None = None,
    text: bool = True,
) -> Coding:
    """Read the coding of the documents that meet ``conditions``, by ``coders`` (all if none).

    ``progress(done, total)`` is called as documents whose file changed are searched
    for their passages (the only part that reads texts). With ``text=False`` the
    passages come without their quote and context, from the store's span cache (see
    the module docstring); every table is the same.
    """
    from speechreader.core.corpus import select_documents

    conditions = tuple(conditions)
    coders = tuple(dict.fromkeys(coders))
    documents = select_documents(corpus, conditions) if conditions else list(corpus)
    chosen = {info.id: info for info in documents}
    if store is None:
        passages, _ = from_annotations([], documents)
        return Coding(corpus, documents, passages, list, conditions=conditions, coders=coders)
    codebook = store.tags()
    if not text:
        found = from_spans(corpus, store, documents, coders)
        relocated, orphaned = _relocate_all(corpus, found.changed, progress)
        passages, records = spans_passages(found, relocated, documents)
        return Coding(
            corpus, documents, passages, records, codebook, orphaned, found.missing,
            conditions=conditions, coders=coders,
        )  # fmt: skip
    wanted_coders = set(coders)
    kept: list[Annotation] = []
    changed: dict[str, list[Annotation]] = {}
    missing = 0
    with paused_gc():  # 100,000 records kept alive: collections would walk them all
        for ann in store.all():  # by document id, start, end, id: the corpus's order
            if wanted_coders and ann.coder not in wanted_coders:
                continue
            info = chosen.get(ann.doc_id)
            if info is None:
                missing += ann.doc_id not in corpus
            elif _unchanged(ann, info):
                kept.append(ann)
            else:
                changed.setdefault(ann.doc_id, []).append(ann)
        relocated, orphaned = _relocate_all(corpus, changed, progress)
        passages, ordered = from_annotations(kept + relocated, documents)
    return Coding(
        corpus, documents, passages, lambda: ordered, codebook, orphaned, missing,
        conditions=conditions, coders=coders,
    )  # fmt: skip


def _relocate_all(
    corpus: Corpus, changed: dict[str, list[Annotation]], progress: ProgressCallback | None
) -> tuple[list[Annotation], list[Annotation]]:
    """The passages of changed documents found again, and those that cannot be."""
    kept: list[Annotation] = []
    orphaned: list[Annotation] = []
    for done, (doc_id, anns) in enumerate(changed.items(), start=1):
        found, lost = _relocate(corpus.text(doc_id), anns)
        kept.extend(found)
        orphaned.extend(lost)
        if progress:
            progress(done, len(changed))
    return kept, orphaned


def _unchanged(ann: Annotation, info: DocumentInfo) -> bool:
    """True if the stored offsets still point at the passage (the file is as coded)."""
    same = not ann.doc_hash or ann.doc_hash == info.content_hash
    return same and 0 <= ann.start < ann.end <= info.chars


def _relocate(text: str, anns: list[Annotation]) -> tuple[list[Annotation], list[Annotation]]:
    """The passages of a changed document at their new places, and those not found."""
    found, lost = [], []
    for ann in anns:
        where = locate(text, ann.start, ann.end, Anchor(ann.quote, ann.prefix, ann.suffix))
        if where.status == "orphaned":
            lost.append(ann)
            continue
        anchor = make_anchor(text, where.start, where.end)
        found.append(
            dataclasses.replace(
                ann,
                start=where.start,
                end=where.end,
                quote=anchor.quote,
                prefix=anchor.prefix,
                suffix=anchor.suffix,
            )
        )
    return found, lost
