"""Editing keys typed in one burst with text act in the order they were typed
(Textual runs an Input's own bindings only after the key reached the app)."""

from __future__ import annotations

import pytest
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from speechreader.tui.widgets.typed_input import TypedInput
from tests.tui.conftest import wait_until


class OneField(App[None]):
    def __init__(self, value: str) -> None:
        super().__init__()
        self.value = value

    def compose(self) -> ComposeResult:
        yield TypedInput(self.value, id="field")


def burst(app: App, keys: list[tuple[str, str | None]]) -> None:
    """Every key posted at once: no pause for the app between them."""
    for key, char in keys:
        app.post_message(events.Key(key, char))


@pytest.mark.parametrize(
    ("start", "keys", "expected"),
    [
        ("旧标题", [("ctrl+u", None), ("西", "西"), ("昌", "昌")], "西昌"),
        ("", [("a", "a"), ("b", "b"), ("backspace", None), ("c", "c")], "ac"),
        ("讲话", [("ctrl+w", None), ("x", "x")], "x"),
        ("ab", [("home", None), ("x", "x")], "xab"),
    ],
)
async def test_editing_keys_in_a_burst_act_between_the_characters_around_them(
    start, keys, expected
):
    app = OneField(start)
    async with app.run_test() as pilot:
        field = app.query_one("#field", Input)
        field.focus()
        field.cursor_position = len(start)
        await wait_until(pilot, lambda: field.has_focus, "the field focused")
        burst(app, keys)
        await wait_until(pilot, lambda: field.value == expected, lambda: repr(field.value))
        await pilot.pause()
        assert field.value == expected
