"""The two panes stay in step however a document is opened (library, search hit, n / N).

Before, a jump by ``n`` to a hit in another document left the panes at different
heights: after two PageDowns every row differed and ``G`` no longer moved them.
"""

from __future__ import annotations

from speechreader.tui.screens.reader import ReaderScreen
from tests.tui.conftest import XICHANG, open_doc, wait_until


async def settled(pilot) -> ReaderScreen:
    """The reader once it shows a document, its workers (segmentation) are done and every
    pending message (a scroll, a layout) has been handled."""

    def shown() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, ReaderScreen) and screen.state is not None

    await wait_until(pilot, shown, "the reader")
    await pilot.app.workers.wait_for_complete()
    for _ in range(3):
        await pilot.pause()
    return pilot.app.screen


def assert_in_step(reader: ReaderScreen) -> None:
    left, right = reader.reader.panes
    state = reader.state
    assert round(left.scroll_y) == round(right.scroll_y), "the panes' rows differ"
    assert left.virtual_size.height == right.virtual_size.height == state.layout.height
    top, height = round(left.scroll_y), left.scrollable_content_region.height
    assert top <= state.cursor_row() < top + height, "the cursor is off screen"


async def check_keys(pilot, reader: ReaderScreen) -> None:
    """PageDown, G and g move both panes, together, to where the cursor is."""
    assert_in_step(reader)
    await pilot.press("pagedown", "pagedown")
    reader = await settled(pilot)
    assert_in_step(reader)
    await pilot.press("G")
    reader = await settled(pilot)
    assert_in_step(reader)
    left = reader.reader.panes[0]
    assert round(left.scroll_y) == left.max_scroll_y > 0
    await pilot.press("g")
    reader = await settled(pilot)
    assert_in_step(reader)
    assert round(left.scroll_y) == 0


async def test_panes_stay_in_step_through_search_hits_in_other_documents(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("G")  # far down: the next document must not inherit this
        await settled(pilot)
        await pilot.press("ctrl+f", *"发展")
        await wait_until(
            pilot,
            lambda: (
                app.session.corpus is not None
                and "hits in" in str(app.screen.query_one("#search-status").render())
            ),
            "the search results",
        )
        await pilot.press("enter", "enter")  # to the results, open the first hit
        reader = await settled(pilot)
        assert (reader.doc_id, *reader.state.selection) == app.session.hits[0]
        assert_in_step(reader)
        documents = [reader.doc_id]
        for _ in range(len(app.session.hits)):
            await pilot.press("n")
            reader = await settled(pilot)
            assert_in_step(reader)
            if reader.doc_id != documents[-1]:
                documents.append(reader.doc_id)
                # As if opened afresh: the hit in the upper third (at the top of the
                # document, no scrolling), wherever the previous document was.
                left = reader.reader.panes[0]
                height = left.scrollable_content_region.height
                top, row = round(left.scroll_y), reader.state.cursor_row()
                assert top <= row < top + height / 3
                assert top == 0 or row >= height / 4
                if len(documents) == 3:
                    break
        assert len(documents) == 3, "the search should find 发展 in several documents"
        await check_keys(pilot, reader)
        await pilot.press("N")  # back into the previous document
        reader = await settled(pilot)
        assert reader.doc_id == documents[1]
        assert_in_step(reader)
        await check_keys(pilot, reader)
