"""Search hits held as arrays until they are shown.

The commonest word of a 100,000-speech corpus (发展) has about two million hits. As
``(doc_id, start, end)`` tuples they weigh ~120 bytes each, 240 MB: more than the
whole library of the same corpus. :class:`HitList` keeps two offsets per hit in
:mod:`array` columns of 32-bit numbers (8 bytes a hit, 17 MB for two million; a text
longer than four billion characters widens them to 64 bits), and per document its id
and where its hits begin; it makes a tuple only when one is asked for (a page of KWIC
lines, the hit the reader jumps to).
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from typing import overload

Span = tuple[str, int, int]  # (doc_id, start, end): the same as _find.Span


class HitList(Sequence[Span]):
    """A sequence of spans, in the order they were added, one document at a time."""

    __slots__ = ("_end", "_first", "_ids", "_start")

    def __init__(self) -> None:
        self._ids: list[str] = []  # one per document with hits
        self._first = array("I")  # per document: the number of its first hit
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
        if len(self._start) > before:
            self._first.append(before)
            self._ids.append(doc_id)

    @property
    def documents(self) -> int:
        """How many documents have hits."""
        return len(self._ids)

    def copy(self) -> HitList:
        """A copy that later additions do not change (first results shown meanwhile)."""
        other = HitList()
        other._ids = list(self._ids)
        other._first, other._start, other._end = self._first[:], self._start[:], self._end[:]
        return other

    def __len__(self) -> int:
        return len(self._start)

    def _span(self, index: int) -> Span:
        """The hit at ``index`` (0 <= index < len): its document found by bisection."""
        doc = bisect_right(self._first, index) - 1
        return (self._ids[doc], self._start[index], self._end[index])

    @overload
    def __getitem__(self, index: int) -> Span: ...

    @overload
    def __getitem__(self, index: slice) -> list[Span]: ...

    def __getitem__(self, index: int | slice) -> Span | list[Span]:
        if isinstance(index, slice):
            return [self._span(i) for i in range(*index.indices(len(self)))]
        n = len(self)
        if index < 0:
            index += n
        if not 0 <= index < n:
            raise IndexError("hit index out of range")
        return self._span(index)

    def __iter__(self) -> Iterator[Span]:
        ids, first, starts, ends = self._ids, self._first, self._start, self._end
        bounds = [*first[1:], len(starts)]
        for doc_id, a, b in zip(ids, first, bounds, strict=True):
            for i in range(a, b):
                yield (doc_id, starts[i], ends[i])
