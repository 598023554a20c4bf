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
    lost = ProblemSpan("lost_characters", 5, 6, "?")
    line = problems.explain(lost, 1, 2)
    # the flag and the place are the screen's; the rest is the core's wording
    assert line.plain == "! L 1/2 " + lost.explanation
    assert "\n" not in line.plain
    wrong = problems.explain(ProblemSpan("phrase_overconversion", 0, 3, "巨集觀", "宏觀"), 2, 9)
    assert wrong.plain == "! O 2/9 巨集觀: should be 宏觀 (over-converted phrase)"
    gloss = problems.explain(ProblemSpan("pinyin_gloss", 0, 5, "區(qū)"), 1, 1)
    assert gloss.plain.endswith(" (z: the clean view)")  # the key is the screen's addition
    markup = problems.explain(ProblemSpan("mojibake", 0, 4, "[/]\x1b"), 3, 4)
    assert "[/]␛" in markup.plain  # shown as written, ESC as its picture
