"""The units and the coding rule, on hand-made spans and on a real speech."""

from __future__ import annotations

import pytest

from speechreader.core.errors import InvalidInput
from speechreader.core.reliability import UnitIndex, applies, unit_spans

TEXT = "我们要坚持以经济建设为中心。要加强党的建设。\n要维护社会稳定!"


def test_units_are_the_core_sentences_paragraphs_and_characters():
    assert unit_spans(TEXT, "sentence") == [(0, 14), (14, 22), (23, 31)]
    assert unit_spans(TEXT, "paragraph") == [(0, 22), (23, 31)]
    chars = unit_spans("a b\nc", "character")
    assert chars == [(0, 1), (2, 3), (4, 5)]  # whitespace is not a unit
    with pytest.raises(InvalidInput, match="sentence, paragraph, character"):
        unit_spans(TEXT, "word")


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        ((0, 14), [0]),  # exactly the first sentence
        ((0, 16), [0]),  # spills 2 of 8 characters into the next: not coded there
        ((0, 18), [0, 1]),  # covers half of the next (4 of 8): coded there too
        ((3, 5), [0]),  # a short phrase wholly inside a long sentence
        ((10, 17), []),  # 4 of 14 and 3 of 8: under half of each, inside neither
        ((13, 15), []),  # one character of each sentence
    ],
)
def test_the_coding_rule(passage, expected):
    units = UnitIndex(unit_spans(TEXT, "sentence"))
    assert units.applied(*passage) == expected


def test_a_passage_inside_a_unit_applies_whatever_its_share():
    assert applies((0, 100), 40, 41)
    assert not applies((0, 100), 99, 101)  # 1 of 100 and not inside
    assert applies((0, 4), 0, 2)  # exactly half
    assert not applies((0, 5), 3, 6)  # 2 of 5, not inside
    assert not applies((0, 4), 4, 6)  # touching is not overlapping
