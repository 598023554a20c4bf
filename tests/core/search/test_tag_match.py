"""Finding a codebook tag across scripts, widths, case and pinyin initials (real OpenCC,
real pypinyin); the expected values are written out by hand."""

from __future__ import annotations

import pytest

from speechreader.core.search import (
    NearDuplicate,
    TagMatcher,
    near_duplicates,
    pinyin_initials,
    tag_key,
)
from speechreader.core.store import Tag


def tags(*names: str, descriptions: dict[str, str] | None = None) -> list[Tag]:
    descriptions = descriptions or {}
    return [Tag(n, "#e6194b", descriptions.get(n, "")) for n in names]


def names(found: list[Tag]) -> list[str]:
    return [t.name for t in found]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("组织", "組織"),  # script
        ("GDP", "ＧＤＰ"),  # width
        ("gdp", "GDP"),  # case
        ("Économie", "économie"),  # case beyond ASCII
        ("ｶﾀｶﾅ", "カタカナ"),  # half-width katakana
        ("發展 ", "发展"),  # surrounding space
        ("幹部", "干部"),
    ],
)
def test_one_key_for_names_that_differ_in_script_width_or_case(a: str, b: str) -> None:
    assert tag_key(a) == tag_key(b)


@pytest.mark.parametrize(("a", "b"), [("组织", "组织部"), ("经济", "政治"), ("GDP", "GNP")])
def test_different_names_keep_different_keys(a: str, b: str) -> None:
    assert tag_key(a) != tag_key(b)


def test_either_script_finds_the_tag() -> None:
    matcher = TagMatcher(tags("经济", "组织", "干部"))
    assert names(matcher.find("組")) == ["组织"]
    assert names(matcher.find("组")) == ["组织"]
    assert names(matcher.find("組織")) == ["组织"]
    assert names(matcher.find("幹部")) == ["干部"]


def test_a_traditional_codebook_is_found_from_simplified() -> None:
    matcher = TagMatcher(tags("經濟", "組織"))
    assert names(matcher.find("组织")) == ["組織"]
    assert names(matcher.find("经")) == ["經濟"]


def test_width_and_case_do_not_matter() -> None:
    matcher = TagMatcher(tags("GDP增长", "Reform"))
    assert names(matcher.find("ｇｄｐ")) == ["GDP增长"]
    assert names(matcher.find("REFORM")) == ["Reform"]


def test_nothing_typed_lists_every_tag_in_codebook_order() -> None:
    matcher = TagMatcher(tags("b", "a", "c"))
    assert names(matcher.find("")) == ["b", "a", "c"]
    assert names(matcher.find("  ")) == ["b", "a", "c"]


def test_best_match_first_then_codebook_order() -> None:
    matcher = TagMatcher(
        tags("党组织", "组织部", "组织", "其他", descriptions={"其他": "不属于组织的"})
    )
    # equal name, then starts with, then holds, then the description
    assert names(matcher.find("組織")) == ["组织", "组织部", "党组织", "其他"]


@pytest.mark.parametrize(
    ("name", "initials"),
    [
        ("组织", "zz"),
        ("組織", "zz"),
        ("长城", "cc"),
        ("長城", "cc"),  # read as 长城 (cháng), not 長 zhǎng
        ("银行", "yh"),  # the phrase: háng
        ("GDP增长", "gdpzz"),
        ("改革 2020", "gg2020"),
        ("雅鲁藏布江", "ylzbj"),  # the whole name: 藏 zàng, not cáng
        ("二万五千里长征", "ewwqlcz"),  # 长征 cháng zhēng, not 里长 lǐ zhǎng
    ],
)
def test_pinyin_initials(name: str, initials: str) -> None:
    assert pinyin_initials(name) == initials


def test_pinyin_initials_find_a_tag() -> None:
    matcher = TagMatcher(tags("经济", "组织", "政治", "改革"))
    assert names(matcher.find("zz")) == ["组织", "政治"]
    assert names(matcher.find("ZZ")) == ["组织", "政治"]
    assert names(matcher.find("gg")) == ["改革"]
    assert names(matcher.find("jjx")) == []


def test_latin_names_are_found_by_their_letters_before_initials() -> None:
    matcher = TagMatcher(tags("政治", "zz top"))
    assert names(matcher.find("zz")) == ["zz top", "政治"]


@pytest.mark.parametrize(
    ("new", "existing", "how"),
    [
        ("組織", "组织", ("script",)),
        ("ＧＤＰ", "GDP", ("width",)),
        ("gdp", "GDP", ("case",)),
        ("ｇｄｐ", "GDP", ("width", "case")),
        ("ＧＤＰ增長", "gdp增长", ("width", "script", "case")),
        ("經濟", "经济", ("script",)),
    ],
)
def test_near_duplicates_say_how_they_differ(new: str, existing: str, how: tuple[str, ...]) -> None:
    found = near_duplicates(new, tags("其他", existing))
    assert found == [NearDuplicate(Tag(existing, "#e6194b"), how)]


def test_the_same_name_or_another_name_is_no_near_duplicate() -> None:
    book = tags("组织", "经济")
    assert near_duplicates("组织", book) == []
    assert near_duplicates(" 组织 ", book) == []
    assert near_duplicates("组织部", book) == []
    assert near_duplicates("", book) == []


def test_every_near_duplicate_is_found() -> None:
    book = tags("GDP", "gdp", "经济")
    assert [d.tag.name for d in near_duplicates("Gdp", book)] == ["GDP", "gdp"]


def test_describe_in_words() -> None:
    tag = Tag("x", "#e6194b")
    assert NearDuplicate(tag, ("script",)).describe() == "script"
    assert NearDuplicate(tag, ("width", "case")).describe() == "width and case"
    assert NearDuplicate(tag, ("width", "script", "case")).describe() == "width, script and case"
