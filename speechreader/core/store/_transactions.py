"""The machinery under :class:`~speechreader.core.store.Store`: locking, transactions, undo.

Every change runs as a :class:`Transaction`: under the database lock, the files it
touches are read afresh (so a change made meanwhile by another instance is merged,
not overwritten), the new records are computed, and the whole change is committed
as one (:mod:`_commit`: every file validated, serialised and written aside before the
first rename, so it lands completely or not at all), with the before/after values of
every record as one undo step. Readers never take the lock: files are replaced by
atomic renames and cached by their stat. Undo and redo are in :mod:`_undo`; the checks
every written value passes, and the ids and time stamps, in :mod:`_values`.

A *signature* of the database (the lock file's generation token, plus the stats of
the codebook and the annotation folders) tells an instance whether anything changed
since it last looked: cheap enough to check on every call.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path

import orjson

from speechreader.core.errors import InvalidInput, StoreError
from speechreader.core.fileio import TEMP_PREFIX
from speechreader.core.store import _schema as s
from speechreader.core.store._commit import Commit, recover
from speechreader.core.store._history import Change, Entry, History, new_change_id
from speechreader.core.store._locking import DbLock
from speechreader.core.store._migrate import open_folder
from speechreader.core.store._names import safe_name
from speechreader.core.store._staging import clean_staging
from speechreader.core.store._storage import Backups, RecordFile, dumps_stable, stat_key
from speechreader.core.store._summary import DbIndex
from speechreader.core.store._values import clean_coder, now_iso

FILE_CACHE_SIZE = 256
#: Up to this many files a change fsyncs each one; beyond, one os.sync() does them all.
FSYNC_EACH_MAX = 8


class Transaction:
    """Record changes prepared under the write lock; :meth:`Store._mutate` writes them.

    Each file's records are read afresh once per transaction and kept with the
    transaction's own changes applied, so reading or changing a record costs the same
    whether the transaction has made one change or 100,000 (an import).
    """

    def __init__(self, store: StoreBase) -> None:
        self.store = store
        self.label = ""
        self._read: dict[str, dict[str, dict]] = {}
        self._merged: dict[str, dict[str, dict]] = {}
        self.changes: dict[str, dict[str, dict | None]] = {}

    def records(self, rel: str) -> dict[str, dict]:
        """A file's records as of now plus our changes (read only: it changes with put)."""
        merged = self._merged.get(rel)
        if merged is None:
            read = self._read[rel] = self.store._file(rel).records(fresh=True)
            merged = self._merged[rel] = dict(read)
        return merged

    def get(self, rel: str, key: str) -> dict | None:
        return self.records(rel).get(key)

    def put(self, rel: str, key: str, rec: dict | None) -> None:
        merged = self.records(rel)
        if rec is None:
            merged.pop(key, None)
        else:
            merged[key] = rec
        self.changes.setdefault(rel, {})[key] = rec

    def entries(self) -> list[Entry]:
        out = []
        for rel, pending in self.changes.items():
            table = s.file_kind(rel)
            for key, after in pending.items():
                before = self._read[rel].get(key)
                if before != after:
                    out.append(Entry(rel, table, key, before, after))
        return out


class StoreBase:
    """Opening a database folder, its lock, caches, transactions and undo history."""

    def __init__(
        self,
        path: Path | str,
        *,
        coder: str | None = None,
        readonly: bool = False,
        lock_timeout: float | None = None,
    ) -> None:
        from speechreader.core.config import DEFAULT_LOCK_TIMEOUT, load_settings

        self.path = Path(path).expanduser()
        settings = None
        if coder is None or (lock_timeout is None and not readonly):
            settings = load_settings()
        self.coder = clean_coder(coder if coder is not None else settings.coder)  # type: ignore[union-attr]
        if lock_timeout is None:
            lock_timeout = settings.lock_timeout if settings else DEFAULT_LOCK_TIMEOUT
        self.readonly = readonly
        local = self.path / s.LOCAL
        self._lock = DbLock(local / "lock", timeout=lock_timeout, name=str(self.path))
        open_folder(self.path, readonly=readonly, lock=self._lock)
        self.backups = Backups(self.path, local / "backups")
        self.history = History(local / "history" / safe_name(self.coder))
        self._files: OrderedDict[str, RecordFile] = OrderedDict()
        self._mutex = threading.RLock()
        self._index: DbIndex | None = None
        self._batch: Change | None = None
        self._sig_at_lock: object = None
        self._cleaned = False
        if not readonly and self._lock.acquire(timeout=min(lock_timeout, 1.0)):
            try:
                recover(self.path)
                self._clean_temp_files()
            finally:
                self._lock.release()
        self._seen = self._signature()

    # --- plumbing -----------------------------------------------------------------

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r}, coder={self.coder!r}, readonly={self.readonly})"

    def _rel(self, coder: str, doc_id: str) -> str:
        return f"{s.ANNOTATIONS}/{safe_name(coder)}/{safe_name(doc_id)}.json"

    def _file(self, rel: str) -> RecordFile:
        with self._mutex:
            found = self._files.get(rel)
            if found is not None:
                self._files.move_to_end(rel)
                return found
            if rel == s.CODEBOOK:
                found = RecordFile(self.path / rel, s.CODEBOOK_TABLE, check=s.codebook_check)
            elif s.file_kind(rel) == s.DONE_TABLE:
                found = RecordFile(
                    self.path / rel,
                    s.DONE_TABLE,
                    check=s.done_file_check(rel.split("/")[1][:-5]),
                    remove_when_empty=True,
                )
            else:
                _, coder, name = rel.split("/")
                check = s.annotation_file_check(coder, name[:-5])
                found = RecordFile(
                    self.path / rel, s.ANNOTATIONS_TABLE, check=check, remove_when_empty=True
                )
            self._files[rel] = found
            while len(self._files) > FILE_CACHE_SIZE:
                self._files.popitem(last=False)
            return found

    def _coder_folders(self) -> list[str]:
        try:
            folders = os.scandir(self.path / s.ANNOTATIONS)
            return sorted(e.name for e in folders if e.is_dir() and not e.name.startswith("."))
        except FileNotFoundError:
            return []

    def _signature(self) -> tuple:
        """Changes whenever any instance writes (generation) or files arrive otherwise (git)."""
        parts: list[object] = [self._lock.generation()]
        for path in (self.path / s.CODEBOOK, self.path / s.ANNOTATIONS, self.path / s.DONE):
            try:
                parts.append(stat_key(path.stat()))
            except FileNotFoundError:
                parts.append(None)
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.path / s.ANNOTATIONS):
                if entry.is_dir():
                    parts.append((entry.name, stat_key(entry.stat())))
        return tuple(parts)

    def _clean_temp_files(self) -> int:
        """Remove temp files killed writers left (under the lock, after :func:`recover`).

        Temporary files beside their targets exist only while their writer holds the
        lock, so none here can be in use; an import prepares its files outside the lock,
        in a staging folder its process keeps locked (:mod:`_staging`).
        """
        clean_staging(self.path)
        local = self.path / s.LOCAL
        folders = [self.path, local, local / "backups", self.path / s.ANNOTATIONS]
        folders.append(self.path / s.DONE)
        folders += [self.path / s.ANNOTATIONS / c for c in self._coder_folders()]
        with contextlib.suppress(FileNotFoundError):
            for coder in os.scandir(local / "history"):
                folders += [Path(coder.path), Path(coder.path) / "steps"]
        self._cleaned = True
        removed = 0
        for folder in folders:  # os.scandir: 20,000 entries in ~5 ms, Path.iterdir takes 10x
            with contextlib.suppress(FileNotFoundError):
                for entry in os.scandir(folder):
                    if entry.name.startswith(TEMP_PREFIX) and entry.is_file():
                        with contextlib.suppress(OSError):
                            os.unlink(entry.path)
                            removed += 1
        return removed

    def _index_now(self) -> DbIndex:
        """The file summaries, refreshed if anything changed since they were taken."""
        with self._mutex:
            sig = self._signature()
            if self._index is None:
                index = DbIndex(self.path, self.path / s.LOCAL / "summary.json")
                index.load_cache()
                index.refresh()
                index.signature = sig
                self._index = index
            elif self._index.signature != sig:
                self._index.refresh()
                self._index.signature = sig
            return self._index

    def _writable(self) -> None:
        if self.readonly:
            raise StoreError(f"the database {self.path} is open read-only")

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        with self._lock.hold():
            outermost = self._lock._depth == 1
            if outermost:
                recover(self.path)  # a change a killed writer left half-renamed: finish it
                self._sig_at_lock = self._signature()
                if not self._cleaned:
                    self._clean_temp_files()
            try:
                yield
            finally:
                if outermost:
                    sig = self._signature()
                    if self._index is not None and self._index.signature == self._sig_at_lock:
                        self._index.signature = sig
                    if self._seen == self._sig_at_lock:
                        self._seen = sig

    @contextlib.contextmanager
    def _mutate(self, *, record: bool = True) -> Iterator[Transaction]:
        """Run a change under the lock; write it and record an undo step, if it changed anything."""
        self._writable()
        with self._locked():
            tx = Transaction(self)
            yield tx
            entries = tx.entries()
            if entries:
                self._commit(tx, entries, record=record)

    def _commit(self, tx: Transaction, entries: list[Entry], *, record: bool) -> None:
        """Write a transaction's files and its undo step as one commit (see :mod:`_commit`)."""
        changed = sorted({e.file for e in entries}, key=lambda r: (r != s.CODEBOOK, r))
        commit = Commit(self.path, fsync_each=len(changed) <= FSYNC_EACH_MAX)
        written: dict[str, dict[str, dict]] = {}
        try:
            for rel in changed:
                records = tx.records(rel)
                data = self._serialise(rel, records, tx.changes[rel])
                self.backups.maybe_backup(self.path / rel)
                commit.stage(self.path / rel, data)
                written[rel] = records
            if record and self._batch is None:
                step = Change(new_change_id(), tx.label, self.coder, now_iso(), entries)
                self._stage_step(commit, step)
            commit.apply()
        except OSError as exc:  # disk full, permissions: a message, not a traceback
            commit.abort()
            raise StoreError(
                f"could not write to the database {self.path}: {exc.strerror or exc}; "
                "nothing was changed"
            ) from exc
        except BaseException:
            commit.abort()
            raise
        for rel, records in written.items():
            file = self._file(rel)
            kind = s.file_kind(rel)
            file.adopt({kind: records} if records or rel == s.CODEBOOK else None)
            if kind == s.ANNOTATIONS_TABLE and self._index is not None:
                self._index.set(rel, file.storage.key, records)
        self._lock.bump()
        if record and self._batch is not None:
            self._batch.entries.extend(entries)

    def _stage_step(self, commit: Commit, step: Change) -> None:
        commit.stage(self.history.step_path(step.id), self.history.step_bytes(step), durable=False)
        commit.steps.append((self.history, step.id))

    def _serialise(self, rel: str, records: dict[str, dict], changed: dict) -> bytes | None:
        """A file's new content, its changed records checked first; None: remove the file."""
        table = s.file_kind(rel)
        if table == s.CODEBOOK_TABLE:
            problem, place = s.tag_problem, None
        elif table == s.DONE_TABLE:
            problem, place = s.done_problem, (rel.split("/")[1][:-5],)
        else:
            _, coder, name = rel.split("/")
            problem, place = s.annotation_problem, (coder, name[:-5])
        for key, rec in changed.items():
            if rec is None:
                continue
            what = problem(key, rec)
            if what is None and place is not None and _place(rec, len(place)) != place:
                what = "it belongs in another file"
            if what:
                raise StoreError(f"not saved: {rel}: record {key!r}: {what}; nothing was changed")
        if not records and rel != s.CODEBOOK:
            return None
        try:
            return dumps_stable({table: records})
        except orjson.JSONEncodeError as exc:
            bad = [k for k, r in changed.items() if r is not None and _unsavable(r)]
            which = f"record {bad[0]!r} of " if bad else ""
            raise InvalidInput(
                f"not saved: {which}{rel} holds text that cannot be written as UTF-8 "
                f"({exc}); nothing was changed"
            ) from None

    # --- life cycle -----------------------------------------------------------------

    def reload_if_changed(self) -> bool:
        """True if another process changed the database since we last looked (for the TUI)."""
        sig = self._signature()
        if sig == self._seen:
            return False
        self._seen = sig
        return True

    def close(self) -> None:
        """Save the summary cache (if we may and the lock is free) and let go of files."""
        dirty = self._index is not None and self._index.dirty
        if not self.readonly and dirty and self._lock.acquire(timeout=0.5):
            try:
                self._index.save()
            except OSError:
                pass  # a cache: rebuilt next time
            finally:
                self._lock.release()
        self._files.clear()
        self._lock.close()


def _place(rec: dict, parts: int) -> tuple[str, ...]:
    """The file a record belongs in: (coder folder, document) or, for a done mark, (coder,)."""
    if parts == 1:
        return (safe_name(rec["coder"]),)
    return safe_name(rec["coder"]), safe_name(rec["doc_id"])


def _unsavable(rec: dict) -> bool:
    try:
        orjson.dumps(rec)
    except orjson.JSONEncodeError:
        return True
    return False
