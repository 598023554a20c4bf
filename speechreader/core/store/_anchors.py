"""Anchors: find an annotated passage again, even after its file changed.

An annotation stores offsets *and* the quoted text with some context. If the
document's content hash still matches, the offsets are right. Otherwise we look for
the quote, preferring the occurrence whose prefix/suffix match best and which lies
nearest the old offset; failing that, the annotation is reported as orphaned (never
silently dropped).

Scraped speeches are often re-scraped with different line breaks or spacing, so when
the quote itself is not found we try once more ignoring whitespace inside it (a quote
that spanned a line break still counts as the same passage, reported as ``moved``).
A quote whose *characters* changed is orphaned: guessing would put a code on words
the coder never read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidRange

if TYPE_CHECKING:
    from speechreader.core.store._records import Annotation

CONTEXT_CHARS = 32

#: How much distance from the old offset counts against a candidate, relative to the
#: context score (0..2). Small, so that context decides and distance breaks ties.
DISTANCE_WEIGHT = 0.25

#: Beyond this many occurrences of a quote (a two-character quote such as 发展 in a
#: long speech), we score only the ones nearest the old offset.
MAX_CANDIDATES = 2000


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str


@dataclass(frozen=True)
class Located:
    """Where a passage is now. For ``orphaned`` the old offsets are returned unchanged."""

    start: int
    end: int
    status: str  # "exact" | "moved" | "orphaned"


def check_range(text_length: int, start: int, end: int) -> None:
    """Raise :class:`InvalidRange` unless ``0 <= start < end <= text_length``."""
    ok = isinstance(start, int) and isinstance(end, int) and not isinstance(start, bool)
    if not ok or isinstance(end, bool) or not 0 <= start < end <= text_length:
        raise InvalidRange(
            f"invalid range {start!r}..{end!r}: need 0 <= start < end <= {text_length} "
            "(the document's length in characters)"
        )


def make_anchor(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> Anchor:
    """The quote ``text[start:end]`` with up to ``context`` characters either side."""
    check_range(len(text), start, end)
    return Anchor(
        quote=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def _common_suffix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(reversed(a), reversed(b), strict=False):
        if x != y:
            break
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def context_score(text: str, start: int, end: int, anchor: Anchor) -> float:
    """How well the text around ``start..end`` matches the anchor's context, 0..2.

    Each side scores the share of its context characters that still adjoin the
    passage (read outwards from the passage). An empty stored side means the passage
    touched the start or end of the text: it scores 1 only if it still does.
    """
    before = text[max(0, start - len(anchor.prefix)) : start]
    after = text[end : end + len(anchor.suffix)]
    if anchor.prefix:
        left = _common_suffix(anchor.prefix, before) / len(anchor.prefix)
    else:
        left = 1.0 if start == 0 else 0.0
    if anchor.suffix:
        right = _common_prefix(anchor.suffix, after) / len(anchor.suffix)
    else:
        right = 1.0 if end == len(text) else 0.0
    return left + right


def _occurrences(text: str, quote: str) -> list[int]:
    found = []
    pos = text.find(quote)
    while pos != -1:
        found.append(pos)
        pos = text.find(quote, pos + 1)
    return found


def _best(
    text: str, spans: list[tuple[int, int]], old_start: int, anchor: Anchor
) -> tuple[int, int]:
    if len(spans) > MAX_CANDIDATES:
        spans = sorted(spans, key=lambda s: abs(s[0] - old_start))[:MAX_CANDIDATES]
    scale = max(len(text), 1)

    def score(span: tuple[int, int]) -> tuple[float, int]:
        distance = abs(span[0] - old_start)
        value = context_score(text, span[0], span[1], anchor) - DISTANCE_WEIGHT * distance / scale
        return (value, -distance)

    return max(spans, key=score)


def _whitespace_insensitive_spans(text: str, quote: str) -> list[tuple[int, int]]:
    """Spans of ``text`` equal to ``quote`` once all whitespace is removed from both."""
    squeezed = "".join(quote.split())
    if not squeezed:
        return []
    keep = [i for i, ch in enumerate(text) if not ch.isspace()]
    compact = "".join(text[i] for i in keep)
    return [(keep[p], keep[p + len(squeezed) - 1] + 1) for p in _occurrences(compact, squeezed)]


def locate(text: str, start: int, end: int, anchor: Anchor) -> Located:
    """Where the anchored passage is in ``text`` now.

    ``exact``: the quote is still at ``start..end`` and no other occurrence fits the
    stored context better. ``moved``: found elsewhere (the best context match, nearest
    the old offset on ties), or found only when whitespace is ignored. ``orphaned``:
    not found; the old offsets come back unchanged so the caller can still show them.
    """
    quote = anchor.quote
    if not quote:
        return Located(start, end, "orphaned")
    spans = [(p, p + len(quote)) for p in _occurrences(text, quote)]
    if spans:
        best = _best(text, spans, start, anchor)
        # The old place has distance 0, so it wins unless another fits the context better.
        status = "exact" if best == (start, end) else "moved"
        return Located(best[0], best[1], status)
    spans = _whitespace_insensitive_spans(text, quote)
    if spans:
        best = _best(text, spans, start, anchor)
        return Located(best[0], best[1], "moved")
    return Located(start, end, "orphaned")


#: The ``doc_hash`` of a passage whose text version is not known: an orphan taken in
#: from an export (its passage stood somewhere the importing corpus no longer has).
#: Never a content hash, so every reader looks for the passage by its quote instead of
#: trusting its offsets (an empty hash would mean "an old record: trust the offsets").
UNKNOWN_VERSION = "unknown"

#: What an annotation's anchor status means, for people (README, TUI, CLI).
STATUSES = {
    "exact": "the passage is where it was coded",
    "moved": "the document changed; the passage was found again elsewhere",
    "orphaned": "the document changed (or is gone) and the passage is no longer in it",
}


def place_annotation(ann: Annotation, text: str | None, doc_hash: str) -> Located:
    """Where ``ann``'s passage is in its document's current ``text`` (None: the document
    is gone), given the document's current content hash.

    An unchanged document (same hash) keeps the stored offsets (``exact``) without a
    search; otherwise the passage is looked for again by quote and context
    (:func:`locate`). An annotation saved without a hash counts as unchanged when its
    quote still stands at its offsets.
    """
    if text is None:
        return Located(ann.start, ann.end, "orphaned")
    in_range = 0 <= ann.start < ann.end <= len(text)
    if in_range and (
        ann.doc_hash == doc_hash if ann.doc_hash else text[ann.start : ann.end] == ann.quote
    ):
        return Located(ann.start, ann.end, "exact")
    return locate(text, ann.start, ann.end, Anchor(ann.quote, ann.prefix, ann.suffix))
