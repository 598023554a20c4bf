"""The clean view of a scraped text: pinyin glosses hidden, doubled punctuation shown once.

Two of the five sample speeches read 發(fā)展, 区(qū), 强调(diào) every few characters,
and one puts a stray comma before every mark (``,,`` ``,、`` ``,。``). The clean view is
what a reader sees instead: 發展, 区, 、. It is a *display* of the text, never a new text:
every position in it maps back to the text as loaded, so selections, annotations,
search hits and exports keep pointing at the original characters, and nothing in the
store or the search index knows the view exists.

Each hidden stretch belongs to one visible character, its *unit*: a gloss to the
character it glosses (區(qū) is shown as 區), the extra marks of a doubled run to the mark
that is shown (``,、`` as 、). :attr:`CleanView.map` is an :class:`OffsetMap` from the
text to the view with one piece per unit (``start..end`` of the text → one character
of the view), so, by OffsetMap's own rules:

- a text position inside a unit maps to its visible character: a selection that
  starts inside a hidden gloss snaps to its character (:meth:`CleanView.snap`);
- a view position maps to the start of its unit and a view span to the whole units
  it shows: selecting 區 in the view selects 區(qū) in the text, the same passage a
  search for 区 finds (the search form leaves glosses out in the same way).

Only glosses and doubled punctuation are hidden. Mojibake, lost characters and
over-converted phrases stay as they are: they are damage to distrust, not noise
around the words, and the reader marks them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from ._offsets import OffsetMap, Piece
from ._problems import ProblemSpan, find_problems

#: The kinds of problem the clean view hides (the rest stay visible, and marked).
CLEANED_KINDS = ("pinyin_gloss", "doubled_punctuation")
#: In a doubled run the stray commas are the artefact (seed 003 puts ``,`` before every
#: mark: ``,、`` ``,。`` ``,?``), so the mark shown is the last one that is not a comma.
_COMMAS = frozenset(",，")


@dataclass(frozen=True)
class CleanView:
    """``text`` as shown, ``map`` from the original text to it, what was hidden.

    ``kept[i]`` is the offset in the original of the character that piece ``i`` of the
    map shows (the glossed character, the mark kept of a run); ``hidden`` counts the
    places cleaned, by problem kind.
    """

    text: str
    map: OffsetMap
    kept: tuple[int, ...] = ()
    hidden: dict[str, int] = field(default_factory=dict)

    @property
    def is_identity(self) -> bool:
        """Nothing was hidden: the view is the text itself."""
        return self.map.is_identity

    def source_index(self, index: int) -> int:
        """The offset in the original of the view's character ``index``.

        ``view.text[i] == original[view.source_index(i)]`` for every ``i``: the view
        only leaves characters out, it never changes one.
        """
        if not 0 <= index < self.map.dst_len:
            raise IndexError(f"view index {index} outside 0..{self.map.dst_len - 1}")
        i = bisect_right(self._piece_starts, index) - 1
        if i >= 0 and index < self.map.pieces[i].dst_end:
            return self.kept[i]
        return self.map.to_src(index)

    @cached_property
    def _piece_starts(self) -> list[int]:
        return [piece.dst_start for piece in self.map.pieces]

    def snap(self, offset: int, *, forward: bool = False) -> int:
        """``offset`` moved to the edge of the unit it falls in (unchanged between units).

        Backward (the default) goes to the unit's start, the position of its visible
        character; ``forward`` goes to its end, after everything the unit hides.
        """
        start = self.map.to_src(self.map.to_dst(offset))
        if start == offset or not forward:
            return start
        return self.map.to_src(self.map.to_dst(offset) + 1)


def _kept_mark(text: str, start: int, end: int) -> int:
    """The mark a doubled run shows: the last that is not a comma, else the last."""
    for i in range(end - 1, start - 1, -1):
        if text[i] not in _COMMAS:
            return i
    return end - 1


def clean_view(text: str, spans: Iterable[ProblemSpan] | None = None) -> CleanView:
    """The clean view of ``text``, from its problem spans (found here if not given).

    A span that overlaps one already taken is left visible rather than guessed at
    (the detectors never produce such a pair today).
    """
    if spans is None:
        spans = find_problems(text)
    parts: list[str] = []
    pieces: list[Piece] = []
    kept: list[int] = []
    hidden: dict[str, int] = {}
    position = dst = 0
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if span.kind not in CLEANED_KINDS or span.end - span.start < 2 or span.start < position:
            continue
        keep = span.start if span.kind == "pinyin_gloss" else _kept_mark(text, span.start, span.end)
        parts.append(text[position : span.start])
        dst += span.start - position
        parts.append(text[keep])
        pieces.append(Piece(span.start, span.end, dst, dst + 1))
        kept.append(keep)
        dst += 1
        position = span.end
        hidden[span.kind] = hidden.get(span.kind, 0) + 1
    if not pieces:
        return CleanView(text, OffsetMap.identity(len(text)))
    parts.append(text[position:])
    shown = "".join(parts)
    return CleanView(shown, OffsetMap(len(text), len(shown), pieces), tuple(kept), hidden)
