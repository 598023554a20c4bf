"""Retrieval by code: any or all of several tags, child tags, documents, a line of context."""

from __future__ import annotations

import pytest

from speechreader.core.analysis import load_coding, retrieve
from speechreader.core.errors import InvalidInput
from tests.analysis_helpers import S


@pytest.fixture
def coding(built):
    built.store.add_tag("P")
    built.store.add_tag("K", parent="P")
    built.store.add_tag("Q")
    built.code_many(
        ("a", 21, 25, ["P"]),  # second line of a: context stops at the line break
        ("a", 12, 18, ["K", "Q"]),
        ("b", 0, 10, ["Q"], "bob"),
        ("c", 3, 6, []),  # a highlight without a tag
    )
    return load_coding(built.corpus, built.store)


def _spans(rows):
    return [(r.doc_id, r.start, r.end) for r in rows]


def test_any_all_and_child_tags(coding):
    assert _spans(retrieve(coding, ["P"])) == [("a", 21, 25)]
    assert _spans(retrieve(coding, ["P"], children=True)) == [("a", 12, 18), ("a", 21, 25)]
    assert _spans(retrieve(coding, ["K", "Q"], match="all")) == [("a", 12, 18)]
    assert _spans(retrieve(coding, ["P", "Q"], match="any")) == [
        ("a", 12, 18), ("a", 21, 25), ("b", 0, 10),
    ]  # fmt: skip
    assert _spans(retrieve(coding)) == [("a", 12, 18), ("a", 21, 25), ("b", 0, 10)]  # tagged ones
    assert _spans(retrieve(coding, ["Q"], doc_ids={"b"})) == [("b", 0, 10)]
    with pytest.raises(InvalidInput, match=r"^unknown match 'most': use any or all$"):
        retrieve(coding, ["Q"], match="most")


def test_rows_carry_the_passage_and_a_line_of_context(coding):
    row = retrieve(coding, ["P"])[0]
    assert row.passage == S[:4]
    assert row.left == ""  # the line starts right before it
    assert row.right == S[4:] + S  # up to the end of the line
    row = retrieve(coding, ["K"])[0]
    assert (row.left, row.passage, row.right) == (S + S[:2], S[2:8], S[8:])
    assert row.tags == ["K", "Q"] and row.coder == "amy"
    assert set(row.to_json()) >= {
        "annotation_id", "doc_id", "start", "end", "tags", "coder", "passage", "left", "right",
    }  # fmt: skip
