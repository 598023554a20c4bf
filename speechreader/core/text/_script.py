"""Counting a text's simplified and traditional characters without extra OpenCC passes.

:func:`~speechreader.core.text.detect_script` used to convert every document four times
(t2s, s2t, s2tw, s2hk) and count the changed positions one by one in Python: 65 % of a
corpus's first listing. Now it converts once (t2s, which the residue detector reuses),
counts the positions t2s changed with numpy (code points compared as arrays), and
bounds the simplified count with two precomputed sets (``_data/script_sets.txt``, made by
``bench/make_script_sets.py`` from OpenCC's dictionaries):

- ``sure``: characters s2t, s2tw and s2hk all change in every context;
- ``maybe``: characters they all change in some context.

Counting both gives ``low <= simplified <= high``. The script read from a count moves
one way as the count grows (traditional, mixed, then simplified), so when ``low`` and
``high`` give the same script, so does the true count. Otherwise (a traditional text
with a little residue, near the 1 % threshold) the exact count adds, to ``low``, the
uncertain characters (``maybe`` but not ``sure``: 干 in 幹部 or 干涉) that s2t, s2tw
and s2hk all change *in their clause*: only the separator-free stretches around them
are converted, which gives the same as converting the whole text, because no OpenCC
dictionary entry holds a separator or changes length (checked when the sets are made).
The sets are used only with the OpenCC version they were made from; with another,
every text takes the three whole passes (slower, never different).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from speechreader.core.text._offsets import SEPARATORS

#: share of "minority" characters (relative to the majority count) above which a
#: document is ``mixed``; OpenCC's own false positives stay far below it (seed 002:
#: 4 of 4,580), real simplified residue in traditional text is above (seeds 000, 003: 3-5 %).
MIXED_THRESHOLD = 0.01
MIXED_MIN_CHARS = 3

SETS_FILE = "script_sets.txt"
UNICODE_SIZE = 0x110000


def classify(simplified: int, traditional: int) -> tuple[str, str]:
    """(script, base) from the two counts (see ``detect_script``)."""
    base = "traditional" if traditional > simplified else "simplified"
    minority, majority = sorted((traditional, simplified))
    mixed = minority >= MIXED_MIN_CHARS and minority > MIXED_THRESHOLD * majority
    return ("mixed" if mixed else base), base


def code_points(text: str) -> np.ndarray:
    """The text's code points as an array (no copy of the characters into Python objects).

    ``surrogatepass`` keeps a lone surrogate (a file name's undecodable byte) as itself.
    """
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def count_differing(text: str, other: str) -> int:
    """Positions where two texts of one length differ (numpy: ~150x a Python loop)."""
    if text == other:
        return 0
    return int(np.count_nonzero(code_points(text) != code_points(other)))


@dataclass(frozen=True)
class ScriptSets:
    """The sets of ``_data/script_sets.txt`` as lookup tables by code point.

    ``sure``/``maybe`` bound the count; for the uncertain characters (maybe, not sure)
    ``alone_possible``/``alone_certain`` say whether converting them outside any phrase
    may / surely counts them, and ``good_*``/``bad_*`` are the sorted neighbour pairs
    (``left << 21 | right``) of the phrases where they are / are not counted.
    """

    sure: np.ndarray
    maybe: np.ndarray
    alone_possible: np.ndarray
    alone_certain: np.ndarray
    good_left: np.ndarray
    good_right: np.ndarray
    bad_left: np.ndarray
    bad_right: np.ndarray
    #: where s2t may change a character (the residue detector's candidates): alone, or
    #: inside a phrase that changes it (only where its neighbour pairs are)
    s2t_alone: np.ndarray
    s2t_inside: np.ndarray
    s2t_left: np.ndarray
    s2t_right: np.ndarray


def _table(chars: str) -> np.ndarray:
    table = np.zeros(UNICODE_SIZE, dtype=bool)
    table[code_points(chars)] = True
    return table


def _pair_codes(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return (left.astype(np.uint64) << np.uint64(21)) | right.astype(np.uint64)


def _pairs(words: str) -> np.ndarray:
    codes = code_points(words.replace(" ", "")).reshape(-1, 2)
    return np.sort(_pair_codes(codes[:, 0], codes[:, 1]))


@functools.cache
def script_tables(opencc_version: str) -> ScriptSets | None:
    """The shipped sets as tables; None if they were made for another OpenCC."""
    from speechreader.core.text._data import shipped_text

    fields = {}
    for line in shipped_text(SETS_FILE).splitlines():
        if line and not line.startswith("#"):
            key, _, value = line.partition("\t")
            fields[key] = value
    if fields.get("opencc") != opencc_version:
        return None
    return ScriptSets(
        *(_table(fields[k]) for k in ("sure", "maybe", "alone_possible", "alone_certain")),
        *(_pairs(fields[k]) for k in ("good_left", "good_right", "bad_left", "bad_right")),
        *(_table(fields[k]) for k in ("s2t_alone", "s2t_inside")),
        *(_pairs(fields[k]) for k in ("s2t_left", "s2t_right")),
    )


def simplified_bounds(codes: np.ndarray, sets: ScriptSets) -> tuple[int, int]:
    """(low, high): at least and at most this many characters all three standards change."""
    return int(np.count_nonzero(sets.sure[codes])), int(np.count_nonzero(sets.maybe[codes]))


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def has_compatibility_ideograph(codes: np.ndarray) -> bool:
    """Whether OpenCC would normalise a character before looking for phrases."""
    return bool(_compatibility_table()[codes].any())


@functools.cache
def _compatibility_table() -> np.ndarray:
    """The CJK compatibility ideographs (U+F900-FAFF, U+2F800-2FA1F) by code point: one
    look-up per character instead of four comparisons over the whole text."""
    table = np.zeros(UNICODE_SIZE, dtype=bool)
    table[0xF900:0xFB00] = True
    table[0x2F800:0x2FA20] = True
    return table


def _paired(
    codes: np.ndarray, where: np.ndarray, left: np.ndarray, right: np.ndarray
) -> np.ndarray:
    """Whether the pair ending (``left``) or starting (``right``) at each position is listed."""
    last = len(codes) - 1
    chars = codes[where]
    before = _pair_codes(codes[np.maximum(where - 1, 0)], chars)
    after = _pair_codes(chars, codes[np.minimum(where + 1, last)])
    return ((where > 0) & _member(before, left)) | ((where < last) & _member(after, right))


def s2t_may_change(codes: np.ndarray, sets: ScriptSets) -> np.ndarray:
    """Positions where s2t may change the character (a text without compatibility
    ideographs: see :func:`has_compatibility_ideograph`)."""
    inside = np.flatnonzero(sets.s2t_inside[codes])
    may = sets.s2t_alone[codes]
    may[inside[_paired(codes, inside, sets.s2t_left, sets.s2t_right)]] = True
    return may


def refined_bounds(codes: np.ndarray, sets: ScriptSets, low: int) -> tuple[int, int, np.ndarray]:
    """Tighter (low, high) from the uncertain characters' neighbours, and the positions
    still undecided (a good or bad phrase may be there).

    A text with a compatibility ideograph (normalised by OpenCC before it looks for
    phrases, so its neighbour pairs would not match) leaves every uncertain character
    undecided.
    """
    where = np.flatnonzero(sets.maybe[codes] & ~sets.sure[codes])
    if not len(where):
        return low, low, where
    chars = codes[where]
    if has_compatibility_ideograph(codes):
        return low, low + len(where), where
    good = _paired(codes, where, sets.good_left, sets.good_right)
    bad = _paired(codes, where, sets.bad_left, sets.bad_right)
    possible = sets.alone_possible[chars] | good
    certain = sets.alone_certain[chars] & ~bad
    undecided = where[possible & ~certain]
    return low + int(np.count_nonzero(certain)), low + int(np.count_nonzero(possible)), undecided


def exact_simplified(
    text: str, undecided: list[int], low: int, convert: Callable[[str, str], str]
) -> int:
    """The exact count: ``low`` plus the ``undecided`` positions (sorted) that s2t, s2tw
    and s2hk all change in their clause (``convert(text, config)``: OpenCC's own)."""
    outs = converted_at(text, undecided, ("s2t", "s2tw", "s2hk"), convert)
    return low + sum(
        a != ch and b != ch and c != ch
        for ch, a, b, c in zip([text[i] for i in undecided], *outs, strict=True)
    )


def converted_at(
    text: str, positions: list[int], configs: tuple[str, ...], convert: Callable[[str, str], str]
) -> list[list[str]]:
    """For each config, what it makes of the characters at ``positions`` (sorted): the
    same as converting the whole text, converting only their clauses."""
    if not positions:
        return [[] for _ in configs]
    spans = clause_spans(text, positions)
    joined = "\n".join(text[a:b] for a, b in spans)
    outs = [convert(joined, config) for config in configs]
    if any(len(out) != len(joined) for out in outs):  # never with the checked dictionaries
        raise ValueError("a conversion changed the length of a clause")
    where = []
    span, at = 0, 0  # ``at``: where spans[span] starts in ``joined``
    for i in positions:  # both sorted: walk them together
        while spans[span][1] <= i:
            at += spans[span][1] - spans[span][0] + 1
            span += 1
        where.append(at + i - spans[span][0])
    return [[out[j] for j in where] for out in outs]


@functools.cache
def _separator_table() -> np.ndarray:
    """Which code points are separators (:data:`SEPARATORS`: all in the BMP)."""
    table = np.zeros(UNICODE_SIZE, dtype=bool)
    # one scan of the whole plane (a match is a run of separators) instead of 65,536
    # matches: a worker builds this table on its first traditional text
    for m in SEPARATORS.finditer("".join(map(chr, range(0x10000)))):
        table[m.start() : m.end()] = True
    return table


def clause_spans(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The separator-free stretches of ``text`` that hold ``positions`` (sorted), in order.

    OpenCC segments a text by longest match from left to right and no entry holds a
    separator, so a stretch converts alone exactly as inside the whole text.
    """
    separators = np.flatnonzero(_separator_table()[code_points(text)])
    at = np.searchsorted(separators, np.asarray(positions, dtype=np.int64))
    out: list[tuple[int, int]] = []
    for k in at.tolist():
        start = int(separators[k - 1]) + 1 if k > 0 else 0
        end = int(separators[k]) if k < len(separators) else len(text)
        if not out or out[-1][0] != start:
            out.append((start, end))
    return out
