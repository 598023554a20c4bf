"""The library's rows model: which cached orders a change drops, and sorts made in a
worker (what a 100,000-document library needs to sort without freezing the screen)."""

from __future__ import annotations

from speechreader.core.corpus import DocumentInfo
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.screens.library_columns import COLUMNS
from speechreader.tui.screens.library_rows import LibraryRows
from tests.tui.conftest import wait_for_library, wait_until

TITLE, DATE, SPEAKER, CODED = 0, 1, 2, 6  # the library's column indexes


def doc(doc_id: str, title: str, date: str, speaker: str) -> DocumentInfo:
    return DocumentInfo(doc_id, doc_id + ".txt", title, "utf-8", "simplified", "simplified",
                        10, "h", [], {"date": date, "speaker": speaker})  # fmt: skip


DOCS = [
    doc("a", "王寧講話", "2020-01-01", "王寧"),
    doc("b", "郭声琨讲话", "2019-01-01", "郭聲琨"),
    doc("c", "李俊讲话", "2021-01-01", "李俊"),
]


def ids(order: list[DocumentInfo]) -> list[str]:
    return [d.id for d in order]


def test_sorting_by_title_and_speaker_reads_pinyin_and_reverse_is_the_same_order_backwards():
    rows = LibraryRows(COLUMNS)
    assert ids(rows.sort(DOCS, TITLE, False)) == ["b", "c", "a"]  # guo, li, wang
    assert ids(rows.sort(DOCS, SPEAKER, False)) == ["b", "c", "a"]
    assert ids(rows.sort(DOCS, DATE, True)) == ["c", "a", "b"]
    assert ids(rows.cached_order(DATE, False)) == ["b", "a", "c"]  # from the reverse, not sorted


def test_equal_short_cells_are_one_string_and_titles_are_their_documents_own():
    """100,000 rows held ~300,000 small strings of a few hundred values: kept once."""
    rows = LibraryRows(COLUMNS)
    first, second = (rows.cells(d) for d in DOCS[:2])
    length = [c.key for c in COLUMNS].index("chars")
    assert first[length] == second[length] == "10"
    assert first[length] is second[length]
    assert first[CODED] is second[CODED]
    assert first[TITLE] is DOCS[0].title


def test_a_changed_count_drops_only_the_orders_by_that_count():
    rows = LibraryRows(COLUMNS)
    by_date = rows.sort(DOCS, DATE, False)
    by_title = rows.sort(DOCS, TITLE, False)
    rows.sort(DOCS, CODED, False)
    rows.counts = {"a": 3}
    rows.forget([DOCS[0]])
    assert rows.cells(DOCS[0])[CODED] == "3"
    assert rows.cached_order(DATE, False) is by_date  # kept, not sorted again
    assert rows.cached_order(TITLE, False) is by_title
    assert rows.cached_order(CODED, False) is None
    assert ids(rows.sort(DOCS, CODED, True)) == ["a", "c", "b"]  # 3, then 0s by id reversed


def test_an_edited_title_drops_the_orders_by_title_and_its_filter_text():
    rows = LibraryRows(COLUMNS)
    by_date = rows.sort(DOCS, DATE, False)
    rows.sort(DOCS, TITLE, False)
    assert [d.id for d in rows.matching(DOCS, "郭声琨讲话")] == ["b"]
    edited = doc("b", "张三讲话", "2019-01-01", "郭聲琨")
    rows.forget([edited], haystacks=True)
    assert rows.cached_order(TITLE, False) is None
    assert rows.cached_order(DATE, False) is by_date
    assert rows.filter_text.line("b") == "b 张三讲话 2019-01-01 郭声琨"
    assert rows.matching(DOCS, "郭声琨讲话") == []


def test_a_sort_whose_column_changed_while_it_ran_is_not_kept():
    rows = LibraryRows(COLUMNS)
    seen: list[tuple[int, int]] = []

    def meanwhile(done: int, total: int) -> None:  # the UI thread, while a worker sorts
        seen.append((done, total))
        if done == 0:
            rows.counts = {"b": 1}
            rows.forget([DOCS[1]])

    rows.sort(DOCS, CODED, False, progress=meanwhile)
    assert seen == [(0, 3), (3, 3)]
    assert rows.cached_order(CODED, False) is None  # made from the counts before
    rows.sort(DOCS, DATE, False, progress=meanwhile)  # a column the change left alone
    assert ids(rows.cached_order(DATE, False)) == ["b", "a", "c"]


async def test_a_big_library_sorts_in_a_worker_and_shows_the_order_when_it_is_made(
    make_app, monkeypatch
):
    monkeypatch.setattr(LibraryScreen, "SORT_IN_WORKER", 0)  # every sort in a worker
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await pilot.press("s")  # date → speaker

        def speakers() -> list[str]:
            return [library.table.get_row(i)[SPEAKER] for i in library.table.row_ids()]

        await wait_until(pilot, lambda: speakers()[1] == "郭聲琨", speakers)
        assert speakers() == ["(未署名)區委書記", "郭聲琨", "李俊", "鹿心社", "王寧"]
        assert "Speaker ▲" in library.table.render_header(0, 120).text
        assert library._sorting is None
        await pilot.press("S")  # the reverse is the cached order reversed: no worker needed
        assert speakers()[:2] == ["王寧", "鹿心社"]


def test_sorting_in_runs_gives_exactly_one_sorts_order_both_ways():
    import random

    from speechreader.tui.screens.library_rows import PROGRESS_STEP, _ranked

    rng = random.Random(7)
    n = 2 * PROGRESS_STEP + 123  # three runs, the last short
    keys = [(rng.random() < 0.1, rng.choice("甲乙丙丁"), f"id{i:06d}") for i in range(n)]
    for reverse in (False, True):
        expected = sorted(range(n), key=keys.__getitem__, reverse=reverse)
        assert _ranked(keys, reverse) == expected
    assert _ranked([], False) == []
