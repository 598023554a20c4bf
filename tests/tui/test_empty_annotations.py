"""No key leaves an annotation with nothing on it (no tag, highlight or memo).

Such an annotation marks nothing in the reader and exports as a row with an empty
tag. Removing the last tag with its digit key, or clearing the only memo, deletes
the annotation instead, as one step that u brings back.
"""

from __future__ import annotations

from speechreader.core.corpus import Corpus
from speechreader.core.exchange import export_csv
from speechreader.core.store import Store
from tests.tui.conftest import XICHANG, open_doc, stored


async def test_removing_the_last_tag_deletes_the_annotation_and_u_brings_it_back(
    make_app, db_path, sample_corpus, tmp_path
):
    with Store(db_path, coder="tester") as store:
        store.add_tag("economy")
    async with make_app().run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("s", "1")
        await pilot.pause()
        [first], _ = stored(db_path, XICHANG)
        assert (first.start, first.end, first.tags) == (0, 39, ["economy"])
        await pilot.press("1")  # the cursor is on it: the digit again removes the tag
        await pilot.pause()
        assert stored(db_path, XICHANG)[0] == []
        assert reader.state.placed == []
        messages = pilot.app.said
        assert any("annotation was deleted (u to undo)" in m for m in messages), messages
        await pilot.press("u")  # one step brings it back, tag and all
        await pilot.pause()
        [back], _ = stored(db_path, XICHANG)
        assert (back.id, back.tags) == (first.id, ["economy"])
    with Store(db_path, readonly=True) as store:
        assert export_csv(store, Corpus.load(sample_corpus), tmp_path / "out.csv") == 1


async def test_an_annotation_that_keeps_a_memo_or_highlight_only_loses_the_tag(make_app, db_path):
    with Store(db_path, coder="tester") as store:
        store.add_tag("economy")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "1", "m", *"why", "ctrl+s")
        await pilot.pause()
        await pilot.press("1")
        await pilot.pause()
        [kept], _ = stored(db_path, XICHANG)
        assert (kept.tags, kept.note) == ([], "why")
        # Clearing the only memo leaves nothing: deleted too.
        await pilot.press("m", "backspace", "backspace", "backspace", "ctrl+s")
        await pilot.pause()
        assert stored(db_path, XICHANG)[0] == []
        await pilot.press("shift+right", "h", "m", *"x", "ctrl+s")  # a highlight with a memo
        await pilot.pause()
        await pilot.press("left", "m", "backspace", "ctrl+s")
        await pilot.pause()
        [highlighted], _ = stored(db_path, XICHANG)
        assert (highlighted.highlight, highlighted.note) == ("yellow", "")
