"""The library screen, the help screen and the command palette."""

from __future__ import annotations

import re

import pytest

from speechreader.tui.dialogs.skipped import SkippedFiles
from speechreader.tui.screens.help import GUIDES, HelpScreen
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.screens.library_columns import (
    COLUMNS,
    DONE_COLUMN,
    column_widths,
    done_cell,
    flexible_widths,
    header_label,
)
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.widgets.reader_view import DualReader
from tests.tui.conftest import XICHANG, open_doc, wait_for_library, wait_until


def _ids(library: LibraryScreen) -> list[str]:
    return library.table.row_ids()


async def test_library_lists_documents_sorted_by_date_with_metadata(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        ids = _ids(library)
        assert ids == [
            "2011-12-06_guo-shengkun_guangxi",
            "2018-06-07_li-jun_xichang",
            "2019-06-27_lu-xinshe_guangxi",
            "2024-01-05_wang-ning_yunnan",
            "undated_three-level-cadres-conference",  # no date: last
        ]
        row = library.table.get_row(XICHANG)
        assert "李俊" in [str(cell) for cell in row]
        assert "simp" in [str(cell) for cell in row]


async def test_sorting_by_column_and_reversing(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("s", "s", "s", "s")  # date → speaker → place → script → length
        assert _ids(library)[0] == "2024-01-05_wang-ning_yunnan"  # shortest
        await pilot.press("S")
        assert _ids(library)[0] == "undated_three-level-cadres-conference"  # longest


async def test_titles_and_speakers_sort_by_pinyin_in_both_scripts(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("s")  # date → speaker
        speakers = [library.table.get_row(i)[2] for i in _ids(library)]
        # (未署名) starts with a bracket, before any letter; then guo, li, lu, wang
        assert speakers == ["(未署名)區委書記", "郭聲琨", "李俊", "鹿心社", "王寧"]
        await pilot.press("S")
        assert [library.table.get_row(i)[2] for i in _ids(library)][:2] == ["王寧", "鹿心社"]


async def test_filter_as_you_type_matches_both_scripts_and_enter_moves_to_the_table(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("slash", *"广西")
        guangxi = [
            "2011-12-06_guo-shengkun_guangxi",  # 廣西, traditional
            "2019-06-27_lu-xinshe_guangxi",
        ]
        await wait_until(pilot, lambda: sorted(_ids(library)) == guangxi, "the filter")
        await pilot.press("enter")
        assert library.table.has_focus
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the reader")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("escape")  # clears the filter
        await wait_until(pilot, lambda: len(_ids(library)) == 5, "every document again")


async def test_skipped_files_are_counted_and_explained(make_app, sample_corpus):
    (sample_corpus / "scan.txt").write_bytes(b"%PDF-1.4\n" + bytes(range(256)))
    (sample_corpus / "empty.txt").write_bytes(b"")
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        status = str(library.query_one("#library-status").render())
        assert "2 files skipped" in status
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SkippedFiles), "the list")
        dialog = pilot.app.screen
        reasons = {item.path: item.reason for item in dialog.skipped}
        assert "PDF" in reasons["scan.txt"]
        assert "empty" in reasons["empty.txt"]


async def test_missing_corpus_shows_a_message_instead_of_crashing(make_app, tmp_path):
    async with make_app(corpus=tmp_path / "gone").run_test(size=(100, 30)) as pilot:

        def status() -> str:
            found = pilot.app.screen.query("#library-status")
            return str(found.first().render()) if found else ""

        await wait_until(pilot, lambda: "gone" in status(), "the message")


def test_columns_fit_an_80_column_terminal():
    widths = flexible_widths(80)
    assert widths["title"] >= 18
    fixed = 10 + 6 + 6 + 5  # date, script, length, coded
    assert sum(widths.values()) + fixed + 2 * 8 + 4 <= 80


def test_the_done_column_still_fits_80_columns_by_counting_coders():
    widths = flexible_widths(80, (*COLUMNS, DONE_COLUMN))
    fixed = 10 + 6 + 6 + 5  # date, script, length, coded
    assert sum(widths.values()) + fixed + 2 * 9 + 4 <= 80
    assert widths["title"] >= 10
    assert done_cell(["root", "alice"], widths["done"]) == "2"
    wide = flexible_widths(160, (*COLUMNS, DONE_COLUMN))
    assert done_cell(["root", "alice"], wide["done"]) == "root, alice"


async def test_help_names_only_keys_that_are_bound(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        bound = {b.key for b in DualReader.BINDINGS} | {b.key for b in reader.BINDINGS}
        bound |= {b.key for b in pilot.app.BINDINGS} | {"ctrl+p"}
        names = {"←": "left", "→": "right", "↑": "up", "↓": "down", "pgdn": "pagedown",
                 "pgup": "pageup", ")": "right_parenthesis", "(": "left_parenthesis",
                 "}": "right_curly_bracket", "{": "left_curly_bracket", "?": "question_mark",
                 "/": "slash",
                 "…": None, "esc": "escape"}  # fmt: skip
        for _, rows in GUIDES["ReaderScreen"]:
            for keys, _ in rows:
                if keys in ("mouse", "shift + movement"):
                    continue
                for key in re.split(r"\s+", keys):
                    key = names.get(key, key)
                    if key is None or key.isdigit():
                        continue
                    key = key.replace("ctrl+→", "ctrl+right").replace("ctrl+←", "ctrl+left")
                    assert key in bound, key
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "the help")
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the reader")


async def test_command_palette_lists_reader_actions(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        titles = [command.title for command in pilot.app.get_system_commands(reader)]
        for wanted in ("Tag", "Highlight", "Memo", "Delete", "Undo", "Redo", "Select sentence",
                       "Next paragraph", "Library"):  # fmt: skip
            assert wanted in titles, wanted
        assert any(title.startswith("Variant: Taiwan") for title in titles)


async def test_clicking_a_header_sorts_and_clicking_the_cursor_row_opens(make_app):
    """Like a file manager: one click selects a row, a click on the selected row opens it."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        table = library.table
        await pilot.click(table, offset=(2, 0))  # the Title header
        await pilot.pause()
        assert library.sort_column == 0
        # by pinyin: 不忘 bu, 敢于 gan, 郭聲琨 guo, 三級 san, 王寧 wang
        assert _ids(library)[0] == "2019-06-27_lu-xinshe_guangxi"
        await pilot.click(table, offset=(2, 1))  # first click: the cursor goes there
        await pilot.pause()
        assert table.cursor_id == "2019-06-27_lu-xinshe_guangxi"
        assert isinstance(pilot.app.screen, LibraryScreen)
        await pilot.click(table, offset=(2, 1))  # on the cursor row: open it
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, ReaderScreen), "the reader")
        assert pilot.app.screen.doc_id == "2019-06-27_lu-xinshe_guangxi"


async def test_a_large_corpus_scrolls_with_the_cursor(make_app, tmp_path):
    corpus = tmp_path / "many"
    corpus.mkdir()
    for index in range(300):
        (corpus / f"doc{index:04d}.txt").write_text(f"第{index}篇讲话\n正文。\n", encoding="utf-8")
    async with make_app(corpus=corpus).run_test(size=(100, 30)) as pilot:
        library = await wait_for_library(pilot)
        library.sort_column = 0
        library._fill()
        await pilot.press("end")
        assert library.table.cursor_id == _ids(library)[-1]
        assert library.table.scroll_y > 250
        await pilot.press("home", "pagedown")
        assert library.table.cursor > 20


async def test_one_damaged_annotation_file_leaves_the_library_counting_and_writable(
    make_app, db_path, sample_corpus
):
    from speechreader.core.corpus import Corpus
    from speechreader.core.store import Store

    corpus = Corpus.load(sample_corpus)
    with Store(db_path, coder="amy") as store:
        for doc_id in (XICHANG, "2019-06-27_lu-xinshe_guangxi"):
            text = corpus.text(doc_id)
            for start in (0, 10):
                store.add(doc_id, start, start + 4, text=text, doc_hash="h", tags=["经济"])
    (db_path / "annotations" / "amy" / f"{XICHANG}.json").write_text('{"annotations": {')
    async with make_app().run_test(size=(160, 40)) as pilot:
        library = await wait_for_library(pilot)
        status = str(library.query_one("#library-status").render())
        assert "2 annotations" in status  # not 0: the other document's two still count
        assert f"damaged, read-only until `speechreader doctor --repair`: {XICHANG}" in status
        assert pilot.app.session.writable  # the rest of the database can still be coded
        reader = await open_doc(pilot, XICHANG)
        assert reader.state.placed == []  # opens, with nothing it cannot read
        assert pilot.app.session.writable


def _header(library: LibraryScreen) -> str:
    return library.table.render_header(0, library.size.width).text


@pytest.mark.parametrize("size", [(80, 24), (200, 60)])
async def test_every_sorted_header_shows_its_whole_name_and_indicator(make_app, size):
    async with make_app().run_test(size=size) as pilot:
        library = await wait_for_library(pilot)
        seen = []
        for _ in range(len(COLUMNS)):
            header = _header(library)
            seen.append(header)
            assert "…" not in header.split("▲")[0].split()[-1]  # the sorted name is whole
            assert len(header.rstrip()) <= size[0]
            await pilot.press("s")
        flags = "Distrust ▼" if size[0] >= 110 else "! ▼"  # worst first
        names = ["Date ▲", "Speaker ▲", "Place ▲", "Script ▲", "Length ▲", "Coded ▲", flags]
        for name, header in zip([*names, "Title ▲"], seen, strict=True):
            assert name in header
        if size[0] >= 200:  # room for every header and its indicator: nothing is cut
            for header in seen:
                for name in ("Speaker", "Script", "Length", "Coded"):
                    assert name in header


def test_headers_fit_their_indicator_where_there_is_room():
    wide = column_widths(200, COLUMNS, "date", wide=True)
    for column in COLUMNS:
        assert wide[column.key] >= len(header_label(column, True)) + 2
    narrow = column_widths(80, COLUMNS, "annotations", wide=False)
    assert narrow["annotations"] >= len("Coded ▲")
    assert sum(narrow.values()) + 2 * len(COLUMNS) + 4 <= 80
    assert narrow["title"] >= 8
