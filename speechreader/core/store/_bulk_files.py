"""The files of a bulk import (:mod:`_bulk`): prepared one by one, renamed all at once.

For each database file an import touches, in turn: read it, merge the incoming records
in (:func:`merge_import`), write the new file complete to the staging folder and its
undo entries to the step file (one per line). Then, under the lock, check that every
file is still as it was read (one that changed meanwhile is prepared again, now under
the lock), and rename everything into place through :mod:`_commit`'s journal.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from speechreader.core.fileio import make_temp
from speechreader.core.store import _schema as s
from speechreader.core.store._anchors import UNKNOWN_VERSION
from speechreader.core.store._commit import Commit
from speechreader.core.store._history import new_change_id
from speechreader.core.store._records import Tag
from speechreader.core.store._storage import dumps_stable, load_checked, stat_key
from speechreader.core.store._summary import FileSummary
from speechreader.core.store._tags import plural

#: Fields an import source may lack; whatever it lacks keeps its stored value.
IMPORT_FIELDS = frozenset({"note", "highlight", "coder", "created", "updated"})
#: What an import always sets: the passage and its tags.
_ALWAYS = ("doc_id", "start", "end", "quote", "prefix", "suffix", "tags", "doc_hash")
#: What identifies a passage; an orphan (of an unknown text version) that is the same
#: passage as the stored one keeps the stored context and hash.
_PASSAGE = ("doc_id", "start", "end", "quote")


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    #: annotations not imported: (their source rows, why)
    refused: list[tuple[list[int], str]] = field(default_factory=list)


def merge_import(old: dict | None, new: dict, given: frozenset[str], now: str) -> dict | None:
    """The record an import leaves, or None if it changes nothing.

    ``new`` is a complete record; of the :data:`IMPORT_FIELDS` only those in ``given``
    replace ``old``'s (and an empty ``coder``, ``created`` or ``updated`` never does).
    An orphan (``doc_hash`` :data:`UNKNOWN_VERSION`: the source knows its passage but
    not its context) that is the passage stored already keeps the stored context and
    hash: re-importing an export of orphans changes nothing.
    """
    if old is None:
        rec = dict(new)
        for name, empty in (("note", ""), ("highlight", None), ("created", ""), ("updated", "")):
            if name not in given:
                rec[name] = empty
        rec["created"] = rec["created"] or now
        rec["updated"] = rec["updated"] or now
        return rec
    rec = dict(old)
    always = _ALWAYS
    if new["doc_hash"] == UNKNOWN_VERSION and all(old.get(n) == new[n] for n in _PASSAGE):
        always = ("tags",)
    for name in always:
        rec[name] = new[name]
    for name in ("note", "highlight"):
        if name in given:
            rec[name] = new[name]
    for name in ("coder", "created"):
        if name in given and new[name]:
            rec[name] = new[name]
    rec["updated"] = old.get("updated", "")
    if rec == old:
        return None
    rec["updated"] = (new["updated"] if "updated" in given else "") or now
    return rec


@dataclass
class _Prepared:
    """One database file as the import leaves it, ready to be renamed into place."""

    rel: str
    key: tuple | None  # stat key of the version read (None: it did not exist)
    temp: Path | None = None  # the new file (None: remove it, it has no records left)
    changed: bool = False
    summary: FileSummary | None = None
    counts: tuple[int, int, int] = (0, 0, 0)  # added, updated, unchanged
    lines: tuple[int, int] = (0, 0)  # its entries' byte range in the step file


class BulkFiles:
    """The prepare and commit phases of one bulk import (see the module docstring)."""

    def __init__(
        self, bulk: Any, by_rel: dict[int, list[int]], moved: dict[int, list[int]], n: int
    ) -> None:
        self.bulk = bulk  # the BulkImport whose spool this reads
        self.store = bulk.store
        self.root = bulk.store.path
        self.now = bulk.now
        self.by_rel = by_rel  # file index -> items going into it
        self.moved = moved  # file index -> items moving out of it
        self.moved_old: dict[int, dict] = {}  # item -> its record in the file it leaves
        self.step_id = new_change_id()
        self.label = f"import {plural(n, 'passage')}"
        self.prepared: dict[str, _Prepared] = {}
        self.tags: dict[str, None] = {}
        self.step = Path()
        self._first_entry = True

    def totals(self) -> tuple[int, int, int]:
        added = sum(p.counts[0] for p in self.prepared.values())
        updated = sum(p.counts[1] for p in self.prepared.values())
        return added, updated, sum(p.counts[2] for p in self.prepared.values())

    # --- prepare (no lock) ----------------------------------------------------------

    def prepare_all(self, folder: Path) -> None:
        bulk = self.bulk
        for rel_index, items in self.moved.items():  # where moved annotations come from
            records = self._load(bulk._rels[rel_index])[1]
            for item in items:
                old = records.get(bulk._ids[item])
                if old is not None:
                    self.moved_old[item] = old
        self.step = folder / "step.json"
        with open(self.step, "wb") as out:
            out.write(self._step_head())
            for rel_index in sorted(set(self.by_rel) | set(self.moved), key=bulk._rels.__getitem__):
                rel = bulk._rels[rel_index]
                self.prepared[rel] = self._prepare(rel, folder, out)
            self.prepared[s.CODEBOOK] = self._prepare_codebook(folder, out)
            out.write(b"\n]}\n")
        os.sync()  # every prepared file durable before the lock is even taken

    def _load(self, rel: str) -> tuple[tuple | None, dict, bytes | None]:
        """A file's stat key, records and bytes as they are now (checked; None key: absent)."""
        return load_checked(self.root, rel)

    def _prepare(self, rel: str, folder: Path, out: BinaryIO) -> _Prepared:
        """One annotation file with the import merged in: staged, its undo entries written."""
        bulk = self.bulk
        rel_index = bulk._rel_index[rel]
        key, current, raw = self._load(rel)
        records: dict[str, dict | bytes] = dict(current)  # bytes: serialised already
        fresh_tags: dict[str, tuple[str, ...]] = {}
        start = out.tell()
        added = updated = unchanged = 0
        tags = self.tags
        head = b"[" + orjson.dumps(rel) + b',"annotations",'
        for item in self.by_rel.get(rel_index, ()):
            ann_id = bulk._ids[item]
            if bulk._fresh[item] and ann_id not in current:  # most of a big import
                data = bulk.raw(item)
                records[ann_id] = data
                fresh_tags[ann_id] = bulk.tags(item)
                tags.update(dict.fromkeys(fresh_tags[ann_id]))
                added += 1
                out.write(self._sep() + head + orjson.dumps(ann_id) + b",null," + data + b"]")
                continue
            new = bulk.record(item)
            old = self.moved_old.get(item) if bulk._old[item] >= 0 else current.get(ann_id)
            merged = merge_import(old, new, bulk.given, self.now)
            if merged is None:
                unchanged += 1
                continue
            records[ann_id] = merged
            tags.update(dict.fromkeys(merged["tags"]))
            if old is None:
                added += 1
            else:
                updated += 1
            out.write(self._entry(rel, ann_id, current.get(ann_id), merged))
        for item in self.moved.get(rel_index, ()):
            ann_id = bulk._ids[item]
            if ann_id in records:
                before = records.pop(ann_id)
                assert isinstance(before, dict)  # moving out: it was in the file
                out.write(self._entry(rel, ann_id, before, None))
        prepared = _Prepared(rel, key, counts=(added, updated, unchanged))
        prepared.changed = out.tell() > start
        prepared.lines = (start, out.tell())
        if prepared.changed:
            if raw is not None:
                self.store.backups.maybe_backup(self.root / rel, data=raw)
            if records:
                prepared.summary = _summary(bulk.owners.get(rel), records, fresh_tags)
                prepared.temp = _stage(folder, dumps_stable({s.ANNOTATIONS_TABLE: records}))
        return prepared

    def _prepare_codebook(self, folder: Path, out: BinaryIO) -> _Prepared:
        key, book, raw = self._load(s.CODEBOOK)
        book = dict(book)
        start = out.tell()
        for name in self.tags:
            if name not in book:
                colour = s.next_colour([r.get("colour", "") for r in book.values()])
                order = max((r.get("order", 0) for r in book.values()), default=-1) + 1
                book[name] = Tag(name, colour).to_json() | {"order": order}
                out.write(self._entry(s.CODEBOOK, name, None, book[name]))
        changed = out.tell() > start
        prepared = _Prepared(s.CODEBOOK, key, None, changed, None, (0, 0, 0))
        prepared.lines = (start, out.tell())
        if changed:
            if raw is not None:
                self.store.backups.maybe_backup(self.root / s.CODEBOOK, data=raw)
            prepared.temp = _stage(folder, dumps_stable({s.CODEBOOK_TABLE: book}))
        return prepared

    def _entry(self, rel: str, key: str, before: dict | None, after: dict | None) -> bytes:
        """One undo entry: a line of the step file."""
        return self._sep() + orjson.dumps([rel, s.file_kind(rel), key, before, after])

    def _sep(self) -> bytes:
        """What goes before an entry: a new line, and a comma but for the first."""
        sep, self._first_entry = (b"\n" if self._first_entry else b"\n,"), False
        return sep

    def _step_head(self) -> bytes:
        head = {"id": self.step_id, "label": self.label, "coder": self.store.coder}
        head["time"] = self.now
        return orjson.dumps(head)[:-1] + b',"entries":['

    # --- commit (under the lock) ----------------------------------------------------

    def commit(self, folder: Path) -> None:
        """Under the lock: prepare again what changed meanwhile, then rename it all."""
        store = self.store
        with store._locked():
            stale = [p for p in self.prepared.values() if _stat(self.root / p.rel) != p.key]
            if stale:
                self._again(stale, folder)
            commit = Commit(self.root, fsync_each=True)
            for p in self.prepared.values():
                if p.changed:
                    commit.add_staged(self.root / p.rel, p.temp, synced=True)
            commit.add_staged(store.history.step_path(self.step_id), self.step, synced=True)
            commit.steps.append((store.history, self.step_id))
            try:
                commit.apply()
            except BaseException:
                commit.abort()
                raise
            index = store._index
            for p in self.prepared.values():
                if p.changed and p.rel != s.CODEBOOK and index is not None:
                    if p.summary is not None:
                        p.summary.key = stat_key(os.stat(self.root / p.rel))
                    index.put_summary(p.rel, p.summary)
            store._lock.bump()

    def _again(self, stale: list[_Prepared], folder: Path) -> None:
        """Prepare again (under the lock) the files changed since we read them; new step."""
        again = {p.rel for p in stale}
        kept = [p for p in self.prepared.values() if p.rel not in again]
        rebuilt = folder / "step-again.json"
        self._first_entry = True
        with open(self.step, "rb") as old, open(rebuilt, "wb") as out:
            out.write(self._step_head())
            for p in kept:  # their entries, copied over with the separators redone
                old.seek(p.lines[0])
                chunk = old.read(p.lines[1] - p.lines[0])
                start = out.tell()
                for line in chunk.split(b"\n"):
                    if line:
                        sep = b"\n" if self._first_entry else b"\n,"
                        out.write(sep + line.removeprefix(b","))
                        self._first_entry = False
                p.lines = (start, out.tell())
            for p in stale:
                if p.temp is not None:
                    p.temp.unlink(missing_ok=True)
                if p.rel == s.CODEBOOK:
                    again = self._prepare_codebook(folder, out)
                else:
                    again = self._prepare(p.rel, folder, out)
                self.prepared[p.rel] = again
            out.write(b"\n]}\n")
            out.flush()
            os.fsync(out.fileno())
        for p in stale:
            if self.prepared[p.rel].temp is not None:
                _fsync(self.prepared[p.rel].temp)  # type: ignore[arg-type]
        os.replace(rebuilt, self.step)


def _summary(
    owner: tuple[str, str] | None, records: dict[str, dict | bytes], fresh: dict[str, tuple]
) -> FileSummary:
    """The file summary (:mod:`_summary`) of records partly still serialised."""
    counts: dict[str, int] = {}
    coder = doc_id = ""
    for ann_id, rec in records.items():
        if isinstance(rec, dict):
            coder, doc_id = rec["coder"], rec["doc_id"]
            names = rec["tags"]
        else:
            names = fresh[ann_id]
        for tag in names:
            counts[tag] = counts.get(tag, 0) + 1
    if owner is not None:
        coder, doc_id = owner
    return FileSummary(None, coder, doc_id, sorted(records), counts)  # type: ignore[arg-type]


def _stage(folder: Path, data: bytes) -> Path:
    """A prepared file in the staging folder (synced later, all at once)."""
    fd, name = make_temp(folder)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return Path(name)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _stat(path: Path) -> tuple | None:
    try:
        return stat_key(os.stat(path))
    except FileNotFoundError:
        return None
