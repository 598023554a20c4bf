"""Search hits held as arrays until they are shown.

The commonest word of a 100,000-speech corpus (发展) has about two million hits. As
``(doc_id, start, end)`` tuples they weigh ~120 bytes each, 240 MB: more than the
whole library of the same corpus. :class:`HitList` keeps one document number and two
offsets per hit in :mod:`array` columns of 32-bit numbers (12 bytes a hit, 24 MB for
two million; a text longer than four billion characters widens its columns to 64
bits) and the ids once per document, and makes a tuple only when one is asked for (a
page of KWIC lines, the hit the reader jumps to).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import repeat
from typing import overload

Span = tuple[str, int, int]  # (doc_id, start, end): the same as _find.Span


class HitList(Sequence[Span]):
    """A sequence of spans, in the order they were added, one document at a time."""

    __slots__ = ("_doc", "_end", "_ids", "_start")

    def __init__(self) -> None:
        self._ids: list[str] = []  # one per document with hits
        self._doc = array("I")  # per hit: its document's number in _ids
        self._start = array("I")
        self._end = array("I")

    def add_document(self, doc_id: str, found: Iterable[tuple[int, int]]) -> None:
        """Add one document's hits (``(start, end)`` pairs); none adds nothing."""
        before = len(self._start)
        found = found if isinstance(found, list) else list(found)
        try:
            for start, end in found:
                self._start.append(start)
                self._end.append(end)
        except OverflowError:  # an offset past 32 bits: wider columns from now on
            self._start, self._end = (
                array("q", self._start[:before]),
                array("q", self._end[:before]),
            )
            for start, end in found:
                self._start.append(start)
                self._end.append(end)
        added = len(self._start) - before
        if added:
            self._doc.extend(repeat(len(self._ids), added))
            self._ids.append(doc_id)

    @property
    def documents(self) -> int:
        """How many documents have hits."""
        return len(self._ids)

    def copy(self) -> HitList:
        """A copy that later additions do not change (first results shown meanwhile)."""
        other = HitList()
        other._ids = list(self._ids)
        other._doc, other._start, other._end = self._doc[:], self._start[:], self._end[:]
        return other

    def __len__(self) -> int:
        return len(self._start)

    @overload
    def __getitem__(self, index: int) -> Span: ...

    @overload
    def __getitem__(self, index: slice) -> list[Span]: ...

    def __getitem__(self, index: int | slice) -> Span | list[Span]:
        if isinstance(index, slice):
            ids, docs, starts, ends = (
                self._ids,
                self._doc[index],
                self._start[index],
                self._end[index],
            )
            return [(ids[d], a, b) for d, a, b in zip(docs, starts, ends, strict=True)]
        return (self._ids[self._doc[index]], self._start[index], self._end[index])

    def __iter__(self) -> Iterator[Span]:
        ids = self._ids
        for d, a, b in zip(self._doc, self._start, self._end, strict=True):
            yield (ids[d], a, b)
