"""The library shows metadata.csv's problems, and ! lists them beside the skipped files."""

from __future__ import annotations

from textual.widgets import DataTable

from speechreader.tui.dialogs.skipped import SkippedFiles
from tests.tui.conftest import wait_for_library, wait_until


async def test_metadata_problems_are_counted_and_listed(make_app, sample_corpus):
    (sample_corpus / "metadata.csv").write_text(
        "file,title\n../x.txt,[/]\nmissing.txt,b\n", encoding="utf-8"
    )
    (sample_corpus / "binary.txt").write_bytes(bytes(range(256)))
    async with make_app().run_test(size=(160, 40)) as pilot:
        library = await wait_for_library(pilot)
        status = str(library.query_one("#library-status").render())
        assert "metadata.csv: 2 problems (! to see)" in status
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SkippedFiles), "the list")
        table = pilot.app.screen.query_one(DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
    assert rows[0][0] == "binary.txt"
    assert rows[1] == ["metadata.csv", "line 2: ../x.txt is outside the corpus folder; row ignored"]
    assert rows[2][1].startswith("1 row names no file in the corpus: missing.txt")
