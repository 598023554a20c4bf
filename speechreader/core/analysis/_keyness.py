"""Keyness: the words over-represented in a tag's passages (or some documents) against the rest.

Words are jieba's, counted on the simplified form, so 發展 and 发展 are one word
(see :mod:`_wordtable`). Punctuation, symbols, spaces and bare numbers are not words
at all; stop words (:func:`speechreader.core.text.stop_words`) are words (they count
in the totals) but are never reported as key.

For each word, with ``a``/``b`` its frequency in the target/reference and ``c``/``d``
the number of words in each, the statistic is the log-likelihood G² of the 2×2
table (word, other words) × (target, reference), as in Dunning (1993):
``G² = 2 Σ O ln(O/E)`` over the four cells. Rayson & Garside (2000), and the UCREL
calculator, sum only the word's two cells; the other two add little unless the word
is a large share of the target. The p-value is that of χ² with one degree of
freedom. The effect size is Hardie's (2014) log ratio, ``log2((a/c) / (b/d))``, with
a reference frequency of 0 taken as 0.5 so that a word found only in the target has
a finite size. Only words more frequent in the target than expected are listed,
those seen at least ``min_freq`` times there, by G² (largest first).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.analysis._coding import gc_paused
from speechreader.core.analysis._rows import KeyWord
from speechreader.core.analysis._wordtable import WordTable, is_word
from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    import numpy as np

    from speechreader.core.analysis._coding import Coding
    from speechreader.core.corpus import DocumentInfo
    from speechreader.core.store import Annotation

MIN_FREQ = 3
ZERO_REFERENCE = 0.5  # Hardie's log ratio: a reference frequency of 0 counts as 0.5


def g2(a: float, b: float, c: float, d: float) -> float:
    """G² of the 2×2 table [[a, c - a], [b, d - b]] (word / other words × target / reference)."""
    n = c + d
    total = 0.0
    for observed, row, column in ((a, a + b, c), (c - a, n - a - b, c), (b, a + b, d),
                                  (d - b, n - a - b, d)):  # fmt: skip
        if observed > 0:
            total += observed * math.log(observed / (row * column / n))
    return 2 * total


def log_ratio(a: float, b: float, c: float, d: float) -> float:
    """Hardie's log ratio: the binary log of the ratio of relative frequencies."""
    return math.log2((a / c) / (max(b, ZERO_REFERENCE) / d))


def p_value(g2_value: float) -> float:
    """P(χ²₁ ≥ G²): for one degree of freedom the survival function is erfc(√(x/2))."""
    return math.erfc(math.sqrt(max(g2_value, 0.0) / 2))


@dataclass(frozen=True)
class Keyness:
    """Key words of a target against a reference, with the sizes compared."""

    words: list[KeyWord]
    target_words: int  # words (not punctuation) in the target
    reference_words: int
    target: str  # what the target was, for people: "tag 稳定", "speaker=郭声琨"


def _word_masks(table: WordTable) -> tuple[np.ndarray, np.ndarray]:
    """(is a word, may be reported) over the vocabulary."""
    import numpy as np

    from speechreader.core.text import stop_words

    stops = stop_words()
    words = np.fromiter(map(is_word, table.vocab), dtype=bool, count=len(table.vocab))
    stop = np.fromiter((w in stops for w in table.vocab), dtype=bool, count=len(table.vocab))
    return words, words & ~stop


def _stream(table: WordTable, documents: Sequence[DocumentInfo]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of the documents one after another, and each document's first token."""
    import numpy as np

    pieces = [table.tokens_of(info) for info in documents]
    counts = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
    first = np.concatenate([[0], np.cumsum(counts)])
    ids = np.concatenate(pieces) if pieces else np.zeros(0, np.uint32)
    return ids, first


def _compare(
    table: WordTable, ids: np.ndarray, target: np.ndarray, min_freq: int, label: str
) -> Keyness:
    """Key words of the tokens ``ids[target]`` against ``ids[~target]``."""
    import numpy as np

    size = len(table.vocab)
    total = np.bincount(ids, minlength=size).astype(np.int64)
    in_target = np.bincount(ids[target], minlength=size).astype(np.int64)
    in_reference = total - in_target
    words, reportable = _word_masks(table)
    c = int(in_target[words].sum())
    d = int(in_reference[words].sum())
    rows: list[KeyWord] = []
    if c and d:
        candidates = np.flatnonzero(
            reportable & (in_target >= max(1, min_freq)) & (in_target * d > in_reference * c)
        )
        for i in candidates.tolist():
            a, b = int(in_target[i]), int(in_reference[i])
            value = g2(a, b, c, d)
            rows.append(
                KeyWord(
                    word=table.vocab[i], observed=a, expected=c * (a + b) / (c + d), g2=value,
                    log_ratio=log_ratio(a, b, c, d), reference=b, p=p_value(value),
                )
            )  # fmt: skip
    rows.sort(key=lambda r: (-r.g2, -r.log_ratio, r.word))
    return Keyness(rows, c, d, label)


def _check(min_freq: int) -> None:
    if min_freq < 1:
        raise InvalidInput("the minimum frequency must be at least 1")


@gc_paused
def tag_keyness(
    coding: Coding,
    table: WordTable,
    tag: str,
    *,
    children: bool = False,
    min_freq: int = MIN_FREQ,
) -> Keyness:
    """Key words of the passages coded ``tag`` against the rest of the chosen documents.

    A token belongs to the passages when its first character is inside one of them
    (overlapping passages count it once).
    """
    import numpy as np

    _check(min_freq)
    (tag,) = coding.check_tags([tag])
    documents = coding.documents
    ids, _ = _stream(table, documents)
    starts = _token_starts(table, ids)
    base = np.concatenate([[0], np.cumsum([info.chars for info in documents])])
    position = {info.id: i for i, info in enumerate(documents)}
    spans = [
        (int(base[position[a.doc_id]]) + a.start, int(base[position[a.doc_id]]) + a.end)
        for a in coding.tagged(tag, children)
    ]
    target = _inside(starts, spans)
    return _compare(table, ids, target, min_freq, f"tag {tag}")


@gc_paused
def document_keyness(
    coding: Coding,
    table: WordTable,
    target_ids: Collection[str],
    *,
    label: str = "the chosen documents",
    min_freq: int = MIN_FREQ,
) -> Keyness:
    """Key words of some documents (a speaker's, a year's) against the rest of the chosen ones."""
    import numpy as np

    _check(min_freq)
    documents = coding.documents
    wanted = set(target_ids)
    if not any(info.id in wanted for info in documents):
        raise InvalidInput(f"no document is {label}")
    if all(info.id in wanted for info in documents):
        raise InvalidInput(f"every document is {label}: there is nothing to compare with")
    ids, first = _stream(table, documents)
    chosen = np.fromiter((info.id in wanted for info in documents), dtype=bool)
    target = np.repeat(chosen, np.diff(first))
    return _compare(table, ids, target, min_freq, label)


def _token_starts(table: WordTable, ids: np.ndarray) -> np.ndarray:
    """Each token's first character, counting through the documents one after another."""
    import numpy as np

    lengths = table.lengths[ids]
    return np.cumsum(lengths) - lengths


def _inside(starts: np.ndarray, spans: list[tuple[int, int]]) -> np.ndarray:
    """Which token starts fall inside one of ``spans`` (half-open character ranges)."""
    import numpy as np

    if not spans:
        return np.zeros(len(starts), dtype=bool)
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    begin = np.array([m[0] for m in merged], dtype=np.int64)
    finish = np.array([m[1] for m in merged], dtype=np.int64)
    slot = np.searchsorted(begin, starts, side="right") - 1
    return (slot >= 0) & (starts < finish[np.maximum(slot, 0)])


def passages_with_word(
    coding: Coding, table: WordTable, tag: str, word: str, *, children: bool = False
) -> list[Annotation]:
    """The passages coded ``tag`` in which ``word`` (simplified) is one of the tokens."""
    import numpy as np

    word_id = table.ids.get(word)
    if word_id is None:
        return []
    found = []
    for doc_id, anns in _by_document(coding.tagged(tag, children)).items():
        ids = table.tokens_of(coding.info[doc_id])
        lengths = table.lengths[ids]
        starts = np.cumsum(lengths) - lengths
        where = starts[ids == word_id]
        found += [a for a in anns if ((where >= a.start) & (where < a.end)).any()]
    return found


def _by_document(anns: list[Annotation]) -> dict[str, list[Annotation]]:
    out: dict[str, list[Annotation]] = {}
    for ann in anns:
        out.setdefault(ann.doc_id, []).append(ann)
    return out
