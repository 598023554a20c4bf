"""Undoing (or redoing) a very large step, file by file: an import of a million rows.

Loading such a step whole takes gigabytes (its half-gigabyte file as Python objects,
plus every record it touches). So a step bigger than :data:`_steps.BIG_STEP` is
undone like an import is made: its file is indexed by database file; each annotation
file is read, checked against the step (every record must still be what the step left,
as for any undo) and written to a staging folder, without the lock; then, under the
lock, files changed meanwhile are done again, the codebook is done last (a tag the
step created goes only if nothing uses it), and everything is renamed in behind the
journal. Memory holds one file's records at a time.
"""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path
from typing import Any

from speechreader.core.errors import StoreError
from speechreader.core.store import _schema as s
from speechreader.core.store._commit import Commit
from speechreader.core.store._conflicts import UndoConflict, conflict_message
from speechreader.core.store._history import Change
from speechreader.core.store._records import Tag
from speechreader.core.store._staging import Staging
from speechreader.core.store._steps import StepIndex, index_step, read_entries
from speechreader.core.store._storage import dumps_stable, load_checked, stat_key
from speechreader.core.store._summary import FileSummary, summarise


class _File:
    """One database file as the step leaves it, staged."""

    def __init__(self, rel: str, key: tuple | None, temp: Path | None, changed: bool) -> None:
        self.rel, self.key, self.temp, self.changed = rel, key, temp, changed
        self.summary: FileSummary | None = None
        self.tags: Counter[str] = Counter()  # tags its records use after the step


def replay_big(store: Any, stack: str, change_id: str) -> Change | None:
    """Undo (``stack="undo"``) or redo a big step; None if it is not a big step after all."""
    path = store.history.step_path(change_id)
    index = index_step(path)
    if index is None:
        return None
    job = _Replay(store, stack, path, index)
    with Staging(store.path) as staging:
        files = sorted(r for r in index.spans if r != s.CODEBOOK)
        for rel in files:
            job.prepare(rel, staging.folder)
        os.sync()
        with store._locked():
            if store.history.peek_id(stack) != change_id:
                raise StoreError(f"the {stack} history changed meanwhile; nothing was changed")
            for rel in files:
                if _stat(store.path / rel) != job.files[rel].key:
                    job.prepare(rel, staging.folder, durable=True)  # changed meanwhile
            job.prepare_codebook(staging.folder)
            job.commit()
            store.history.moved(change_id, stack)
    return index.head


class _Replay:
    def __init__(self, store: Any, stack: str, path: Path, index: StepIndex) -> None:
        self.store, self.stack, self.path, self.index = store, stack, path, index
        self.root: Path = store.path
        self.files: dict[str, _File] = {}
        self.used: set[str] = set()  # tags of the records the step writes

    def _plan(self, rel: str) -> tuple[dict[str, dict | None], dict[str, dict | None]]:
        """(what each record must be now, what the step writes), as :func:`_undo._plan`."""
        expect: dict[str, dict | None] = {}
        target: dict[str, dict | None] = {}
        for e in read_entries(self.path, self.index.spans[rel]):
            if self.stack == "undo":
                target.setdefault(e.key, e.before)
                expect[e.key] = e.after
            else:
                expect.setdefault(e.key, e.before)
                target[e.key] = e.after
        return expect, target

    def prepare(self, rel: str, folder: Path, *, durable: bool = False) -> None:
        key, current, raw = load_checked(self.root, rel)
        expect, target = self._plan(rel)
        records = dict(current)
        changed = False
        for name, value in target.items():
            now = current.get(name)
            if now == value:
                continue
            if now != expect[name]:
                raise UndoConflict(conflict_message(self.stack, self.index.head, rel, name, now))
            changed = True
            if value is None:
                records.pop(name, None)
            else:
                records[name] = value
        old = self.files.get(rel)
        if old is not None and old.temp is not None:
            old.temp.unlink(missing_ok=True)
        done = _File(rel, key, None, changed)
        if changed:
            if raw is not None:
                self.store.backups.maybe_backup(self.root / rel, data=raw)
            if records:
                table = s.file_kind(rel)
                done.temp = _stage(folder, dumps_stable({table: records}), durable=durable)
                if table == s.ANNOTATIONS_TABLE:
                    done.summary = summarise(None, records)  # type: ignore[arg-type]
        for rec in records.values() if s.file_kind(rel) == s.ANNOTATIONS_TABLE else ():
            done.tags.update(rec.get("tags", ()))
        for value in target.values():
            self.used.update(value.get("tags", ()) if value else ())
        self.files[rel] = done

    def prepare_codebook(self, folder: Path) -> None:
        """Under the lock: the codebook's entries, and tags that what is written needs."""
        key, book, raw = load_checked(self.root, s.CODEBOOK)
        book = dict(book)
        changed = False
        if s.CODEBOOK in self.index.spans:
            expect, target = self._plan(s.CODEBOOK)
            in_use = self._tags_in_use()
            for name, value in target.items():
                now, was = book.get(name), expect[name]
                if now == value or (was is None and now is not None):
                    continue  # as the step leaves it, or the tag exists again: kept
                if value is None and was is not None:
                    if now == was and not in_use[name]:  # a tag the step created, unused
                        del book[name]
                        changed = True
                    continue
                if now != was:
                    raise UndoConflict(
                        conflict_message(self.stack, self.index.head, s.CODEBOOK, name, now)
                    )
                book[name] = value  # type: ignore[assignment]
                changed = True
        for name in sorted(self.used - set(book)):
            colour = s.next_colour([r.get("colour", "") for r in book.values()])
            order = max((r.get("order", 0) for r in book.values()), default=-1) + 1
            book[name] = Tag(name, colour).to_json() | {"order": order}
            changed = True
        done = _File(s.CODEBOOK, key, None, changed)
        if changed:
            if raw is not None:
                self.store.backups.maybe_backup(self.root / s.CODEBOOK, data=raw)
            done.temp = _stage(folder, dumps_stable({s.CODEBOOK_TABLE: book}), durable=True)
        self.files[s.CODEBOOK] = done

    def _tags_in_use(self) -> Counter[str]:
        """Annotations per tag once the step is written (from the summaries, fresh)."""
        index = self.store._index_now()
        counts: Counter[str] = Counter()
        for rel, summary in index.files.items():
            if rel not in self.files:
                counts.update(summary.tags)
        for done in self.files.values():
            counts.update(done.tags)
        return counts

    def commit(self) -> None:
        commit = Commit(self.root, fsync_each=True)
        for done in self.files.values():
            if done.changed:
                commit.add_staged(self.root / done.rel, done.temp, synced=True)
        if not commit.files:
            return
        try:
            commit.apply()
        except BaseException:
            commit.abort()
            raise
        index = self.store._index
        for done in self.files.values():
            if done.changed and s.file_kind(done.rel) == s.ANNOTATIONS_TABLE and index:
                if done.summary is not None:
                    done.summary.key = stat_key(os.stat(self.root / done.rel))
                index.put_summary(done.rel, done.summary)
        self.store._lock.bump()


def _stage(folder: Path, data: bytes, *, durable: bool) -> Path:
    from speechreader.core.fileio import make_temp

    fd, name = make_temp(folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        if durable:
            handle.flush()
            os.fsync(handle.fileno())
    return Path(name)


def _stat(path: Path) -> tuple | None:
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return None
