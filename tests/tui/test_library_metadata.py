"""e in the library: a document's title, date, speaker, place edited into metadata.csv."""

from __future__ import annotations

from textual.widgets import Input, Label

from speechreader.tui.dialogs.metadata_editor import MetadataEditor
from tests.tui.conftest import XICHANG, wait_for_library, wait_until
from tests.tui.test_library_typing import type_fast

TITLE = "敢于担当 主动作为 当好西昌科学发展的“排头兵”——在西郊片区工作汇报会上的讲话"


async def _editor(pilot, library) -> MetadataEditor:
    library.table.move_to(XICHANG)
    await pilot.press("e")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, MetadataEditor), "the editor")
    return pilot.app.screen


async def test_editing_a_title_and_place_saves_to_metadata_csv_and_shows_at_once(
    make_app, sample_corpus
):
    speech = (sample_corpus / f"{XICHANG}.txt").read_bytes()
    before = (sample_corpus / "metadata.csv").read_bytes()
    async with make_app().run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        title = editor.query_one("#meta-title", Input)
        assert title.value == TITLE
        assert editor.query_one("#meta-speaker", Input).value == "李俊"
        title.value = "西昌, 排头兵"
        editor.query_one("#meta-place", Input).value = "四川 西昌"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: pilot.app.screen is library, "the library again")
        row = library.table.get_row(XICHANG)
        assert row[0] == "西昌, 排头兵" and row[3] == "四川 西昌"
    text = (sample_corpus / "metadata.csv").read_text(encoding="utf-8")
    assert f'{XICHANG}.txt,"西昌, 排头兵",2018-06-07,李俊,中共西昌市委书记,四川 西昌,' in text
    assert (sample_corpus / "metadata.csv.bak").read_bytes() == before
    assert (sample_corpus / f"{XICHANG}.txt").read_bytes() == speech


async def test_enter_walks_the_fields_and_saves_on_the_last(make_app, sample_corpus):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        await pilot.press("enter")  # title -> date
        assert editor.query_one("#meta-date", Input).has_focus
        editor.query_one("#meta-date", Input).value = "2018-06-08"
        await pilot.press("enter", "enter", "enter")  # date -> speaker -> place -> saved
        await wait_until(pilot, lambda: pilot.app.screen is library, "the library again")
        assert library.table.get_row(XICHANG)[1] == "2018-06-08"
    assert ",2018-06-08," in (sample_corpus / "metadata.csv").read_text(encoding="utf-8")


async def test_escape_writes_nothing(make_app, sample_corpus):
    before = (sample_corpus / "metadata.csv").read_bytes()
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        editor.query_one("#meta-title", Input).value = "不要"
        await pilot.press("escape")
        await wait_until(pilot, lambda: pilot.app.screen is library, "the library again")
        assert library.table.get_row(XICHANG)[0] == TITLE
    assert (sample_corpus / "metadata.csv").read_bytes() == before
    assert not (sample_corpus / "metadata.csv.bak").exists()


async def test_a_change_made_elsewhere_is_not_overwritten(make_app, sample_corpus):
    path = sample_corpus / "metadata.csv"
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        elsewhere = path.read_bytes().replace("李俊".encode(), "李 俊".encode())
        path.write_bytes(elsewhere)  # Excel saved it meanwhile
        editor.query_one("#meta-title", Input).value = "我的标题"
        await pilot.press("ctrl+s")
        error = editor.query_one("#meta-error", Label)
        await wait_until(pilot, lambda: "changed elsewhere" in str(error.render()), "the error")
        assert path.read_bytes() == elsewhere  # nothing written
        assert pilot.app.screen is editor  # what was typed is still there
        assert library.table.get_row(XICHANG)[2] == "李 俊"  # the library read it again
        await pilot.press("ctrl+s")  # saved knowingly over the file as it is now
        await wait_until(pilot, lambda: pilot.app.screen is library, "the library again")
        assert library.table.get_row(XICHANG)[0] == "我的标题"
    text = path.read_text(encoding="utf-8")
    assert "我的标题" in text and "李 俊" in text


async def test_keys_typed_right_after_e_go_into_the_title_after_its_text(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        library.table.move_to(XICHANG)
        type_fast(pilot, "e新")  # no pause: the editor is not up when 新 arrives
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MetadataEditor), "editor")
        editor = pilot.app.screen
        title = editor.query_one("#meta-title", Input)
        await wait_until(pilot, lambda: title.value == TITLE + "新", "新 after the title")
        assert library.query_one("#filter", Input).value == ""  # not the library's filter
        await pilot.press("a")  # the field is not all selected: a key adds, never replaces
        assert title.value == TITLE + "新a"


async def test_a_title_typed_and_saved_at_once_is_saved_whole(make_app, sample_corpus):
    """ctrl+s straight after typing saves every character typed before it, none after."""
    from textual import events

    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        title = editor.query_one("#meta-title", Input)
        title.value = ""
        await wait_until(pilot, lambda: title.has_focus, "the title field focused")
        type_fast(pilot, "西昌讲话")
        pilot.app.post_message(events.Key("ctrl+s", None))
        type_fast(pilot, "晚")  # after ctrl+s: belongs to no field
        await wait_until(pilot, lambda: pilot.app.screen is not editor, "the editor closed")
        await wait_until(pilot, lambda: library.table.get_row(XICHANG)[0] == "西昌讲话", "row")
    text = (sample_corpus / "metadata.csv").read_text(encoding="utf-8")
    assert f"{XICHANG}.txt,西昌讲话,2018-06-07," in text


async def test_keys_typed_after_enter_go_into_the_next_field(make_app, sample_corpus):
    from textual import events

    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        date = editor.query_one("#meta-date", Input)
        date.value = ""
        await wait_until(pilot, lambda: editor.query_one("#meta-title", Input).has_focus, "focus")
        pilot.app.post_message(events.Key("enter", "\r"))
        type_fast(pilot, "2018-06-09")
        await wait_until(
            pilot,
            lambda: date.value == "2018-06-09",
            lambda: f"date {date.value!r}, title {editor.query_one('#meta-title', Input).value!r}",
        )
        assert editor.query_one("#meta-title", Input).value == TITLE


async def test_ctrl_u_typed_right_after_e_clears_the_title_before_the_new_one(make_app):
    from textual import events

    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        library.table.move_to(XICHANG)
        type_fast(pilot, "e")
        pilot.app.post_message(events.Key("ctrl+u", None))  # before the editor is up
        type_fast(pilot, "西昌讲话")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, MetadataEditor), "editor")
        title = pilot.app.screen.query_one("#meta-title", Input)
        await wait_until(pilot, lambda: title.value == "西昌讲话", lambda: repr(title.value))


async def test_ctrl_u_and_a_new_title_typed_at_once_in_the_open_editor(make_app):
    from textual import events

    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        title = editor.query_one("#meta-title", Input)
        await wait_until(pilot, lambda: title.has_focus, "the title focused")
        pilot.app.post_message(events.Key("ctrl+u", None))  # the clear, then the text
        type_fast(pilot, "西昌讲话")
        await wait_until(pilot, lambda: title.value == "西昌讲话", lambda: repr(title.value))


async def test_a_character_sent_to_the_dialog_before_a_field_had_the_focus_is_kept(make_app):
    """Keys typed right after ``e`` can reach the dialog itself while it is still without a
    focused field, and be read after the field took the focus (the tmux e2e lost the 西
    of 西昌讲话 so): they go into the focused field, in order."""
    from textual import events

    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        editor = await _editor(pilot, library)
        title = editor.query_one("#meta-title", Input)
        await wait_until(pilot, lambda: title.has_focus, "the title field focused")
        title.value = ""
        for char in "西昌":
            editor.post_message(events.Key(char, char))  # to the dialog, not to its field
        type_fast(pilot, "讲话")
        await wait_until(pilot, lambda: title.value == "西昌讲话", lambda: repr(title.value))
