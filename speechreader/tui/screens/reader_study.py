"""The reader's study keys: ``D`` marks the document done, ``V`` compares its coders.

A mixin of :class:`~speechreader.tui.screens.reader.ReaderScreen`. Marking done goes
through the store like every change (one undo step); the compare view is its own
screen (:mod:`speechreader.tui.screens.compare`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from speechreader.core.errors import SpeechreaderError

if TYPE_CHECKING:
    from speechreader.core.corpus import DocumentInfo
    from speechreader.tui.session import Session


class StudyActions:
    """Needs the screen's ``session``, ``info`` and ``_change`` (from CodingActions)."""

    session: Session
    info: DocumentInfo | None
    done_here: bool = False  # the status line's "✓ done", refreshed with the annotations

    def is_done(self) -> bool:
        if self.info is None or self.session.store is None:
            return False
        coder = self.session.store.coder
        return coder in self.session.done_marks().get(self.info.id, [])

    def action_toggle_done(self) -> None:
        """D: mark this document done for you (you coded it; untagged means "not there")."""
        if self.info is None:
            return
        store = self.session.store
        done = not self.is_done()
        if store is None:
            self._change(lambda: None)  # type: ignore[attr-defined]  # says why not
            return
        message = "Marked done: untagged passages count as coded 'not there'"
        if not done:
            message = "Marked not done (your annotations here still count as coding it)"
        self._change(lambda: store.set_done(self.info.id, done), message)  # type: ignore[attr-defined,union-attr]

    def action_compare(self) -> None:
        """V: this document's coders side by side, their disagreements, and settling them."""
        from speechreader.tui.screens.compare import CompareScreen

        if self.info is None or self.session.store is None or self.session.corpus is None:
            return
        try:
            screen = CompareScreen(self.session, self.info.id)
        except SpeechreaderError as exc:
            self.notify(str(exc), severity="warning", timeout=6)  # type: ignore[attr-defined]
            return
        self.app.push_screen(screen)  # type: ignore[attr-defined]
