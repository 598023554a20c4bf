"""Markup and escapes in every piece of user and file text are shown as written.

A corpus whose titles, metadata and file names, a codebook whose tags and
descriptions, and notes and queries all carry ``[/]`` (a MarkupError if parsed),
``[@click=app.quit]…[/]`` (a live link that quits), ``[bold]``, ESC and BEL go
through every screen and dialog. On each: the app still runs, the text appears
literally (control characters as their pictures, ␛ ␇), and no control character
reaches the terminal.
"""

from __future__ import annotations

import time

import pytest

from speechreader.tui.app import SpeechreaderApp
from speechreader.tui.literal import visible
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.session import Session
from tests.tui import hostile as h
from tests.tui.conftest import PATIENCE, screen_text, stored, wait_for_library, wait_until


@pytest.fixture
def hostile(tmp_path):
    corpus = h.write_corpus(tmp_path / "corpus")
    db = tmp_path / "db.srdb"
    h.write_database(corpus, db)
    return corpus, db


async def check(pilot, *expected: str) -> str:
    """The app runs, shows each of ``expected`` as written, and draws no control character.

    Toasts and dialogs arrive a frame or two after the key: wait for them (a while).
    """
    app = pilot.app
    deadline = time.monotonic() + PATIENCE
    while True:
        await pilot.pause()
        assert app.is_running and app.return_code is None, "the app quit"
        text = screen_text(app)
        flat = text.replace("\n", "")
        if all(visible(item) in flat for item in expected) or time.monotonic() > deadline:
            break
        await pilot.pause(0.02)
    drawn = {ch for ch in text if ch != "\n" and (ord(ch) < 0x20 or ord(ch) == 0x7F)}
    assert not drawn, f"control characters reached the screen: {drawn!r}"
    for item in expected:
        assert visible(item) in flat, f"not shown literally: {item!r}\n{text}"
    app.clear_notifications()  # the next check sees only its own toasts
    return text


class LongToasts(SpeechreaderApp):
    """Toasts stay until the test has looked (a loaded machine may take seconds to)."""

    def notify(self, message, *, title="", severity="information", timeout=None, markup=True):
        super().notify(message, title=title, severity=severity, timeout=60, markup=markup)


async def open_id(pilot, doc_id: str) -> ReaderScreen:
    library = await wait_for_library(pilot)
    library.table.focus()
    library.table.move_to(doc_id)
    await pilot.press("enter")
    await wait_until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, ReaderScreen)
            and pilot.app.screen.doc_id == doc_id
            and pilot.app.screen.state is not None
            and pilot.app.screen.state.layout is not None
        ),
        f"{doc_id!r} open",
    )
    await pilot.pause()
    return pilot.app.screen


async def test_library_reader_and_their_dialogs_show_hostile_text_literally(hostile):
    corpus, db = hostile
    # The hostile coder codes: the memo editor below opens on their own annotation's memo
    # (another coder's would get a memo of the session coder's own; test_ownership.py).
    app = LongToasts(Session(corpus, db, coder=h.CODER))
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await wait_for_library(pilot)
        await check(
            pilot, h.TITLE_CLOSE, h.TITLE_LINK, h.TITLE_META, h.SPEAKER, "[@click=app.quit]x["
        )
        await pilot.press("slash", *"[/]")  # a filter that is markup
        await check(pilot, "[/]")
        await pilot.press("escape", "exclamation_mark")  # the skipped file's hostile name
        await check(pilot, h.SKIPPED_NAME)
        await pilot.press("escape")

        # The reader's header: the title that used to crash, the one that was a link.
        reader = await open_id(pilot, "a")
        await check(pilot, h.TITLE_CLOSE, "[/]这不是标记。", "[@click=app.quit]点我[/]")
        await pilot.press("escape")
        reader = await open_id(pilot, "b")
        await check(pilot, h.TITLE_LINK)
        await pilot.click("#doc-title")  # a live link here would quit the app
        await check(pilot, h.TITLE_LINK)
        await pilot.press("escape")
        reader = await open_id(pilot, visible_id(app, h.FILE_NAME))
        await check(pilot, h.TITLE_META)

        # The annotation under the cursor (hostile tag, coder, note) and the list.
        text = reader.text
        reader.reader.move_to(text.index("各位"))
        await pilot.pause()
        await check(pilot, h.TAGS[2][0], "[/]coder\x1b", "备注 [/] [@click=app.quit]退出[/]")
        await pilot.press("a")
        await check(pilot, h.TAGS[2][0])
        await pilot.press("a")
        # The memo editor shows the escape as a picture, and saving keeps the memo exact.
        await pilot.press("m")
        await check(pilot, "第二行 ␛[31m ␇")
        await pilot.press("ctrl+s")
        await check(pilot, "Memo saved")
        notes = [a.note for a in stored(db, visible_id(app, h.FILE_NAME))[0]]
        assert notes == [h.NOTE]

        # Digit keys apply codebook tags: the toast names the tag.
        await pilot.press("right_curly_bracket", "s", "1")
        await check(pilot, f"Tagged {h.CLOSE}")
        await pilot.press("2")
        await check(pilot, f"Tagged {h.LINK}")
        # The tag picker: every hostile tag, its description and parent; a new one.
        await pilot.press("t")
        await check(pilot, *(name for name, _, _ in h.TAGS), h.TAGS[1][1], h.TAGS[2][1])
        await pilot.press(*"[/]new")
        await check(pilot, "Create tag “[/]new”")
        await pilot.press("enter")
        await check(pilot, "Tagged [/]new")
        # The memo editor and the delete question quote the hostile note and tags.
        await pilot.press("m")
        await check(pilot, "Memo on this passage")
        await pilot.press(*"[bold]x[/]", "ctrl+s")
        await check(pilot, "Memo saved")
        await pilot.press("x")
        await check(pilot, "Delete this annotation?", f"[{h.CLOSE}, {h.LINK}, [/]new]")
        await pilot.press("y")
        await check(pilot, "Annotation deleted")
        await pilot.press("u")
        await check(pilot, "Undone")
        await pilot.press("question_mark")
        await check(pilot, "Keys")
        await pilot.press("escape", "ctrl+p")
        await pilot.press(*"[/]")
        await check(pilot, "[/]")
        await pilot.press("escape")
        assert app.is_running
    items, tags = stored(db)
    assert "[/]new" in tags
    assert any(a.note == "[bold]x[/]" for a in items)


def visible_id(app, file_name: str) -> str:
    """The id of the document stored in ``file_name`` (ids come from file names)."""
    corpus = app.session.corpus
    return next(d.id for d in corpus.documents if d.path == file_name)


async def test_search_and_autocode_show_hostile_queries_and_titles_literally(hostile):
    corpus, db = hostile
    app = LongToasts(Session(corpus, db))
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await wait_for_library(pilot)
        await pilot.press("ctrl+f")
        await pilot.press(*"[@click=app.quit]")
        await wait_until(pilot, lambda: "hit" in screen_text(app), "the search ran")
        await check(pilot, "[@click=app.quit] 点我[/]", h.TITLE_LINK, h.TITLE_META)
        await pilot.press("ctrl+a")
        await check(pilot, "Auto-code every hit of “[@click=app.quit]”")
        await pilot.press(*"[/]tag")
        await wait_until(pilot, lambda: "is new" in screen_text(app), "the preview")
        await check(pilot, "The tag “[/]tag” is new")
        await pilot.press("enter")
        await check(pilot, "with “[/]tag”")
        await pilot.press("ctrl+u")
        await check(pilot, "Undone")
        # A broken regex's error quotes the query.
        await pilot.press("tab", "space", "shift+tab")
        await pilot.press(*"[/")
        await check(pilot, "invalid regular expression '[/'")
        # The reader's own search: its header is the hostile title.
        await pilot.press("escape")
        await open_id(pilot, "a")
        await pilot.press("slash")
        await check(pilot, f"Search · {h.TITLE_CLOSE}")
        await pilot.press(*"发展", "enter", "enter")
        await wait_until(pilot, lambda: isinstance(app.screen, ReaderScreen), "back in the reader")
        await pilot.press("n", "N")
        await check(pilot, "hit ")
        assert app.is_running


async def test_codebook_and_its_dialogs_show_hostile_tags_literally(hostile):
    corpus, db = hostile
    app = LongToasts(Session(corpus, db))
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await wait_for_library(pilot)
        await pilot.press("C")
        await pilot.pause()
        await check(pilot, *(name for name, _, _ in h.TAGS), h.TAGS[0][1], h.TAGS[3][1])
        for key, shows in [
            ("r", f"Rename “{h.CLOSE}”"),
            ("e", f"Description of “{h.CLOSE}”"),
            ("c", f"Colour of “{h.CLOSE}”"),
            ("m", f"Move “{h.CLOSE}” under…"),
            ("M", f"Merge “{h.CLOSE}” into…"),
            ("x", f"Delete the tag “{h.CLOSE}”?"),
        ]:
            await pilot.press(key)
            await check(pilot, shows)
            await pilot.press("escape")
        # A name with an escape is edited as its picture and kept exactly.
        await pilot.press("end", "r")
        await check(pilot, "红␛[31m")
        await pilot.press("end", *"!", "enter")
        await check(pilot, "to “红␛[31m!”")
        assert "红\x1b[31m!" in stored(db)[1]
        await pilot.press("u", "home", "down")
        await pilot.press("r", *"[/]b", "enter")
        await check(pilot, "to “[/]b”")
        await pilot.press("u")
        await check(pilot, "Undone")
        await pilot.press("a", *"[@click=app.quit]q[/]", "tab", *"\\[bold]", "enter")
        await check(pilot, "Added “[@click=app.quit]q[/]”")
        await pilot.press("question_mark")
        await check(pilot, "Keys")
        await pilot.press("escape", "escape")
        assert app.is_running


async def test_the_analysis_screen_shows_hostile_tags_and_fields_literally(hostile):
    corpus, db = hostile
    app = LongToasts(Session(corpus, db))
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        await open_id(pilot, "a")
        await pilot.press("Y")  # its tag and field choosers held markup: MarkupError
        await wait_until(pilot, lambda: type(app.screen).__name__ == "AnalysisScreen", "analysis")
        for _ in range(5):  # through its tabs, each drawing tags, speakers, places
            await check(pilot, "[/]")
            await pilot.press("right")
        assert app.is_running
