"""Helpers for driving the real app with Textual's Pilot."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from speechreader.tui.app import SpeechreaderApp
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.session import Session

XICHANG = "2018-06-07_li-jun_xichang"
UNDATED = "undated_three-level-cadres-conference"


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "tui.srdb"


@pytest.fixture
def make_app(sample_corpus, db_path):
    def make(corpus: Path | None = None, db: Path | None = None, **kwargs) -> SpeechreaderApp:
        app = SpeechreaderApp(Session(corpus or sample_corpus, db or db_path, **kwargs))
        record_notifications(app)
        return app

    return make


def record_notifications(app: SpeechreaderApp) -> None:
    """Keep every message the app shows, in ``app.said``, in the order shown.

    The app's live collection is no record: the reader keeps only its newest two toasts
    on screen, so on a loaded machine a toast can be gone before a test looks at it.
    Screens' ``notify`` goes through ``app.notify``.
    """
    said: list[str] = []
    original = app.notify

    def notify(message, *args, **kwargs):
        said.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    app.said = said  # type: ignore[attr-defined]


#: How long a test waits for something before it fails: generous, for a loaded 2-core
#: machine running the suite beside other work (a test that passes waits only as long as
#: the app takes).
PATIENCE = 60.0


async def wait_until(
    pilot, condition, what: str | Callable[[], str], *, seconds: float = PATIENCE
) -> None:
    """Let the app run until ``condition()`` holds (then one more refresh), or fail.

    Tests wait for what they need, never a fixed time: a loaded machine is slow, and a
    fixed sleep is either too short there or wasted everywhere else. The deadline is
    wall-clock time, checked every 20 ms of the app running. ``what`` may be a function,
    called on failure, to say what the app showed instead.
    """
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            said = what() if callable(what) else what
            raise AssertionError(f"never happened in {seconds:.0f} s: {said}")
        await pilot.pause(0.02)
    await pilot.pause()


async def settled(pilot) -> None:
    """Wait until the app has nothing left to do: its workers finished (the corpus load,
    the counts, the segmentation), its animations run, its messages handled. What a
    snapshot needs before it is taken, instead of a fixed pause."""
    await pilot.app.workers.wait_for_complete()
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


async def wait_for_library(pilot) -> LibraryScreen:
    def filled() -> bool:
        screen = pilot.app.screen
        return isinstance(screen, LibraryScreen) and screen.table.row_count > 0

    await wait_until(pilot, filled, "the library filled")
    return pilot.app.screen


async def open_doc(pilot, doc_id: str) -> ReaderScreen:
    """Open a document the way a user does: find its row, press Enter."""
    library = await wait_for_library(pilot)
    table = library.table
    table.focus()
    table.move_to(doc_id)
    await pilot.press("enter")

    def shown() -> bool:  # the focus too: Textual's focus() lands later (a call_later)
        screen = pilot.app.screen
        state = screen.state if isinstance(screen, ReaderScreen) else None
        return (
            state is not None
            and state.layout is not None
            and screen.doc_id == doc_id
            and screen.reader.has_focus
        )

    await wait_until(pilot, shown, f"the reader showing {doc_id}, its text focused")
    return pilot.app.screen


async def wait_segmented(pilot, reader: ReaderScreen) -> None:
    def segmented() -> bool:
        return reader.state is not None and reader.state.segmented

    await wait_until(pilot, segmented, "the segmentation")


def stored(db: Path, doc_id: str | None = None):
    """What the database holds now, read by a fresh Store (as another process would)."""
    with Store(db, readonly=True) as store:
        items = store.for_document(doc_id) if doc_id else list(store.all())
        return items, [t.name for t in store.tags()]


def sample_text(corpus: Path, doc_id: str) -> str:
    return Corpus.load(corpus).text(doc_id)


def screen_text(app) -> str:
    """What the terminal shows now (every layer: screens below a dialog, toasts), as text.

    Made the way Textual's own screenshots are, but kept as plain characters, so a test
    can check that a title appears as written and that no control character is drawn.
    """
    import io

    from rich.console import Console

    width, height = app.size
    console = Console(
        width=width, height=height, file=io.StringIO(), force_terminal=True,
        color_system="truecolor", record=True, legacy_windows=False, safe_box=False,
    )  # fmt: skip
    update = app.screen._compositor.render_update(full=True, screen_stack=app._background_screens)
    console.print(update)
    return console.export_text(styles=False)


def type_ahead(app, *keys: str) -> None:
    """Send keys the way a fast typist does: all at once, without waiting for the app
    to handle one before the next (``pilot.press`` waits for the app to go idle after
    each key, which hides what typing ahead does)."""
    from textual import events

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
