"""The study in the TUI: D marks done, A the agreement screen, V the compare view."""

from __future__ import annotations

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from speechreader.core.text import sentence_spans
from speechreader.tui.screens.agreement import AgreementScreen
from speechreader.tui.screens.compare import CompareScreen
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.widgets.agreement_table import AgreementTable, bar
from speechreader.tui.widgets.compare_view import CompareView
from tests.tui.conftest import XICHANG, open_doc, wait_for_library, wait_until


@pytest.fixture
def study_db(sample_corpus, db_path):
    """amy: economy on sentences 3, 4, 5; party on 6.  bo: economy on 3, 4; party on 5, 6."""
    corpus = Corpus.load(sample_corpus)
    text = corpus.text(XICHANG)
    spans = sentence_spans(text)
    with Store(db_path, coder="tester") as store:
        for coder, tag, sentences in (
            ("amy", "economy", [3, 4, 5]), ("amy", "party", [6]),
            ("bo", "economy", [3, 4]), ("bo", "party", [5, 6]),
        ):  # fmt: skip
            for i in sentences:
                store.add(XICHANG, *spans[i], text=text, doc_hash="", tags=[tag], coder=coder)
    return db_path, spans


def consensus(db) -> list[tuple[int, int, list[str]]]:
    with Store(db, readonly=True) as store:
        return sorted(
            (a.start, a.end, a.tags) for a in store.for_document(XICHANG) if a.coder == "consensus"
        )


async def test_d_marks_the_document_done_and_the_library_shows_who(make_app, study_db):
    db, _ = study_db
    app = make_app(coder="amy")
    async with app.run_test(size=(120, 30)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("D")
        await wait_until(pilot, lambda: reader.done_here, "the done mark")
        assert "✓ done" in str(reader.query_one("#status").render())
        with Store(db, readonly=True) as store:
            assert store.done_marks() == {XICHANG: ["amy"]}
        await pilot.press("escape")
        library = await wait_for_library(pilot)
        assert isinstance(library, LibraryScreen)
        await wait_until(pilot, lambda: library.table.get_row(XICHANG)[-1] == "amy", "Done column")
        assert library.table.columns[-1].label.startswith("Done")


async def test_agreement_screen_sorts_worst_first_bootstraps_and_opens_a_disagreement(
    make_app, study_db
):
    _, spans = study_db
    app = make_app(coder="judge")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_library(pilot)
        await pilot.press("A")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen), "the screen")
        screen = app.screen
        await wait_until(pilot, lambda: screen.result is not None, "the table")
        table = screen.query_one(AgreementTable)
        alphas = [r.alpha for r in table.rows]
        assert [r.name for r in table.rows] == ["party", "economy"]  # worst first
        assert alphas == sorted(alphas)
        await pilot.press("b")
        await wait_until(pilot, lambda: screen.result.bootstrap == 1000, "the bootstrap")
        assert all(r.ci is not None for r in table.rows)
        await pilot.press("enter")  # party's first disagreement: sentence 5
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        compare = app.screen
        d = compare.comparison.disagreements[compare.current]
        assert (d.start, d.end) == spans[5]


async def test_compare_view_walks_disagreements_and_writes_the_consensus(make_app, study_db):
    db, spans = study_db
    app = make_app(coder="judge")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        screen = app.screen
        view = screen.query_one(CompareView)
        assert [(d.start, d.end) for d in screen.comparison.disagreements] == [spans[5]]
        gutters = [r.gutter for r in view.rows]
        assert any(g.startswith("▶AB") for g in gutters)  # both coders there, no colour needed
        await pilot.press("a")  # amy's: economy on 5
        await wait_until(pilot, lambda: consensus(db) == [(*spans[5], ["economy"])], "A's")
        await pilot.press("plus")  # both: economy and party
        await wait_until(pilot, lambda: consensus(db) == [(*spans[5], ["economy", "party"])],
                         "both")  # fmt: skip
        await pilot.press("0")  # neither
        await wait_until(pilot, lambda: consensus(db) == [], "neither")
        await pilot.press("u")
        await wait_until(pilot, lambda: len(consensus(db)) == 1, "undo")
        await pilot.press("equals_sign")  # the agreed units 3, 4 (economy) and 6 (party)
        await wait_until(pilot, lambda: len(consensus(db)) == 4, "agreements accepted")
        assert "1 disagreement," in str(screen.query_one("#compare-status").render())


def test_the_bar_reads_without_colour():
    assert bar(0.5, 10) == "█████░░░░░"
    assert bar(None, 4) == "····"
    assert bar(-0.2, 4) == "◀   "
    assert bar(1.0, 4) == "████"


async def test_tags_and_coders_that_look_like_markup_are_shown_literally(sample_corpus, make_app):
    corpus = Corpus.load(sample_corpus)
    text = corpus.text(XICHANG)
    spans = sentence_spans(text)
    db = sample_corpus.parent / "hostile.srdb"
    with Store(db, coder="tester") as store:
        store.add(XICHANG, *spans[3], text=text, doc_hash="", tags=["[/]"], coder="[b]amy")
        store.add(XICHANG, *spans[4], text=text, doc_hash="", tags=["[/]"],
                  coder="[@click=app.quit]x[/]")  # fmt: skip
    app = make_app(db=db, coder="judge")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("V")
        await wait_until(pilot, lambda: isinstance(app.screen, CompareScreen), "compare view")
        legend = str(app.screen.query_one("#compare-legend").render())
        assert "[b]amy" in legend and "[@click=app.quit]x[/]" in legend
        await pilot.press("escape", "A")
        await wait_until(pilot, lambda: isinstance(app.screen, AgreementScreen), "agreement")
        screen = app.screen
        await wait_until(pilot, lambda: screen.result is not None, "the table")
        assert [r.name for r in screen.query_one(AgreementTable).rows] == ["[/]"]
        assert "[@click=app.quit]x[/]" in str(screen.query_one("#agreement-title").render())
        assert app.is_running
