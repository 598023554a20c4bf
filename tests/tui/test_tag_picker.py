"""The tag picker (t) across scripts and typed ahead, and the digit keys in the command
palette; each test checks what the store holds afterwards (real OpenCC, pypinyin)."""

from __future__ import annotations

from textual.widgets import Input, OptionList

from speechreader.core.store import Store
from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.dialogs.tag_picker import TagPicker
from tests.tui.conftest import XICHANG, open_doc, stored, type_ahead, wait_until

TITLE = (0, 39)  # the first sentence of the Xichang speech, selected by s at the start


def codebook(db_path, *names: str) -> None:
    with Store(db_path, coder="tester") as store:
        for name in names:
            store.add_tag(name)


async def open_picker(pilot) -> TagPicker:
    await pilot.press("s", "t")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, TagPicker), "the picker")
    return pilot.app.screen


def listed(picker: TagPicker) -> list[str]:
    return [str(option.id) for option in picker.query_one(OptionList).options]


def coded(db_path) -> list[tuple[int, int, list[str]]]:
    return [(a.start, a.end, a.tags) for a in stored(db_path, XICHANG)[0]]


async def test_the_other_script_finds_the_tag_and_enter_applies_it(make_app, db_path):
    codebook(db_path, "经济", "组织", "民生")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        picker = await open_picker(pilot)
        await pilot.press("組")
        assert listed(picker)[0] == "组织"
        await pilot.press("織")
        # 組織 is 组织 in the other script: found first; creating it is offered last,
        # saying what it would nearly repeat
        options = picker.query_one(OptionList).options
        assert str(options[0].id) == "组织"
        assert "only the script differs from “组织”" in str(options[-1].prompt)
        await pilot.press("enter")
        await wait_until(pilot, lambda: coded(db_path), "the tag applied")
    assert coded(db_path) == [(*TITLE, ["组织"])]
    assert stored(db_path)[1] == ["经济", "组织", "民生"]  # no 組織 beside it


async def test_pinyin_initials_find_the_tag(make_app, db_path):
    codebook(db_path, "经济", "组织", "民生")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        picker = await open_picker(pilot)
        await pilot.press(*"ms")
        assert listed(picker)[0] == "民生"
        await pilot.press("enter")
        await wait_until(pilot, lambda: coded(db_path), "the tag applied")
    assert coded(db_path) == [(*TITLE, ["民生"])]


async def test_creating_a_near_duplicate_asks_first(make_app, db_path):
    codebook(db_path, "组织")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        picker = await open_picker(pilot)
        await pilot.press(*"組織", "down", "enter")  # the "+ Create" line
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, Confirm), "the question")
        detail = str(pilot.app.screen.query_one(".dialog-detail").render())
        assert "“组织”" in detail and "only in script" in detail
        await pilot.press("n")  # back to the picker, the name kept
        await wait_until(pilot, lambda: pilot.app.screen is picker, "back in the picker")
        assert picker.query_one(Input).value == "組織"
        assert coded(db_path) == []
        await pilot.press("down", "enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, Confirm), "asked again")
        await pilot.press("y")
        await wait_until(pilot, lambda: coded(db_path), "the new tag applied")
    assert coded(db_path) == [(*TITLE, ["組織"])]
    assert stored(db_path)[1] == ["组织", "組織"]


async def test_keys_typed_ahead_never_reach_the_filter_after_enter(make_app, db_path):
    codebook(db_path, "经济", "组织")
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await open_picker(pilot)
        # typed in one go: the filter, Enter, and on (w: the next word in the reader)
        type_ahead(pilot.app, *"组织", "enter", *"ww")
        await wait_until(pilot, lambda: coded(db_path), "the tag applied")
        await wait_until(pilot, lambda: pilot.app.screen is reader, "the picker closed")
    assert coded(db_path) == [(*TITLE, ["组织"])]
    assert stored(db_path)[1] == ["经济", "组织"]  # no 组织ww created


async def test_the_palette_names_the_tag_of_each_digit_key(make_app, db_path):
    codebook(db_path, "经济", "组织", "民生")
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)

        def titles() -> list[str]:
            found = [c.title for c in pilot.app.get_system_commands(reader)]
            return [t for t in found if t.startswith("Apply tag")]

        # only the keys that have a tag (the others would apply nothing)
        assert titles() == ["Apply tag 1: 经济", "Apply tag 2: 组织", "Apply tag 3: 民生"]
        # the keys follow codebook order: deleting 经济 moves the others down by one,
        # and the palette (read afresh) says so; moving one keeps every key
        with Store(db_path, coder="tester") as store:
            store.delete_tag("经济")
            store.update_tag("民生", parent="组织")
        assert titles() == ["Apply tag 1: 组织", "Apply tag 2: 民生"]
        await pilot.press("s", "1")
        await wait_until(pilot, lambda: coded(db_path), "key 1 applied")
    assert coded(db_path) == [(*TITLE, ["组织"])]


async def test_the_picker_shows_each_tag_s_key(make_app, db_path):
    codebook(db_path, "经济", "组织", "民生")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        picker = await open_picker(pilot)
        await pilot.press(*"ms")  # 民生 alone: still shown with its own key, 3
        prompt = str(picker.query_one(OptionList).options[0].prompt)
        assert prompt.split()[0] == "3" and "民生" in prompt
