"""Co-occurrence on the hand-built corpus: pair counts and Jaccard indexes counted by hand.

Document a is two paragraphs of two sentences: s0 0..10, s1 10..20, newline, s2
21..31, s3 31..41. Document b is two paragraphs of four: s0 0..10 … and 41..81.
"""

from __future__ import annotations

import pytest

from speechreader.core.analysis import (
    WordTable,
    cached_units,
    cooccurrence,
    cooccurring,
    load_coding,
)
from speechreader.core.analysis._cooccurrence import _unit_range
from speechreader.core.errors import InvalidInput


@pytest.fixture
def coding(built):
    for tag in ("A", "B", "C"):
        built.store.add_tag(tag)
    built.code_many(
        ("a", 0, 10, ["A"]),  # p1: s0
        ("a", 5, 15, ["B"]),  # p2: s0-s1, overlaps p1 on 5..10
        ("a", 12, 18, ["A", "C"]),  # p3: s1, overlaps p2 on 12..15
        ("a", 21, 25, ["B"]),  # p4: s2, second paragraph
        ("b", 0, 5, ["A"]),  # p5: b's s0
        ("b", 6, 9, ["B"]),  # p6: b's s0 too, no overlap with p5
        ("b", 45, 50, ["C"]),  # p7: b's second paragraph
        ("c", 0, 10, ["A"]),  # p8: alone
    )
    return load_coding(built.corpus, built.store)


def _table(rows):
    return {(r.tag_a, r.tag_b): (r.count, r.jaccard) for r in rows}


def test_overlapping_passages(coding):
    # pairs: p1-p2 (A,B), p2-p3 (B,A) and (B,C), p3 with itself (A,C)
    # characters: A = a 0..10 ∪ 12..18 (16) + b 5 + c 10 = 31; B = a 10 + 4, b 3 = 17;
    # C = a 6 + b 5 = 11; A∩B = 5..10 + 12..15 = 8; A∩C = 6; B∩C = 12..15 = 3
    assert _table(cooccurrence(coding, "overlap")) == {
        ("A", "B"): (2, pytest.approx(8 / (31 + 17 - 8))),
        ("A", "C"): (1, pytest.approx(6 / (31 + 11 - 6))),
        ("B", "C"): (1, pytest.approx(3 / (17 + 11 - 3))),
    }


def test_passages_sharing_a_sentence(coding):
    # a: p1-p2 share s0, p2-p3 share s1, p3 itself; b: p5-p6 share s0
    # sentences: A = a s0 s1, b s0, c s0 (4); B = a s0 s1 s2, b s0 (4); C = a s1, b s4 (2)
    rows = cooccurrence(coding, "sentence")
    assert _table(rows) == {
        ("A", "B"): (3, pytest.approx(3 / (4 + 4 - 3))),
        ("A", "C"): (1, pytest.approx(1 / (4 + 2 - 1))),
        ("B", "C"): (1, pytest.approx(1 / (4 + 2 - 1))),
    }
    assert [(r.shared, r.units_a, r.units_b) for r in rows] == [(3, 4, 4), (1, 4, 2), (1, 4, 2)]


def test_passages_sharing_a_paragraph(coding):
    # a's first paragraph holds p1 p2 p3: (A,B) p1-p2, p3-p2; (A,C) p1-p3, p3 itself; (B,C) p2-p3
    # b's first holds p5 p6: (A,B). Paragraphs: A 3, B 3, C 2; A∩B 2, A∩C 1, B∩C 1
    assert _table(cooccurrence(coding, "paragraph")) == {
        ("A", "B"): (3, pytest.approx(2 / (3 + 3 - 2))),
        ("A", "C"): (2, pytest.approx(1 / (3 + 2 - 1))),
        ("B", "C"): (1, pytest.approx(1 / (3 + 2 - 1))),
    }


def test_passages_in_one_document_pair_each_with_each(coding):
    # a: two A, two B, one C (p3, also A) -> AB 4, AC 2, BC 2; b: one of each -> 1, 1, 1
    # documents: A a b c, B a b, C a b
    assert _table(cooccurrence(coding, "document")) == {
        ("A", "B"): (5, pytest.approx(2 / 3)),
        ("A", "C"): (3, pytest.approx(2 / 3)),
        ("B", "C"): (3, pytest.approx(1.0)),
    }


def test_units_from_the_word_table_give_the_same_answer(coding):
    table = WordTable.open(coding.corpus)
    for within in ("sentence", "paragraph"):
        assert cooccurrence(coding, within, units=cached_units(coding, table)) == cooccurrence(
            coding, within
        )


def test_a_passage_between_two_units_belongs_to_the_next():
    starts, ends = [0, 10, 21], [10, 20, 31]
    assert _unit_range(starts, ends, 20, 21) == (2, 3)  # the newline before s2
    assert _unit_range(starts, ends, 31, 33) == (2, 3)  # after the last: the last
    assert _unit_range(starts, ends, 5, 22) == (0, 3)
    assert _unit_range([], [], 0, 3) == (0, 1)  # a document without units is one unit


def test_children_and_tag_choice(built):
    built.store.add_tag("P")
    built.store.add_tag("K", parent="P")
    built.store.add_tag("Q")
    built.code_many(("a", 0, 10, ["K"]), ("a", 5, 15, ["Q"]))
    coding = load_coding(built.corpus, built.store)
    assert _table(cooccurrence(coding, "overlap", ["P", "Q"])) == {("P", "Q"): (0, 0.0)}
    assert _table(cooccurrence(coding, "overlap", ["P", "Q"], children=True)) == {
        ("P", "Q"): (1, pytest.approx(5 / 15))
    }
    with pytest.raises(InvalidInput, match="unknown unit"):
        cooccurrence(coding, "chapter")


def test_the_passages_behind_a_pair(coding):
    def spans(rows):
        return [(a.doc_id, a.start, a.end) for a in rows]

    # overlap (A, B): p1-p2 and p3-p2
    assert spans(cooccurring(coding, "A", "B")) == [("a", 0, 10), ("a", 5, 15), ("a", 12, 18)]
    # (A, C): only p3, coded both
    assert spans(cooccurring(coding, "A", "C")) == [("a", 12, 18)]
    # sentence (A, B): p1 p2 p3 in a, p5 p6 in b
    assert spans(cooccurring(coding, "A", "B", "sentence")) == [
        ("a", 0, 10), ("a", 5, 15), ("a", 12, 18), ("b", 0, 5), ("b", 6, 9),
    ]  # fmt: skip
