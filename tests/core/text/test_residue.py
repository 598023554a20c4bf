"""Simplified residue in a traditional text is located, character by character."""

from __future__ import annotations

from speechreader.core.text import find_problems


def residue(text: str, base: str | None = None) -> list[tuple[int, str, str]]:
    return [
        (s.start, s.text, s.right)
        for s in find_problems(text, base)
        if s.kind == "simplified_residue"
    ]


def test_residue_in_a_traditional_text_is_located():
    text = "提升各級領導干部的能力，敢于擔當，工作完成后總結。"
    assert residue(text) == [(6, "干", "幹"), (13, "于", "於"), (21, "后", "後")]


def test_a_simplified_text_has_no_residue():
    assert residue("提升各级领导干部的能力，敢于担当。") == []
    assert residue("提升各級領導干部", "simplified") == []  # the listing's base script wins


def test_words_read_in_context_are_not_residue():
    # t2s then s2t sees the words: 風采, 鄰里, 結合 are right in traditional text
    assert residue("展示了時代風采，鄰里糾紛，在結合中出思路。", "traditional") == []


def test_surnames_after_a_title_and_the_permission_buzhun_are_not_residue():
    assert residue("秘書長余遠輝主持。市委書記范某講話。", "traditional") == []
    assert residue("嚴禁公款喫喝，不准搞特殊化。", "traditional") == []


def test_variant_forms_are_not_residue():
    # 群 (Taiwan) beside 羣 (OpenCC standard), 裡 beside 裏: every standard must agree
    assert residue("群眾在這裡。羣衆在這裏。", "traditional") == []


def test_the_two_mixed_sample_speeches_by_hand(sample_texts):
    guo = residue(sample_texts["2011-12-06_guo-shengkun_guangxi"])
    assert "".join(ch for _, ch, _ in guo) == "圣后干干斗干托于于于于托干干仆于干后后"
    text = sample_texts["2011-12-06_guo-shengkun_guangxi"]
    assert [text[i - 2 : i + 2] for i, _, _ in guo[:3]] == ["的神圣使", "完成后,", "領導干部"]
    wang = residue(sample_texts["2024-01-05_wang-ning_yunnan"])
    assert "".join(ch for _, ch, _ in wang) == "周于么后么么么于干干干斗斗于范范筑云于扎云干干干干"
    # 余 of 余遠輝 (a name) is not among them, unlike the listing's script count
    assert "余" not in "".join(ch for _, ch, _ in guo)


def test_residue_never_overlaps_another_problem():
    text = "奮斗(dòu)目標，干部"
    spans = find_problems(text, "traditional")
    assert [(s.kind, s.text) for s in spans] == [
        ("pinyin_gloss", "斗(dòu)"),
        ("simplified_residue", "干"),
    ]
