"""Sentences and paragraphs: the units ``s``/``p``, ``(``/``)`` and ``{``/``}`` move by.

In scraped speeches every line is a paragraph, so a paragraph is one non-blank
line (without its newline). A sentence ends after 。！？!?； or …… (plus any closing quotes or
brackets that follow), or at the end of its paragraph. Spans exclude surrounding
whitespace.
"""

from __future__ import annotations


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    raise NotImplementedError


def sentence_spans(text: str) -> list[tuple[int, int]]:
    raise NotImplementedError


def span_at(spans: list[tuple[int, int]], offset: int) -> tuple[int, int] | None:
    """The span containing ``offset`` (or the nearest one after it, else before it)."""
    raise NotImplementedError
