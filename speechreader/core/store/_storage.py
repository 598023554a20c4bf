"""TinyDB storage for the annotation database: stable JSON, atomic writes, keyed records.

TinyDB's own ``JSONStorage`` rewrites its file in place (a kill mid-write leaves a
broken file) and numbers records 1, 2, 3 (two coders' files merged in git collide).
So each database file here is a TinyDB with:

- :class:`StableJSONStorage`: reads with ``orjson``, caches the parsed data keyed by
  the file's (mtime_ns, size, inode, ctime_ns) so an unchanged file is not parsed
  again, validates on read (a hand-edited file stops us with a clear message instead
  of being rewritten), and writes stable JSON (sorted keys, one record per line)
  through :mod:`speechreader.core.fileio`'s temp-file + fsync + rename + folder fsync;
- :class:`KeyedTable`: records keyed by their own id (annotation id, tag name).

File names come from :func:`_names.safe_name`, which is readable for ordinary ids and
injective, also on case-insensitive file systems.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from speechreader.core.errors import DatabaseCorrupt, StoreError
from speechreader.core.fileio import TEMP_PREFIX, atomic_write_bytes, fsync_dir, make_temp
from speechreader.core.store._schema import DOCTOR_HINT, file_check, file_kind

StatKey = tuple[int, int, int, int]
Check = Callable[[Path, object], None]


def dumps_stable(data: Mapping[str, Mapping[str, Any]]) -> bytes:
    """TinyDB's JSON layout with sorted keys and one record per line.

    One line per record keeps git diffs to the records that changed, and lets git
    merge changes to different records of the same file.
    """
    lines = [b"{"]
    names = sorted(data)
    for ti, name in enumerate(names):
        table = data[name]
        keys = sorted(table)
        lines.append(b"  " + orjson.dumps(name) + (b": {" if keys else b": {}"))
        for i, key in enumerate(keys):
            rec = table[key]
            if type(rec) is not bytes:  # bytes: a record serialised so already (an import)
                rec = orjson.dumps(rec, option=orjson.OPT_SORT_KEYS)
            comma = b"," if i < len(keys) - 1 else b""
            lines.append(b"    " + orjson.dumps(key) + b": " + rec + comma)
        closing = b"  }" if keys else b""
        comma = b"," if ti < len(names) - 1 else b""
        if keys:
            lines.append(closing + comma)
        elif comma:
            lines[-1] += comma
    lines.append(b"}\n")
    return b"\n".join(lines)


def stat_key(st: os.stat_result) -> StatKey:
    """What tells us a file changed: a rename gives a new inode, a rewrite new times."""
    return (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


def parse_json(raw: bytes, path: Path | str) -> object:
    """Parse a database file; raise :class:`DatabaseCorrupt` naming it if it is not JSON."""
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        what = "is empty" if not raw.strip() else f"is not valid JSON ({exc})"
        raise DatabaseCorrupt(f"{path}: {what}; {DOCTOR_HINT}") from None


def read_with_key(path: Path | str) -> tuple[StatKey, bytes] | None:
    """A file's bytes and the stat key of exactly those bytes; None if it does not exist.

    ``fstat`` on the open file ties the key to what we read, even if another process
    renames a new version into place meanwhile. (``os.read`` rather than a file object:
    opening 20,000 files is twice as fast this way.)
    """
    try:
        fd = os.open(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        st = os.fstat(fd)
        chunks = [os.read(fd, st.st_size + 1)]
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    return stat_key(st), b"".join(chunks)


def load_file(path: Path, check: Check | None) -> tuple[StatKey, object] | None:
    """Read, parse and check a file; None if it does not exist. Needs no lock."""
    found = read_with_key(path)
    if found is None:
        return None
    key, raw = found
    data = parse_json(raw, path)
    if check is not None:
        check(path, data)
    return key, data


def load_checked(root: Path, rel: str) -> tuple[StatKey | None, dict, bytes | None]:
    """A database file's stat key, records and bytes, checked (key None: it does not exist).

    For the bulk paths (an import, undoing one), which read each file once, outside the
    store's cache.
    """
    path = root / rel
    found = read_with_key(path)
    if found is None:
        return None, {}, None
    key, raw = found
    data = parse_json(raw, path)
    file_check(rel)(path, data)
    return key, data.get(file_kind(rel), {}), raw  # type: ignore[union-attr]


class StableJSONStorage(Storage):
    """A TinyDB storage over one JSON file: cached, validated, atomic and stable."""

    def __init__(
        self, path: Path, *, check: Check | None = None, remove_when_empty: bool = False
    ) -> None:
        self.path = Path(path)
        self.check = check
        self.remove_when_empty = remove_when_empty
        self.key: StatKey | None = None
        self.data: dict | None = None

    def forget(self) -> None:
        """Drop the cache: the next read parses the file again (done under the write lock)."""
        self.key = self.data = None

    def read(self) -> dict | None:
        if self.data is not None:
            try:
                if stat_key(os.stat(self.path)) == self.key:
                    return dict(self.data)
            except FileNotFoundError:
                pass
        loaded = load_file(self.path, self.check)
        if loaded is None:
            self.forget()
            return None
        self.key, data = loaded
        self.data = data  # type: ignore[assignment]
        return dict(self.data)  # type: ignore[arg-type]

    def adopt(self, data: dict | None) -> None:
        """Take ``data`` as the cache of the file just written with it (None: removed)."""
        if data is None:
            self.forget()
            return
        try:
            self.key = stat_key(os.stat(self.path))
        except FileNotFoundError:
            self.forget()
            return
        self.data = data

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """TinyDB's write: one file on its own (the store commits through :mod:`_commit`)."""
        try:
            if self.remove_when_empty and not any(data.values()):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path)
                    fsync_dir(self.path.parent)
                self.forget()
                return
            atomic_write_bytes(self.path, dumps_stable(data))
            self.key = stat_key(os.stat(self.path))
        except OSError as exc:
            self.forget()
            raise StoreError(f"cannot write {self.path}: {exc.strerror or exc}") from None
        self.data = data


class KeyedTable(Table):
    """A TinyDB table whose records are keyed by their own string id, never a counter."""

    document_id_class = str

    def _get_next_id(self):
        raise TypeError("records of a keyed table are inserted with an explicit key")

    def records(self) -> dict[str, dict]:
        """The raw records (do not modify them: they are the storage's cache)."""
        return self._read_table()  # type: ignore[return-value]

    def replace_records(self, changes: Mapping[str, dict | None]) -> None:
        """Set or (with None) remove records, in one read and one write of the file."""

        def updater(table: dict) -> None:
            for key, rec in changes.items():
                if rec is None:
                    table.pop(key, None)
                else:
                    table[key] = rec

        self._update_table(updater)


class KeyedTinyDB(TinyDB):
    table_class = KeyedTable


class RecordFile:
    """One database file: a TinyDB with a single keyed table."""

    def __init__(
        self, path: Path, table: str, *, check: Check | None = None, remove_when_empty: bool = False
    ) -> None:
        self.path = path
        self.db = KeyedTinyDB(
            path, storage=StableJSONStorage, check=check, remove_when_empty=remove_when_empty
        )
        self.storage: StableJSONStorage = self.db.storage  # type: ignore[assignment]
        self.table: KeyedTable = self.db.table(table, cache_size=0)  # type: ignore[assignment]

    def records(self, *, fresh: bool = False) -> dict[str, dict]:
        """The file's records; ``fresh`` re-reads it whatever its stat says (under the lock)."""
        if fresh:
            self.storage.forget()
        return self.table.records()

    def apply(self, changes: Mapping[str, dict | None]) -> None:
        self.table.replace_records(changes)

    def adopt(self, data: dict | None) -> None:
        self.storage.adopt(data)


def write_records_file(
    path: Path, table: str, records: Mapping[str, dict], *, durable: bool = True
) -> None:
    """Write a whole file at once (migration, bulk set-up); same layout as the storage."""
    atomic_write_bytes(path, dumps_stable({table: dict(records)}), durable=durable)


class Backups:
    """Rolling copies of database files in ``local/backups/<path in db>/<UTC time>.json``.

    A file is copied just before it is overwritten: at the first write of every run
    (every command, every start of the app: each opens its own :class:`Store`), then at
    most once per ``interval`` seconds, keeping the newest ``keep``. Copies are not
    fsynced: they are a second line of defence (``doctor --repair`` rebuilds from the
    newest copy plus the undo history), and the save they precede is durable.
    """

    def __init__(self, root: Path, folder: Path, *, interval: float = 600, keep: int = 5) -> None:
        self.root = root
        self.folder = folder
        self.interval = interval
        self.keep = keep
        self._last: dict[Path, float] = {}

    def folder_for(self, path: Path) -> Path:
        return self.folder / path.relative_to(self.root)

    def list(self, path: Path) -> list[Path]:
        """Backups of ``path``, newest first."""
        folder = self.folder_for(path)
        if not folder.is_dir():
            return []
        found = [
            p
            for p in folder.iterdir()
            if p.suffix == ".json" and not p.name.startswith(TEMP_PREFIX)
        ]
        return sorted(found, key=lambda p: p.name, reverse=True)

    def maybe_backup(
        self, path: Path, *, force: bool = False, data: bytes | None = None
    ) -> Path | None:
        """Copy ``path`` into its backup folder: at its first write in this run, then if
        the last copy this run made is ``interval`` seconds old. ``data``: the file's
        content, read already (an import), instead of reading it again."""
        now = time.time()
        if not force:
            last = self._last.get(path)
            if last is not None and now - last < self.interval:
                return None
        stamp = (
            time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now * 1e6) % 1_000_000:06d}Z"
        )
        target = self.folder_for(path) / f"{stamp}.json"
        # The temporary copy is made at the top of local/backups/ so that clearing a
        # killed writer's leftovers needs to look in one folder, not thousands.
        self.folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = make_temp(self.folder)
        try:
            with os.fdopen(fd, "wb") as handle:
                if data is not None:
                    handle.write(data)
                else:
                    with open(path, "rb") as source:
                        shutil.copyfileobj(source, handle)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(tmp, target)
        except FileNotFoundError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            return None
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise
        self._last[path] = now
        for old in self.list(path)[self.keep :]:
            with contextlib.suppress(OSError):
                old.unlink()
        return target

    def copy_tree(self, label: str, paths: list[Path]) -> Path:
        """Copy several files (e.g. before a migration) into ``local/backups/<label>/``."""
        target = self.folder / label
        for path in paths:
            dest = target / path.relative_to(self.root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, dest)
        return target
