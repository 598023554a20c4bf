"""Anchors: find an annotated passage again, even after its file changed.

An annotation stores offsets *and* the quoted text with some context. If the
document's content hash still matches, the offsets are right. Otherwise we look for
the quote, preferring the occurrence whose prefix/suffix match best and which lies
nearest the old offset; failing that, the annotation is reported as orphaned (never
silently dropped).
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Located:
    start: int
    end: int
    status: str  # "exact" | "moved" | "orphaned"


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    raise NotImplementedError


def locate(text: str, start: int, end: int, anchor: Anchor) -> Located:
    """Where the anchored passage is in ``text`` now."""
    raise NotImplementedError
