"""Anchors on real speeches: finding a coded passage again after the file was edited."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speechreader.core.errors import InvalidRange
from speechreader.core.store import Anchor, locate, make_anchor
from speechreader.core.store._anchors import Located

DOC = "2019-06-27_lu-xinshe_guangxi"


@pytest.fixture
def text(sample_texts) -> str:
    return sample_texts[DOC]


def span_of(text: str, quote: str, nth: int = 0) -> tuple[int, int]:
    pos = -1
    for _ in range(nth + 1):
        pos = text.index(quote, pos + 1)
    return pos, pos + len(quote)


def test_make_anchor_keeps_the_quote_and_32_characters_either_side(text):
    start, end = span_of(text, "讲党课是我们党在长期思想政治工作中形成的优良传统")
    anchor = make_anchor(text, start, end)
    assert anchor.quote == "讲党课是我们党在长期思想政治工作中形成的优良传统"
    assert anchor.prefix == text[start - 32 : start]
    assert anchor.suffix == text[end : end + 32]
    assert len(anchor.prefix) == len(anchor.suffix) == 32


def test_make_anchor_at_the_edges_of_the_text_has_shorter_context(text):
    head = make_anchor(text, 0, 4)
    assert (head.quote, head.prefix) == ("按照中央", "")
    tail = make_anchor(text, len(text) - 3, len(text))
    assert tail.suffix == ""
    assert tail.quote == text[-3:]


@pytest.mark.parametrize("start,end", [(-1, 3), (5, 5), (7, 3), (0, 10**6), (1.0, 3)])
def test_make_anchor_rejects_ranges_outside_the_text(text, start, end):
    with pytest.raises(InvalidRange, match="invalid range"):
        make_anchor(text, start, end)


def test_unchanged_text_locates_exactly(text):
    start, end = span_of(text, "筑牢信仰之基、补足精神之钙")
    anchor = make_anchor(text, start, end)
    assert locate(text, start, end, anchor) == Located(start, end, "exact")


def test_paragraph_inserted_before_moves_the_passage_by_its_length(text):
    start, end = span_of(text, "筑牢信仰之基、补足精神之钙")
    anchor = make_anchor(text, start, end)
    inserted = "编者按:本文根据录音整理,有删节。\n"
    edited = inserted + text
    assert locate(edited, start, end, anchor) == Located(
        start + len(inserted), end + len(inserted), "moved"
    )


def test_changed_quote_is_orphaned_with_the_old_offsets(text):
    start, end = span_of(text, "筑牢信仰之基、补足精神之钙")
    anchor = make_anchor(text, start, end)
    edited = text.replace("补足精神之钙", "补足精神之源")
    assert locate(edited, start, end, anchor) == Located(start, end, "orphaned")


def test_duplicated_quote_resolves_to_the_occurrence_with_matching_context(text):
    quote = "不忘初心、牢记使命"
    assert text.count(quote) >= 4
    start, end = span_of(text, quote, nth=2)
    anchor = make_anchor(text, start, end)
    # A paragraph inserted before shifts everything: another occurrence of the same
    # words may now sit at the old offsets, but its context differs.
    edited = "(学习贯彻)" + text
    found = locate(edited, start, end, anchor)
    assert found == Located(start + 6, end + 6, "moved")
    assert edited[found.start : found.end] == quote


def test_duplicate_at_the_old_offset_with_other_context_does_not_win(text):
    quote = "不忘初心、牢记使命"
    first, second = span_of(text, quote, 0), span_of(text, quote, 1)
    anchor = make_anchor(text, *second)
    # Insert exactly enough before the text that the *first* occurrence lands on the
    # coded (second) one's old offsets: same words there, but the wrong context.
    shift = second[0] - first[0]
    edited = "〇" * shift + text
    assert edited[second[0] : second[1]] == quote
    found = locate(edited, *second, anchor)
    assert found == Located(second[0] + shift, second[1] + shift, "moved")


def test_identical_context_prefers_the_occurrence_nearest_the_old_offset():
    text = "甲乙丙。发展是第一要务。" * 3
    start, end = span_of(text, "发展", nth=1)
    anchor = Anchor(quote="发展", prefix="", suffix="")  # no context to tell them apart
    edited = "前言。" + text
    assert locate(edited, start, end, anchor) == Located(start + 3, end + 3, "moved")


def test_quote_split_by_a_new_line_break_is_found_ignoring_whitespace(text):
    start, end = span_of(text, "筑牢信仰之基、补足精神之钙")
    anchor = make_anchor(text, start, end)
    edited = text[: start + 6] + "\n" + text[start + 6 :]
    assert locate(edited, start, end, anchor) == Located(start, end + 1, "moved")


def test_passage_deleted_from_the_file_is_orphaned(text):
    start, end = span_of(text, "筑牢信仰之基、补足精神之钙、把稳思想之舵")
    anchor = make_anchor(text, start, end)
    edited = text[:start] + text[end:]
    assert locate(edited, start, end, anchor).status == "orphaned"


def test_traditional_text_with_a_title_line_added(sample_texts):
    text = sample_texts["undated_three-level-cadres-conference"]
    start = len(text) // 2
    end = start + 20
    anchor = make_anchor(text, start, end)
    edited = "標題:三級幹部大會講話\n\n" + text
    found = locate(edited, start, end, anchor)
    assert found.status == "moved"
    assert edited[found.start : found.end] == text[start:end]
    assert found.start == start + len("標題:三級幹部大會講話\n\n")


@given(st.data())
def test_any_passage_of_an_unchanged_text_locates_exactly(data):
    text = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 3
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert locate(text, start, end, make_anchor(text, start, end)) == Located(start, end, "exact")
