"""Offset maps between a text and its conversion.

Character-level OpenCC configs keep every position (identity map). Phrase-level
configs (s2twp: 全局→全域性) change lengths, so the map is a list of aligned pieces:
the text is split at punctuation and whitespace (OpenCC never converts across them),
and each piece is further split wherever its conversion is compositional
(``conv(a + b) == conv(a) + conv(b)``), which isolates each phrase OpenCC replaced.
Inside a replaced phrase positions are mapped proportionally; piece boundaries are exact.

Why this is exact rather than a heuristic diff: every split is *checked* (the pieces'
conversions concatenate to the converted text), so a piece boundary in the source
is a boundary in the destination by construction. Only positions strictly inside a
replaced phrase (优化→最佳化) are approximate, and there is no true answer for them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

Convert = Callable[[str], str]


@dataclass(frozen=True)
class Piece:
    """``src[src_start:src_end]`` became ``dst[dst_start:dst_end]``."""

    src_start: int
    src_end: int
    dst_start: int
    dst_end: int


class OffsetMap:
    """Map offsets (0..len inclusive) between source and destination texts.

    Guarantees (property-tested): monotone non-decreasing in both directions,
    ``to_dst(0) == 0``, ``to_dst(src_len) == dst_len`` (and the same backwards),
    exact at piece boundaries, and ``span_to_dst`` of a span covers every
    destination character derived from it.

    ``pieces`` are the replaced phrases only, sorted and disjoint; the stretches
    between them must have equal lengths on both sides and map one to one. A map
    stores nothing for unchanged text, so an s2twp map of a long speech stays small.
    """

    __slots__ = ("_de", "_ds", "_pieces", "_se", "_ss", "dst_len", "src_len")

    def __init__(self, src_len: int, dst_len: int, pieces: Sequence[Piece] | None = None) -> None:
        self.src_len = src_len
        self.dst_len = dst_len
        self._pieces = tuple(pieces or ())
        self._ss = [p.src_start for p in self._pieces]
        self._se = [p.src_end for p in self._pieces]
        self._ds = [p.dst_start for p in self._pieces]
        self._de = [p.dst_end for p in self._pieces]
        self._validate()

    def _validate(self) -> None:
        s = d = 0
        for p in self._pieces:
            if p.src_start - s != p.dst_start - d or p.src_start < s or p.dst_start < d:
                raise ValueError(f"piece {p} does not follow the previous one 1:1")
            if p.src_end < p.src_start or p.dst_end < p.dst_start:
                raise ValueError(f"piece {p} has a negative length")
            s, d = p.src_end, p.dst_end
        if self.src_len - s != self.dst_len - d or self.src_len < s:
            raise ValueError("the text after the last piece differs in length")

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        return cls(length, length)

    @property
    def is_identity(self) -> bool:
        return not self._pieces and self.src_len == self.dst_len

    @property
    def pieces(self) -> tuple[Piece, ...]:
        return self._pieces

    def __repr__(self) -> str:
        return f"OffsetMap({self.src_len}, {self.dst_len}, {len(self._pieces)} pieces)"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, OffsetMap):
            return NotImplemented
        return (self.src_len, self.dst_len, self._pieces) == (
            other.src_len,
            other.dst_len,
            other._pieces,
        )

    __hash__ = None  # type: ignore[assignment]

    @staticmethod
    def _map(o, n, a_start, a_end, b_start, b_end) -> int:
        if not 0 <= o <= n:
            raise ValueError(f"offset {o} outside 0..{n}")
        i = bisect_right(a_start, o) - 1
        if i < 0:
            return o
        if o >= a_end[i]:  # after piece i: shifted by a constant
            return b_end[i] + (o - a_end[i])
        a_len = a_end[i] - a_start[i]
        return b_start[i] + (o - a_start[i]) * (b_end[i] - b_start[i]) // a_len

    def to_dst(self, offset: int) -> int:
        """Destination offset for a source offset (rounding down inside a replaced phrase)."""
        return self._map(offset, self.src_len, self._ss, self._se, self._ds, self._de)

    def to_src(self, offset: int) -> int:
        """Source offset for a destination offset (rounding down inside a replaced phrase)."""
        return self._map(offset, self.dst_len, self._ds, self._de, self._ss, self._se)

    @staticmethod
    def _span(start, end, n, a_start, a_end, b_start, b_end, one) -> tuple[int, int]:
        if not 0 <= start <= end <= n:
            raise ValueError(f"span {start}..{end} outside 0..{n}")
        if start == end:
            o = one(start)
            return o, o
        i = bisect_right(a_start, start) - 1
        lo = b_start[i] if i >= 0 and start < a_end[i] else one(start)
        j = bisect_right(a_start, end - 1) - 1  # the piece holding the last character
        hi = b_end[j] if j >= 0 and end < a_end[j] else one(end)
        return lo, hi

    def span_to_dst(self, start: int, end: int) -> tuple[int, int]:
        """Smallest destination span covering everything derived from ``src[start:end]``."""
        return self._span(
            start, end, self.src_len, self._ss, self._se, self._ds, self._de, self.to_dst
        )

    def span_to_src(self, start: int, end: int) -> tuple[int, int]:
        """Smallest source span covering everything that produced ``dst[start:end]``."""
        return self._span(
            start, end, self.dst_len, self._ds, self._de, self._ss, self._se, self.to_src
        )


# --- alignment ---------------------------------------------------------------------

#: Where OpenCC never converts across: whitespace and punctuation. Left out on purpose:
#: 〇 and 々 (they are words), and the middle dots and hyphens OpenCC has inside
#: transliterated names (彼得·杰克逊, 林姆斯基-高沙可夫).
SEPARATORS = re.compile(
    "([\\s!-,./:-@\\[-`{-~\u2010-\u2026\u2030-\u205e\u3001-\u3003\u3008-\u3011"
    "\u3014-\u301f\ufe10-\ufe19\ufe30-\ufe6b\uff01-\uff0c\uff0e\uff0f\uff1a-\uff20"
    "\uff3b-\uff40\uff5b-\uff64]+)"
)


def _split_checked(
    units: list[str], target: str, conv: Convert, unit_conv: Convert | None = None
) -> list[tuple[str, str]]:
    """Pair each unit (or run of units) with its part of ``target == conv("".join(units))``.

    Fast path: the units convert independently (``unit_conv``: a memoised ``conv`` for
    single characters). Otherwise, greedily take the shortest run of units whose
    conversion, followed by the conversion of everything after it, gives the target:
    the finest split that is still exact.
    """
    outs = [(unit_conv or conv)(u) for u in units]
    if "".join(outs) == target:
        return list(zip(units, outs, strict=True))
    pieces: list[tuple[str, str]] = []
    start, rest = 0, target
    while start < len(units):
        for k in range(start + 1, len(units)):
            head = "".join(units[start:k])
            a = conv(head)
            if not rest.startswith(a):
                continue
            b = conv("".join(units[k:]))
            if len(a) + len(b) == len(rest) and rest.endswith(b):
                pieces.append((head, a))
                start, rest = k, b
                break
        else:
            pieces.append(("".join(units[start:]), rest))
            break
    return pieces


def _separator_split(text: str) -> list[str]:
    return [u for u in SEPARATORS.split(text) if u]


def _line_split(text: str) -> list[str]:
    return [u for u in re.split("(\n)", text) if u]


def align(src: str, dst: str, conv: Convert, char_conv: Convert | None = None) -> OffsetMap:
    """The exact map between ``src`` and ``dst == conv(src)``.

    Refines level by level (lines, then runs between punctuation, then characters),
    and only descends into a part whose conversion changed length or differs from
    converting its characters one by one (``char_conv``, cached by the caller): the
    expensive character-level search runs on a few dozen phrases, not the whole text.
    Each level converts its units one by one and checks that they add up (halving
    parts instead makes fewer calls but converts n log n characters: twice as slow on
    the 45 KB seed, where s2twp changes something in most lines).
    """
    char_conv = char_conv or conv
    pieces: list[Piece] = []

    def plain(s: str, d: str) -> bool:
        return len(s) == len(d) and all(char_conv(a) == b for a, b in zip(s, d, strict=True))

    def walk(parts: Iterable[tuple[str, str]], s0: int, d0: int, level: int) -> None:
        for s, d in parts:
            if not plain(s, d):
                if level < 2 and len(s) > 1:
                    if level == 0:
                        parts = _split_checked(_separator_split(s), d, conv)
                    else:
                        parts = _split_checked(list(s), d, conv, char_conv)
                    walk(parts, s0, d0, level + 1)
                else:
                    pieces.append(Piece(s0, s0 + len(s), d0, d0 + len(d)))
            s0 += len(s)
            d0 += len(d)

    walk(_split_checked(_line_split(src), dst, conv), 0, 0, 0)
    return OffsetMap(len(src), len(dst), pieces)
