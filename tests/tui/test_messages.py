"""Messages in good English in the space there is: counts, the ! dialog, the key bar, toasts."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from speechreader.core.words import plural, verb
from speechreader.tui.dialogs.prompt import TextPrompt
from speechreader.tui.dialogs.skipped import SkippedFiles
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.screens.library_columns import COLUMNS
from speechreader.tui.screens.reader import fit_status
from speechreader.tui.widgets.keybar import hint_line
from tests.tui.conftest import XICHANG, open_doc, screen_text, wait_for_library, wait_until
from tests.tui.test_codebook_screen import answer, open_codebook

CODED = [c.key for c in COLUMNS].index("annotations")


def test_plural_says_one_and_many():
    assert plural(1, "annotation") == "1 annotation"
    assert plural(0, "annotation") == "0 annotations"
    assert plural(2, "child", "children") == "2 children"
    assert verb(1, "was", "were") == "was" and verb(3, "was", "were") == "were"


def _status(library: LibraryScreen) -> str:
    return str(library.query_one("#library-status").render())


def _one_annotation(corpus_dir, db) -> None:
    corpus = Corpus.load(corpus_dir)
    with Store(db, coder="tester") as store:
        store.add(XICHANG, 0, 10, text=corpus.text(XICHANG),
                  doc_hash=corpus.get(XICHANG).content_hash, tags=["economy"])  # fmt: skip


async def test_the_library_status_says_1_annotation(make_app, sample_corpus, db_path):
    _one_annotation(sample_corpus, db_path)
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        await wait_until(pilot, lambda: "annotation" in _status(library), "the status")
        assert "5 documents │ 1 annotation │" in _status(library) + " │"
        assert "1 annotations" not in _status(library)


async def test_coded_counts_follow_coding_each_time_the_library_comes_back(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_doc(pilot, XICHANG)
        await pilot.press("s", "t", *"x", "enter", "escape")
        library = pilot.app.screen
        assert isinstance(library, LibraryScreen)
        await wait_until(pilot, lambda: library.table.get_row(XICHANG)[CODED] == "1", "1")
        assert "1 annotation" in _status(library)
        await open_doc(pilot, XICHANG)
        await pilot.press("u", "escape")  # undone in the reader: the library says so
        await wait_until(pilot, lambda: library.table.get_row(XICHANG)[CODED] == "0", "0")
        assert "0 annotations" in _status(library)


async def test_nothing_to_show_says_so_instead_of_an_empty_dialog(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await wait_for_library(pilot)
        await pilot.press("exclamation_mark")

        def toasts() -> list[str]:
            return [n.message for n in pilot.app._notifications]

        await wait_until(pilot, lambda: toasts(), "the toast")
        assert toasts() == ["No problems: every file was loaded, and metadata.csv has none."]
        assert not isinstance(pilot.app.screen, SkippedFiles)


async def test_one_skipped_file_is_said_in_the_singular(make_app, sample_corpus):
    (sample_corpus / "empty.txt").write_bytes(b"")
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        assert "1 file skipped (! to see why)" in _status(library)
        await pilot.press("exclamation_mark")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, SkippedFiles), "dialog")
        assert "1 file was not loaded" in screen_text(pilot.app)


def test_the_key_bar_shows_whole_hints_then_all_actions():
    hints = [("⏎", "Open"), ("/", "Filter"), ("s", "Sort"), ("C", "Codebook"), ("Y", "Analysis")]
    for width in (30, 40, 58, 200):
        line = hint_line(hints, width).plain
        assert cell_len(line) <= width
        assert line.rstrip().endswith("^p  all actions")
        for key, description in hints:  # a hint is there whole or not at all
            assert (f" {key}  {description}" in line) == (f" {key} " in line)
    assert " C " not in hint_line(hints, 50).plain  # no bare "C" at the end
    assert "Analysis" in hint_line(hints, 200).plain


@pytest.mark.parametrize("width", [80, 60])
async def test_the_key_bar_at_80_columns_ends_in_all_actions(make_app, width):
    async with make_app().run_test(size=(width, 24)) as pilot:
        await wait_for_library(pilot)
        last = screen_text(pilot.app).rstrip("\n").splitlines()[-1]
        assert last.rstrip().endswith("^p  all actions"), last


def test_the_reader_status_keeps_saved_in_view():
    parts = ["7%", "SELECT", "120 chars selected", "mixed · standard", "12 annotations"]
    wide = fit_status(parts, "✓ all changes saved", 200)
    assert wide.endswith("✓ all changes saved")
    narrow = fit_status(parts, "✓ all changes saved", 78)
    assert cell_len(narrow) <= 78 and narrow.endswith("✓ saved")
    narrower = fit_status(parts, "✓ all changes saved", 64, ("mixed · standard",))
    assert narrower == "7% │ SELECT │ 120 chars selected │ 12 annotations │ ✓ saved"
    tiny = fit_status(parts, "✓ all changes saved", 40)
    assert tiny.startswith("✓ saved")


async def test_the_reader_status_at_80_columns_says_saved_whole(make_app):
    async with make_app().run_test(size=(80, 24)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("s", "t", *"x", "enter")  # 1 annotation, saved
        await pilot.press("v", *["right"] * 30)  # a selection: a longer status line
        status = str(reader.query_one("#status").render())
        await wait_until(pilot, lambda: "saved" in str(reader.query_one("#status").render()),
                         "saved")  # fmt: skip
        status = str(reader.query_one("#status").render())
        assert "1 annotation │" in status and "1 annotations" not in status
        assert "30 chars selected" in status
        assert cell_len(status) <= 78 and status.endswith(("✓ all changes saved", "✓ saved"))


@pytest.mark.parametrize(
    ("tag", "said"),
    [
        ("unused", "Renamed “unused” to “renamed” (u to undo)"),
        ("economy", "Renamed “economy” to “renamed” on 1 annotation (u to undo)"),
    ],
)
async def test_a_rename_toast_counts_in_good_english(make_app, sample_corpus, db_path, tag, said):
    _one_annotation(sample_corpus, db_path)  # tagged economy
    with Store(db_path, coder="tester") as store:
        store.add_tag("unused")
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select=tag)
        await pilot.press("r")
        await answer(pilot, TextPrompt, "renamed", "enter")
        await wait_until(pilot, lambda: said in pilot.app.said, "the toast")
        assert not any(" 0 annotations" in message for message in pilot.app.said)
