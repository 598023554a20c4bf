"""PageDown turns a page of rows, even when the whole document is one 100,000-character
line, and the status line's position moves with it.

Before, PageDown only put the cursor on the last visible row (the view did not scroll)
and the status stayed at 0 %, since a page of a long text is less than 1 % of it.
"""

from __future__ import annotations

import re
from itertools import pairwise

from speechreader.tui.screens.reader import ReaderScreen
from tests.tui.conftest import UNDATED, open_doc, sample_text


def status_percent(reader: ReaderScreen) -> str:
    status = str(reader.query_one("#status").render())
    found = re.match(r"\s*([\d.]+%)", status)
    assert found, status
    return found.group(1)


async def test_pagedown_scrolls_a_single_long_line_by_pages(make_app, sample_corpus):
    one_line = sample_text(sample_corpus, UNDATED).replace("\n", "")
    text = (one_line * (100_000 // len(one_line) + 1))[:100_000]
    (sample_corpus / "one-line.txt").write_text(text, encoding="utf-8")
    async with make_app().run_test(size=(80, 24)) as pilot:
        reader = await open_doc(pilot, "one-line")
        left, right = reader.reader.panes
        height = left.scrollable_content_region.height
        assert reader.state.layout.height > 50 * height  # many pages of rows
        assert status_percent(reader) == "0.0%"
        tops, percents, cursors = [round(left.scroll_y)], [status_percent(reader)], [0]
        for _ in range(4):
            await pilot.press("pagedown")
            await pilot.pause()
            tops.append(round(left.scroll_y))
            percents.append(status_percent(reader))
            cursors.append(reader.state.cursor)
            assert round(right.scroll_y) == tops[-1]
            row = reader.state.cursor_row()
            assert tops[-1] <= row < tops[-1] + height
        steps = [b - a for a, b in pairwise(tops)]
        # each PageDown scrolls most of a page (a row or two kept for context)
        assert all(height - 3 <= step <= height for step in steps), (steps, height)
        assert len(set(percents)) == len(percents), percents  # the status moves each time
        shown = float(percents[-1].rstrip("%"))
        assert abs(shown - 100 * cursors[-1] / len(text)) < 0.1
        assert shown > 0
        await pilot.press("pageup")
        await pilot.pause()
        assert round(left.scroll_y) == tops[-2]


async def test_pagedown_in_a_short_speech_scrolls_at_once(make_app):
    async with make_app().run_test(size=(80, 24)) as pilot:
        reader = await open_doc(pilot, UNDATED)
        left = reader.reader.panes[0]
        await pilot.press("pagedown")
        await pilot.pause()
        assert round(left.scroll_y) > 0, "the first PageDown should turn the page"
        await pilot.press("G")
        await pilot.pause()
        bottom = round(left.scroll_y)
        await pilot.press("pagedown")  # at the end: nothing more to show, nothing breaks
        await pilot.pause()
        assert round(left.scroll_y) == bottom
        assert reader.state.cursor == len(reader.state.text)
