"""The bottom line of key hints: the main keys of what has focus, in one widget.

Textual's Footer builds a widget per key and restyles them all whenever focus or
bindings change; opening a document paid ~100 ms for that. This draws the same hints
as one line of text.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; color: $text; padding: 0 1; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            text.append(f" {self.app.get_key_display(binding)} ", style="bold reverse")
            text.append(f" {binding.description}  ")
        text.append(" ^p ", style="bold reverse")
        text.append(" all actions")
        self.update(text)
