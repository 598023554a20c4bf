"""Undo/redo history, one per coder, kept in the database's ``local/`` folder.

A step (:class:`Change`) is the list of records it changed, each with its value
before and after, so undo writes back the "before" values and redo the "after" ones:
that works the same for an annotation, a batch of 500 auto-coded passages or a tag
renamed across every file. Steps live one per file under
``local/history/<coder>/steps/``, with a small ``index.json`` listing the undo and
redo stacks; a change writes one small step file and the index, never the whole
history, so saving stays fast with 500 steps kept.

History is a convenience, not the work itself: its files are written atomically but
not fsynced (a power cut may lose the last steps, never the annotations), and a
damaged index is set aside and started afresh rather than blocking the coder.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from speechreader.core.errors import StoreError
from speechreader.core.fileio import atomic_write_bytes

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
            aside = self.index_path.with_name(f"index.json.broken-{time.strftime('%Y%m%dT%H%M%S')}")
            with contextlib.suppress(OSError):
                os.replace(self.index_path, aside)
            return [], []
        return undo, redo

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

    def push(self, change: Change) -> None:
        """Record a new step; it clears the redo stack and forgets steps beyond the limit."""
        atomic_write_bytes(
            self._step_path(change.id), orjson.dumps(change.to_json()), durable=False
        )
        undo, redo = self._read()
        undo.append(change.id)
        dropped = undo[: -self.limit] if len(undo) > self.limit else []
        undo = undo[len(dropped) :]
        self._write(undo, [])
        self._drop(dropped + redo)

    def _load(self, change_id: str) -> Change | None:
        try:
            return Change.from_json(orjson.loads(self._step_path(change_id).read_bytes()))
        except (OSError, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
            return None

    def peek(self, stack: str) -> Change | None:
        """The step the next undo (``stack="undo"``) or redo would apply.

        A step whose file is missing or damaged is removed from the stack, and we say so.
        """
        undo, redo = self._read()
        ids = undo if stack == "undo" else redo
        if not ids:
            return None
        change = self._load(ids[-1])
        if change is None:
            ids.pop()
            self._write(undo, redo)
            raise StoreError(
                f"the last {stack} step in {self.folder} was damaged and has been dropped"
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
