"""Undo and redo for :class:`~speechreader.core.store.Store`, safe for a team.

A step (:class:`~speechreader.core.store._history.Change`) holds every record it
changed, before and after. Undo writes the "before" values back, redo the "after"
ones; but a database is shared: between amy's import and amy's undo, bo may have
added a note to one of the imported passages. Writing amy's "before" over it would
erase bo's note without anyone seeing it. So a step applies only if every record it
touches is still exactly what the step left (or already what it would write);
otherwise nothing is changed and the refusal names the first such record.

Tags are gentler: undoing the step that created a tag takes it out of the codebook
only if nobody changed it or used it since (else it simply stays), and redoing a
step that creates a tag that exists again keeps the one that exists.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from speechreader.core.store import _schema as s
from speechreader.core.store._conflicts import UndoConflict, conflict_message
from speechreader.core.store._history import Change, new_change_id
from speechreader.core.store._steps import BIG_STEP

if TYPE_CHECKING:
    from speechreader.core.store._transactions import Transaction

Key = tuple[str, str]  # (file inside the database, record key)


class UndoOps:
    """Undo, redo and batches; mixed into Store, whose transactions they use."""

    @contextlib.contextmanager
    def batch(self, label: str) -> Iterator[None]:
        """Group the changes made inside into one undo step called ``label`` (nested: one step)."""
        if self._batch is not None:  # type: ignore[attr-defined]
            yield
            return
        self._batch = Change(new_change_id(), label, self.coder, _now(), [])  # type: ignore[attr-defined]
        try:
            yield
        finally:
            change, self._batch = self._batch, None  # type: ignore[attr-defined]
            if change.entries:
                with self._locked():  # type: ignore[attr-defined]
                    self.history.push(change)  # type: ignore[attr-defined]

    def _replay(self, stack: str) -> Change | None:
        self._writable()  # type: ignore[attr-defined]
        with self._locked():  # type: ignore[attr-defined]
            change_id = self.history.peek_id(stack)  # type: ignore[attr-defined]
            path = self.history.step_path(change_id) if change_id else None  # type: ignore[attr-defined]
            big = path is not None and path.exists() and path.stat().st_size > BIG_STEP
        if big:  # an import of 100,000 passages: file by file, never all in memory
            from speechreader.core.store._undo_big import replay_big

            done = replay_big(self, stack, change_id)  # type: ignore[arg-type]
            if done is not None:
                return done
        with self._locked():  # type: ignore[attr-defined]
            change = self.history.peek(stack)  # type: ignore[attr-defined]
            if change is None:
                return None
            expect, target = _plan(change, stack)
            with self._mutate(record=False) as tx:  # type: ignore[attr-defined]
                writes: dict[Key, dict | None] = {}
                created: list[str] = []  # tags the undone step had added to the codebook
                for (rel, key), value in target.items():
                    current, was = tx.get(rel, key), expect[(rel, key)]
                    if current == value:
                        continue  # already what the step writes
                    if rel == s.CODEBOOK and value is None and was is not None:
                        if current == was:
                            created.append(key)
                        continue  # a tag someone changed since stays as they left it
                    if rel == s.CODEBOOK and was is None and current is not None:
                        continue  # the tag exists again (kept, or made anew): keep it
                    if current != was:
                        raise UndoConflict(conflict_message(stack, change, rel, key, current))
                    writes[(rel, key)] = value
                for (rel, key), value in writes.items():
                    tx.put(rel, key, value)
                for name in created:
                    if not self._in_use(tx, name):
                        tx.put(s.CODEBOOK, name, None)
                used = {
                    t
                    for (rel, _), r in writes.items()
                    if r and s.file_kind(rel) == s.ANNOTATIONS_TABLE
                    for t in r.get("tags", ())
                }
                self._ensure_tags_tx(tx, sorted(used))  # type: ignore[attr-defined]
            self.history.moved(change.id, stack)  # type: ignore[attr-defined]
            return change

    def _in_use(self, tx: Transaction, tag: str) -> bool:
        """Whether any annotation still uses ``tag`` once the step's records are written."""
        for rel in self._index_now().files_with_tags({tag}):  # type: ignore[attr-defined]
            if any(tag in r.get("tags", ()) for r in tx.records(rel).values()):
                return True
        return any(
            tag in r.get("tags", ())
            for rel, pending in tx.changes.items()
            if s.file_kind(rel) == s.ANNOTATIONS_TABLE
            for r in pending.values()
            if r
        )

    def undo(self) -> Change | None:
        """Undo this coder's last step (even another instance's); None if there is none.

        :class:`UndoConflict` (nothing changed) if a record it touched was changed since.
        """
        return self._replay("undo")

    def redo(self) -> Change | None:
        return self._replay("redo")

    def can_undo(self) -> bool:
        return self.history.can_undo()  # type: ignore[attr-defined]

    def can_redo(self) -> bool:
        return self.history.can_redo()  # type: ignore[attr-defined]


def _plan(change: Change, stack: str) -> tuple[dict[Key, dict | None], dict[Key, dict | None]]:
    """What each record must be now (``expect``) and what the step writes (``target``).

    A batch may change one record in several entries: undo expects the last "after"
    and writes the first "before"; redo the other way round.
    """
    expect: dict[Key, dict | None] = {}
    target: dict[Key, dict | None] = {}
    for e in change.entries:
        key = (e.file, e.key)
        if stack == "undo":
            target.setdefault(key, e.before)
            expect[key] = e.after
        else:
            expect.setdefault(key, e.before)
            target[key] = e.after
    return expect, target


def _now() -> str:
    from speechreader.core.store._values import now_iso

    return now_iso()
