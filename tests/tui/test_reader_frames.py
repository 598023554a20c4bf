"""Both panes of the reader change in the same frame, on a 2 MB document.

Before, each pane asked for its own repaint from its own message queue: on a big
document the right pane was often drawn a frame (20-110 ms) after the left, so for a
moment the two sides showed different paragraphs. Here every frame written to the
(headless) terminal is checked: the rows each pane last drew at its top must be the
same rows of the document, after every key, without waiting for the app to settle.
"""

from __future__ import annotations

from pathlib import Path

from textual import events

from speechreader.tui.app import SpeechreaderApp
from speechreader.tui.session import Session
from tests.tui.conftest import open_doc, wait_until

BIG = "big-document"


def write_big_document(corpus: Path, megabytes: float = 0.5) -> str:
    """A document of about ``megabytes`` of UTF-8 made of the sample speeches, repeated."""
    parts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.txt"))]
    chunk = "\n".join(parts)
    size = len(chunk.encode("utf-8"))
    (corpus / f"{BIG}.txt").write_text(chunk * max(1, round(megabytes * 1e6 / size)), "utf-8")
    return BIG


class FrameChecked(SpeechreaderApp):
    """Looks at both panes each time a frame is written to the terminal."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.frames: list[tuple[tuple[int, int], tuple[int, int]]] = []
        self.watching = False

    def _display(self, screen, renderable) -> None:
        super()._display(screen, renderable)
        if self.watching:
            left, right = screen.reader.panes
            self.frames.append(
                (
                    (left.painted_top_row, right.painted_top_row),
                    (left.painted_top_offset, right.painted_top_offset),
                )
            )


async def test_both_panes_show_the_same_rows_in_every_frame(sample_corpus, db_path):
    doc = write_big_document(sample_corpus)
    app = FrameChecked(Session(sample_corpus, db_path))
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, doc)
        left, right = reader.reader.panes
        await wait_until(pilot, lambda: left.painted_top_row == right.painted_top_row == 0,
                         "both panes painted")  # fmt: skip
        app.watching = True
        keys = ["pagedown"] * 25 + ["w", "b", "down"] * 3 + ["pageup"] * 5 + ["G", "g"]
        for key in keys:
            await pilot.press(key)
            top = round(left.scroll_y)
            # the key's frame has been written: both panes drew the new top row
            assert (left.painted_top_row, right.painted_top_row) == (top, top), key
        # Keys as a terminal sends them, one after another, not waiting for the app.
        for key in ["pagedown"] * 15 + ["ctrl+right"] * 5 + ["pageup"] * 5:
            app._driver.send_message(events.Key(key, None))
        await pilot.press("down")  # after those, in the same queue: all have been handled
        moved = {rows for rows, _ in app.frames}
        assert len(moved) > 25, "the keys should have scrolled the panes"
        for rows, offsets in app.frames:
            assert rows[0] == rows[1], f"a frame showed rows {rows[0]} and {rows[1]}"
            assert offsets[0] == offsets[1], f"a frame showed offsets {offsets}"


async def test_an_open_document_is_kept_out_of_garbage_collections(make_app):
    """Its layout, spans and marks are frozen (no 0.5-1 s pause mid-key on 2 MB), and
    thawed when the app ends."""
    import gc

    async with make_app().run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, "undated_three-level-cadres-conference")
        state = reader.state
        walked = {id(o) for o in gc.get_objects()}  # generations 0-2, not the frozen
        for long_lived in (state.sentences, state.marks, state.layout.panes[0].starts):
            assert gc.is_tracked(long_lived) and id(long_lived) not in walked
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
