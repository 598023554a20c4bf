"""The library's rows apart from the screen: each document's cells, what the filter
looks through, and the corpus sorted by each column, kept until they change.

Why a model of its own: at 100,000 documents every one of these is seconds of work
(a sort by title reads 100,000 titles in pinyin, ~5 s), so the screen prepares them
in a worker and must know exactly which cached order a change makes stale. A count
changed in the reader re-sorts nothing unless the table is sorted by that count; an
edited title drops only the orders by title.

Thread use: the screen's workers call :meth:`sort` while the UI thread reads cells;
every cache here is a dict filled idempotently (two threads making the same cells make
equal lists), and a sort finished after its column's cells changed is not kept.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable

from speechreader.core.corpus import DocumentInfo, pinyin_sort_key
from speechreader.tui.screens.library_columns import (
    DONE_COLUMN,
    NUMBER_COLUMNS,
    PINYIN_COLUMNS,
    distrust,
    done_cell,
    row_values,
)
from speechreader.tui.screens.library_filter import FilterText
from speechreader.tui.widgets.document_table import TableColumn

Progress = Callable[[int, int], None]  # (done, total)
#: Sort keys are read in steps of this many documents between progress reports.
PROGRESS_STEP = 5000
#: Columns whose distinct values are few: their pinyin keys are kept between sorts.
#: A title is nearly unique, and its key (~1 KB) is read once per sort: not kept.
_KEEP_KEYS = PINYIN_COLUMNS - {"title"}
#: Cells up to this long are kept once per distinct value (titles are left alone).
SHARED_LENGTH = 12


OrderKey = tuple[int, bool, int]  # (column index, reverse, number of columns)


class LibraryRows:
    """Cells, filter text and sorted orders of one corpus's documents."""

    def __init__(self, columns: tuple[TableColumn, ...]) -> None:
        self.columns = columns
        self.counts: dict[str, int] = {}
        self.done: dict[str, list[str]] = {}
        self.wide = False
        self.done_width = DONE_COLUMN.width
        #: bumped when a column's cells change: a sort by it begun before is not kept
        self._generations: dict[int, int] = {}
        self._epoch = 0  # bumped when every row changes
        self.cells_cache: dict[str, list[str]] = {}
        self.filter_text = FilterText()
        self.orders: dict[OrderKey, list[DocumentInfo]] = {}
        self._pinyin: dict[str, tuple] = {}  # a speaker or place → its sort key
        self._short: dict[str, str] = {}  # a short cell → the one string kept for it

    # --- cells and filter text -------------------------------------------------------

    def cells(self, doc: DocumentInfo) -> list[str]:
        """A document's row as strings, made once until it changes."""
        cells = self.cells_cache.get(doc.id)
        if cells is None:
            cells = self.cells_cache[doc.id] = self._make_cells(doc)
        return cells

    def _make_cells(self, doc: DocumentInfo) -> list[str]:
        values = row_values(doc, self.counts.get(doc.id, 0), self.wide)
        values["done"] = done_cell(self.done.get(doc.id, []), self.done_width)
        # one string per distinct short cell: lengths, counts and badges repeat, and
        # 100,000 rows made ~300,000 small strings (8 MB more than shared ones)
        shared = self._short
        cells = [str(values[c.key]) for c in self.columns]
        return [shared.setdefault(v, v) if len(v) <= SHARED_LENGTH else v for v in cells]

    def matching(self, docs: list[DocumentInfo], needle: str) -> list[DocumentInfo]:
        """The documents (all of the corpus's, in some order) whose id, title or metadata
        hold the folded ``needle``, in that order."""
        if not self.filter_text.built:
            self.filter_text.build(docs)
        found = self.filter_text.matching(needle)
        return [d for d in docs if d.id in found]

    # --- what changed ---------------------------------------------------------------

    def forget_all(self, *, haystacks: bool = False) -> None:
        """Every row made again (the columns or their widths changed), every order dropped."""
        self._epoch += 1
        self.cells_cache.clear()
        self.orders = {}
        if haystacks:
            self.filter_text.clear()

    def forget(self, docs: Iterable[DocumentInfo], *, haystacks: bool = False) -> None:
        """These documents' rows changed: remade now, and only the orders of the columns
        whose cells changed are dropped (a new count re-sorts nothing sorted by date)."""
        stale: set[int] = set()
        docs = list(docs)
        if haystacks and self.filter_text.built:
            self.filter_text.changed(docs)
        for doc in docs:
            old = self.cells_cache.pop(doc.id, None)
            new = self.cells(doc)
            if old is None or len(old) != len(new):
                stale.update(range(len(new)))
            else:
                stale.update(i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
        # the problems column sorts by the problems' counts, which its letters may not
        # show (a file changed on disk): its order is dropped with any change
        stale.update(i for i, c in enumerate(self.columns) if c.key == "problems")
        for column in stale:
            self._generations[column] = self._generations.get(column, 0) + 1
        self.orders = {k: v for k, v in self.orders.items() if k[0] not in stale}

    # --- orders ---------------------------------------------------------------------

    def order_key(self, column: int, reverse: bool) -> OrderKey:
        return (column, reverse, len(self.columns))

    def cached_order(self, column: int, reverse: bool) -> list[DocumentInfo] | None:
        """The corpus in this column's order if it is known (or its reverse is)."""
        key = self.order_key(column, reverse)
        order = self.orders.get(key)
        if order is None:
            other = self.orders.get(self.order_key(column, not reverse))
            if other is not None:  # every sort key ends with the unique id: reversed
                order = self.orders[key] = other[::-1]
        return order

    def sort(
        self,
        docs: list[DocumentInfo],
        column: int,
        reverse: bool,
        progress: Progress | None = None,
    ) -> list[DocumentInfo]:
        """Sort (a copy of) ``docs`` by ``column`` and keep the order, unless the rows
        changed meanwhile (another thread); ``progress(done, total)`` while keys are read."""
        key = self.order_key(column, reverse)
        began = (self._epoch, self._generations.get(column, 0))
        order = self._sorted(list(docs), column, reverse, progress)
        if began == (self._epoch, self._generations.get(column, 0)):
            self.orders[key] = order
        return order

    def _sorted(
        self, docs: list[DocumentInfo], column: int, reverse: bool, progress: Progress | None
    ) -> list[DocumentInfo]:
        name = self.columns[column].key
        if name == "problems":  # what to distrust most comes first
            docs.sort(key=distrust, reverse=not reverse)
            return docs
        total = len(docs)
        keys: list[tuple] = []
        pinyin = name in PINYIN_COLUMNS
        kept = self._pinyin if name in _KEEP_KEYS else {}
        for start in range(0, total, PROGRESS_STEP):
            if progress is not None:
                progress(start, total)
            for doc in docs[start : start + PROGRESS_STEP]:
                value = self.cells(doc)[column]
                if name in NUMBER_COLUMNS:
                    keys.append((int(value), doc.id))
                elif not pinyin:  # text, empty values last
                    keys.append((value == "", value.casefold(), doc.id))
                else:  # titles, speakers, places by pinyin
                    read = kept.get(value)
                    if read is None:
                        read = kept[value] = pinyin_sort_key(value)
                    keys.append((value == "", read, doc.id))
        if progress is not None:
            progress(total, total)
        return [docs[i] for i in _ranked(keys, reverse)]


def _ranked(keys: list[tuple], reverse: bool) -> list[int]:
    """The indexes of ``keys`` in sorted order, sorted in runs then merged.

    One ``sorted()`` of 100,000 tuple keys is a single C call that holds the GIL for
    ~0.4 s: the UI thread, waiting for it, froze the screen that long although the sort
    ran in a worker. Runs of a few thousand hold it for milliseconds, and
    :func:`heapq.merge` is Python code the interpreter switches threads in.
    The keys are unique (each ends with the document id), so the result is exactly
    one ``sorted()``'s.
    """
    get = keys.__getitem__
    runs = [
        sorted(range(start, min(start + PROGRESS_STEP, len(keys))), key=get, reverse=reverse)
        for start in range(0, len(keys), PROGRESS_STEP)
    ]
    if len(runs) <= 1:
        return runs[0] if runs else []
    return list(heapq.merge(*runs, key=get, reverse=reverse))
