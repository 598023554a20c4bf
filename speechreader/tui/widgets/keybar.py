"""The bottom line of key hints: the main keys of what has focus, in one widget.

Textual's Footer builds a widget per key and restyles them all whenever focus or
bindings change; opening a document paid ~100 ms for that. This draws the same hints
as one line of text: as many whole hints as fit the width (never one cut to a bare
"C"), then "^p all actions", which lists every key.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

_LAST = ("^p", "all actions")


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.hints: list[tuple[str, str]] | None = None  # None: drawn by update()

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        hints: list[tuple[str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            hints.append((self.app.get_key_display(binding), binding.description))
        if hints != self.hints:
            self.hints = hints
            self.refresh()

    def render(self):
        if self.hints is None:  # a subclass that draws its own line
            return super().render()
        return hint_line(self.hints, self.content_size.width or 10_000)


def _hint(key: str, description: str) -> Text:
    text = Text()
    text.append(f" {key} ", style="bold reverse")
    text.append(f" {description}  ")
    return text


def hint_line(hints: list[tuple[str, str]], width: int) -> Text:
    """Whole hints, in order, while they fit ``width`` with the last one after them."""
    last = _hint(*_LAST)
    last.rstrip()
    room = width - last.cell_len
    line = Text(no_wrap=True, overflow="crop")
    for key, description in hints:
        piece = _hint(key, description)
        if cell_len(line.plain) + piece.cell_len > room:
            break
        line.append_text(piece)
    line.append_text(last)
    return line
