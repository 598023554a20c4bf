"""How problems are told: the library's flags and words, the reader's one line."""

from __future__ import annotations

from speechreader.core.text import Problem, ProblemSpan
from speechreader.tui import problems


def test_flags_put_lost_text_before_added_noise():
    found = [Problem("pinyin_gloss", 97), Problem("mojibake", 4)]
    assert problems.badge(found, counts=True) == "M4 G97"
    assert problems.badge(found, counts=False) == "MG"
    assert problems.in_words(found) == "mojibake 4 · glosses 97"
    residue = [Problem("doubled_punctuation", 3), Problem("simplified_residue", 12)]
    assert problems.badge(residue, counts=True) == "R12 D3"
    assert problems.badge([], counts=True) == ""


def test_a_kind_not_known_here_is_told_in_its_own_words():
    assert problems.badge([Problem("broken_quotes", 2)], counts=True) == "B2"
    assert problems.in_words([Problem("broken_quotes", 2)]) == "broken quotes 2"
    assert problems.group("broken_quotes") == "wording"


def test_the_explanation_is_one_line_and_literal():
    line = problems.explain(ProblemSpan("lost_characters", 5, 6, "?"), 1, 2)
    assert line.plain.startswith("⚠ lost character ? 1/2: ")
    assert "\n" not in line.plain
    markup = problems.explain(ProblemSpan("mojibake", 0, 4, "[/]\x1b"), 3, 4)
    assert "[/]␛" in markup.plain  # shown as written, ESC as its picture
