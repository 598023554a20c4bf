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


@functools.cache
def _override_forms() -> re.Pattern[str] | None:
    """Every right form of a shipped phrase override, in each standard's characters."""
    from speechreader.core.text._conversion import plain_opencc
    from speechreader.core.text._phrases import shipped_phrases

    forms = set()
    for p in shipped_phrases():
        forms.add(p.traditional)
        forms.update(plain_opencc(step).convert(p.traditional) for step in ("t2tw", "t2hk"))
    if not forms:
        return None
    return re.compile("|".join(map(re.escape, sorted(forms, key=len, reverse=True))))


def residue_positions(text: str) -> list[tuple[int, str]]:
    """``(offset, what OpenCC's s2t writes there)`` of each simplified character left in
    ``text``, read as a traditional document."""
    from speechreader.core.text._conversion import plain_opencc

    simplified = plain_opencc("t2s").convert(text)
    s2t = plain_opencc("s2t").convert(simplified)
    if len(simplified) != len(text) or len(s2t) != len(text):
        return []
    candidates = [
        i
        for i, (ch, s, t) in enumerate(zip(text, simplified, s2t, strict=True))
        if ch == s and ch != t
    ]
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
    changed_by_all: list[int] = []
    at = 0
    position = {}  # offset in text -> offset in joined
    for a, b in clauses:
        for i in range(a, b):
            position[i] = at + i - a
        at += b - a + 1
    for i in candidates:
        j = position[i]
        if all(r[j] != text[i] for r in regional):
            changed_by_all.append(i)
    covered: set[int] = set()
    pattern = _override_forms()
    if pattern is not None and changed_by_all:
        for m in pattern.finditer(text):
            covered.update(range(m.start(), m.end()))
    return [(i, s2t[i]) for i in changed_by_all if i not in covered]


def _clauses(text: str, positions: list[int]) -> list[tuple[int, int]]:
    """The separator-free stretches of ``text`` that hold ``positions`` (sorted), in order."""
    bounds = [0]
    for m in SEPARATORS.finditer(text):
        bounds += [m.start(), m.end()]
    bounds.append(len(text))
    stretches = list(zip(bounds[::2], bounds[1::2], strict=True))
    out: list[tuple[int, int]] = []
    k = 0
    for i in positions:
        while stretches[k][1] <= i:
            k += 1
        if not out or out[-1] != stretches[k]:
            out.append(stretches[k])
    return out
