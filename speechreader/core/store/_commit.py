"""Writing a change that touches several database files: all of it, or none of it.

One change often touches several files: a new tag goes into ``codebook.json`` while the
annotation using it goes into its document's file; renaming a tag rewrites every file
that uses it; an import writes thousands. Each file is replaced atomically, but a
failure *between* two renames would leave half a change (the codebook with a tag
whose annotation was never saved), and the next undo would then take back an older,
good step. So a :class:`Commit` runs in two phases:

1. **prepare**: every file is validated and serialised, and written complete to a
   temporary file (beside its target, or in a staging folder under ``local/``). Any
   failure here (a record that does not serialise, a full disk) removes the temporary
   files and leaves the database exactly as it was;
2. **apply**: when more than one file changes, a journal naming every rename is written
   durably to ``local/journal.json``; then the files are renamed into place, their
   folders fsynced, and the journal removed. A process killed during the renames
   leaves the journal behind, and the next process to take the lock finishes the
   renames (:func:`recover`) before it does anything else: the temporary files are
   complete, so rolling forward is always possible.

Durability: with ``fsync_each`` every temporary file is fsynced as it is written (a
few milliseconds each: right for the usual one or two files); without it, one
``os.sync()`` before the journal flushes them all at once (an import of 20,000 files
would otherwise spend minutes in fsync).
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from speechreader.core.errors import StoreError
from speechreader.core.fileio import atomic_write_bytes, fsync_dir, make_temp
from speechreader.core.store._history import History

JOURNAL = "local/journal.json"


@dataclass
class StagedFile:
    """One file of a commit: ``temp`` replaces ``target`` (None: ``target`` is removed)."""

    target: Path
    temp: Path | None


@dataclass
class Commit:
    """The files of one change, prepared before any of them replaces its target."""

    root: Path
    fsync_each: bool = True
    files: list[StagedFile] = field(default_factory=list)
    #: undo steps to enter in their history's index once the files are in place, as
    #: (history folder inside the database, step id); their step files are among
    #: ``files``. In the journal too, so that :func:`recover` records them after a kill.
    steps: list[tuple[History, str]] = field(default_factory=list)
    _unsynced: bool = False
    _applied: bool = False

    def stage(
        self, target: Path, data: bytes | None, *, folder: Path | None = None, durable: bool = True
    ) -> None:
        """Write ``data`` to a temporary file for ``target`` (None: remove ``target``)."""
        if data is None:
            self.files.append(StagedFile(target, None))
            return
        where = folder or target.parent
        where.mkdir(parents=True, exist_ok=True)
        fd, name = make_temp(where)
        temp = Path(name)
        self.files.append(StagedFile(target, temp))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable and self.fsync_each:
                handle.flush()
                os.fsync(handle.fileno())
            elif durable:
                self._unsynced = True

    def sync(self) -> None:
        """Flush every file staged so far in one call (before taking the lock, for imports)."""
        os.sync()
        self._unsynced = False

    def add_staged(self, target: Path, temp: Path | None, *, synced: bool = False) -> None:
        """A file the caller wrote complete (an import's), ``synced`` to disk already or not."""
        self.files.append(StagedFile(target, temp))
        self._unsynced = self._unsynced or (temp is not None and not synced)

    def abort(self) -> None:
        """Remove every temporary file: nothing of the change reaches the database."""
        if self._applied:
            return
        for staged in self.files:
            if staged.temp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(staged.temp)
        self.files.clear()

    def apply(self) -> None:
        """Put every file in place (under the database lock; see the module docstring)."""
        missing = [f.temp for f in self.files if f.temp is not None and not f.temp.exists()]
        if missing:  # removed by someone (never under our lock): nothing is applied
            raise StoreError(
                f"not saved: the prepared file {missing[0]} disappeared before it could be "
                "put in place; nothing was changed"
            )
        if self._unsynced:
            os.sync()  # every temporary file on disk before the journal says they are
        journal = self.root / JOURNAL
        # One data file needs no journal: its rename is atomic. (A kill right after it
        # may lose the undo step, which is a convenience, as before.)
        journaled = len(self.files) - len(self.steps) > 1
        if journaled:
            atomic_write_bytes(journal, orjson.dumps(self._journal()))
        self._applied = True
        try:
            _finish(self.root, self.files, self.steps)
        except OSError as exc:
            raise StoreError(
                f"could not finish writing {self.root}: {exc.strerror or exc}; the change is "
                "recorded in local/journal.json and will be completed by the next write"
            ) from exc
        if journaled:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(journal)

    def _journal(self) -> dict:
        root = Path(os.path.abspath(self.root))  # temporary files come back absolute

        def rel(path: Path | None) -> str | None:
            return (
                None if path is None else Path(os.path.abspath(path)).relative_to(root).as_posix()
            )

        return {
            "version": 1,
            "files": [[rel(f.target), rel(f.temp)] for f in self.files],
            "steps": [[rel(h.folder), change_id] for h, change_id in self.steps],
        }


def _finish(root: Path, files: list[StagedFile], steps: list[tuple[History, str]]) -> None:
    """Rename (or remove) every file, fsync their folders, then record the undo steps."""
    folders: dict[Path, None] = {}
    for staged in files:
        if staged.temp is None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staged.target)
                folders[staged.target.parent] = None
            continue
        if not staged.temp.exists():  # renamed already (recovering a journal)
            continue
        staged.target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged.temp, staged.target)
        folders[staged.target.parent] = None
    for folder in folders:
        fsync_dir(folder)
    for history, change_id in steps:
        history.record(change_id)


def recover(root: Path) -> bool:
    """Finish a change a killed process left half-renamed (call under the lock)."""
    journal = root / JOURNAL
    try:
        raw = journal.read_bytes()
    except FileNotFoundError:
        return False
    try:
        data = orjson.loads(raw)
        files = [
            StagedFile(root / target, None if temp is None else root / temp)
            for target, temp in data["files"]
        ]
        steps = [
            (History(root / str(folder)), str(change_id))
            for folder, change_id in data.get("steps", [])
        ]
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        # Written atomically, so this is damage from outside: keep it for doctor to show.
        aside = root / "local" / "broken" / f"journal.json.{time.strftime('%Y%m%dT%H%M%SZ')}"
        aside.parent.mkdir(parents=True, exist_ok=True)
        os.replace(journal, aside)
        return False
    _finish(root, files, steps)
    os.unlink(journal)
    fsync_dir(journal.parent)
    return True
