"""Chinese text sorted by pinyin, both scripts together (expected orders written by hand)."""

from __future__ import annotations

import random

import pytest

from speechreader.core.corpus import pinyin_sort_key, pinyin_syllables


def ordered(values: list[str]) -> list[str]:
    shuffled = list(values)
    random.Random(14).shuffle(shuffled)
    return sorted(shuffled, key=pinyin_sort_key)


def test_the_sample_speakers_sort_guo_li_lu_wang():
    # code point order would be 李俊, 王寧, 郭聲琨, 鹿心社
    assert ordered(["王寧", "鹿心社", "李俊", "郭聲琨"]) == ["郭聲琨", "李俊", "鹿心社", "王寧"]


def test_traditional_and_simplified_sort_together():
    # guo sheng kun / guo sheng kun, li jun, lu xin she, wang ning / wang ning
    names = ["王宁", "郭聲琨", "王寧", "鹿心社", "郭声琨", "李俊"]
    assert ordered(names) == ["郭声琨", "郭聲琨", "李俊", "鹿心社", "王宁", "王寧"]


def test_syllable_by_syllable_as_a_dictionary_orders():
    # li jun before liang (li < liang), though "lijun" > "liang" letter by letter
    assert ordered(["梁", "李俊"]) == ["李俊", "梁"]


def test_tones_break_ties_in_order():
    # mā má mǎ mà, and the neutral tone (吗 ma5) after them
    assert ordered(["骂", "吗", "马", "妈", "麻"]) == ["妈", "麻", "马", "骂", "吗"]


def test_phrases_choose_the_reading():
    # 长沙 chang sha, 成都 cheng du, 重庆 chong qing (重 alone is zhòng), 北京 bei jing
    assert ordered(["重庆", "成都", "北京", "长沙", "郑州"]) == [
        "北京",
        "长沙",
        "成都",
        "重庆",
        "郑州",
    ]
    assert [plain for plain, _ in pinyin_syllables("重庆银行行长")] == [
        "chong",
        "qing",
        "yin",
        "hang",
        "hang",
        "zhang",
    ]


def test_places_in_traditional_script():
    # 廣西 guang xi, 雲南 yun nan, 四川 si chuan, 北京 bei jing
    assert ordered(["雲南 昆明", "廣西 南寧", "四川 涼山", "北京"]) == [
        "北京",
        "廣西 南寧",
        "四川 涼山",
        "雲南 昆明",
    ]


def test_other_characters_compare_as_themselves_case_folded():
    assert pinyin_syllables("Xi 2019") == [
        ("x", "x"),
        ("i", "i"),
        (" ", " "),
        ("2", "2"),
        ("0", "0"),
        ("1", "1"),
        ("9", "9"),
    ]
    assert ordered(["b", "A", "a"]) == ["A", "a", "b"]


@pytest.mark.parametrize("text", ["", "郭聲琨", "重庆 ABC"])
def test_the_key_is_total_and_keeps_the_original(text: str):
    key = pinyin_sort_key(text)
    assert key[-1] == text
