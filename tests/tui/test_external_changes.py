"""Another process writes the database while the app shows it: no crash, the screen follows."""

from __future__ import annotations

import subprocess
import sys

from speechreader.tui.screens.reader import ReaderScreen
from tests.tui.conftest import XICHANG, open_doc, wait_for_library, wait_until


def _tag_from_cli(corpus, db, doc_id: str, tag: str) -> None:
    """A teammate's `speechreader tag` in its own process (a real second writer)."""
    subprocess.run(
        [sys.executable, "-m", "speechreader", "tag", doc_id, "0", "10", "--tag", tag,
         "--corpus", str(corpus), "--db", str(db)],
        check=True, capture_output=True,
    )  # fmt: skip


async def test_a_cli_write_while_the_library_shows_updates_its_counts(
    make_app, sample_corpus, db_path
):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await wait_until(pilot, lambda: app._reader is not None, "the reader was built")
        _tag_from_cli(sample_corpus, db_path, XICHANG, "外部")
        await wait_until(pilot, lambda: library.counts.get(XICHANG) == 1, "the library counted it")
        assert app.screen is library and app.is_running


async def test_the_reader_follows_a_cli_write_and_survives_one_before_any_document(
    make_app, sample_corpus, db_path
):
    """The reader screen is built before any document is open: a write then must not crash it."""
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_library(pilot)
        await wait_until(pilot, lambda: app._reader is not None, "the reader was built")
        _tag_from_cli(sample_corpus, db_path, XICHANG, "一")
        app.check_external_changes()  # what the watcher does every few seconds
        reader = await open_doc(pilot, XICHANG)
        assert isinstance(reader, ReaderScreen)
        assert [p.annotation.tags for p in reader.state.placed] == [["一"]]
        _tag_from_cli(sample_corpus, db_path, XICHANG, "二")
        await wait_until(pilot, lambda: len(reader.state.placed) == 2, "the reader showed it")
        assert "2 annotations" in str(reader.query_one("#status").render())
