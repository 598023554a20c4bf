"""Simplified residue in a traditional text: 干部 left among 幹部, 敢于 among 於.

Scraped traditional speeches are often converted from simplified by a site, and a
careless converter leaves characters behind (seed 000: 領導干部, 敢于擔當, 最后; seed
003: 怎么樣, 云南). A reader should know where they stand, and a coder quoting the
passage should know it is not the speaker's script.

A character is residue when the document's own script is traditional and OpenCC would
still change it *in context*: the text is brought to simplified (t2s) and back (s2t,
s2tw and s2hk), and a character that t2s left alone but *all three* standards change
is one no traditional standard writes there. Going through the simplified form lets
OpenCC's phrases see the words (風采 stays 風采, while s2t on the traditional text
itself would turn its 采 into 採); asking all three standards leaves out variant
preferences (群/羣, 裡/裏). Inside the right form of a phrase override (秘書長余:
the surname, 不准: the permission) nothing is residue.

This is what :func:`detect_script` counts to call a document ``mixed``, located and
read in context; the counts differ a little (it converts the original text).
"""

from __future__ import annotations

import functools
import re

from speechreader.core.text._offsets import SEPARATORS

#: what each residue span is: the character, and what a traditional text has there
RESIDUE_CONFIGS = ("s2t", "s2tw", "s2hk")
#: characters looked at either side of a candidate for its clause (OpenCC's longest
#: phrases are far shorter; a clause is rarely this long without a mark)
REACH = 48


@functools.cache
def _override_forms() -> tuple[re.Pattern[str] | None, int]:
    """Every right form of a shipped phrase override, in each standard's characters, as
    one pattern; and the length of the longest."""
    from speechreader.core.text._conversion import plain_opencc
    from speechreader.core.text._phrases import shipped_phrases

    forms = set()
    for p in shipped_phrases():
        forms.add(p.traditional)
        forms.update(plain_opencc(step).convert(p.traditional) for step in ("t2tw", "t2hk"))
    if not forms:
        return None, 0
    ordered = sorted(forms, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, ordered))), len(ordered[0])


def residue_positions(text: str) -> list[tuple[int, str]]:
    """``(offset, what OpenCC's s2t writes there)`` of each simplified character left in
    ``text``, read as a traditional document."""
    # here, not at the top: a warm listing imports _problems, never numpy or OpenCC
    import numpy as np

    from speechreader.core.text._conversion import plain_convert, plain_opencc, script_sets
    from speechreader.core.text._script import (
        code_points,
        converted_at,
        has_compatibility_ideograph,
        s2t_may_change,
    )

    simplified = plain_convert(text, "t2s")  # detect_script has just made it
    if len(simplified) != len(text):
        return []
    original, simple = code_points(text), code_points(simplified)
    left_alone = original == simple
    sets = script_sets()
    if sets is None or has_compatibility_ideograph(simple):  # convert the whole text
        whole = plain_opencc("s2t").convert(simplified)
        if len(whole) != len(text):
            return []
        s2t = dict(enumerate(whole))
        maybe = np.flatnonzero(left_alone & (original != code_points(whole))).tolist()
    else:  # only the clauses where s2t may change a character t2s left alone
        maybe = np.flatnonzero(left_alone & s2t_may_change(simple, sets)).tolist()
        (made,) = converted_at(simplified, maybe, ("s2t",), _plain_s2t)
        s2t = dict(zip(maybe, made, strict=True))
    # changed by s2t (a few chunks of a traditional text) and left alone by t2s
    candidates = [i for i in maybe if s2t[i] != text[i]]
    if not candidates:
        return []
    # s2tw and s2hk only see the clauses around the candidates (OpenCC never converts
    # across a separator): most of a traditional text has none, and two whole passes
    # would double the cost of analysing it.
    clauses = _clauses(simplified, candidates)
    joined = "\n".join(simplified[a:b] for a, b in clauses)
    regional = [plain_opencc(config).convert(joined) for config in RESIDUE_CONFIGS[1:]]
    if any(len(r) != len(joined) for r in regional):
        return []
    found: list[int] = []
    clause, at = 0, 0  # the clause of the candidate, and where it starts in ``joined``
    for i in candidates:  # both sorted: walk them together
        while clauses[clause][1] <= i:
            at += clauses[clause][1] - clauses[clause][0] + 1
            clause += 1
        j = at + i - clauses[clause][0]
        if all(r[j] != text[i] for r in regional) and not _inside_override(text, i):
            found.append(i)
    return [(i, s2t[i]) for i in found]


def _plain_s2t(text: str, config: str) -> str:
    from speechreader.core.text._conversion import plain_opencc

    return plain_opencc(config).convert(text)


def _inside_override(text: str, i: int) -> bool:
    """Whether ``text[i]`` is inside the right form of a shipped override (秘書長余)."""
    pattern, longest = _override_forms()
    if pattern is None:
        return False
    low = max(0, i - longest + 1)
    return any(m.start() <= i < m.end() for m in pattern.finditer(text, low, i + longest))


def _clauses(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The separator-free stretches of ``text`` around ``positions`` (sorted), merged, in
    order; a stretch is looked for up to :data:`REACH` characters either side (beyond
    that no OpenCC phrase reaches back to the position)."""
    out: list[tuple[int, int]] = []
    for i in positions:
        if out and out[-1][0] <= i < out[-1][1]:
            continue
        low = max(0, i - REACH)
        start = low
        for m in SEPARATORS.finditer(text, low, i):
            start = m.end()
        found = SEPARATORS.search(text, i + 1, i + 1 + REACH)
        end = found.start() if found else min(len(text), i + 1 + REACH)
        if out and start < out[-1][1]:
            out[-1] = (out[-1][0], max(end, out[-1][1]))
        else:
            out.append((start, end))
    return out
