"""Over-conversions derived from the phrase overrides: every wrong form a fixed phrase
had is detected when a scraped text contains it (issue 12)."""

from __future__ import annotations

import pytest

from speechreader.core.text import find_problems
from speechreader.core.text._overconversions import (
    curated_overconversions,
    derived_overconversions,
    find_overconversions,
    overconversions,
)
from tests.core.text.test_phrases import EXAMPLES


def overconverted(text: str) -> list[str]:
    return [s.text for s in find_problems(text) if s.kind == "phrase_overconversion"]


#: scraped traditional sentences with the wrong forms of the issue's phrases (written
#: by hand: what OpenCC made of them), and the wrong part a reader should see
WRONG = [
    ("深刻把握髮展階段性特徵", "把握髮展"),  # missed before issue 12
    ("面對的是更復雜的形勢", "更復雜"),
    ("農村羣衆還是隻能靠幾個全科醫生", "是隻能"),
    ("幹部的進步和麵子要靠自己", "和麵子"),  # s2tw's form (和麪子 is s2t's)
    ("幹部的進步和麪子要靠自己", "和麪子"),
    ("要搞好乾羣關係", "好乾羣"),
    ("要搞好乾群關係", "好乾群"),
    ("黨員要帶頭髮揮作用", "帶頭髮揮"),  # the curated entry, longer than 頭髮揮
    ("龍頭企業要龍頭髮揮作用", "頭髮揮"),
    ("這裏被髮展爲產業園區", "被髮展"),
    ("鄉村振興不是隻靠政府", "是隻靠"),
    ("我們就是隻爭朝夕", "是隻爭"),
    ("黨成立一百年曆經風雨", "年曆經"),
    ("近年曆次評比", "年曆次"),
    ("做大做強制造業", "強制造業"),
    ("進行偉大斗爭", "大斗爭"),
    ("完善收入分配製度", "配製度"),
    ("補貼資金足額髮放", "額髮放"),
    ("報告闡明瞭方向", "闡明瞭"),
    ("全會指明瞭道路", "指明瞭"),
    ("關愛睏難羣衆", "愛睏難"),
    ("造成較大沖擊", "大沖擊"),
    ("企業資金鍊斷裂", "資金鍊"),
    ("我們乾的是實事", "乾的是"),
    ("一齣門就看到", "一齣門"),
    ("服務和麪向基層", "和麪向"),
    ("祕書長餘遠輝主持", "祕書長餘"),
    ("市委書記範某講話", "書記範"),
]


@pytest.mark.parametrize(("text", "wrong"), WRONG)
def test_wrong_forms_of_fixed_phrases_are_found(text, wrong):
    assert overconverted(text) == [wrong]


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_the_right_form_of_every_example_is_not_an_overconversion(key):
    simplified, traditional = EXAMPLES[key]
    assert overconverted(traditional) == []
    assert overconverted(simplified) == []


@pytest.mark.parametrize(
    "text",
    [
        "有的地方沒有采取措施",  # OpenCC leaves 有采取 as it is: same as the simplified
        "數據不準確，說不準",  # 不準 is too short to tell (the permission is 不准)
        "舍小家爲大家",  # the wrong form is the simplified phrase itself
        "加固江河干堤",
        "把曬乾部分收起來",  # a curated exception
    ],
)
def test_forms_that_cannot_tell_a_mistake_are_not_derived(text):
    assert overconverted(text) == []


def test_curated_entries_keep_their_exceptions_and_notes():
    derived, curated = derived_overconversions(), curated_overconversions()
    assert "好乾部" in derived and "好乾部" in curated  # both lists know it
    assert find_problems("好乾部")[0].right == "好幹部"
    assert curated["乾部"].exceptions == ("乾部分", "乾部位")
    assert len(derived) >= 80  # ~2 forms per override in three standards


def test_a_span_explains_itself():
    span = find_problems("深刻把握髮展階段性特徵")[0]
    assert (span.start, span.end, span.right) == (2, 6, "把握發展")
    assert span.explanation == "把握髮展: should be 把握發展 (over-converted phrase)"


def _scan_without_prefilter(text: str) -> list[tuple[int, int, str]]:
    """An independent scan: every wrong form at each position, longest first, leftmost,
    not overlapping, then the exceptions (what the prefiltered search must still find)."""
    table = overconversions()
    forms = sorted(table, key=len, reverse=True)
    found, i = [], 0
    while i < len(text):
        form = next((f for f in forms if text.startswith(f, i)), None)
        if form is None:
            i += 1
            continue
        legit = any(
            text.startswith(ok, i - k) and i - k >= 0
            for ok in table[form].exceptions
            for k in range(len(ok))
            if ok[k:].startswith(form)
        )
        if not legit:
            found.append((i, i + len(form), form))
        i += len(form)
    return found


def test_every_wrong_form_is_found_in_simplified_and_traditional_surroundings():
    # the quick first look (one character of each form, or the form whole) must never
    # make a text with a wrong form look clean
    simplified = "我们要坚持发展，推动经济社会高质量发展。"
    traditional = "我們要堅持發展，推動經濟社會高質量發展。"
    forms = sorted(overconversions())
    assert len(forms) > 100
    for form in forms:
        for around in (simplified, traditional, ""):
            text = around + form + around
            got = [(s, e, entry.wrong) for s, e, entry in find_overconversions(text)]
            assert got == _scan_without_prefilter(text), form
            if not overconversions()[form].exceptions:
                assert (len(around), len(around) + len(form), form) in got, form


def test_a_simplified_text_with_no_wrong_form_has_none():
    assert find_overconversions("我们要坚持发展，推动经济社会高质量发展。") == []


def test_forms_run_together_are_found_as_the_plain_alternation_finds_them():
    # the search pattern shares first characters between forms (a tree): every form
    # concatenated with others, in random orders and cuts, must give what trying each
    # form at each position, longest first, gives
    import random
    import re

    from speechreader.core.text._overconversions import _pattern

    forms = sorted(overconversions(), key=len, reverse=True)
    plain = re.compile("|".join(map(re.escape, forms)))
    rng = random.Random(5)
    for _ in range(300):
        pieces = rng.sample(forms, 6) + [rng.choice(forms)[: rng.randint(1, 3)] for _ in range(3)]
        rng.shuffle(pieces)
        text = "".join(pieces)
        text = text[rng.randint(0, 2) :]
        spans = [(m.start(), m.end()) for m in _pattern().finditer(text)]
        assert spans == [(m.start(), m.end()) for m in plain.finditer(text)], text
        got = [(s, e, entry.wrong) for s, e, entry in find_overconversions(text)]
        assert got == _scan_without_prefilter(text), text
