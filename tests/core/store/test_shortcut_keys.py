"""The reader's keys 1-9 through a codebook's life: added, moved, renamed, deleted,
merged, undone (a real store); the expected keys are written out by hand."""

from __future__ import annotations

from speechreader.core.store import Store, shifted_keys, shortcut_keys


def keys(store: Store) -> dict[str, int]:
    return shortcut_keys(store.tags())


def make(store: Store, *names: str) -> None:
    for name in names:
        store.add_tag(name)


def test_keys_follow_the_order_tags_were_created(store):
    make(store, "经济", "组织", "民生")
    assert keys(store) == {"经济": 1, "组织": 2, "民生": 3}


def test_only_the_first_nine_have_keys(store):
    make(store, *(f"t{i:02}" for i in range(1, 12)))
    assert keys(store) == {f"t{i:02}": i for i in range(1, 10)}


def test_moving_or_renaming_a_tag_keeps_every_key(store):
    make(store, "经济", "组织", "民生")
    store.update_tag("民生", parent="经济")
    store.update_tag("组织", new_name="党组织")
    assert keys(store) == {"经济": 1, "党组织": 2, "民生": 3}


def test_deleting_a_tag_moves_the_later_keys_down_and_undo_puts_them_back(store):
    make(store, "经济", "组织", "民生", "改革")
    assert shifted_keys(store.tags(), "组织") == [("民生", 3, 2), ("改革", 4, 3)]
    store.delete_tag("组织")
    assert keys(store) == {"经济": 1, "民生": 2, "改革": 3}
    store.undo()
    assert keys(store) == {"经济": 1, "组织": 2, "民生": 3, "改革": 4}


def test_merging_away_shifts_like_a_deletion(store):
    make(store, "经济", "组织", "民生")
    store.merge_tags("经济", "民生")
    assert keys(store) == {"组织": 1, "民生": 2}


def test_a_tenth_tag_gains_key_9_when_one_before_it_goes(store):
    make(store, *(f"t{i:02}" for i in range(1, 11)))
    shifted = shifted_keys(store.tags(), "t09")
    assert shifted == [("t10", None, 9)]
    assert shifted_keys(store.tags(), "t10") == []  # no key moves
