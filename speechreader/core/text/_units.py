"""Sentences and paragraphs: the units ``s``/``p``, ``(``/``)`` and ``{``/``}`` move by.

In scraped speeches every line is a paragraph, so a paragraph is one non-blank
line (without its newline). A sentence ends after 。！？!?；;… or …… (plus any closing
quotes or brackets that follow), or at the end of its paragraph. Spans exclude
surrounding whitespace.

The ASCII ``?`` and ``;`` count: the seeds use ASCII punctuation throughout (``,``
for ，), so leaving them out would glue whole paragraphs into one sentence. The ASCII
``.`` does not: it is the decimal point in 221.8亿元.

Word movement (``w``/``b``) works on the boundaries from :mod:`segment`; while those
are not ready the caller passes ``None`` and moves by character instead.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

SENTENCE_END = "。！？!?；;…"
CLOSERS = "”’）》」』】"
_PARAGRAPH = re.compile(r"[^\n]+")
#: a run of enders (so ！？ and …… end once), then any closers, possibly mixed (。”！)
_SENTENCE_BREAK = re.compile(f"[{SENTENCE_END}][{SENTENCE_END}{CLOSERS}]*")

Span = tuple[int, int]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return (start, end) if start < end else None


def paragraph_spans(text: str) -> list[Span]:
    """Every non-blank line, without its newline and surrounding whitespace."""
    spans = []
    for m in _PARAGRAPH.finditer(text):
        span = _trimmed(text, m.start(), m.end())
        if span is not None:
            spans.append(span)
    return spans


def sentence_spans(text: str) -> list[Span]:
    """Sentences inside each paragraph, in text order; a paragraph end ends a sentence."""
    spans = []
    for p_start, p_end in paragraph_spans(text):
        start = p_start
        for m in _SENTENCE_BREAK.finditer(text, p_start, p_end):
            span = _trimmed(text, start, m.end())
            if span is not None:
                spans.append(span)
            start = m.end()
        span = _trimmed(text, start, p_end)
        if span is not None:
            spans.append(span)
    return spans


def span_at(spans: list[Span], offset: int) -> Span | None:
    """The span containing ``offset`` (or the nearest one after it, else before it)."""
    if not spans:
        return None
    i = bisect_right(spans, (offset, float("inf"))) - 1  # last span starting at or before
    if i >= 0 and offset < spans[i][1]:
        return spans[i]
    if i + 1 < len(spans):
        return spans[i + 1]
    return spans[-1]


def next_span_start(spans: Sequence[Span], pos: int, end: int | None = None) -> int:
    """Start of the first span that starts after ``pos`` (``)`` and ``}``).

    With none left, ``end`` if given (vim goes to the end of the text: pass its
    length), else ``pos``.
    """
    i = bisect_right(spans, (pos, float("inf")))
    if i < len(spans):
        return spans[i][0]
    return pos if end is None else max(pos, end)


def prev_span_start(spans: Sequence[Span], pos: int) -> int:
    """Start of the span ``pos`` is in, if ``pos`` is past its start, else of the span
    before (``(`` and ``{``, as in vim); ``pos`` if there is none."""
    i = bisect_left(spans, (pos, -1)) - 1  # last span starting before pos
    return spans[i][0] if i >= 0 else pos


# --- words -------------------------------------------------------------------------


def _bounds(text: str, bounds: Sequence[int] | None) -> Sequence[int]:
    if bounds is None or len(bounds) < 2:
        return range(len(text) + 1)  # not segmented yet: every character is a word
    return bounds


def _is_blank(text: str, start: int, end: int) -> bool:
    return text[start:end].isspace()


def next_word_start(text: str, bounds: Sequence[int] | None, pos: int) -> int:
    """Where vim's ``w`` goes: the start of the next word after the one at ``pos``,
    skipping whitespace; punctuation is a word of its own. ``pos`` if there is none.

    ``bounds`` are :func:`segment.word_boundaries` of ``text`` (``None``: by character).
    """
    b = _bounds(text, bounds)
    i = bisect_right(b, pos)  # b[i] is the end of the token holding pos
    while i < len(b) - 1:
        if not _is_blank(text, b[i], b[i + 1]):
            return b[i]
        i += 1
    return pos


def prev_word_start(text: str, bounds: Sequence[int] | None, pos: int) -> int:
    """Where vim's ``b`` goes: the start of the word at ``pos`` if ``pos`` is past its
    start, else of the previous word, skipping whitespace. ``pos`` if there is none."""
    b = _bounds(text, bounds)
    i = bisect_left(b, pos) - 1  # b[i] is the last boundary before pos
    while i >= 0:
        if i + 1 < len(b) and not _is_blank(text, b[i], b[i + 1]):
            return b[i]
        i -= 1
    return pos
