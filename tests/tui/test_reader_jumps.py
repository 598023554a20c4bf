"""A passage jumped to (a search hit, an annotation from the list, a problem mark)
lands in the upper third of the view in both panes, whole when it wraps, and no toast
covers the text.

Before, the view scrolled only as far as it had to: the hit sat on the bottom row, cut
off when it wrapped, with the "hit 1 of 9" toast over its mirror in the right pane.
"""

from __future__ import annotations

from textual.widgets._toast import Toast

from speechreader.core.store import Store
from speechreader.tui.app import SpeechreaderApp
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.session import Session
from speechreader.tui.widgets.annotation_panels import AnnotationList
from tests.tui.conftest import UNDATED, open_doc, sample_text, screen_text, wait_until


class LongToasts(SpeechreaderApp):
    """Toasts stay until the test has looked (a loaded machine may take seconds to)."""

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        super().notify(message, title=title, severity=severity, timeout=60, markup=markup)


def assert_in_upper_third(reader: ReaderScreen, start: int, end: int) -> None:
    """Both panes show the same rows, ``start``'s row in the top third, and (if it fits)
    the passage's last row too: nothing of it is below the bottom edge."""
    state = reader.state
    for side, pane in enumerate(reader.reader.panes):
        rows = state.layout.panes[side]
        top, height = round(pane.scroll_y), pane.scrollable_content_region.height
        first = rows.row_of(state.to_pane(side, start))
        last = rows.row_of(state.to_pane(side, max(start, end - 1)))
        assert top <= first < top + height / 3, (side, top, first, height)
        if last - first < height * 2 / 3:
            assert last < top + height, "the passage's end is below the view"
    left, right = reader.reader.panes
    assert round(left.scroll_y) == round(right.scroll_y)


def assert_no_toast_over_the_text(app) -> None:
    toasts = [t for t in app.screen.query(Toast) if t.region.area]
    assert toasts, "a toast should be showing"
    for pane in app.screen.reader.panes:
        for toast in toasts:
            overlap = toast.region.intersection(pane.region)
            assert not overlap.area, f"a toast covers the text: {toast.region} {pane.region}"


async def test_an_annotation_from_the_list_lands_in_the_upper_third(
    make_app, db_path, sample_corpus
):
    text = sample_text(sample_corpus, UNDATED)
    # two long passages (several rows each) far down the document, one near its end
    spans = [(len(text) // 2, len(text) // 2 + 300), (len(text) - 2000, len(text) - 1500)]
    with Store(db_path, coder="tester") as store:
        for start, end in spans:
            store.add(UNDATED, start, end, text=text, doc_hash="", tags=["far"])
    for size in ((80, 24), (160, 50)):
        async with make_app().run_test(size=size) as pilot:
            reader = await open_doc(pilot, UNDATED)
            await pilot.press("a")
            await pilot.pause()
            await pilot.press("home", "enter")
            await wait_until(pilot, lambda r=reader: r.state.selection == spans[0], "the jump")
            assert_in_upper_third(reader, *spans[0])
            panel = reader.query_one(AnnotationList)
            # lying over the panes (80 columns), the list stepped aside to show the passage
            assert panel.has_class("hidden") == (size[0] < 120)
            await pilot.press(*(["a"] if panel.has_class("hidden") else ["a", "a"]))
            await pilot.press("down", "enter")
            await wait_until(pilot, lambda r=reader: r.state.selection == spans[1], "the 2nd jump")
            assert_in_upper_third(reader, *spans[1])


async def test_search_hits_land_in_the_upper_third_and_toasts_leave_the_text_alone(
    sample_corpus, db_path
):
    text = sample_text(sample_corpus, UNDATED)
    word = "幹部"
    hits, at = [], text.find(word)
    while at >= 0:
        hits.append((UNDATED, at, at + len(word)))
        at = text.find(word, at + 1)
    assert len(hits) > 10
    app = LongToasts(Session(sample_corpus, db_path))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        reader = await open_doc(pilot, UNDATED)
        app.session.set_hits(hits, -1)
        seen_scrolls = set()
        for index in (0, len(hits) // 2, len(hits) - 3):
            app.session.hit_position = index - 1
            await pilot.press("n")
            _, start, end = hits[index]
            await wait_until(pilot, lambda s=start, e=end: reader.state.selection == (s, e),
                             "the hit is selected")  # fmt: skip
            assert_in_upper_third(reader, start, end)
            seen_scrolls.add(round(reader.reader.panes[0].scroll_y))
            await wait_until(pilot, lambda: list(app.screen.query(Toast)), "the toast")
            assert_no_toast_over_the_text(app)
        assert len(seen_scrolls) == 3, "the hits should be far apart"
        # Many toasts at once: the newest two show, still off the text.
        for word in ("one", "two", "three", "four"):
            app.notify(f"toast {word}")
        await wait_until(pilot, lambda: "toast four" in screen_text(app), "the last toast")
        assert "toast two" not in screen_text(app)
        assert len([t for t in app.screen.query(Toast) if t.region.area]) == 2
        assert_no_toast_over_the_text(app)
        # e: a problem mark is a jump too
        await pilot.press("g", "e")
        mark = reader.state.mark_at(reader.state.cursor)
        assert mark is not None
        assert_in_upper_third(reader, mark.start, mark.end)
