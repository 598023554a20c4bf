"""The reader, driven with Pilot: every coding flow checks what ends up in the store."""

from __future__ import annotations

from speechreader.core.store import Store
from speechreader.tui.screens.library import COLUMNS, LibraryScreen
from speechreader.tui.widgets.pane import PaneView
from tests.tui.conftest import (
    UNDATED,
    XICHANG,
    open_doc,
    sample_text,
    stored,
    wait_for_library,
    wait_segmented,
)

FIRST_SENTENCE = (0, 39)  # the title line of the Xichang speech
THIRD_SENTENCE = (68, 78)  # 中共西昌市委书记李俊


async def test_open_shows_both_scripts_and_marks_the_original(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, UNDATED)
        state = reader.state
        assert state.texts[1] == sample_text(reader.session.corpus_root, UNDATED)
        assert state.texts[0].startswith("三级干部大会发言大纲")
        titles = [str(label.render()) for label in reader.query(".pane-title")]
        assert "original" in titles[1] and "original" not in titles[0]
        panes = reader.query(PaneView)
        assert [p.side for p in panes] == [0, 1]
        first_row = "".join(seg.text for seg in panes[0].render_line(0))
        assert first_row.startswith("三级干部大会发言大纲")


async def test_word_sentence_and_paragraph_movement(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await wait_segmented(pilot, reader)
        state = reader.state
        seen = []
        for _ in range(4):
            await pilot.press("w")
            seen.append(state.cursor)
        assert seen == [2, 5, 7, 10]  # 敢于|担当| |主动|作为| |当好 by jieba's dictionary
        await pilot.press("b")
        assert state.cursor == 7
        await pilot.press("ctrl+right")
        assert state.cursor == 10
        await pilot.press("g", "right_parenthesis", "right_parenthesis")
        assert state.cursor == THIRD_SENTENCE[0]
        await pilot.press("left_parenthesis")
        assert state.cursor == 41
        await pilot.press("right_curly_bracket", "right_curly_bracket")
        assert state.cursor == 80
        await pilot.press("G")
        assert state.cursor == len(state.text)


async def test_shift_movement_and_s_p_select(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        state = reader.state
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert state.selection == (0, 3)
        await pilot.press("escape")
        assert state.selection is None
        assert isinstance(pilot.app.screen, type(reader))  # escape cleared, did not leave
        await pilot.press("right_parenthesis", "right_parenthesis", "s")
        assert state.selection == THIRD_SENTENCE
        await pilot.press("right_curly_bracket", "p")
        assert state.selection == (80, 309)
        await pilot.press("escape", "v", "right", "right", "down")
        assert state.selection is not None and state.selection[0] == 309


async def test_tag_picker_creates_a_tag_and_codes_the_sentence(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("right_parenthesis", "right_parenthesis", "s", "t")
        await pilot.press(*"领导")
        await pilot.press("enter")
        await pilot.pause()
        assert reader.state.selection is None  # used up by the tag
    items, tags = stored(db_path, XICHANG)
    assert [(a.start, a.end, a.tags, a.quote) for a in items] == [
        (68, 78, ["领导"], "中共西昌市委书记李俊")
    ]
    assert tags == ["领导"]
    assert items[0].coder == "tester"


async def test_picker_filters_the_codebook_and_enter_applies_the_match(make_app, db_path):
    with Store(db_path, coder="tester") as store:
        for name in ("economy", "party building", "stability"):
            store.add_tag(name)
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "t", *"part", "enter")
        await pilot.pause()
    items, tags = stored(db_path, XICHANG)
    assert [a.tags for a in items] == [["party building"]]
    assert tags == ["economy", "party building", "stability"]


async def test_digit_keys_apply_and_remove_codebook_tags(make_app, db_path):
    with Store(db_path, coder="tester") as store:
        store.add_tag("economy")
        store.add_tag("stability")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "2")
        await pilot.pause()
        items, _ = stored(db_path, XICHANG)
        assert [(a.start, a.end, a.tags) for a in items] == [(0, 39, ["stability"])]
        await pilot.press("1")  # cursor inside the annotation: add the first tag to it
        await pilot.pause()
        assert stored(db_path, XICHANG)[0][0].tags == ["stability", "economy"]
        await pilot.press("2")  # again: remove it
        await pilot.pause()
        assert stored(db_path, XICHANG)[0][0].tags == ["economy"]
        await pilot.press("9")  # no ninth tag: a message, nothing written
        await pilot.pause()
        assert stored(db_path, XICHANG)[0][0].tags == ["economy"]


async def test_highlight_then_cycle_its_colour(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("shift+right", "shift+right", "h")
        await pilot.pause()
        items, _ = stored(db_path, XICHANG)
        assert [(a.start, a.end, a.highlight, a.tags) for a in items] == [(0, 2, "yellow", [])]
        await pilot.press("left", "h")
        await pilot.pause()
        assert stored(db_path, XICHANG)[0][0].highlight == "green"


async def test_memo_on_a_selection_and_editing_it(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "m")
        await pilot.pause()
        await pilot.press(*"title of the speech")
        await pilot.press("ctrl+s")
        await pilot.pause()
        items, _ = stored(db_path, XICHANG)
        assert [(a.start, a.end, a.note) for a in items] == [(0, 39, "title of the speech")]
        await pilot.press("m", "end", *" (edited)", "ctrl+s")
        await pilot.pause()
        assert stored(db_path, XICHANG)[0][0].note == "title of the speech (edited)"
        await pilot.press("m", *"never saved", "escape")
        await pilot.pause()
        assert stored(db_path, XICHANG)[0][0].note == "title of the speech (edited)"


async def test_delete_asks_once_then_undo_and_redo(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "t", *"x", "enter")
        await pilot.pause()
        assert len(stored(db_path, XICHANG)[0]) == 1
        await pilot.press("x", "n")  # asked, said no
        await pilot.pause()
        assert len(stored(db_path, XICHANG)[0]) == 1
        await pilot.press("x", "y")
        await pilot.pause()
        assert stored(db_path, XICHANG)[0] == []
        await pilot.press("u")
        await pilot.pause()
        assert [(a.start, a.end) for a in stored(db_path, XICHANG)[0]] == [(0, 39)]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert stored(db_path, XICHANG)[0] == []


async def test_undo_history_survives_a_restart(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "t", *"x", "enter")
        await pilot.pause()
    assert len(stored(db_path, XICHANG)[0]) == 1
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("u")
        await pilot.pause()
    assert stored(db_path, XICHANG)[0] == []


async def test_annotation_list_jumps_to_an_annotation(make_app, db_path, sample_corpus):
    text = sample_text(sample_corpus, XICHANG)
    start = text.index("主力军")
    with Store(db_path, coder="tester") as store:
        store.add(XICHANG, start, start + 3, text=text, doc_hash="", tags=["force"])
        store.add(XICHANG, 0, 4, text=text, doc_hash="", tags=["title"])
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert reader.state.selection == (start, start + 3)
        assert reader.reader.has_focus
        info = str(reader.query_one("#annotation-info").render())
        assert "force" in info


async def test_variant_switch_changes_the_converted_pane_only(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert reader.state.texts[1].startswith("敢於擔當 主動作爲")
        original = reader.state.texts[0]
        await pilot.press("c")  # taiwan
        await pilot.pause()
        assert reader.session.variant == "taiwan"
        assert reader.state.texts[1].startswith("敢於擔當 主動作為")
        assert reader.state.texts[0] == original
        await pilot.press("c", "c")  # hongkong, then taiwan phrases (its own map)
        await pilot.pause()
        assert reader.session.variant == "taiwan-phrases"
        assert not reader.state.maps[1].is_identity


async def test_escape_returns_to_the_library_with_updated_counts(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "t", *"x", "enter", "escape")
        await pilot.pause()
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        coded = [c.key for c in COLUMNS].index("annotations")
        assert library.table.get_row(XICHANG)[coded] == "1"


async def test_mouse_drag_selects_in_either_pane(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        pane = reader.query_one("#pane-1", PaneView)
        await pilot.mouse_down(pane, offset=(0, 0))
        await pilot.hover(pane, offset=(8, 0))
        await pilot.mouse_up(pane, offset=(8, 0))
        await pilot.pause()
        assert reader.state.selection == (0, 4)  # four wide characters, same in both scripts


async def test_text_is_displayed_literally(make_app, sample_corpus):
    (sample_corpus / "markup.txt").write_text(
        "标题\n[bold]不是粗体[/] 和 \x1b[31m不是红色\x1b[0m 结束\n", encoding="utf-8"
    )
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, "markup")
        pane = reader.query_one("#pane-0", PaneView)
        row = "".join(seg.text for seg in pane.render_line(1))
        assert "[bold]不是粗体[/]" in row
        assert "␛[31m不是红色␛[0m" in row
        assert "\x1b" not in row


async def test_corrupt_database_opens_read_only_with_a_message(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await wait_for_library(pilot)
    (db_path / "codebook.json").write_text("{ not json", encoding="utf-8")
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert not reader.session.writable
        await pilot.press("s", "h")
        await pilot.pause()
        assert "read-only" in str(reader.query_one("#status").render())
    assert (db_path / "codebook.json").read_text(encoding="utf-8") == "{ not json"


async def test_another_instance_sees_changes_made_meanwhile(make_app, db_path, sample_corpus):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        text = sample_text(sample_corpus, XICHANG)
        with Store(db_path, coder="cli") as other:  # e.g. `speechreader tag` in a terminal
            other.add(XICHANG, 5, 9, text=text, doc_hash="", tags=["from-cli"])
        pilot.app.check_external_changes()
        await pilot.pause()
        assert [(p.start, p.end) for p in reader.state.placed] == [(5, 9)]
