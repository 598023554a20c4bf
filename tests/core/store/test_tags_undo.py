"""The store's codebook and undo/redo, on a real TinyDB-backed database folder."""

from __future__ import annotations

import pytest

from speechreader.core.errors import InvalidInput, UnknownTag
from speechreader.core.store import Store
from tests.core.store.conftest import DOC, add_quote

#: The colours the first three new tags get, in order: red, green, blue (written here).
RED, GREEN, BLUE = "#e6194b", "#3cb44b", "#4363d8"

# --- codebook ------------------------------------------------------------------------


def test_new_tags_take_unused_palette_colours_in_creation_order(store):
    store.add_tag("经济")
    store.add_tag("党建", colour=GREEN, description="party building")
    store.add_tag("民生")
    assert [(t.name, t.colour) for t in store.tags()] == [
        ("经济", RED),
        ("党建", GREEN),
        ("民生", BLUE),
    ]
    assert store.get_tag("党建").description == "party building"


def test_adding_an_existing_tag_is_invalid_and_unknown_tags_suggest_close_names(store):
    store.add_tag("economy")
    with pytest.raises(InvalidInput, match="already exists"):
        store.add_tag("economy")
    with pytest.raises(UnknownTag, match="did you mean economy"):
        store.get_tag("econmy")


def test_ensure_tags_adds_only_the_missing_ones_in_order(store):
    store.add_tag("b")
    assert [t.name for t in store.ensure_tags(["a", "b", "c"])] == ["a", "b", "c"]
    assert [t.name for t in store.tags()] == ["b", "a", "c"]


def test_renaming_a_tag_renames_it_in_every_coders_annotations_and_as_a_parent(db, text):
    with Store(db, coder="alice") as alice, Store(db, coder="bob") as bob:
        a = add_quote(alice, text, tags=["econ", "党建"])
        b = add_quote(bob, text, tags=["econ"])
        alice.add_tag("growth", parent="econ")
        tag = alice.update_tag("econ", new_name="经济", colour="#000000")
        assert (tag.name, tag.colour) == ("经济", "#000000")
        assert bob.get(a.id).tags == ["经济", "党建"]
        assert bob.get(b.id).tags == ["经济"]
        assert bob.get_tag("growth").parent == "经济"
        assert [t.name for t in bob.tags()] == ["经济", "党建", "growth"]  # keeps its place
        assert alice.history.peek("undo").label == "rename tag econ to 经济 (2 passages)"


def test_renaming_onto_an_existing_tag_is_refused(store):
    store.add_tag("a")
    store.add_tag("b")
    with pytest.raises(InvalidInput, match="merge"):
        store.update_tag("a", new_name="b")


def test_a_parent_loop_is_refused(store):
    store.add_tag("a")
    store.add_tag("b", parent="a")
    with pytest.raises(InvalidInput, match="loop"):
        store.update_tag("a", parent="b")


def test_merge_moves_annotations_without_duplicating_tags(store, text):
    one = add_quote(store, text, tags=["econ", "经济"])
    two = add_quote(store, text, quote="把稳思想之舵", tags=["econ"])
    assert store.merge_tags("econ", "经济") == 2
    assert store.get(one.id).tags == ["经济"]
    assert store.get(two.id).tags == ["经济"]
    assert [t.name for t in store.tags()] == ["经济"]


def test_delete_tag_keeps_the_annotations_and_counts_them(store, text):
    one = add_quote(store, text, tags=["a", "b"], note="keep me")
    assert store.delete_tag("a").passages == 1
    assert store.get(one.id).tags == ["b"]
    assert store.get(one.id).note == "keep me"
    assert store.tag_counts() == {"b": 1}


def test_tag_counts_list_unused_tags_with_zero(store, text):
    store.add_tag("unused")
    add_quote(store, text, tags=["党建"])
    add_quote(store, text, quote="把稳思想之舵", tags=["党建", "x"])
    assert store.tag_counts() == {"unused": 0, "党建": 2, "x": 1}


# --- undo / redo ------------------------------------------------------------------------


def test_undo_and_redo_an_add(store, text):
    ann = add_quote(store, text, tags=["党建"])
    change = store.undo()
    assert change.label == "add tag 党建 to 1 passage"
    assert store.for_document(DOC) == []
    assert store.can_redo()
    assert store.redo().label == "add tag 党建 to 1 passage"
    assert store.get(ann.id) == ann
    assert store.undo() is not None and store.undo() is None  # nothing before the add


def test_undo_restores_a_deleted_annotation_exactly(store, text):
    ann = add_quote(store, text, note="n")
    store.delete(ann.id)
    assert store.undo().label == "delete 1 passage"
    assert store.get(ann.id) == ann


def test_undo_history_survives_a_restart(db, text):
    with Store(db, coder="alice") as store:
        ann = add_quote(store, text)
        store.update(ann.id, tags=["economy"])
    with Store(db, coder="alice") as store:
        assert store.undo().label == "add tag economy to 1 passage"
        assert store.get(ann.id).tags == []
    with Store(db, coder="bob") as other:  # history is per coder
        assert not other.can_undo()


def test_a_new_change_clears_redo(store, text):
    add_quote(store, text)
    store.undo()
    add_quote(store, text, quote="把稳思想之舵")
    assert not store.can_redo()


def test_batch_makes_one_undo_step(store, text):
    with store.batch("code paragraph"):
        a = add_quote(store, text)
        store.update(a.id, note="x")
        add_quote(store, text, quote="把稳思想之舵")
    assert store.undo().label == "code paragraph"
    assert store.for_document(DOC) == []
    store.redo()
    assert [x.note for x in store.for_document(DOC)] == ["x", ""]


def test_undo_of_a_tag_rename_restores_codebook_and_annotations(store, text):
    ann = add_quote(store, text, tags=["econ"])
    store.update_tag("econ", new_name="经济")
    store.undo()
    assert store.get(ann.id).tags == ["econ"]
    assert [t.name for t in store.tags()] == ["econ"]


def test_history_keeps_a_bounded_number_of_steps(store, text):
    store.history.limit = 3
    for i in range(5):
        store.add(DOC, i, i + 1, text=text, doc_hash="h")
    assert len(store.history.labels()[0]) == 3
    assert len(list((store.path / "local/history/alice/steps").iterdir())) == 3
    assert [store.undo() is not None for _ in range(4)] == [True, True, True, False]
    assert store.counts_by_document() == {DOC: 2}
