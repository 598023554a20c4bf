"""Problem detection: exact counts on the sample speeches, and small positive/negative cases."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest

from speechreader.core.text import Problem
from speechreader.core.text._conversion import convert, plain_opencc
from speechreader.core.text._overconversions import overconversions
from speechreader.core.text._problems import (
    PROBLEM_KINDS,
    ProblemSpan,
    find_problems,
    summarise,
)

GUO = "2011-12-06_guo-shengkun_guangxi"  # seed 000
LI = "2018-06-07_li-jun_xichang"  # seed 001
CADRES = "undated_three-level-cadres-conference"  # seed 002
WANG = "2024-01-05_wang-ning_yunnan"  # seed 003
LU = "2019-06-27_lu-xinshe_guangxi"  # seed 004


def kinds(text: str) -> dict[str, int]:
    return {p.kind: p.count for p in summarise(find_problems(text))}


def spans_of(text: str, kind: str) -> list[str]:
    return [s.text for s in find_problems(text) if s.kind == kind]


# --- the sample speeches, exactly ----------------------------------------------------


@pytest.mark.parametrize(
    ("stem", "expected"),
    [
        (GUO, {"pinyin_gloss": 97, "mojibake": 4, "simplified_residue": 19}),
        (LI, {}),
        (CADRES, {"phrase_overconversion": 18}),
        (
            WANG,
            {
                "pinyin_gloss": 41,
                "doubled_punctuation": 93,
                "lost_characters": 2,
                "simplified_residue": 25,
            },
        ),
        (LU, {}),
    ],
)
def test_problem_counts_on_each_sample_speech(sample_texts, stem, expected):
    assert kinds(sample_texts[stem]) == expected


def test_pinyin_glosses_in_seeds_000_and_003_total_138(sample_texts):
    assert len(spans_of(sample_texts[GUO], "pinyin_gloss")) == 97
    assert len(spans_of(sample_texts[WANG], "pinyin_gloss")) == 41
    assert Counter(spans_of(sample_texts[GUO], "pinyin_gloss"))["區(qū)"] == 18
    assert sample_texts[GUO].count("區(qū)") == 18


def test_mojibake_in_seed_000_is_three_lost_lead_bytes_and_one_kana_run(sample_texts):
    assert spans_of(sample_texts[GUO], "mojibake") == ["??h", "?!翱たh", "??h", "??h"]


def test_doubled_punctuation_in_seed_003_is_a_stray_comma_before_each_mark(sample_texts):
    found = Counter(spans_of(sample_texts[WANG], "doubled_punctuation"))
    assert found == {",,": 44, ",、": 31, ",。": 13, ",?": 3, ",;": 2}


def test_lost_characters_in_seed_003_are_the_two_marks_of_dangerous_goods(sample_texts):
    text = sample_texts[WANG]
    lost = [s for s in find_problems(text) if s.kind == "lost_characters"]
    assert [text[s.start - 3 : s.end + 3] for s in lost] == ["燃氣、?;?、", "、?;?、交通"]


def test_real_question_marks_in_seed_002_are_not_reported(sample_texts):
    text = sample_texts[CADRES]
    assert text.count("?") == 5
    assert not [s for s in find_problems(text) if "?" in s.text]


def test_overconversions_in_seed_002(sample_texts):
    found = Counter(spans_of(sample_texts[CADRES], "phrase_overconversion"))
    assert found == {"村(社群)": 9, "巨集觀": 2, "好乾部": 2, "審批程式": 1,
                     # found through the phrase overrides that fix them (issue 12)
                     "是隻能": 1, "更復雜": 1, "把握髮展": 1, "和麵子": 1}  # fmt: skip


def test_every_span_is_the_text_at_its_offsets(sample_texts):
    for text in sample_texts.values():
        for span in find_problems(text):
            assert text[span.start : span.end] == span.text


def test_spans_are_sorted_and_never_overlap(sample_texts):
    for text in sample_texts.values():
        spans = find_problems(text)
        assert [s.start for s in spans] == sorted(s.start for s in spans)
        assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
@pytest.mark.parametrize("stem", [LI, LU])
def test_our_conversion_of_a_clean_speech_reports_nothing(sample_texts, config, stem):
    assert kinds(convert(sample_texts[stem], config)) == {}


@pytest.mark.parametrize("config", ["s2t", "s2tw", "s2hk"])
def test_plain_opencc_conversion_reports_the_places_the_overrides_fix(sample_texts, config):
    # the places listed in tests/core/text/test_conversion.py (好乾部 in LI, 新徵程 in LU)
    assert spans_of(plain_opencc(config).convert(sample_texts[LI]), "phrase_overconversion") == [
        "好乾部"
    ]
    assert spans_of(plain_opencc(config).convert(sample_texts[LU]), "phrase_overconversion") == [
        "新徵程"
    ]


# --- pinyin glosses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("自治區(qū)黨委", ["區(qū)"]),
        ("發（fā）展", ["發（fā）"]),
        ("統(tǒng)籌、創(chuàng)新", ["統(tǒng)", "創(chuàng)"]),
        ("增強(qiáng)", ["強(qiáng)"]),
    ],
)
def test_pinyin_gloss_after_a_character_is_found(text, expected):
    assert spans_of(text, "pinyin_gloss") == expected


@pytest.mark.parametrize(
    "text",
    [
        "生產總值(GDP)",
        "第一(a)項",
        "縣(市、區)長",
        "咖啡(café)",
        "(記者 黎攀)",
        "abc(qū)",
        "區(qu)",
        "區(xx)",
    ],
)
def test_parentheses_that_are_not_pinyin_glosses_are_ignored(text):
    assert spans_of(text, "pinyin_gloss") == []


# --- doubled punctuation -------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1月5日,,新年", [",,"]),
        ("善思,、善謀", [",、"]),
        ("百姓,。", [",。"]),
        ("結束。。然後", ["。。"]),
        ("甲、、乙", ["、、"]),
        ("怎么樣,?2023年", [",?"]),
        ("好,,,", [",,,"]),
    ],
)
def test_stacked_punctuation_is_found(text, expected):
    assert spans_of(text, "doubled_punctuation") == expected


@pytest.mark.parametrize(
    "text", ["等等...", "真的?!", "好!!", "……", "1.5億", "說:“好。”,", "是嗎?"]
)
def test_ellipses_emphasis_and_single_marks_are_not_doubled(text):
    assert spans_of(text, "doubled_punctuation") == []


# --- lost characters -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("燃氣、?;?、交通", ["?", "?"]),
        ("中\ufffd\ufffd文", ["\ufffd\ufffd"]),
        ("?開頭", ["?"]),
        ("第一行\n?第二行", ["?"]),
        ("這樣??那樣", ["??"]),
        ("(?)", ["?"]),
    ],
)
def test_question_marks_standing_for_lost_characters_are_found(text, expected):
    assert spans_of(text, "lost_characters") == expected


@pytest.mark.parametrize(
    "text",
    [
        "核心區”呢?我看",
        "說好”?是我們",
        "如何逐一落到實處?\n書記",
        "怎么樣,?2023年",
        "What?",
        "好不好?",
    ],
)
def test_real_question_marks_are_not_lost_characters(text):
    assert spans_of(text, "lost_characters") == []


# --- mojibake ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("追趕跨越??h級黨政", ["??h"]),
        ("發展?!翱たh治,天下", ["?!翱たh"]),
        ("這是た測試", ["た"]),
        ("在" + "中国".encode().decode("cp1252") + "发展", ["ä¸\xadå›½"]),
        ("錯誤锟斤拷锟斤拷結束", ["锟斤拷锟斤拷"]),
    ],
)
def test_mojibake_is_found(text, expected):
    assert spans_of(text, "mojibake") == expected


@pytest.mark.parametrize(
    "text",
    [
        "好的?OK",
        "是嗎?Yes",
        "café au lait",
        "馬克思・列寧主義",
        "これは日本語の文章です。ひらがなとカタカナがたくさんあります。",
    ],
)
def test_latin_words_middle_dots_and_japanese_text_are_not_mojibake(text):
    assert spans_of(text, "mojibake") == []


def test_mojibake_question_marks_are_not_also_lost_or_doubled():
    assert kinds("跨越??h級。發展?!翱たh治") == {"mojibake": 2}


# --- phrase over-conversion ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("有效應對了巨集觀政策", ["巨集觀"]),
        ("認真做好乾部綜合考察", ["好乾部"]),
        ("帶頭髮揮作用", ["帶頭髮揮"]),
        ("扭转干坤", ["扭转干坤"]),
        ("統籌全域性工作", ["全域性"]),
        ("村（社群）幹部", ["村（社群）"]),
    ],
)
def test_overconverted_phrases_are_found(text, expected):
    assert spans_of(text, "phrase_overconversion") == expected


@pytest.mark.parametrize(
    "text",
    [
        "宏觀政策",
        "幹部隊伍",
        "乾淨幹事",
        "把曬乾部分收起來",
        "頭髮展示",
        "帶頭發揮",
        "全域旅遊",
        "網路社群",
    ],
)
def test_correct_forms_and_listed_exceptions_are_not_overconversions(text):
    assert spans_of(text, "phrase_overconversion") == []


def test_every_listed_wrong_form_is_found_and_its_right_form_is_not():
    table = overconversions()
    assert len(table) >= 30
    for entry in table.values():
        assert entry.wrong != entry.right
        assert spans_of(f"在{entry.wrong}中", "phrase_overconversion") == [entry.wrong]
        assert spans_of(f"在{entry.right}中", "phrase_overconversion") == [], entry.right


# --- summaries -----------------------------------------------------------------------


def test_summary_follows_kind_order_with_three_distinct_examples():
    spans = find_problems("區(qū)區(qū)調(diào)發(fā)展(zhǎn),,跨越??h級巨集觀")
    summary = summarise(spans)
    assert [p.kind for p in summary] == ["pinyin_gloss", "doubled_punctuation", "mojibake",
                                         "phrase_overconversion"]  # fmt: skip
    assert summary[0] == Problem("pinyin_gloss", 5, ["區(qū)", "調(diào)", "發(fā)"])
    assert next(iter(PROBLEM_KINDS)) == "pinyin_gloss"  # the order the summary lists them


def test_summary_of_no_spans_is_empty():
    assert summarise([]) == []
    assert find_problems("乾乾淨淨的文字。") == []


def test_problem_json_round_trip():
    problem = Problem("lost_characters", 2, ["?"])
    assert Problem.from_json(problem.to_json()) == problem
    assert problem.description == "characters lost in scraping (? or U+FFFD)"
    assert ProblemSpan("mojibake", 1, 4, "??h").text == "??h"
