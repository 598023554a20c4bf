"""Undo/redo history, one per coder, kept in the database's ``local/`` folder.

A step (:class:`Change`) is the list of records it changed, each with its value
before and after, so undo writes back the "before" values and redo the "after" ones:
that works the same for an annotation, a batch of 500 auto-coded passages or a tag
renamed across every file. Steps live one per file under
``local/history/<coder>/steps/``, with a small ``index.json`` listing the undo and
redo stacks; a change writes one small step file and the index, never the whole
history, so saving stays fast with 500 steps kept.

History is a convenience, not the work itself: its files are written atomically but
not fsynced (a power cut may lose the last steps, never the annotations). But it is
also what ``doctor --repair`` rebuilds a damaged annotation file from, so damage is
never papered over: a damaged index stops undo and redo with a message (saving goes
on: new steps are still written to ``steps/``), and ``doctor`` reports it and
rebuilds the index from the step files (:func:`rebuild_index`).
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from speechreader.core.errors import StoreError
from speechreader.core.fileio import TEMP_PREFIX, atomic_write_bytes

HISTORY_LIMIT = 500


@dataclass(frozen=True)
class Entry:
    """One record changed by a step: ``before``/``after`` are None where it did not exist."""

    file: str  # path inside the database, POSIX separators
    table: str
    key: str
    before: dict | None
    after: dict | None


@dataclass
class Change:
    """An undoable step, e.g. "add tag economy to 1 passage"."""

    id: str
    label: str
    coder: str
    time: str
    entries: list[Entry] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "coder": self.coder,
            "time": self.time,
            "entries": [[e.file, e.table, e.key, e.before, e.after] for e in self.entries],
        }

    @classmethod
    def from_json(cls, data: dict) -> Change:
        return cls(
            id=str(data["id"]),
            label=str(data["label"]),
            coder=str(data["coder"]),
            time=str(data["time"]),
            entries=[Entry(*row) for row in data["entries"]],
        )


class HistoryDamaged(StoreError):
    """The undo history's index cannot be read: undo and redo wait for ``doctor --repair``."""


def new_change_id() -> str:
    """Sortable by time, unique across processes."""
    return f"{time.time_ns():020d}-{os.urandom(3).hex()}"


class History:
    """The undo and redo stacks of one coder. Mutating methods expect the write lock."""

    def __init__(self, folder: Path, *, limit: int = HISTORY_LIMIT) -> None:
        self.folder = folder
        self.limit = limit
        self.index_path = folder / "index.json"
        self.steps = folder / "steps"

    def _read(self) -> tuple[list[str], list[str]]:
        try:
            raw = self.index_path.read_bytes()
        except FileNotFoundError:
            return [], []
        except OSError as exc:
            raise StoreError(
                f"cannot read the undo history {self.index_path}: {exc.strerror}"
            ) from None
        try:
            data = orjson.loads(raw)
            undo, redo = list(map(str, data["undo"])), list(map(str, data["redo"]))
        except (orjson.JSONDecodeError, KeyError, TypeError):
            raise HistoryDamaged(
                f"the undo history {self.index_path} is damaged, so undo and redo are off "
                "(your changes are still saved); run `speechreader doctor --repair` to rebuild it"
            ) from None
        return undo, redo

    def damaged(self) -> bool:
        try:
            self._read()
        except HistoryDamaged:
            return True
        return False

    def _write(self, undo: list[str], redo: list[str]) -> None:
        atomic_write_bytes(
            self.index_path, orjson.dumps({"undo": undo, "redo": redo}), durable=False
        )

    def _step_path(self, change_id: str) -> Path:
        return self.steps / f"{change_id}.json"

    def _drop(self, ids: list[str]) -> None:
        for change_id in ids:
            with contextlib.suppress(OSError):
                self._step_path(change_id).unlink()

    def can_undo(self) -> bool:
        return bool(self._read()[0])

    def can_redo(self) -> bool:
        return bool(self._read()[1])

    def labels(self) -> tuple[list[str], list[str]]:
        """The ids on the undo and redo stacks (oldest first), for tests and ``doctor``."""
        return self._read()

    def step_bytes(self, change: Change) -> bytes:
        """A step file's content: one JSON object, one entry per line.

        Still plain JSON (older versions read it as before), but an entry per line lets
        a large step (an import of a million rows) be written and read a line at a time.
        """
        head = orjson.dumps({k: v for k, v in change.to_json().items() if k != "entries"})
        lines = [head[:-1] + b',"entries":[']
        last = len(change.entries) - 1
        for i, e in enumerate(change.entries):
            row = orjson.dumps([e.file, e.table, e.key, e.before, e.after])
            lines.append(row + (b"," if i < last else b""))
        lines.append(b"]}\n")
        return b"\n".join(lines)

    def step_path(self, change_id: str) -> Path:
        return self._step_path(change_id)

    def push(self, change: Change) -> None:
        """Record a new step; it clears the redo stack and forgets steps beyond the limit."""
        atomic_write_bytes(self._step_path(change.id), self.step_bytes(change), durable=False)
        self.record(change.id)

    def record(self, change_id: str) -> None:
        """Put a step whose file is written on the undo stack (clearing the redo stack).

        With a damaged index the step file stays in ``steps/`` for ``doctor --repair``
        to put back in order; the index is left as it is, never reset.
        """
        try:
            undo, redo = self._read()
        except HistoryDamaged:
            return
        if change_id in undo:  # recorded already (a journal recovered twice)
            return
        undo.append(change_id)
        dropped = undo[: -self.limit] if len(undo) > self.limit else []
        undo = undo[len(dropped) :]
        self._write(undo, [])
        self._drop(dropped + redo)

    def _load(self, change_id: str) -> Change | None:
        try:
            return Change.from_json(orjson.loads(self._step_path(change_id).read_bytes()))
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None

    def peek_id(self, stack: str) -> str | None:
        """The id of the step the next undo (or redo) would apply, without reading it."""
        undo, redo = self._read()
        ids = undo if stack == "undo" else redo
        return ids[-1] if ids else None

    def peek(self, stack: str) -> Change | None:
        """The step the next undo (``stack="undo"``) or redo would apply.

        A step whose file is missing or damaged stops undo with a message naming it;
        ``doctor --repair`` sets it aside.
        """
        undo, redo = self._read()
        ids = undo if stack == "undo" else redo
        if not ids:
            return None
        change = self._load(ids[-1])
        if change is None:
            raise HistoryDamaged(
                f"the next {stack} step {self._step_path(ids[-1])} is missing or damaged; "
                "run `speechreader doctor --repair` to set it aside"
            )
        return change

    def moved(self, change_id: str, stack: str) -> None:
        """Move a step from ``stack`` ("undo" or "redo") to the other one, once applied."""
        undo, redo = self._read()
        source, target = (undo, redo) if stack == "undo" else (redo, undo)
        if source and source[-1] == change_id:
            source.pop()
            target.append(change_id)
            self._write(undo, redo)


def history_folders(root: Path) -> list[Path]:
    """Every coder's history folder in a database (``local/history/<coder>``)."""
    base = root / "local" / "history"
    try:
        return sorted(p for p in base.iterdir() if p.is_dir())
    except FileNotFoundError:
        return []


def step_ids(history: History) -> list[str]:
    """The ids of every step file in a history folder, oldest first."""
    try:
        names = [p.name for p in history.steps.iterdir()]
    except FileNotFoundError:
        return []
    return sorted(n[:-5] for n in names if n.endswith(".json") and not n.startswith(TEMP_PREFIX))


def load_step(history: History, change_id: str) -> Change | None:
    """A step (None if its file is missing or damaged), for ``doctor``."""
    return history._load(change_id)


def rebuild_index(history: History) -> tuple[int, list[str]]:
    """Write a new index from the step files; return (steps kept, damaged step ids).

    Which steps had been undone is what the lost index knew; every readable step goes
    back on the undo stack. That is safe: undoing a step whose records are no longer
    what it left is refused (see ``Store.undo``).
    """
    good, damaged = [], []
    for change_id in step_ids(history):
        (good if history._load(change_id) is not None else damaged).append(change_id)
    history._write(good[-history.limit :], [])
    return len(good[-history.limit :]), damaged
