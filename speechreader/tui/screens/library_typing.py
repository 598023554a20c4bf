"""Typing in the library: a character typed in the table starts the filter with it,
and keys typed right after ``/`` or ``e`` go where the person meant them (the filter,
the metadata editor) even before the focus has moved there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.screen import Screen

    from speechreader.tui.dialogs.metadata_editor import MetadataEditor

    _Base = Screen[None]
else:
    _Base = object


class LibraryTyping(_Base):
    """The library's keys that type (a mixin of LibraryScreen)."""

    editor_opening: MetadataEditor | None

    if TYPE_CHECKING:

        def action_edit_metadata(self) -> None: ...

    def action_filter(self) -> None:
        self._typing = True  # keys typed before the filter has focus go into it
        self.query_one(Input).focus()

    _typing = False

    def on_key(self, event: events.Key) -> None:
        """A character typed in the table starts the filter with it (a bound key, such
        as s, e, q, still does its job); right after ``/`` every character goes there.

        Focus moves a moment after it is asked for: keys typed quickly after ``/`` (or
        after the first letter) still reach the table, and were lost or sorted.
        """
        filter_input = self.query_one(Input)
        char = event.character
        editor = self.editor_opening
        early = editor is not None and event.key in editor.EARLY_EDITS
        if editor is not None and (early or (event.is_printable and char)):
            event.stop()  # typed right after e, before the editor showed: it is the editor's
            event.prevent_default()
            if early:
                editor.early_edit(event.key)
            else:
                editor.type_ahead(char or "")
            return
        if filter_input.has_focus or not event.is_printable or not char or char.isspace():
            return
        if event.key in ("slash", "e") and not self._typing:
            # here, not through the binding: that runs after the keys already typed
            # behind it have passed this screen (they would sort, or start the filter)
            event.stop()
            event.prevent_default()
            if event.key == "slash":
                self.action_filter()
            else:
                self.action_edit_metadata()
            return
        if not self._typing and event.key in self.active_bindings:
            return
        event.stop()
        event.prevent_default()
        filter_input.insert_text_at_cursor(char)
        self._typing = True
        filter_input.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is not self.query_one(Input):
            self._typing = False
