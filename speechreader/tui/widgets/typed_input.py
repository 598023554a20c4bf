"""An Input whose editing keys act in the order they were typed.

Textual runs a focused widget's own (non-priority) bindings only after the key has
bubbled up to the app, while a typed character is inserted as soon as the widget
reads it. Keys that arrive in one burst (a fast typist; any typist over SSH, where
keys come in packets) were reordered: ctrl+u then 西昌 left the field empty (the
clear ran after the characters went in), ``ab`` backspace ``c`` gave ``ab``. Here
the widget's own bindings run when the widget reads the key, between the characters
before and after it.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input


class TypedInput(Input):
    """:class:`~textual.widgets.Input` with its own keys handled in typing order."""

    async def _on_key(self, event: events.Key) -> None:
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.priority:  # the app has already run those, before this widget
                continue
            if await self.app.run_action(binding.action, self):
                event.stop()
                event.prevent_default()
                return
        await super()._on_key(event)
