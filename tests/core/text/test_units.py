"""Paragraphs, sentences and the movements between them and between words."""

from __future__ import annotations

import pytest

from speechreader.core.text import _units as u
from speechreader.core.text import word_boundaries


def _texts(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[a:b] for a, b in spans]


def test_paragraphs_are_non_blank_lines_without_surrounding_whitespace():
    text = "  第一段。\n\n\u3000\u3000第二段,有缩进。  \n   \n最后"
    assert u.paragraph_spans(text) == [(2, 6), (10, 18), (25, 27)]
    assert _texts(text, u.paragraph_spans(text)) == ["第一段。", "第二段,有缩进。", "最后"]


def test_sentences_end_after_enders_and_the_closers_that_follow():
    text = "他说:“要坚持!”大家同意。真的吗?是的;好……然后呢\n第二段没有句号"
    assert _texts(text, u.sentence_spans(text)) == [
        "他说:“要坚持!”",
        "大家同意。",
        "真的吗?",
        "是的;",
        "好……",
        "然后呢",
        "第二段没有句号",
    ]


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("真的？！好", ["真的？！", "好"]),
        ("（全文完。）下一句", ["（全文完。）", "下一句"]),
        ("他说：「好！」』】。 下一句", ["他说：「好！」』】。", "下一句"]),
        (
            "增长10.4%,完成任务。",
            ["增长10.4%,完成任务。"],
        ),  # the ASCII full stop is a decimal point
        ("其一；其二;其三…其四", ["其一；", "其二;", "其三…", "其四"]),
        ("   \n\n", []),
    ],
)
def test_sentence_examples(text, sentences):
    assert _texts(text, u.sentence_spans(text)) == sentences


def test_sentences_of_a_real_paragraph_with_ascii_question_mark(sample_texts):
    text = sample_texts["2024-01-05_wang-ning_yunnan"]
    paragraph = u.paragraph_spans(text)[2]
    assert paragraph == (216, 312)
    inside = [s for s in u.sentence_spans(text) if paragraph[0] <= s[0] < paragraph[1]]
    assert inside == [(216, 229), (229, 254), (254, 312)]
    assert _texts(text, inside)[:2] == [
        "半年過去,落實得怎么樣,?",
        "2023年的工作要復盤,,2024年的工作要部署。",
    ]


def test_every_sentence_lies_inside_one_paragraph(sample_texts):
    for text in sample_texts.values():
        paragraphs = u.paragraph_spans(text)
        for start, end in u.sentence_spans(text):
            p = u.span_at(paragraphs, start)
            assert p[0] <= start < end <= p[1]
            assert not text[start].isspace() and not text[end - 1].isspace()


def test_span_at_prefers_containing_then_next_then_previous():
    spans = [(0, 5), (7, 10)]
    assert u.span_at(spans, 2) == (0, 5)
    assert u.span_at(spans, 5) == (7, 10)
    assert u.span_at(spans, 12) == (7, 10)
    assert u.span_at([], 0) is None


def test_sentence_and_paragraph_movement_like_vim():
    spans = [(0, 5), (7, 10), (12, 20)]
    assert [u.next_span_start(spans, p) for p in (0, 6, 7, 11, 12, 19)] == [7, 7, 12, 12, 12, 19]
    assert [u.prev_span_start(spans, p) for p in (8, 7, 6, 0, 13, 25)] == [7, 0, 0, 0, 12, 12]
    assert u.next_span_start(spans, 12, 22) == 22  # past the last one: to the end, as in vim
    assert u.next_span_start([], 3, 9) == 9


SENTENCE = "我们要坚持以人民为中心的发展思想,  推动高质量发展。"


def test_w_moves_to_each_word_start_skipping_whitespace():
    bounds = word_boundaries(SENTENCE)
    seen, pos = [0], 0
    while (nxt := u.next_word_start(SENTENCE, bounds, pos)) != pos:
        seen.append(nxt)
        pos = nxt
    assert seen == [0, 2, 3, 5, 11, 12, 14, 16, 19, 21, 26]
    assert SENTENCE[16] == "," and SENTENCE[19:21] == "推动"  # punctuation stops, spaces do not


def test_b_moves_back_to_each_word_start():
    bounds = word_boundaries(SENTENCE)
    seen, pos = [len(SENTENCE)], len(SENTENCE)
    while (prv := u.prev_word_start(SENTENCE, bounds, pos)) != pos:
        seen.append(prv)
        pos = prv
    assert seen == [27, 26, 21, 19, 16, 14, 12, 11, 5, 3, 2, 0]


def test_b_inside_a_word_goes_to_its_start():
    bounds = word_boundaries(SENTENCE)
    assert u.prev_word_start(SENTENCE, bounds, 8) == 5  # inside 以人民为中心
    assert u.next_word_start(SENTENCE, bounds, 8) == 11
    assert u.prev_word_start(SENTENCE, bounds, 18) == 16  # on a space: back to ","


def test_without_boundaries_words_are_characters():
    text = "好 ,新"
    assert u.next_word_start(text, None, 0) == 2
    assert u.next_word_start(text, None, 2) == 3
    assert u.next_word_start(text, None, 3) == 3
    assert u.prev_word_start(text, None, 2) == 0
