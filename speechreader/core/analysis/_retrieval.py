"""Retrieval by code: every passage with a tag (the QDA "coded segments" report).

A passage is shown with its document, offsets and a line of context: the stored
context (32 characters each side, taken where the passage is now) up to the line
break, so that the context never runs into the next paragraph.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import TYPE_CHECKING

from speechreader.core.analysis._coding import gc_paused
from speechreader.core.analysis._rows import PassageRow
from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    from speechreader.core.analysis._coding import Coding
    from speechreader.core.store import Annotation

MATCHES = ("any", "all")


@gc_paused
def select_passages(
    coding: Coding,
    tags: Sequence[str] = (),
    *,
    match: str = "any",
    children: bool = False,
    doc_ids: Collection[str] | None = None,
) -> list[Annotation]:
    """The passages with any (or all) of ``tags``; with no tag, every passage with a tag.

    With ``children`` a tag stands for itself and every tag under it in the codebook.
    ``doc_ids`` narrows to some documents (a group of a table).
    """
    if match not in MATCHES:
        raise InvalidInput(f"unknown match {match!r}: use any or all")
    tags = coding.check_tags(tags)
    annotations: Iterable[Annotation] = coding.annotations
    if doc_ids is not None:
        wanted = set(doc_ids)
        annotations = [a for a in annotations if a.doc_id in wanted]
    if not tags:
        return [a for a in annotations if a.tags]
    members = [coding.members(tag, children) for tag in tags]
    test = all if match == "all" else any
    return [a for a in annotations if test(not m.isdisjoint(a.tags) for m in members)]


def line_context(prefix: str, suffix: str) -> tuple[str, str]:
    """The context on the passage's own line: after the last line break of ``prefix``,
    before the first of ``suffix``."""
    return prefix.rpartition("\n")[2], suffix.partition("\n")[0]


@gc_paused
def passage_rows(coding: Coding, annotations: Iterable[Annotation]) -> list[PassageRow]:
    """The retrieval report's rows for ``annotations``."""
    rows = []
    info = coding.info
    for ann in annotations:
        left, right = line_context(ann.prefix, ann.suffix)
        doc = info.get(ann.doc_id)
        rows.append(
            PassageRow(
                annotation_id=ann.id,
                doc_id=ann.doc_id,
                start=ann.start,
                end=ann.end,
                tags=list(ann.tags),
                coder=ann.coder,
                passage=ann.quote,
                left=left,
                right=right,
                title=doc.title if doc is not None else "",
                note=ann.note,
            )
        )
    return rows


def retrieve(
    coding: Coding,
    tags: Sequence[str] = (),
    *,
    match: str = "any",
    children: bool = False,
    doc_ids: Collection[str] | None = None,
) -> list[PassageRow]:
    """:func:`select_passages` as report rows, in document order."""
    return passage_rows(
        coding, select_passages(coding, tags, match=match, children=children, doc_ids=doc_ids)
    )
