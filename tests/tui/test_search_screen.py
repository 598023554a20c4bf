"""The search screen: either script, KWIC lines, open a hit, n / N, auto-coding with undo."""

from __future__ import annotations

from speechreader.core.corpus import Corpus
from speechreader.core.search import find, sort_spans
from speechreader.tui.dialogs.autocode import AutocodeDialog
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.screens.search import SearchScreen
from speechreader.tui.widgets.kwic import KwicView
from tests.tui.conftest import UNDATED, XICHANG, open_doc, stored, wait_for_library, wait_until

GUO = "2011-12-06_guo-shengkun_guangxi"
LU = "2019-06-27_lu-xinshe_guangxi"


def at(app) -> tuple[str, tuple[int, int] | None] | None:
    """The reader's document and selection, once it shows one (else None)."""
    screen = app.screen
    if isinstance(screen, ReaderScreen) and screen.state is not None:
        return screen.doc_id, screen.state.selection
    return None


async def search_for(pilot, text: str, **fields) -> SearchScreen:
    await wait_for_library(pilot)
    await pilot.press("ctrl+f")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen), "the search")
    screen = pilot.app.screen
    for widget_id, value in fields.items():
        screen.query_one(f"#{widget_id}").value = value
    await pilot.press(*text)
    return await results(pilot, screen)


def status(screen) -> str:
    return str(screen.query_one("#search-status").render())


async def results(pilot, screen: SearchScreen) -> SearchScreen:
    """Wait until the screen shows the results of what its fields ask for now."""

    def done() -> bool:
        return " hit" in status(screen) and screen._searched == screen._request()

    await wait_until(pilot, done, "the search results")
    return screen


async def test_a_traditional_query_finds_both_scripts(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, "幹部")
        docs = {doc_id for doc_id, _, _ in screen.spans}
        assert docs == {GUO, XICHANG, LU, "2024-01-05_wang-ning_yunnan", UNDATED}
        # 2 + 21 + 15 + 1 + 51 hits (tests/core/search/test_find.py counts them by document)
        assert len(screen.spans) == 90
        assert status(screen).startswith("90 hits in 5 documents")
        # the first hit: GUO's text at 437..439 has 干部 (simplified, in a traditional text)
        assert screen.spans[0] == (GUO, 437, 439)
        left, match, right, title = (s.text for s in screen.query_one(KwicView).render_line(0))
        assert match == "干部"
        assert left.endswith("提升各級領導 ") and right.startswith(" 的能力水平,")
        assert title.startswith("郭聲琨在廣西縣(市、區)")


def occurrences(corpus_path, word: str) -> list[tuple[str, int, int]]:
    """Where ``word`` is, by document id then offset, found with str.find (not the index)."""
    corpus = Corpus.load(corpus_path)
    found = []
    for doc_id in sorted(doc.id for doc in corpus.documents):
        text, at = corpus.text(doc_id), -1
        while (at := text.find(word, at + 1)) >= 0:
            found.append((doc_id, at, at + len(word)))
    return found


async def test_enter_opens_the_hit_selected_and_n_walks_on_across_documents(
    make_app, sample_corpus
):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, "一把手")  # written the same in both scripts
        spans = list(screen.spans)
        assert spans == occurrences(sample_corpus, "一把手")
        assert len({doc for doc, _, _ in spans}) >= 2
        await pilot.press("enter")  # from the query to the results
        await pilot.press("enter")  # open the first hit
        doc_id, start, end = spans[0]
        await wait_until(pilot, lambda: at(pilot.app) == (doc_id, (start, end)), "the first hit")
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)
        assert (reader.doc_id, reader.state.selection) == (doc_id, (start, end))
        assert reader.text[start:end] == "一把手"
        for expected in spans[1:4]:
            await pilot.press("n")
            want = (expected[0], expected[1:])
            await wait_until(pilot, lambda want=want: at(pilot.app) == want, "n")
            reader = pilot.app.screen
            assert (reader.doc_id, reader.state.selection) == (expected[0], expected[1:])
        await pilot.press("N")
        await wait_until(pilot, lambda: at(pilot.app) == (spans[2][0], spans[2][1:]), "N")
        assert (pilot.app.screen.doc_id, pilot.app.screen.state.selection) == (
            spans[2][0], spans[2][1:],
        )  # fmt: skip
        await pilot.press("escape", "escape")  # clear the selection, then back
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen), "back")


async def test_slash_in_the_reader_searches_only_that_document(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("slash")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SearchScreen), "the search")
        screen = pilot.app.screen
        assert screen.doc_id == XICHANG
        await pilot.press(*"干部")
        screen = await results(pilot, screen)
        assert screen.spans and {doc for doc, _, _ in screen.spans} == {XICHANG}
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: at(pilot.app) == (XICHANG, screen.spans[0][1:]), "the hit")
        reader = pilot.app.screen
        assert isinstance(reader, ReaderScreen)  # the same reader screen, not a second one
        assert pilot.app.screen_stack.count(reader) == 1
        assert reader.state.selection == screen.spans[0][1:]


async def test_sorting_by_left_context_orders_as_a_concordance(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, "发展")
        await pilot.press("ctrl+s")
        screen = await results(pilot, screen)
        assert screen.sort == "left"
        index = pilot.app.session.search_index()
        assert screen.spans == sort_spans(index, find(index, "发展"), "left")
        assert "left context" in status(screen)


async def test_filters_and_an_invalid_regex(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, "发展", place="广西")
        assert {doc for doc, _, _ in screen.spans} == {GUO, LU}
        screen.query_one("#regex").value = True
        screen.query_one("#query").value = "发展("
        await wait_until(pilot, lambda: "regular expression" in status(screen), "the regex error")
        assert status(screen).startswith("invalid regular expression '发展(': ")


async def test_autocode_previews_applies_and_one_undo_removes_it_all(
    make_app, db_path, sample_corpus
):
    hits = len(occurrences(sample_corpus, "一把手"))
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await search_for(pilot, "一把手")
        assert len(screen.spans) == hits
        await pilot.press("ctrl+a")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, AutocodeDialog), "dialog")
        dialog = pilot.app.screen
        await pilot.press(*"leaders")

        def preview_text() -> str:
            return str(dialog.query_one("#autocode-preview").render())

        await wait_until(pilot, lambda: "passages" in preview_text(), "the preview")
        preview = preview_text()
        assert f"({hits} hits)" in preview and "is new" in preview
        planned = dialog.plan
        await pilot.press("enter")
        await wait_until(pilot, lambda: "leaders" in stored(db_path)[1], "the auto-coding")
        assert isinstance(pilot.app.screen, SearchScreen)
        items, tags = stored(db_path)
        assert "leaders" in tags
        assert len(items) == planned.new and all(a.tags == ["leaders"] for a in items)
        assert all("一把手" in a.quote for a in items)
        await pilot.press("ctrl+u")
        await wait_until(pilot, lambda: stored(db_path)[0] == [], "the undo")
