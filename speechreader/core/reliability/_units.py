"""Units of analysis and the coding rule: when a coder "applied" a tag to a unit.

Coders mark passages of any length; reliability needs the same units for everyone.
Units come from the core's own rules (:func:`speechreader.core.text.sentence_spans`
and :func:`~speechreader.core.text.paragraph_spans`, what ``s`` and ``p`` select in
the reader), or every character that is not whitespace.

The coding rule: a passage applies its tags to a unit when it covers at least half of
the unit's characters, or lies wholly inside the unit. So a passage that spills a few
characters into the next sentence does not code that sentence; one that covers most
of it does; a short phrase inside a long sentence codes that sentence.
"""

from __future__ import annotations

from bisect import bisect_right

from speechreader.core.errors import InvalidInput
from speechreader.core.text import paragraph_spans, sentence_spans

UNITS = ("sentence", "paragraph", "character")

Span = tuple[int, int]


def check_unit(unit: str) -> str:
    if unit not in UNITS:
        raise InvalidInput(f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    return unit


def unit_spans(text: str, unit: str) -> list[Span]:
    """The units of a text, in order, as ``(start, end)`` character offsets."""
    check_unit(unit)
    if unit == "sentence":
        return sentence_spans(text)
    if unit == "paragraph":
        return paragraph_spans(text)
    return [(i, i + 1) for i, ch in enumerate(text) if not ch.isspace()]


def applies(unit: Span, start: int, end: int) -> bool:
    """The coding rule for one unit and one passage ``start..end``."""
    a, b = unit
    overlap = min(b, end) - max(a, start)
    if overlap <= 0:
        return False
    return 2 * overlap >= b - a or (a <= start and end <= b)


class UnitIndex:
    """A document's units, for finding those a passage applies to (by bisection)."""

    def __init__(self, spans: list[Span]) -> None:
        self.spans = spans
        self.ends = [end for _, end in spans]

    def __len__(self) -> int:
        return len(self.spans)

    def applied(self, start: int, end: int) -> list[int]:
        """Indexes of the units the passage ``start..end`` applies to, by the coding rule."""
        out = []
        i = bisect_right(self.ends, start)  # first unit ending after the passage starts
        spans = self.spans
        while i < len(spans) and spans[i][0] < end:
            if applies(spans[i], start, end):
                out.append(i)
            i += 1
        return out
