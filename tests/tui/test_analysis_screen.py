"""The analysis screen (Y) and the passages behind its figures, driven by keys.

The sample corpus is coded by hand here: 稳定 twice in Guo's speech, once in Li's; a
tag called ``[/]`` (Rich markup, were it parsed) once in Li's. Guo's speech has 2,669
characters and Li's 3,433, so per 10,000 characters Guo uses 稳定 at 7.49 and Li at
2.91: Guo comes first.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from speechreader.tui.screens.analysis import AnalysisScreen
from speechreader.tui.screens.passages import PassagesScreen
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.widgets.bar_chart import BarChart
from speechreader.tui.widgets.sortable_table import SortableTable
from tests.tui.conftest import XICHANG, screen_text, wait_for_library, wait_until

GUO = "2011-12-06_guo-shengkun_guangxi"
HOSTILE = "[/]"


@pytest.fixture
def coded_db(sample_corpus, db_path) -> Path:
    corpus = Corpus.load(sample_corpus)
    with Store(db_path, coder="tester") as store:
        for doc, start, end, tags in (
            (GUO, 100, 130, ["稳定"]), (GUO, 400, 420, ["稳定"]), (XICHANG, 50, 90, ["稳定"]),
            (XICHANG, 60, 70, [HOSTILE]),
        ):  # fmt: skip
            store.add(doc, start, end, text=corpus.text(doc), tags=tags,
                      doc_hash=corpus.get(doc).content_hash)  # fmt: skip
    return db_path


async def open_analysis(pilot) -> AnalysisScreen:
    await wait_for_library(pilot)
    await pilot.press("Y")

    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, AnalysisScreen) and "freq" in screen.results

    await wait_until(pilot, shown, "the analysis")
    return pilot.app.screen


async def wait_result(pilot, screen: AnalysisScreen, tab: str) -> None:
    def computed() -> bool:
        return tab in screen.results and screen.results[tab][0] == screen._params(tab)

    await wait_until(pilot, computed, f"{tab} computed")


def rows(table: SortableTable) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_frequencies_with_bars(make_app, coded_db):
    app = make_app(db=coded_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_analysis(pilot)
        table = screen.query_one("#freq-table", SortableTable)
        assert [r[:3] for r in rows(table)] == [["稳定", "3", "2"], [HOSTILE, "1", "1"]]
        chart = str(screen.query_one("#freq-chart", BarChart).render())
        assert "稳定" in chart and "█" in chart and HOSTILE in chart  # shown, not parsed


async def test_which_speaker_uses_a_code_most_then_its_passages_then_the_reader(make_app, coded_db):
    app = make_app(db=coded_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("2")
        await wait_result(pilot, screen, "crosstab")
        table = screen.query_one("#crosstab-table", SortableTable)
        assert table.cursor_keys() == (table.cursor_keys()[0], "稳定")  # on the first tag
        chart = str(screen.query_one("#crosstab-chart", BarChart).render()).splitlines()
        assert "per 10,000 characters" in chart[0]
        assert chart[1].startswith("郭聲琨") and "7.49" in chart[1]  # 2 / 2669 × 10,000
        assert "2.91" in chart[2]  # 李俊: 1 / 3433 × 10,000
        await pilot.press("s")  # sort by the 稳定 column, highest first
        await pilot.pause()
        assert rows(table)[0][0] == "郭聲琨"
        table.move_cursor(row=0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PassagesScreen), "the passages")
        passages = app.screen
        assert isinstance(passages, PassagesScreen)
        assert [(r.doc_id, r.start) for r in passages.rows] == [(GUO, 100), (GUO, 400)]
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: isinstance(app.screen, ReaderScreen) and app.screen.state is not None,
            "the reader",
        )
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.doc_id == GUO
        assert reader.state.selection == (100, 130)
        await pilot.press("Y")  # back where the analysis was left
        await wait_until(pilot, lambda: app.screen is screen, "the analysis again")
        assert app.screen is screen and screen.tab == "crosstab"


async def test_keyness_and_the_passages_with_a_word(make_app, coded_db):
    app = make_app(db=coded_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("5")
        await wait_result(pilot, screen, "keyness")
        assert "choose a lower minimum" in screen_text(app)  # three passages: nothing at 3
        screen.query_one("#min-freq").value = 1
        await wait_result(pilot, screen, "keyness")
        _, result = screen.results["keyness"]
        assert result.target.endswith("稳定") and result.words  # the first tag, chosen for you
        table = screen.query_one("#keyness-table", SortableTable)
        word = rows(table)[0][0]
        table.move_cursor(row=0, column=0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PassagesScreen), "the passages")
        assert app.screen.rows and all("稳定" in r.tags for r in app.screen.rows)
        assert word in screen_text(app)  # the keyness word, in the passages shown


async def test_trend_lines_name_the_undated_and_cooccurrence_heat_map(make_app, coded_db):
    app = make_app(db=coded_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("4")
        await wait_result(pilot, screen, "trend")
        text = screen_text(app)
        assert "per 10,000 characters" in text and "1 undated" in text
        assert "2011" in text and "2018" in text
        await pilot.press("3")
        await wait_result(pilot, screen, "cooccur")
        table = screen.query_one("#cooccur-table", SortableTable)
        # 稳定 50..90 and [/] 60..70 in Li's speech overlap: one pair
        assert rows(table) == [["稳定", "·", "1"], [HOSTILE, "1", "·"]]


async def test_a_where_filter_narrows_every_table(make_app, coded_db):
    app = make_app(db=coded_db)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_analysis(pilot)
        await pilot.press("slash")
        await pilot.press(*"speaker=李俊")
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: screen.coding is not None and len(screen.coding.documents) == 1,
            "the filtered coding",
        )
        await wait_result(pilot, screen, "freq")
        table = screen.query_one("#freq-table", SortableTable)
        assert [r[:2] for r in rows(table)] == [["稳定", "1"], [HOSTILE, "1"]]
        await pilot.press("slash")
        screen.query_one("#where").value = "mood=calm"
        await pilot.press("enter")
        await wait_until(pilot, lambda: "unknown field 'mood'" in screen_text(app), "the error")


async def test_the_passages_list_shows_each_column_under_its_heading(make_app, coded_db):
    app = make_app(db=coded_db)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_analysis(pilot)
        screen.query_one("#freq-table", SortableTable).move_cursor(row=0, column=0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, PassagesScreen), "the passages")
        table = app.screen.query_one(SortableTable)
        assert table.headers == ["Document", "Passage", "Tags", "Speaker", "Date", "Coder", "At"]
        first = rows(table)[0]
        assert (first[2], first[3], first[4], first[5], first[6]) == (
            "稳定", "郭聲琨", "2011-12-06", "tester", "100",
        )  # fmt: skip


def test_the_analysis_help_names_only_keys_that_are_bound():
    from speechreader.tui.app import SpeechreaderApp
    from speechreader.tui.screens.help import GUIDES

    bound = {b.key for b in AnalysisScreen.BINDINGS} | {b.key for b in SortableTable.BINDINGS}
    bound |= {b.key for b in SpeechreaderApp.BINDINGS} | {"enter", "tab", "up", "down"}
    bound |= {"left", "right"}  # the table's own cursor keys
    names = {"←": "left", "→": "right", "↑": "up", "↓": "down", "/": "slash", "esc": "escape"}
    for _, rows in GUIDES["AnalysisScreen"]:
        for keys, _ in rows:
            for key in keys.split():
                key = names.get(key, key)
                if key == "…":
                    continue
                assert key in bound, key


async def test_a_long_table_draws_its_first_rows_and_sorts_them_all():
    from textual.app import App

    from speechreader.tui.widgets.sortable_table import ROW_LIMIT, Row, number

    class One(App):
        def compose(self):
            yield SortableTable()

    app = One()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(SortableTable)
        n = ROW_LIMIT + 5
        table.show(["doc", "n"], [Row(str(i), [(str(i), str(i)), (i, number(str(i)))])
                                  for i in range(n)])  # fmt: skip
        assert table.row_count == ROW_LIMIT and table.hidden_rows == 5
        table.move_cursor(column=1)
        await pilot.press("s")  # largest first: a hidden row comes up
        assert rows(table)[0] == [str(n - 1), str(n - 1)]
