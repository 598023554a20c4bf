"""The *search form* of a text: what queries and documents are compared in.

A query in simplified must find traditional text and the reverse (发展 = 發展, 干部 =
幹部), full-width letters must find their ASCII twins (ＧＤＰ = GDP) and ASCII case
must not matter. So both sides are brought to one form: OpenCC ``t2s`` (with our
phrase overrides), then a fold of full-width ASCII (U+FF01-FF5E) to ASCII, then ASCII
lower case. Every step maps one character to one character, so an offset in the
search form *is* an offset in the document's own text: a hit needs no mapping back.

``t2s`` is a character-level config and never changes length today (text/_conversion.py checks
the same for the panes); should an OpenCC update bring a length-changing entry, a
document's form comes with the :class:`OffsetMap` from ``convert_mapped`` instead, and
hits are mapped back through it (see :class:`IndexedDoc`).

In a traditional document 著 is read as OpenCC's tw2s reads it (隨著 → 随着, 著名
stays), one character for one (``text/_zhe.py``): a search for 随着 finds 隨著, and
著名 still finds 著名 in both scripts. A query is read the same way: each 著 that
tw2s would read as the particle 着 (in 隨著, 著手) matches either character, so 隨著
finds 随着 in every document and 著名 only 著名.

Pinyin glosses are left out of a document's form: scraped speeches write 發(fā)展, and
a search for 发展 must find it. The form then has 發 where the text has 發(fā), and an
:class:`OffsetMap` takes a hit back over the whole glossed character.
"""

from __future__ import annotations

import itertools
import operator
import re
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field

from speechreader.core.text import (
    OffsetMap,
    Piece,
    convert,
    convert_mapped,
    fold_zhe,
    reads_traditional,
    zhe_particle_positions,
)

#: the OpenCC config of the search form (a parameter only so tests can force the
#: length-changing fallback with a phrase-level config)
SEARCH_CONFIG = "t2s"
#: bump when the form of a text would come out differently (it names the cache)
#: (3: 著 of traditional documents read as tw2s reads it)
FORM_VERSION = 3

_FULLWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
#: full-width ASCII -> ASCII, then ASCII upper -> lower (Ａ -> a in one step)
FOLD = str.maketrans(
    {k: (v + 32 if 0x41 <= v <= 0x5A else v) for k, v in _FULLWIDTH.items()}
    | {cp: cp + 32 for cp in range(0x41, 0x5B)}
)

_FOLDED_RUN = re.compile("[A-Z\uff01-\uff5e]+")


def _fold_run(match: re.Match) -> str:
    return match.group().translate(FOLD)


def fold(text: str) -> str:
    """Full-width ASCII to ASCII and ASCII to lower case: one character for one.

    A regex finding the few runs to fold is 5x faster than ``str.translate`` over a
    whole speech (which looks every character up in a dict).
    """
    return _FOLDED_RUN.sub(_fold_run, text)


def normalise(text: str, config: str = SEARCH_CONFIG) -> str:
    """The search form of a query or a short piece of text (著 as it is: see
    :func:`query_particles` for the places where a query's 著 may be 着)."""
    return fold(convert(text, config))


def query_particles(query: str) -> list[int]:
    """Offsets of the 著 in a query that tw2s reads as the particle 着 (隨著, 著手; not
    著名 or 顯著): there the query matches 着 as well as 著.

    The query is read as traditional text (after s2t, which keeps 著 and turns 显 into
    顯) so that a simplified query with 著 is read the same way as its traditional twin.
    """
    if "著" not in query:
        return []
    traditional = convert(query, "s2t")
    if len(traditional) != len(query):
        return []
    return zhe_particle_positions(traditional)


#: what a particle 著 of a query matches
EITHER_ZHE = "[着著]"


def literal_pattern(query: str, config: str = SEARCH_CONFIG) -> str:
    """A literal query as a regular expression over search forms: its search form,
    escaped, with ``[着著]`` for each of its particle 著 (:func:`query_particles`)."""
    norm = normalise(query, config)
    particles = query_particles(query) if len(norm) == len(query) else []
    parts, previous = [], 0
    for position in particles:
        parts += [re.escape(norm[previous:position]), EITHER_ZHE]
        previous = position + 1
    parts.append(re.escape(norm[previous:]))
    return "".join(parts)


def either_zhe_in_pattern(pattern: str, positions: list[int]) -> str:
    """A regular expression with each particle 著 at ``positions`` matching 着 too:
    ``[着著]`` outside a character class, ``着著`` inside one; an escaped 著 stays."""
    if not positions:
        return pattern
    wanted = set(positions)
    out: list[str] = []
    in_class = escaped = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif i in wanted and ch == "著":
            out.append("着著" if in_class else EITHER_ZHE)
            continue
        elif ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        out.append(ch)
    return "".join(out)


@dataclass(slots=True)
class IndexedDoc:
    """One document's search form, and what it takes to give back its own text.

    ``norm`` is the search form. A simplified speech differs from it in a handful of
    characters (capitals, full-width digits), so for it only those are kept:
    ``diff_pos`` (sorted offsets) and ``diff_chars`` (the original characters there),
    and KWIC contexts are rebuilt from a slice of ``norm`` and two bisects. A
    traditional speech differs in a third of its characters, where offsets (4 bytes)
    plus characters would cost more than the text: its whole text is kept in ``orig``.

    For a form that changed length, ``orig`` is the text and ``mapping`` maps its
    offsets to ``norm`` offsets.
    """

    norm: str
    orig: str | None = None
    diff_pos: array = field(default_factory=lambda: array("I"))
    diff_chars: str = ""
    mapping: OffsetMap | None = None

    @property
    def length(self) -> int:
        """Length of the document's own text."""
        return len(self.orig) if self.orig is not None else len(self.norm)

    def original(self, start: int, end: int) -> str:
        """``text[start:end]`` of the document's own text (offsets clamped to the text)."""
        if self.orig is not None:
            return self.orig[max(0, start) : end]
        start, end = max(0, start), min(len(self.norm), end)
        if start >= end:
            return ""
        pos = self.diff_pos
        i = bisect_left(pos, start)
        j = bisect_left(pos, end, i)
        if i == j:
            return self.norm[start:end]
        chars = list(self.norm[start:end])
        diff = self.diff_chars
        for k in range(i, j):
            chars[pos[k] - start] = diff[k]
        return "".join(chars)

    def text(self) -> str:
        """The document's whole text, as loaded."""
        return self.original(0, self.length)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """A span of ``norm`` as a span of the document's own text."""
        if self.mapping is None:
            return start, end
        return self.mapping.span_to_src(start, end)

    def to_norm(self, start: int, end: int) -> tuple[int, int]:
        """A span of the document's own text as a span of ``norm``."""
        if self.mapping is None:
            return start, end
        return self.mapping.span_to_dst(start, end)


#: compare in chunks first: equal chunks (most of a simplified speech) cost one
#: C-level comparison instead of 64 character objects
CHUNK = 64
#: a text with more differing chunks than this share is traditional: keep it whole
#: without looking closer (only for texts of at least 8 chunks)
FULL_TEXT_CHUNKS = 0.5


def _gloss_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each glossed character with its gloss: 區(qū)."""
    if "(" not in text and "（" not in text:
        return []
    from speechreader.core.text import pinyin_gloss_spans

    return [(span.start, span.end) for span in pinyin_gloss_spans(text)]


def _without_glosses(text: str, norm: str, glosses: list[tuple[int, int]]) -> IndexedDoc:
    """The form with each gloss dropped (區(qū) → 区), mapped back to the text."""
    parts: list[str] = []
    pieces: list[Piece] = []
    position = dst = 0
    for start, end in glosses:
        parts.append(norm[position : start + 1])  # the text before, and the character
        dst += start + 1 - position
        pieces.append(Piece(start, end, dst - 1, dst))
        position = end
    parts.append(norm[position:])
    form = "".join(parts)
    return IndexedDoc(form, text, mapping=OffsetMap(len(text), len(form), pieces))


def index_text(
    text: str, config: str = SEARCH_CONFIG, base_script: str | None = None
) -> IndexedDoc:
    """The :class:`IndexedDoc` of a document's text (its search form and differences).

    ``base_script`` is the document's own script from the listing (``None``: detected
    if it matters); a traditional document's 著 is read as tw2s reads it.

    Differences cost 6 bytes each (offset and character) against 2 for a character of
    a whole text, so a text with more than a third of its characters changed is kept
    whole.
    """
    converted = convert(text, config)
    if len(converted) != len(text):
        mapped = convert_mapped(text, config)
        return IndexedDoc(fold(mapped.text), text, mapping=mapped.map)
    if reads_traditional(text, base_script):
        converted = fold_zhe(text, converted)
    norm = fold(converted)
    glosses = _gloss_spans(text)
    if glosses:
        return _without_glosses(text, norm, glosses)
    if norm == text:
        return IndexedDoc(norm)
    n = len(text)
    chunks = [i for i in range(0, n, CHUNK) if text[i : i + CHUNK] != norm[i : i + CHUNK]]
    if n >= 8 * CHUNK and len(chunks) > FULL_TEXT_CHUNKS * (n / CHUNK):
        return IndexedDoc(norm, text)
    positions = array("I")
    for i in chunks:
        a, b = text[i : i + CHUNK], norm[i : i + CHUNK]
        positions.extend(itertools.compress(range(i, i + len(a)), map(operator.ne, a, b)))
    if 3 * len(positions) > n:
        return IndexedDoc(norm, text)
    return IndexedDoc(norm, None, positions, "".join(text[p] for p in positions))
