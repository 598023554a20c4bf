"""Script detection with one OpenCC pass and two character sets gives the old answers.

The old detector (four OpenCC passes, every position compared) is copied here as the
independent reference; the new one must read the same script and base from the sample
speeches, from texts generated the way bench/make_corpus.py makes them, and from texts
built to sit near the thresholds (where the sets cannot decide and the passes run).
"""

from __future__ import annotations

import operator
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from speechreader.core.text import _conversion as cv
from speechreader.core.text import _script

REPO = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import load_pools, make_body  # noqa: E402


def old_detect(text: str) -> tuple[str, str]:
    """The detector as it was before the sets (a copy, with its own thresholds)."""
    opencc = cv.plain_opencc
    to_t2s = opencc("t2s").convert(text)
    s2t = opencc("s2t").convert(text)
    n = len(text)
    traditional = sum(map(operator.ne, text, to_t2s))
    if traditional == 0:
        return "simplified", "simplified"
    s2tw, s2hk = (opencc(c).convert(text) for c in ("s2tw", "s2hk"))
    if len(s2t) == n and len(s2tw) == n and len(s2hk) == n:
        simplified = sum(
            a != x and a != y and a != z for a, x, y, z in zip(text, s2t, s2tw, s2hk, strict=True)
        )
    else:
        simplified = sum(
            1 for ch in text if all(opencc(c).convert(ch) != ch for c in ("s2t", "s2tw", "s2hk"))
        )
    base = "traditional" if traditional > simplified else "simplified"
    minority, majority = sorted((traditional, simplified))
    mixed = minority >= 3 and minority > 0.01 * majority
    return ("mixed" if mixed else base), base


def new_detect(text: str) -> tuple[str, str]:
    info = cv.detect_script(text)
    return info.script, info.base


@pytest.fixture(scope="module")
def pools():
    return load_pools()


def test_same_script_as_before_on_the_samples(sample_texts):
    for name, text in sample_texts.items():
        assert new_detect(text) == old_detect(text), name


def test_same_script_as_before_on_generated_speeches(pools):
    rng = random.Random(15)
    seen = set()
    for _ in range(120):
        script = rng.choice(("simplified", "traditional"))
        text = make_body(pools[script], rng.randrange(100, 3000), rng)
        expected = old_detect(text)
        seen.add(expected)
        assert new_detect(text) == expected, text[:60]
    assert {("simplified", "simplified"), ("traditional", "traditional")} <= seen


def test_same_script_near_the_thresholds(pools, monkeypatch):
    """Traditional text with simplified residue sprinkled in at rates around 1 %, and
    simplified text with a few traditional characters: where exact counts decide."""
    passes = []
    exact = cv.exact_simplified

    def counted(*args):
        passes.append(1)
        return exact(*args)

    monkeypatch.setattr(cv, "exact_simplified", counted)
    rng = random.Random(7)
    # residue a converter leaves behind, and words whose 干/于/后 are right in
    # traditional text (干涉, 于 the surname): the characters the sets cannot settle
    residue = list("干于后里面么采余准这们国发会说为")
    words = ["干涉", "若干", "于是", "後來", "裡面", "麵條", "這個", "發展"]
    seen = set()
    for trial in range(160):
        base = "traditional" if trial % 2 == 0 else "simplified"
        chars = list(make_body(pools[base], rng.randrange(200, 1500), rng))
        extra = rng.choice((0, 1, 2, 3, 5, 8, 12, 20, 40))
        for _ in range(extra):
            pick = rng.choice(residue) if rng.random() < 0.7 else rng.choice(words)
            at = rng.randrange(len(chars))
            chars[at : at + len(pick)] = pick
        text = "".join(chars)
        expected = old_detect(text)
        seen.add(expected)
        assert new_detect(text) == expected, (trial, extra)
    assert ("mixed", "traditional") in seen
    assert passes, "no text was near a threshold: the exact count went untested"
    assert len(passes) < 160 // 2, "the sets decided almost nothing"


def test_same_script_on_every_kind_of_character_mix():
    """Short texts drawn from a hand list of characters of each kind."""
    sure = "这们国发会说为与专业东丝两严"  # changed by s2t, s2tw and s2hk everywhere
    unsure = "干于后里面么采余准"  # changed in some words, kept in others
    variant = "群裡着"  # s2t changes it, Taiwan or Hong Kong keeps it
    traditional = "這們國發會說為與專業東絲兩嚴幹於後裡麵麼採餘準"
    neutral = "人大中上下的是了在和有"
    rng = random.Random(3)
    alphabet = sure + unsure + variant + traditional + neutral * 3
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(1, 400)))
        assert new_detect(text) == old_detect(text), text


def test_the_sets_hold_what_a_reader_expects():
    sets = _script.script_tables(cv.opencc.__version__)
    assert sets is not None, "script_sets.txt was made for another OpenCC"
    sure, maybe = sets.sure, sets.maybe

    def has(table, ch):
        return bool(table[ord(ch)])

    for ch in "这们国发会说为":  # simplified everywhere
        assert has(sure, ch) and has(maybe, ch), ch
    for ch in "干于后里面":  # 干涉, 于 (surname), 皇后, 里 (village), 面子 stay in traditional
        assert not has(sure, ch) and has(maybe, ch), ch
    for ch in "群裡着這國人的":  # variant preferences, traditional and neutral characters
        assert not has(sure, ch) and not has(maybe, ch), ch


def test_neighbours_settle_the_uncertain_characters():
    """干 alone or in 干部 is simplified (幹部), in 干涉 it is right in traditional text;
    了 is kept alone and in 了不起, changed only in 了解 (瞭解)."""
    sets = _script.script_tables(cv.opencc.__version__)

    def refined(text):
        codes = _script.code_points(text)
        low, _ = _script.simplified_bounds(codes, sets)
        low, high, undecided = _script.refined_bounds(codes, sets, low)
        return low, high, undecided.tolist()

    assert refined("幹部干部") == (1, 1, [])  # 干 in 干部: counted
    low, high, undecided = refined("干涉內政")  # 干涉 may be a phrase there: convert
    assert (low, high, undecided) == (0, 1, [0])
    assert _script.exact_simplified("干涉內政", undecided, low, cv._plain) == 0
    assert refined("了不起") == (0, 0, [])
    low, high, undecided = refined("了解情況")
    assert (low, high) == (0, 1) and undecided == [0]  # only a conversion can tell
    assert _script.exact_simplified("了解情況", undecided, low, cv._plain) == 1


def test_another_opencc_falls_back_to_the_passes(sample_texts):
    assert _script.script_tables("0.0.0-not-this-one") is None
    for text in sample_texts.values():
        info = cv.detect_script_by_passes(text, cv.plain_opencc("t2s").convert(text), 0)
        assert info.script == "simplified"  # no traditional evidence given
    text = sample_texts["2011-12-06_guo-shengkun_guangxi"]
    to_t2s = cv.plain_opencc("t2s").convert(text)
    traditional = sum(map(operator.ne, text, to_t2s))
    info = cv.detect_script_by_passes(text, to_t2s, traditional)
    assert (info.script, info.base) == old_detect(text)


def test_the_shipped_sets_match_the_installed_opencc():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "make_script_sets.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_counting_handles_any_character():
    assert _script.count_differing("a\ud800b😀", "a\ud800c😀") == 1
    assert _script.count_differing("同", "同") == 0
    assert list(_script.code_points("a😀")) == [0x61, 0x1F600]


def test_residue_from_clauses_is_residue_from_the_whole_text(pools, monkeypatch):
    """The residue detector converts only the clauses where s2t may change something;
    with the sets withheld it converts the whole text, as before: same spans."""
    from speechreader.core.text import _residue

    rng = random.Random(11)
    texts = []
    for _ in range(60):
        chars = list(make_body(pools["traditional"], rng.randrange(200, 1500), rng))
        for _ in range(rng.choice((0, 3, 10, 30))):
            at = rng.randrange(len(chars))
            chars[at : at + 2] = rng.choice(["干部", "于是", "了解", "面条", "后来", "这", "出"])
        texts.append("".join(chars))
    fast = [_residue.residue_positions(t) for t in texts]
    monkeypatch.setattr(cv, "script_sets", lambda: None)
    whole = [_residue.residue_positions(t) for t in texts]
    assert fast == whole
    assert sum(map(len, whole)) > 20  # residue was there to find


def test_the_separator_table_holds_exactly_the_characters_that_separate():
    from speechreader.core.text._offsets import SEPARATORS
    from speechreader.core.text._script import _separator_table

    table = _separator_table()
    separating = [c for c in range(0x110000) if SEPARATORS.fullmatch(chr(c))]
    assert np.flatnonzero(table).tolist() == separating
    assert {0x3002, 0xFF0C, ord("\n"), ord(" ")} <= set(separating)
    assert not table[ord("中")] and not table[ord("〇")]


def test_compatibility_ideographs_are_the_two_unicode_blocks():
    from speechreader.core.text._script import code_points, has_compatibility_ideograph

    for ch in ("\uf900", "\ufaff", "\U0002f800", "\U0002fa1f", "\uf9a8"):
        assert has_compatibility_ideograph(code_points("中文" + ch)), hex(ord(ch))
    for ch in ("\uf8ff", "\ufb00", "\U0002f7ff", "\U0002fa20", "中", "，", "\ud800"):
        assert not has_compatibility_ideograph(code_points("中文" + ch)), hex(ord(ch))
