"""The reader's coding keys: tag, digits, highlight, memo, delete, undo and redo.

A mixin of :class:`~speechreader.tui.screens.reader.ReaderScreen`, kept apart so that
the screen module is about showing a document and this one about changing the store.
Every change goes through :meth:`CodingActions._change`: one store call (atomic, one
undo step), a plain message on failure, and a refresh of what shows annotations.

A coder changes only their own coding. On another coder's passage a coding key acts
on the coder's own annotation of the same span, or makes one, and says so; ``x``
explains that the passage is theirs. Amy's coding stays amy's for a reliability
study, and only amy's work writes ``annotations/amy/`` (the store refuses the rest).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.errors import SpeechreaderError
from speechreader.core.store import HIGHLIGHTS
from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.dialogs.note_editor import NoteEditor
from speechreader.tui.dialogs.tag_picker import TagPicker

if TYPE_CHECKING:
    from speechreader.core.corpus import DocumentInfo
    from speechreader.tui.session import Session
    from speechreader.tui.state import Placed, ReaderState
    from speechreader.tui.widgets.reader_view import DualReader


@dataclass(frozen=True)
class Target:
    """What a coding key acts on: a span, the coder's own annotation of it if there is
    one, else the other coder's annotation of it the key was pressed on (left alone)."""

    span: tuple[int, int]
    own: Placed | None = None
    other: Placed | None = None

    def copy_note(self) -> str:
        """The end of a toast when the key made or changed the coder's own copy."""
        if self.other is None:
            return ""
        owner = self.other.annotation.coder
        return f" on your own copy of {owner}'s passage ({owner}'s stays as it is)"


class CodingActions:
    """Needs the screen's ``session``, ``state``, ``info``, ``text``, ``reader`` and panels."""

    session: Session
    state: ReaderState | None
    info: DocumentInfo
    text: str
    saved_message: str
    reader: DualReader

    def _change(self, what: Callable[[], object], done: str | None = None) -> bool:
        """Run a store change; report failure plainly; refresh what shows annotations.

        A successful change also ends the selection: it has been used. The cursor goes
        to the start of what was selected, so the passage just coded is "under the
        cursor" for the next key (a memo, another tag, undoing it with x).
        """
        if not self.session.writable:
            reason = self.session.store_error or "the database is open read-only"
            self.notify(f"Cannot save: {reason}", severity="error")
            return False
        try:
            what()
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="error", timeout=6)
            self.saved_message = "! last change NOT saved"
            self._update_panels()
            return False
        self.saved_message = "✓ saved"
        if self.state is not None:
            selection = self.state.selection
            if selection is not None:
                self.state.cursor = selection[0]
            self.state.clear_selection()
        self._reload_annotations()
        if done:
            self.notify(done, timeout=2)
        return True

    def coder(self) -> str:
        """Who is coding: the store's coder (as annotations are saved), else the setting."""
        store = self.session.store
        return store.coder if store is not None else str(self.session.coder or "")

    def _target(self, verb: str) -> Target | None:
        """What a coding key acts on: the selection, else the annotation under the cursor.

        Only the coder's own annotation is ever changed: on another coder's passage the
        key acts on the coder's own annotation of the same span, or makes one there.
        """
        assert self.state is not None
        me = self.coder()
        span = self.state.selection
        if span:
            same = [p for p in self.state.placed if (p.start, p.end) == span]
        else:
            hits = self.state.annotations_at(self.state.cursor, coder=me)
            if not hits:
                self.notify(
                    f"Nothing to {verb}: select a passage first "
                    "(shift+arrows, v, s sentence, p paragraph)",
                    severity="warning",
                    timeout=4,
                )
                return None
            span = (hits[0].start, hits[0].end)
            same = [p for p in hits if (p.start, p.end) == span]
        own = next((p for p in same if p.annotation.coder == me), None)
        return Target(span, own, None if own else next(iter(same), None))

    def _add(self, span: tuple[int, int], **fields) -> None:
        store = self.session.store
        assert store is not None
        store.add(
            self.info.id,
            span[0],
            span[1],
            text=self.text,
            doc_hash=self.info.content_hash,
            **fields,
        )

    def _update(self, placed: Placed, done: str, **changes) -> None:
        """Change an annotation; if nothing would be left of it, delete it instead.

        An annotation without a tag, a highlight or a memo marks nothing and exports
        as a row with an empty tag. Removing its last tag (a digit key again) or
        clearing its memo therefore deletes it: one step, which u undoes. The store's
        copy is read first, so a memo added meanwhile elsewhere keeps it alive.
        """
        store = self.session.store
        assert store is not None
        ann_id = placed.annotation.id

        def change() -> None:
            now = store.get(ann_id)
            tags = changes.get("tags", now.tags)
            note = changes.get("note", now.note)
            highlight = changes.get("highlight", now.highlight)
            if not tags and not note and not highlight:
                store.delete([ann_id])
                outcome.append("deleted")
            else:
                store.update(ann_id, **changes)

        outcome: list[str] = []
        if not self._change(change):
            return
        if outcome:
            self.notify(
                f"{done}: nothing else was left, so the annotation was deleted (u to undo)",
                timeout=4,
            )
        else:
            self.notify(done, timeout=2)

    def _apply_tag(self, name: str, *, toggle: bool, target: Target | None = None) -> None:
        target = target or self._target("tag")
        store = self.session.store
        if target is None:
            return
        if store is None:
            self._change(lambda: None)  # explains why nothing can be saved
            return
        placed = target.own
        if placed is not None:
            tags = list(placed.annotation.tags)
            if name in tags and toggle:
                tags.remove(name)
                message = f"Removed {name}"
            elif name in tags:
                self.notify(f"Already tagged {name}", timeout=2)
                return
            else:
                tags.append(name)
                message = f"Tagged {name}"
            self._update(placed, message, tags=tags)
        else:
            self._change(
                lambda: self._add(target.span, tags=[name]), f"Tagged {name}{target.copy_note()}"
            )

    def action_tag(self) -> None:
        target = self._target("tag")
        if target is None:
            return
        if target.own is not None:
            title = "Add a tag to this annotation"
        elif target.other is not None:
            title = f"Tag your own copy of {target.other.annotation.coder}'s passage"
        else:
            title = "Tag the selection"
        counts = self.session.tag_counts()
        # The passage is the one chosen when t was pressed: keys typed ahead of the
        # picker's closing (w, an arrow) may move the cursor before the answer comes.
        self.app.push_screen(
            TagPicker(self.session.tags(), counts, title),
            lambda name: self._apply_tag(name, toggle=False, target=target) if name else None,
        )

    def action_digit_tag(self, number: int) -> None:
        tags = self.session.tags()
        if number > len(tags):
            self.notify(f"The codebook has no tag {number} yet: press t to create one", timeout=3)
            return
        self._apply_tag(tags[number - 1].name, toggle=True)

    def action_highlight(self) -> None:
        target = self._target("highlight")
        store = self.session.store
        if store is None or target is None:
            return
        if target.own is None:
            self._change(
                lambda: self._add(target.span, highlight=HIGHLIGHTS[0]),
                f"Highlighted{target.copy_note()}",
            )
            return
        ann = target.own.annotation
        cycle: list[str | None] = list(HIGHLIGHTS) + ([None] if ann.tags else [])
        current = cycle.index(ann.highlight) if ann.highlight in cycle else -1
        colour = cycle[(current + 1) % len(cycle)]
        self._change(
            lambda: store.update(ann.id, highlight=colour), f"Highlight: {colour or 'none'}"
        )

    def action_note(self) -> None:
        target = self._target("annotate")
        if target is None:
            return
        placed = target.own
        note = placed.annotation.note if placed else ""
        title = "Memo on this passage"
        if target.other is not None:
            title = f"Your own memo on {target.other.annotation.coder}'s passage"

        def save(text: str | None) -> None:
            store = self.session.store
            if text is None or store is None:
                return
            if placed is not None:
                self._update(placed, "Memo saved" if text else "Memo removed", note=text)
            elif text:
                self._change(
                    lambda: self._add(target.span, note=text), f"Memo saved{target.copy_note()}"
                )

        self.app.push_screen(NoteEditor(note, title), save)

    def action_delete(self) -> None:
        assert self.state is not None
        hits = self.state.annotations_at(self.state.cursor, coder=self.coder())
        if not hits:
            self.notify("No annotation under the cursor", severity="warning", timeout=3)
            return
        placed = hits[0]
        ann = placed.annotation
        if ann.coder != self.coder():
            self.notify(
                f"This passage is {ann.coder}'s: x deletes only your own annotations, "
                f"and {ann.coder}'s coding stays as {ann.coder} left it",
                severity="warning",
                timeout=5,
            )
            return
        quote = self.text[placed.start : placed.end].replace("\n", " ")
        label = ", ".join(ann.tags) or f"highlight {ann.highlight or ''}".strip()

        def answer(yes: bool | None) -> None:
            store = self.session.store
            if yes and store is not None:
                self._change(lambda: store.delete([ann.id]), "Annotation deleted (u to undo)")

        self.app.push_screen(Confirm("Delete this annotation?", f"[{label}] {quote[:60]}"), answer)

    def _history(self, undo: bool) -> None:
        store = self.session.store
        if store is None:
            return
        result: list[object] = []

        def run() -> None:
            result.append(store.undo() if undo else store.redo())

        if self._change(run) and result:
            change = result[0]
            verb = "Undone" if undo else "Redone"
            if change is None:
                self.notify(f"Nothing to {'undo' if undo else 'redo'}", timeout=2)
            else:
                self.notify(f"{verb}: {getattr(change, 'label', '')}", timeout=3)

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)
