"""Typing in the library: a character starts the filter; nothing typed quickly is lost."""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from tests.tui.conftest import wait_for_library, wait_until

GUO = "2011-12-06_guo-shengkun_guangxi"
LU = "2019-06-27_lu-xinshe_guangxi"
_NAMES = {"/": "slash", " ": "space"}


def type_fast(pilot, text: str) -> None:
    """Post every key at once, as a terminal delivers a fast typist's keys: no pause for
    the app to handle one (or to move the focus) before the next arrives."""
    for char in text:
        pilot.app.post_message(events.Key(_NAMES.get(char, char), char))


def _ids(library) -> list[str]:
    return library.table.row_ids()


async def test_a_character_typed_in_the_table_starts_the_filter_with_it(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        assert library.table.has_focus
        type_fast(pilot, "2011")
        await wait_until(pilot, lambda: _ids(library) == [GUO], "the filter on 2011")
        assert library.query_one(Input).value == "2011"
        assert library.query_one(Input).has_focus


async def test_chinese_typed_in_the_table_filters_in_both_scripts(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        type_fast(pilot, "广西")  # 廣西 in the Guo speech, 广西 in Lu's
        await wait_until(pilot, lambda: sorted(_ids(library)) == [GUO, LU], "the filter")
        assert library.query_one(Input).value == "广西"


async def test_keys_typed_right_after_slash_are_not_lost_even_bound_ones(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        sort_before = library.sort_column
        type_fast(pilot, "/she")  # s sorts and e edits in the table: here they are text
        await wait_until(pilot, lambda: library.query_one(Input).value == "she", "she typed")
        await wait_until(pilot, lambda: sorted(_ids(library)) == [GUO, LU], "shengkun, xinshe")
        assert library.sort_column == sort_before
        assert pilot.app.screen is library  # no editor opened by the e


async def test_bound_keys_still_act_in_the_table(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("s")
        assert library.sort_column == 2  # date -> speaker
        assert library.query_one(Input).value == ""
        await pilot.press("escape")
        type_fast(pilot, "Z")  # not bound: a filter of one letter, matching nothing here
        await wait_until(pilot, lambda: library.query_one(Input).value == "Z", "Z typed")
        await wait_until(pilot, lambda: _ids(library) == [], "nothing matches Z")
        await pilot.press("enter", "escape")  # back in the table; Esc clears the filter
        await wait_until(pilot, lambda: len(_ids(library)) == 5, "every document again")
        type_fast(pilot, "郭聲")  # once more, after the filter was cleared
        await wait_until(pilot, lambda: _ids(library) == [GUO], "the filter on 郭聲")


async def test_keys_typed_right_after_esc_leaves_the_filter_act_on_the_table(make_app):
    from speechreader.tui.dialogs.metadata_editor import MetadataEditor

    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("slash", "x")
        await wait_until(pilot, lambda: library.query_one(Input).value == "x", "typed")
        pilot.app.post_message(events.Key("escape", "\x1b"))  # Esc and e in one burst
        type_fast(pilot, "e")
        await wait_until(
            pilot, lambda: isinstance(pilot.app.screen, MetadataEditor), "the editor opened"
        )
        assert library.query_one(Input).value == ""
