"""The reader's orphaned annotations: listed with ``o``, re-placed or deleted.

A mixin of :class:`~speechreader.tui.screens.reader.ReaderScreen` (like
:mod:`reader_coding`). Re-placing is two steps: choose the orphan, then select its
passage in the reader and press Enter; the annotation keeps its id, tags, memo and
coder, and gets the new range and anchor (one undo step). Only the coder's own
orphans can be re-placed or deleted here; another coder's are listed, and left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.dialogs.orphans import Orphans
from speechreader.tui.literal import visible

if TYPE_CHECKING:
    from speechreader.core.store import Annotation


class OrphanActions:
    """Needs CodingActions (``_change``) and the screen's ``state``, ``info``, ``text``."""

    replacing: Annotation | None = None

    def action_orphans(self) -> None:
        if self.replacing is not None:
            self.replacing = None
            self.notify("Re-placing cancelled", timeout=2)
            self._update_panels(list_too=False)
            return
        orphans = self.state.orphans if self.state is not None else []
        if not orphans:
            self.notify("No orphaned annotations in this document", timeout=3)
            return
        self.app.push_screen(Orphans(orphans), self._orphan_chosen)

    def _orphan_chosen(self, choice: tuple[str, Annotation] | None) -> None:
        if choice is None:
            return
        what, ann = choice
        store = self.session.store
        if ann.coder != self.coder():  # a coder changes only their own coding
            self.notify(
                f"This orphaned annotation is {ann.coder}'s: only {ann.coder} can re-place "
                "or delete it",
                severity="warning",
                timeout=5,
            )
            return
        if what == "delete":
            if store is not None:
                quote = visible(" ".join(ann.quote.split())[:60])
                self.app.push_screen(
                    Confirm("Delete this orphaned annotation?", f"“{quote}”"),
                    lambda yes: (
                        yes and self._change(lambda: store.delete([ann.id]), "Deleted (u to undo)")
                    ),
                )
            return
        self.replacing = ann
        self.notify("Select the passage for this annotation, then press Enter", timeout=4)
        self._update_panels(list_too=False)

    def action_place_orphan(self) -> None:
        """Enter while re-placing: put the orphan on the selection."""
        ann, store = self.replacing, self.session.store
        selection = self.state.selection if self.state is not None else None
        if ann is None or store is None:
            return
        if not selection:
            self.notify("Select the passage first (shift+arrows, v, s, p)", severity="warning")
            return
        start, end = selection
        self.replacing = None
        self._change(
            lambda: store.update(
                ann.id, start=start, end=end, text=self.text, doc_hash=self.info.content_hash
            ),
            "Annotation re-placed (u to undo)",
        )

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "place_orphan":
            return self.replacing is not None
        return super().check_action(action, parameters)  # type: ignore[misc]

    def orphan_status(self) -> str | None:
        """The status line's part about orphans, if any."""
        if self.replacing is not None:
            quote = visible(" ".join(self.replacing.quote.split())[:20])
            return f"RE-PLACE “{quote}”: select, Enter · o cancels"
        orphans = self.state.orphans if self.state is not None else []
        if orphans:
            return f"{len(orphans)} orphaned (o)"
        return None
