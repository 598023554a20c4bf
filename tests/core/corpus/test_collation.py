"""Chinese text sorted by pinyin, both scripts together (expected orders written by hand)."""

from __future__ import annotations

import functools
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


def test_a_long_phrase_reads_before_a_short_one_inside_it():
    # 二万五千里长征: 长征 is cháng zhēng; 里长 (lǐ zhǎng, a village head) must not win
    assert [plain for plain, _ in pinyin_syllables("二万五千里长征")] == [
        "er", "wan", "wu", "qian", "li", "chang", "zheng",
    ]  # fmt: skip


# --- the compact tables against pypinyin itself ---------------------------------------


@functools.cache
def _longest_phrase() -> int:
    from pypinyin.constants import PHRASES_DICT

    return max(len(p) for p in PHRASES_DICT)


def pypinyin_reading(text: str) -> list[tuple[str, str]]:
    """The reading this module promises, made from pypinyin's own dictionaries and tone
    functions: each phrase (longest first, from the left) with its first readings,
    else each character's first reading, else the character case-folded."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal, to_tone3

    @functools.cache
    def syllable(marked: str) -> tuple[str, str]:
        return to_normal(marked), to_tone3(marked, neutral_tone_with_five=True)

    longest = _longest_phrase()
    out, i = [], 0
    while i < len(text):
        for end in range(min(i + longest, len(text)), i + 1, -1):
            readings = PHRASES_DICT.get(text[i:end])
            if readings is not None and len(readings) == end - i:
                out += [syllable(r[0]) for r in readings]
                i = end
                break
        else:
            marked = PINYIN_DICT.get(ord(text[i]))
            folded = text[i].casefold()
            out.append(syllable(marked.split(",")[0]) if marked else (folded, folded))
            i += 1
    return out


def test_the_compact_tables_read_every_text_as_pypinyin_s_dictionaries_do():
    from pypinyin.constants import PHRASES_DICT

    rng = random.Random(15)
    phrases = sorted(PHRASES_DICT)
    singles = [chr(c) for c in range(0x4E00, 0x9FA6)]
    texts = []
    for _ in range(3000):  # phrases run together, split, and mixed with other characters
        parts = [rng.choice(phrases) for _ in range(rng.randint(1, 4))]
        parts += [rng.choice(singles) for _ in range(rng.randint(0, 3))] + ["A", "·", "2"]
        rng.shuffle(parts)
        text = "".join(parts)
        start = rng.randrange(len(text))
        texts += [text, text[start:], text[:start]]
    mismatched = [t for t in texts if pinyin_syllables(t) != pypinyin_reading(t)]
    assert mismatched == []


def test_every_reading_converts_as_pypinyin_converts_it():
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT
    from pypinyin.contrib.tone_convert import to_normal, to_tone3

    from speechreader.core.corpus._collation import _syllable

    readings = {r for marked in PINYIN_DICT.values() for r in marked.split(",")}
    readings |= {r for value in PHRASES_DICT.values() for rs in value for r in rs}
    assert len(readings) > 1400
    for marked in readings:
        assert _syllable(marked) == (
            to_normal(marked),
            to_tone3(marked, neutral_tone_with_five=True),
        )


def test_the_tables_from_the_json_files_equal_those_from_pypinyin_s_modules():
    from speechreader.core.corpus._collation import _tables_from_json, _tables_from_modules

    assert _tables_from_json() == _tables_from_modules()


def test_sorting_by_pinyin_leaves_pypinyin_s_dictionaries_unloaded():
    """They held 69 MB for the rest of a session; the compact tables are a few MB."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from speechreader.core.corpus import pinyin_sort_key\n"
        "from speechreader.core.search import TagMatcher\n"
        "assert pinyin_sort_key('重庆银行')[0] == ('chong', 'qing', 'yin', 'hang')\n"
        "from speechreader.core.search._tag_match import pinyin_initials\n"
        "assert pinyin_initials('長城') == 'cc'\n"
        "print(sorted(m for m in sys.modules if m.startswith('pypinyin')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
