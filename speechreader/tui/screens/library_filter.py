"""What the library's filter looks through: every document's id, title and metadata,
folded (廣西 and 广西 alike, case-insensitive), held as a few large strings.

One folded string per document weighed 38 MB at 100,000 documents (a string object's
header costs more than its ~60 characters). Here the lines of 5,000 documents are one
string with their start offsets beside (31 MB), and a filter finds its needle with
``str.find`` in C instead of testing 100,000 strings one by one. A needle never spans
two documents: the filter is one line, and each document's line has no line break.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Iterable

from speechreader.core.corpus import DocumentInfo
from speechreader.tui.screens.library_columns import fold

#: Documents folded per OpenCC call (one call holds the GIL: 100,000 lines at once
#: froze the screen for ~0.3 s while the library loaded in its worker).
CHUNK = 5000


def haystack_text(doc: DocumentInfo) -> str:
    """What the filter looks through: id, title and metadata values, on one line."""
    return " ".join([doc.id, doc.title, *doc.metadata.values()]).replace("\n", " ")


def fold_lines(docs: list[DocumentInfo]) -> str:
    """The documents' folded lines joined by line breaks, in one conversion (OpenCC
    never converts across a line, so each line is its document's own folding)."""
    texts = [haystack_text(d) for d in docs]
    joined = fold("\n".join(texts))
    if joined.count("\n") != len(texts) - 1:  # cannot happen with a line-preserving fold
        joined = "\n".join(fold(t) for t in texts)
    return joined


class FilterText:
    """The folded filter text of a corpus's documents, and what a needle matches."""

    def __init__(self) -> None:
        self._chunks: list[tuple[str, array, list[str]]] = []  # text, line starts, ids
        self._fresh: dict[str, str] = {}  # documents changed since: their own lines

    @property
    def built(self) -> bool:
        return bool(self._chunks)

    def build(self, docs: list[DocumentInfo]) -> None:
        chunks = []
        for first in range(0, len(docs), CHUNK):
            part = docs[first : first + CHUNK]
            text = fold_lines(part)
            starts = array("l", [0])
            at = text.find("\n")
            while at >= 0:
                starts.append(at + 1)
                at = text.find("\n", at + 1)
            chunks.append((text, starts, [d.id for d in part]))
        self._chunks, self._fresh = chunks, {}

    def clear(self) -> None:
        self._chunks, self._fresh = [], {}

    def changed(self, docs: Iterable[DocumentInfo]) -> None:
        """These documents' titles or metadata changed: their lines are made again."""
        for doc in docs:
            self._fresh[doc.id] = fold(haystack_text(doc))

    def line(self, doc_id: str) -> str | None:
        """The folded line of one document (None: not built)."""
        if doc_id in self._fresh:
            return self._fresh[doc_id]
        for text, starts, ids in self._chunks:
            if doc_id in ids:
                i = ids.index(doc_id)
                end = starts[i + 1] - 1 if i + 1 < len(starts) else len(text)
                return text[starts[i] : end]
        return None

    def matching(self, needle: str) -> set[str]:
        """The ids of the documents whose line holds ``needle`` (already folded)."""
        found: set[str] = set()
        for text, starts, ids in self._chunks:
            at = text.find(needle)
            while at >= 0:
                line = bisect_right(starts, at) - 1
                found.add(ids[line])
                if line + 1 >= len(starts):
                    break
                at = text.find(needle, starts[line + 1])  # one hit a document is enough
        for doc_id, line in self._fresh.items():
            if needle in line:
                found.add(doc_id)
            else:
                found.discard(doc_id)
        return found
