"""Word boundaries before jieba's arrive: each character a word, ASCII letters and
digits in runs; checked against a plain loop over the characters (the old code)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from speechreader.tui.state import fallback_boundaries


def by_loop(text: str) -> list[int]:
    bounds = [0]
    for i in range(1, len(text)):
        a, b = text[i - 1], text[i]
        if not (a.isascii() and b.isascii() and a.isalnum() and b.isalnum()):
            bounds.append(i)
    if text:
        bounds.append(len(text))
    return bounds


def test_examples():
    assert fallback_boundaries("") == [0]
    assert fallback_boundaries("发展GDP 7.3%") == [0, 1, 2, 5, 6, 7, 8, 9, 10]
    assert fallback_boundaries("a\nb") == [0, 1, 2, 3]


@given(st.text(alphabet="ab Z09中文，。\n\t_-é１ａ\u3000", max_size=40))
def test_same_as_a_loop_over_the_characters(text):
    assert fallback_boundaries(text) == by_loop(text)
