"""A monkey at the keyboard: random keys (seeded) in every screen must never crash the app.

The corpus and the codebook are the hostile ones (markup and escapes everywhere), so
every screen the monkey reaches also draws that text. Each round starts the monkey
somewhere chosen (library, reader, search, codebook, help, a dialog) and lets it press
keys and click from there. Quitting is not a crash: the test app counts a quit
instead of quitting, so the monkey keeps going.

``SPEECHREADER_MONKEY_SEED`` and ``SPEECHREADER_MONKEY_KEYS`` replay a failure or
run a longer session (e.g. 20000 keys) by hand.
"""

from __future__ import annotations

import os
import random

import pytest

from speechreader.tui.app import SpeechreaderApp
from speechreader.tui.screens.library import LibraryScreen
from speechreader.tui.screens.reader import ReaderScreen
from speechreader.tui.session import Session
from tests.tui import hostile as h
from tests.tui.conftest import wait_for_library, wait_until

SEED = int(os.environ.get("SPEECHREADER_MONKEY_SEED", "20240613"))
KEYS_PER_ROUND = int(os.environ.get("SPEECHREADER_MONKEY_KEYS", "600")) // 13

#: What a person's hands do: every key the app binds, and plenty it does not.
KEYS = [
    *"abcdefghijklmnoprstuvwxyz",  # no q: see MonkeyApp
    *"ABCDEFGHIJKLMNOPRSTUVWXYZ",
    *"0123456789",
    *"发展幹部[]/()}{!?@#=+-_.,;:'\"<>|\\~`$%^&*",
    "up", "down", "left", "right", "pageup", "pagedown", "home", "end",
    "shift+up", "shift+down", "shift+left", "shift+right", "shift+home", "shift+end",
    "ctrl+left", "ctrl+right", "ctrl+shift+right", "shift+pagedown",
    "enter", "escape", "tab", "shift+tab", "space", "backspace", "delete",
    "ctrl+f", "ctrl+p", "ctrl+a", "ctrl+s", "ctrl+u", "ctrl+r", "ctrl+e", "ctrl+k",
    "f1", "insert",
]  # fmt: skip
#: Enter and Tab come often, as they do in use; ctrl+p seldom: in the palette every
#: letter is typed into its query, and the monkey would spend its time there.
WEIGHTS = [{"enter": 3, "tab": 2, "ctrl+p": 0.2}.get(key, 1) for key in KEYS]


class MonkeyApp(SpeechreaderApp):
    """Counts quits instead of quitting (q, ctrl+q, the palette's Quit)."""

    quits = 0

    async def action_quit(self) -> None:
        self.quits += 1


async def _start(pilot, where: str) -> None:
    """Go back to the library, then to where this round starts."""
    app = pilot.app
    while len(app.screen_stack) > 2 or not isinstance(app.screen, LibraryScreen):
        if len(app.screen_stack) <= 2 and not isinstance(app.screen, LibraryScreen):
            break
        app.pop_screen()
        await pilot.pause()
    if not isinstance(app.screen, LibraryScreen):
        return
    library = app.screen
    library.action_clear_filter()  # a filter typed in an earlier round may hide every row
    starts = {
        "library": [],
        "filter": ["slash"],
        "reader": ["enter"],
        "tag picker": ["enter", "s", "t"],
        "note editor": ["enter", "right_curly_bracket", "m"],
        "confirm": ["enter", "right_curly_bracket", "x"],
        "search": ["ctrl+f", *"发展"],
        "autocode": ["ctrl+f", *"发展"],  # then ctrl+a, once there are hits
        "codebook": ["C"],
        "tag prompt": ["C", "r"],
        "colour picker": ["C", "c"],
        "help": ["question_mark"],
        "skipped files": ["exclamation_mark"],
    }
    library.table.focus()
    await pilot.press(*starts[where])
    if where == "autocode":
        await wait_until(pilot, lambda: bool(getattr(app.screen, "spans", None)), "the hits")
        await pilot.press("ctrl+a")


@pytest.mark.parametrize("seed", [SEED])
async def test_random_keys_in_every_screen_never_crash_the_app(tmp_path, seed):
    corpus = h.write_corpus(tmp_path / "corpus")
    db = tmp_path / "db.srdb"
    h.write_database(corpus, db)
    rng = random.Random(seed)
    app = MonkeyApp(Session(corpus, db))
    rounds = [
        "library", "filter", "reader", "tag picker", "note editor", "confirm", "search",
        "autocode", "codebook", "tag prompt", "colour picker", "help", "skipped files",
    ]  # fmt: skip
    pressed: list[str] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_library(pilot)
        for where in rounds:
            await _start(pilot, where)
            for _ in range(KEYS_PER_ROUND):
                if rng.random() < 0.05:
                    x, y = rng.randrange(100), rng.randrange(30)
                    pressed.append(f"click@{x},{y}")
                    await pilot.click(offset=(x, y))
                else:
                    key = rng.choices(KEYS, WEIGHTS)[0]
                    pressed.append(key)
                    if os.environ.get("MONKEY_TRACE"):
                        print(key, [type(s).__name__ for s in app.screen_stack])
                    await pilot.press(key)
                assert app.is_running, f"seed {seed}, after {pressed[-20:]}"
            pressed.append(f"-- {where} done on {type(app.screen).__name__}")
        assert app.return_code is None
    # Seen: the monkey reached the reader and coded something (a real session, not idling).
    assert isinstance(app._reader, ReaderScreen)
