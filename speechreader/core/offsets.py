"""Offset maps between a text and its conversion.

Character-level OpenCC configs keep every position (identity map). Phrase-level
configs (s2twp: 全局→全域性) change lengths, so the map is a list of aligned pieces:
the text is split at punctuation and whitespace (OpenCC never converts across them),
and each piece is further split wherever its conversion is compositional
(``conv(a + b) == conv(a) + conv(b)``), which isolates each phrase OpenCC replaced.
Inside a replaced phrase positions are mapped proportionally; piece boundaries are exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


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
    """

    def __init__(self, src_len: int, dst_len: int, pieces: Sequence[Piece] | None = None) -> None:
        raise NotImplementedError

    @classmethod
    def identity(cls, length: int) -> OffsetMap:
        raise NotImplementedError

    @property
    def is_identity(self) -> bool:
        raise NotImplementedError

    def to_dst(self, offset: int) -> int:
        """Destination offset for a source offset (rounding down inside a replaced phrase)."""
        raise NotImplementedError

    def to_src(self, offset: int) -> int:
        """Source offset for a destination offset (rounding down inside a replaced phrase)."""
        raise NotImplementedError

    def span_to_dst(self, start: int, end: int) -> tuple[int, int]:
        """Smallest destination span covering everything derived from ``src[start:end]``."""
        raise NotImplementedError

    def span_to_src(self, start: int, end: int) -> tuple[int, int]:
        """Smallest source span covering everything that produced ``dst[start:end]``."""
        raise NotImplementedError
