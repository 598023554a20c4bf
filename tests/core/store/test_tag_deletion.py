"""Deleting a tag from the codebook never leaves annotations that mark nothing.

An annotation whose only mark was the deleted tag (no other tag, no highlight, no
memo) would export as a row with an empty tag; deleting the tag deletes it too, in
the same transaction and undo step, and says how many.
"""

from __future__ import annotations

import pytest

from speechreader.core.errors import UnknownTag
from speechreader.core.store import Store

DOC = "2019-06-27_lu-xinshe_guangxi"
QUOTES = ["筑牢信仰之基、补足精神之钙", "把稳思想之舵", "广西", "学习"]


@pytest.fixture
def text(sample_texts) -> str:
    return sample_texts[DOC]


def add(store: Store, text: str, quote: str, **fields):
    start = text.index(quote)
    return store.add(DOC, start, start + len(quote), text=text, doc_hash="sha:1", **fields)


@pytest.fixture
def coded(tmp_path, text):
    """Two coders; tag "a" alone on amy's first passage, with something else on the rest."""
    db = tmp_path / "study.srdb"
    with Store(db, coder="amy") as amy, Store(db, coder="bo") as bo:
        only = add(amy, text, QUOTES[0], tags=["a"])
        with_memo = add(bo, text, QUOTES[1], tags=["a"], note="why")
        with_highlight = add(bo, text, QUOTES[2], tags=["a"], highlight="green")
        with_other = add(amy, text, QUOTES[3], tags=["a", "b"])
        bare_only = add(bo, text, QUOTES[0], tags=["a"])
        yield (
            db,
            {
                "only": only,
                "with_memo": with_memo,
                "with_highlight": with_highlight,
                "with_other": with_other,
                "bare_only": bare_only,
            },
        )


def test_deleting_a_tag_deletes_the_annotations_it_leaves_with_nothing(coded):
    db, anns = coded
    with Store(db, coder="amy") as amy:
        result = amy.delete_tag("a")
        left = {a.id: a for a in amy.for_document(DOC)}
    assert anns["only"].id not in left and anns["bare_only"].id not in left
    assert left[anns["with_memo"].id].tags == [] and left[anns["with_memo"].id].note == "why"
    assert left[anns["with_highlight"].id].highlight == "green"
    assert left[anns["with_other"].id].tags == ["b"]
    assert all(a.tags or a.note or a.highlight for a in left.values())
    # by hand: five passages carry "a"; "only" and "bare_only" had nothing else
    assert (result.tag, result.passages, result.deleted) == ("a", 5, 2)


def test_one_undo_step_brings_back_the_tag_and_every_annotation_exactly(coded):
    db, _ = coded
    with Store(db, coder="amy") as amy:
        before = amy.for_document(DOC)
        amy.delete_tag("a")
        change = amy.undo()
        assert change.label == "delete tag a (from 5 passages; 2 annotations deleted)"
        assert amy.for_document(DOC) == before
        assert "a" in amy.tag_counts()
        assert amy.redo().label == "delete tag a (from 5 passages; 2 annotations deleted)"
        assert len(amy.for_document(DOC)) == 3


def test_the_preview_says_the_same_and_changes_nothing(coded):
    db, _ = coded
    with Store(db, coder="bo") as bo:
        before, steps = bo.for_document(DOC), bo.history.labels()
        preview = bo.tag_deletion("a")
        assert (preview.passages, preview.deleted) == (5, 2)
        assert bo.for_document(DOC) == before and bo.history.labels() == steps
        assert bo.tag_deletion("b").deleted == 0  # "b" sits beside "a"
        with pytest.raises(UnknownTag, match=r"^no tag 'nope' in the codebook$"):
            bo.tag_deletion("nope")
        result = bo.delete_tag("a")
        assert (result.passages, result.deleted) == (preview.passages, preview.deleted)


def test_an_annotation_that_was_empty_before_is_not_the_deletions_business(tmp_path, text):
    """Only what the deletion empties goes: an older bare annotation (made by hand or an
    old version) is left for the coder, not swept up by an unrelated codebook edit."""
    with Store(tmp_path / "db", coder="amy") as amy:
        bare = add(amy, text, QUOTES[1])
        add(amy, text, QUOTES[0], tags=["a"])
        assert amy.delete_tag("a").deleted == 1
        assert [a.id for a in amy.for_document(DOC)] == [bare.id]


def test_merging_never_leaves_an_annotation_empty(coded):
    """A merge renames the tag: a passage that had only the source gets the target."""
    db, anns = coded
    with Store(db, coder="amy") as amy:
        assert amy.merge_tags("a", "b") == 5
        left = {a.id: a for a in amy.for_document(DOC)}
    assert len(left) == 5
    assert left[anns["only"].id].tags == ["b"] and left[anns["with_other"].id].tags == ["b"]
