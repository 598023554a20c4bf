"""Which documents hold a character or a pair of characters: the postings of the index.

A Chinese query is often two characters (发展), so a trigram index (SQLite FTS5's
``trigram`` tokenizer) cannot serve it; this one lists, for every pair of adjacent
characters of the search forms, the documents holding it. A literal
query's candidates are the documents holding all its pairs (or, for one character, that
character); the regular expression then runs on those documents only, so results are
exactly those of a scan.

Codes are integers: a pair ``(a, b)`` is ``(a + 1) << 21 | b``; a document's last
character is paired with :data:`END` (above every code point), so the documents
holding one character are those of the pairs it starts (a range of codes).
Documents are numbered; numbers are grouped in segments of :data:`SEGMENT` documents,
and a pair's documents in one segment
are stored as one blob: little-endian uint16 offsets in the segment when few, else a
bitmap (a word found in every document costs 512 bytes per
4,096 documents, not 16 KB). numpy does the counting: a Python set per document took
four times as long.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np

#: 4,096 documents per segment (an index file records its own: tests use smaller ones)
SEGMENT_BITS = 12
SEGMENT = 1 << SEGMENT_BITS


def bitmap_bytes(bits: int) -> int:
    """The size of a segment's bitmap; a list of fewer than half as many uint16 is kept
    as a list instead (so the two never have the same length)."""
    return (1 << bits) // 8


_PAIR = np.uint64(21)
#: what follows a document's last character (above every code point)
END = np.uint64(0x1FFFFF)


def gram_codes(norm: str) -> np.ndarray:
    """The pair codes of a search form (uint64, unsorted, repeats kept), with a last
    pair ``(last character, END)`` so that every character starts one."""
    if not norm:
        return np.empty(0, dtype=np.uint64)
    chars = np.frombuffer(norm.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    following = np.empty_like(chars)
    following[:-1] = chars[1:]
    following[-1] = END
    return ((chars + np.uint64(1)) << _PAIR) | following


def char_range(char: str) -> tuple[int, int]:
    """The codes of every pair starting with ``char`` (what a one-character query reads)."""
    first = (ord(char) + 1) << 21
    return first, first + (1 << 21)


def query_codes(norm: str, wildcards: Iterable[int] = ()) -> tuple[list[int], str]:
    """The pair codes every document holding the literal ``norm`` must hold, and a
    character to fall back on when there is no pair.

    ``wildcards`` are offsets that match more than one character (a particle 著
    matches 着 too): pairs touching them are left out. ``([], "")`` means any
    document may hold it.
    """
    skip = set(wildcards)
    pairs = {
        ((ord(norm[i]) + 1) << 21) | ord(norm[i + 1])
        for i in range(len(norm) - 1)
        if i not in skip and i + 1 not in skip
    }
    if pairs:
        return sorted(pairs), ""
    chars = [c for i, c in enumerate(norm) if i not in skip]
    return [], (chars[0] if chars else "")


def encode_segment(
    codes: list[np.ndarray], first: int, bits: int = SEGMENT_BITS
) -> Iterator[tuple[int, int, bytes]]:
    """``(code, segment, blob)`` rows for documents ``first, first + 1, …`` (one array
    of codes each; ``first`` starts a segment of ``1 << bits`` and there are at most that)."""
    size = 1 << bits
    if not codes:
        return
    assert first % size == 0 and len(codes) <= size
    segment = first >> bits
    limit = bitmap_bytes(bits) // 2
    sizes = np.fromiter((len(c) for c in codes), dtype=np.int64, count=len(codes))
    local = np.repeat(np.arange(len(codes), dtype=np.uint64), sizes)
    keys = (np.concatenate(codes) << np.uint64(bits)) | local
    keys.sort()  # by code, then document: one sort of the whole segment
    if not len(keys):
        return
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    keys = keys[keep]  # a pair twice in one document counts once
    grams = keys >> np.uint64(bits)
    local16 = (keys & np.uint64(size - 1)).astype("<u2")
    starts = np.flatnonzero(grams[1:] != grams[:-1]) + 1
    bounds = np.concatenate(([0], starts, [len(keys)])).tolist()
    codes_at = grams[bounds[:-1]].tolist()
    raw = local16.tobytes()
    for i, code in enumerate(codes_at):
        a, b = bounds[i], bounds[i + 1]
        if b - a < limit:
            yield code, segment, raw[2 * a : 2 * b]
        else:
            marks = np.zeros(size, dtype=np.uint8)
            marks[local16[a:b]] = 1
            yield code, segment, np.packbits(marks, bitorder="little").tobytes()


def decode_blob(segment: int, blob: bytes, bits: int = SEGMENT_BITS) -> np.ndarray:
    """The document numbers of one segment's blob (sorted int64)."""
    if len(blob) == bitmap_bytes(bits):
        marks = np.unpackbits(np.frombuffer(blob, dtype=np.uint8), bitorder="little")
        local = np.flatnonzero(marks)
    else:
        local = np.frombuffer(blob, dtype="<u2").astype(np.int64)
    return local + (segment << bits)


def intersect(lists: Iterable[np.ndarray]) -> np.ndarray:
    """Numbers found in every list (shortest first, so the work shrinks at once)."""
    ordered = sorted(lists, key=len)
    if not ordered:
        return np.empty(0, dtype=np.int64)
    out = ordered[0]
    for other in ordered[1:]:
        if not len(out):
            break
        out = np.intersect1d(out, other, assume_unique=True)
    return out
