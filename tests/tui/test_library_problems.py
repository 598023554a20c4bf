"""The library tells what to distrust in each document: a column, and the status line."""

from __future__ import annotations

from tests.tui.conftest import wait_for_library, wait_until

GUO = "2011-12-06_guo-shengkun_guangxi"
XICHANG = "2018-06-07_li-jun_xichang"
WANG = "2024-01-05_wang-ning_yunnan"
UNDATED = "undated_three-level-cadres-conference"
# What `speechreader list` reports for the sample (tests/core/text/test_problems.py):
# 郭聲琨 97 glosses and 4 mojibake, 王寧 2 lost characters, 93 doubled marks and 41
# glosses, the undated speech 18 over-conversions; simplified residue 19 in 郭聲琨's and
# 25 in 王寧's speech (tests/core/text/test_residue.py); the other two nothing.


def flags(library) -> dict[str, str]:
    return {doc_id: library.table.get_row(doc_id)[-1] for doc_id in library.table.row_ids()}


def status(library) -> str:
    return str(library.query_one("#library-status").render())


async def test_the_column_has_letters_when_narrow_and_counts_when_wide(make_app):
    async with make_app().run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        assert flags(library) == {
            GUO: "MRG",
            XICHANG: "",
            "2019-06-27_lu-xinshe_guangxi": "",
            WANG: "LRDG",
            UNDATED: "O",
        }
        assert library.table.columns[-1].label == "!"
        await pilot.resize_terminal(130, 30)
        await wait_until(pilot, lambda: flags(library)[GUO] == "M4 R19 G97", "the wide flags")
        assert flags(library)[WANG] == "L2 R25 D93 G41"
        assert flags(library)[UNDATED] == "O18"
        assert library.table.columns[-1].label == "Distrust"
        line = "".join(segment.text for segment in library.table.render_line(1))
        assert line.rstrip().endswith("M4 R19 G97")


async def test_the_status_line_spells_out_the_document_under_the_cursor(make_app):
    async with make_app().run_test(size=(100, 30)) as pilot:
        library = await wait_for_library(pilot)
        assert library.table.cursor_id == GUO
        assert status(library).endswith("! mojibake 4 · residue 19 · glosses 97")
        await pilot.press("down")
        await pilot.pause()
        assert "!" not in status(library)  # 李俊's speech: nothing found
        await pilot.press("down", "down")
        await pilot.pause()
        assert status(library).endswith(
            "! lost chars 2 · residue 25 · doubled marks 93 · glosses 41"
        )


async def test_sorting_by_distrust_puts_damaged_text_first(make_app):
    async with make_app().run_test(size=(100, 30)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press(*"ssssss")  # date → speaker → … → coded → distrust
        await pilot.pause()
        assert library.table.row_ids()[:3] == [GUO, WANG, UNDATED]
        assert library.table.columns[-1].label == "! ▼"
        await pilot.press("S")
        await pilot.pause()
        assert library.table.row_ids()[-3:] == [UNDATED, WANG, GUO]
