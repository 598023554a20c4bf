"""著 as the particle 着 in traditional text: the simplified form reads it as tw2s does.

Taiwan and Hong Kong texts write the aspect particle 着 as 著 (隨著, 意味著, 著力),
the same character as zhù 著 (著名, 顯著, 著作). OpenCC's ``t2s`` keeps every 著
(its issue #555), so the simplified pane of a traditional speech showed 随著 and
执著, a search for 随着 missed 隨著, and jieba cut 隨/著 and 著/手. OpenCC's ``tw2s``
reads them right: its Taiwan-variant stage turns 著 into 着 except in the phrases
where it is zhù. So for a document whose own script is traditional, the simplified
form takes tw2s's reading of each 著, one character for one (offsets never move);
nothing else of tw2s is taken (its other variant choices are Taiwan's, not the
document's). A simplified document is left alone: there 著 is always zhù.

tw2s reads the text after ``s2t``, which turns simplified residue in a mixed text
(显著 beside 幹部) back into the traditional form its phrase list knows (顯著); both
configs are character-level, so positions still line up.

:data:`ZHU_WORDS` are the few words where tw2s itself misreads 著 (卓著 "outstanding"
comes out 卓着): there 著 stays; :data:`PARTICLE_WORDS` the opposite (體現著作風 is
體現著 + 作風, not 著作). Words whose 著 can be either in context are not listed
(討論著 is the particle, 論著 a treatise): tw2s decides those.
"""

from __future__ import annotations

import functools
import re

import opencc

ZHU = "著"
PARTICLE = "着"
#: zhù words that tw2s folds to 着 anyway, in tw2s's (simplified) output form, checked
#: by hand: 功勋卓著, 土著, 学术专著, 遗著, 拙著, 撰著. Each must be unambiguous in
#: context: 论著 (讨论着), 编著 (编着草鞋), 译著 (翻译着) and 原著 (还原着) are not.
ZHU_WORDS = ("卓着", "土着", "专着", "遗着", "拙着", "撰着")
_ZHU_WORDS_RE = re.compile("|".join(ZHU_WORDS))
#: where tw2s keeps a particle as 著 because a zhù word follows it (体现著作风: seed
#: 002; 执著于), in tw2s's output form; the 著 of each is the particle.
PARTICLE_WORDS = ("著作风", "执著")  # 执著 before 于: tw2s reads 著於 (著於竹帛)
_PARTICLE_WORDS_RE = re.compile("|".join(PARTICLE_WORDS))


@functools.cache
def _plain(config: str) -> opencc.OpenCC:
    """OpenCC's own converter (no phrase overrides: they never touch 著)."""
    return opencc.OpenCC(config, include_tofu_risk_dictionaries=False)


def zhe_particle_positions(text: str) -> list[int]:
    """Offsets of the 著 in ``text`` that are the particle 着, as tw2s reads them.

    Meant for traditional (or mixed) text; on simplified text tw2s would misread
    显著 as 显着, so callers fold only documents whose own script is traditional.

    Only the clauses that hold a 著 are converted (s2t and tw2s over a whole speech
    were 40 % of making a traditional document's search form), which reads each 著
    as converting the whole text does: OpenCC matches its phrases from left to
    right and no entry of these dictionaries holds a separator or changes length
    (tests check the dictionaries), so a separator ends every match and what
    follows it converts alone. ``ZHU_WORDS`` and ``PARTICLE_WORDS`` hold no
    separator either.
    """
    if ZHU not in text:
        return []
    clauses = _clauses_with_zhu(text)
    joined = "\n".join(text[a:b] for a, b in clauses)
    # s2t first: residue such as 显著 in a mixed text becomes 顯著, which tw2s knows.
    read = _plain("tw2s").convert(_plain("s2t").convert(joined))
    if len(read) != len(joined):  # never so for these character-level configs today
        return []
    kept = {m.start() + m.group().index(PARTICLE) for m in _ZHU_WORDS_RE.finditer(read)}
    added = {m.start() + m.group().index(ZHU) for m in _PARTICLE_WORDS_RE.finditer(read)}
    positions = []
    at = 0  # where the clause starts in ``joined``
    for a, b in clauses:
        start = text.find(ZHU, a, b)
        while start >= 0:
            j = at + start - a
            if (read[j] == PARTICLE and j not in kept) or j in added:
                positions.append(start)
            start = text.find(ZHU, start + 1, b)
        at += b - a + 1
    return positions


#: how far back a clause's start is looked for at a time
_LOOK_BACK = 64


def _clauses_with_zhu(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each separator-free stretch of ``text`` holding a 著, in order."""
    from speechreader.core.text._offsets import SEPARATORS

    clauses = []
    at = text.find(ZHU)
    while at >= 0:
        start, low = 0, at
        while low > 0:  # the end of the last separator before ``at``
            window = max(0, low - _LOOK_BACK)
            last = None
            for last in SEPARATORS.finditer(text, window, low):  # noqa: B007
                pass
            if last is not None:
                start = last.end()
                break
            low = window
        after = SEPARATORS.search(text, at + 1)
        end = after.start() if after else len(text)
        clauses.append((start, end))
        at = text.find(ZHU, end)
    return clauses


def fold_zhe(original: str, simplified: str, positions: list[int] | None = None) -> str:
    """``simplified`` (a one-for-one conversion of ``original``) with each particle 著
    of ``original`` as 着 and each zhù 著 as 著, whatever the conversion made of it.

    ``positions`` are :func:`zhe_particle_positions` of ``original`` if already known.
    A conversion of another length is returned unchanged (phrase-level configs map
    their 著 with :func:`fold_zhe_mapped`).
    """
    if ZHU not in original or len(original) != len(simplified):
        return simplified
    if positions is None:
        positions = zhe_particle_positions(original)
    chars = None
    particles = set(positions)
    start = original.find(ZHU)
    while start >= 0:
        want = PARTICLE if start in particles else ZHU
        if simplified[start] != want:
            if chars is None:
                chars = list(simplified)
            chars[start] = want
        start = original.find(ZHU, start + 1)
    return simplified if chars is None else "".join(chars)


def fold_zhe_mapped(original: str, simplified: str, to_dst) -> str:
    """:func:`fold_zhe` for a phrase-level conversion: ``to_dst(offset)`` maps an offset
    of ``original`` into ``simplified`` (an ``OffsetMap.to_dst``, exact inside a
    replaced phrase of unchanged length). Only a 著 that maps to one 著 or 着 is touched."""
    if ZHU not in original:
        return simplified
    particles = set(zhe_particle_positions(original))
    chars = list(simplified)
    start = original.find(ZHU)
    while start >= 0:
        a, b = to_dst(start), to_dst(start + 1)
        if b == a + 1 and chars[a] in (ZHU, PARTICLE):
            chars[a] = PARTICLE if start in particles else ZHU
        start = original.find(ZHU, start + 1)
    return "".join(chars)
