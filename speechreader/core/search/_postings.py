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
bitmap (a word found in every document costs 256 bytes per
2,048 documents, not 8 KB). numpy does the counting: a Python set per document took
four times as long.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where an index is built, not by every search
    import numpy as np

#: 2,048 documents per segment (an index file records its own: tests use smaller ones):
#: sorting a segment's keys takes ~100 MB at most (4,096 took 190 MB, too much beside a
#: 100,000-document listing in the app)
SEGMENT_BITS = 11
SEGMENT = 1 << SEGMENT_BITS


def bitmap_bytes(bits: int) -> int:
    """The size of a segment's bitmap; a list of fewer than half as many uint16 is kept
    as a list instead (so the two never have the same length)."""
    return (1 << bits) // 8


#: what follows a document's last character (above every code point)
END = 0x1FFFFF


def gram_codes(norm: str) -> np.ndarray:
    """The pair codes of a search form (uint64, unsorted, repeats kept), with a last
    pair ``(last character, END)`` so that every character starts one."""
    import numpy as np

    if not norm:
        return np.empty(0, dtype=np.uint64)
    chars = np.frombuffer(norm.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    following = np.empty_like(chars)
    following[:-1] = chars[1:]
    following[-1] = END
    return ((chars + np.uint64(1)) << np.uint64(21)) | following


def load_numpy() -> None:
    """Import numpy now (what encoding a segment needs): ~0.1 s a build can spend while
    its workers make the forms."""
    import numpy  # noqa: F401


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
    codes: Iterable[np.ndarray], first: int, bits: int = SEGMENT_BITS
) -> Iterator[tuple[int, int, bytes]]:
    """``(code, segment, blob)`` rows for documents ``first, first + 1, …`` (one array
    of codes each, at most ``1 << bits``; ``first`` starts a segment). ``codes`` may be a
    generator: each document's codes become sort keys ``code << bits | document`` at
    once, so a segment costs one array of keys, sorted in place."""
    import numpy as np

    size = 1 << bits
    assert first % size == 0
    segment = first >> bits
    limit = bitmap_bytes(bits) // 2
    shift = np.uint64(bits)
    parts = []
    for local, doc in enumerate(codes):
        assert local < size
        if len(doc):
            parts.append((doc << shift) | np.uint64(local))
    if not parts:
        return
    keys = np.concatenate(parts)
    del parts
    keys.sort()  # by code, then document: one sort of the whole segment
    keep = np.empty(len(keys), dtype=bool)
    keep[0] = True
    np.not_equal(keys[1:], keys[:-1], out=keep[1:])
    keys = keys[keep]  # a pair twice in one document counts once
    local16 = (keys & np.uint64(size - 1)).astype("<u2")
    keys >>= shift
    grams = keys
    starts = np.flatnonzero(grams[1:] != grams[:-1]) + 1
    edges = np.concatenate(([0], starts, [len(keys)]))
    bounds = edges.tolist()
    codes_at = grams[bounds[:-1]].tolist()
    raw = local16.tobytes()
    # the bitmaps of the codes in many documents, made a block of codes at a time (one
    # numpy call each, not three per code: ~15 us a code, a third of a build's encoding)
    counts = np.diff(edges)
    big = counts >= limit
    bitmaps: list[bytes] = []
    for block in _blocks(np.flatnonzero(big), BITMAP_BLOCK):
        bitmaps.extend(_bitmaps(local16, edges, counts, block, size))
    made = iter(bitmaps)
    for i, (code, many) in enumerate(zip(codes_at, big.tolist(), strict=True)):
        if many:
            yield code, segment, next(made)
        else:
            yield code, segment, raw[2 * bounds[i] : 2 * bounds[i + 1]]


#: codes whose bitmaps are made together (a block's table: this many x 2,048 bytes)
BITMAP_BLOCK = 4096


def _blocks(values: np.ndarray, size: int) -> Iterator[np.ndarray]:
    for at in range(0, len(values), size):
        yield values[at : at + size]


def _bitmaps(
    local16: np.ndarray, edges: np.ndarray, counts: np.ndarray, groups: np.ndarray, size: int
) -> list[bytes]:
    """The bitmaps of ``groups`` (indices of codes): for each, the documents
    ``local16[edges[g]:edges[g + 1]]`` as ``size`` bits, little-endian."""
    import numpy as np

    if not len(groups):
        return []
    lengths = counts[groups]
    rows = np.repeat(np.arange(len(groups)), lengths)
    # the positions in local16 of every member of every group, in order
    offsets = np.repeat(edges[groups] - np.cumsum(lengths) + lengths, lengths)
    members = local16[np.arange(len(rows)) + offsets]
    marks = np.zeros((len(groups), size), dtype=np.uint8)
    marks[rows, members] = 1
    packed = np.packbits(marks, axis=1, bitorder="little")
    return [row.tobytes() for row in packed]


def bitset(rows: Iterable[tuple[int, bytes]], bits: int = SEGMENT_BITS) -> int:
    """The documents of ``(segment, blob)`` rows as one Python int, bit n for document n:
    intersecting two words' documents is then one ``&`` (no numpy to import: a fresh
    search process pays ~0.1 s for it)."""
    size = bitmap_bytes(bits)
    out = 0
    for segment, blob in rows:
        if len(blob) == size:
            out |= int.from_bytes(blob, "little") << (segment << bits)
        else:
            marks = bytearray(size)
            locals_ = array("H", blob)
            if _BIG_ENDIAN:
                locals_.byteswap()
            for local in locals_:
                marks[local >> 3] |= 1 << (local & 7)
            out |= int.from_bytes(marks, "little") << (segment << bits)
    return out


_BIG_ENDIAN = sys.byteorder == "big"
#: the set bits of each byte value
_BITS_OF = [tuple(i for i in range(8) if value >> i & 1) for value in range(256)]


def members(bits_set: int) -> list[int]:
    """The numbers whose bits are set, ascending."""
    out: list[int] = []
    raw = bits_set.to_bytes((bits_set.bit_length() + 7) // 8, "little")
    for at, value in enumerate(raw):
        if value:
            base = at << 3
            out.extend([base + i for i in _BITS_OF[value]])
    return out


def decode_blob(segment: int, blob: bytes, bits: int = SEGMENT_BITS) -> np.ndarray:
    """The document numbers of one segment's blob (sorted int64)."""
    import numpy as np

    if len(blob) == bitmap_bytes(bits):
        marks = np.unpackbits(np.frombuffer(blob, dtype=np.uint8), bitorder="little")
        local = np.flatnonzero(marks)
    else:
        local = np.frombuffer(blob, dtype="<u2").astype(np.int64)
    return local + (segment << bits)


def intersect(sets: Iterable[int]) -> int:
    """The documents in every bitset."""
    out = -1
    for one in sets:
        out &= one
        if not out:
            break
    return max(out, 0)
