"""A summary of every annotation file: which ids, document, coder and tags it holds.

With 100,000 annotations in 10,000 files, reading every file to count annotations per
document or to find which file holds an id takes seconds. So we keep, per file, its
stat key and a summary, and save it in ``local/summary.json``. Opening the database
lists the files and re-reads only those whose (mtime_ns, size, inode, ctime_ns) changed
since: the cache can always be rebuilt, and is never trusted over the files.
"""

from __future__ import annotations

import contextlib
import functools
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from speechreader.core.errors import DatabaseCorrupt, StoreError
from speechreader.core.fileio import TEMP_PREFIX, atomic_write_bytes
from speechreader.core.store._names import name_from_file, safe_name
from speechreader.core.store._schema import (
    ANNOTATIONS,
    ANNOTATIONS_TABLE,
    DOCTOR_HINT,
    annotation_file_check,
)
from speechreader.core.store._storage import StatKey, parse_json, read_with_key, stat_key

CACHE_VERSION = 1


@dataclass(slots=True)
class FileSummary:
    key: StatKey
    coder: str
    doc_id: str
    ids: list[str]
    tags: dict[str, int]

    def to_json(self) -> list:
        return [self.key, self.coder, self.doc_id, self.ids, self.tags]


def summarise(key: StatKey, records: dict[str, dict]) -> FileSummary | None:
    """The summary of one file's records (None for a file without records)."""
    if not records:
        return None
    first = next(iter(records.values()))
    tags: dict[str, int] = {}
    for rec in records.values():
        for tag in rec.get("tags", ()):
            tags[tag] = tags.get(tag, 0) + 1
    return FileSummary(key, first["coder"], first["doc_id"], sorted(records), tags)


def read_summary(path: str, coder: str, stem: str) -> FileSummary | None:
    """Summarise one annotation file, checking only what a summary relies on.

    Opening a database reads every file whose stat changed (all of them after a fresh
    clone), so this checks the shape, the ids, coders, documents and tags, and leaves
    the full record check to the moment a document's annotations are read or changed:
    a file is never written without passing it.
    """
    found = read_with_key(path)
    if found is None:
        return None
    key, raw = found
    data = parse_json(raw, path)
    table = data.get(ANNOTATIONS_TABLE, {}) if isinstance(data, dict) else None
    if isinstance(table, dict) and table:
        first = next(iter(table.values()))
        pair = (first.get("coder"), first.get("doc_id")) if isinstance(first, dict) else None
        tags: dict[str, int] = {}
        ok = pair is not None and _safe(pair[0]) == coder and _safe(pair[1]) == stem
        for k, rec in table.items() if ok else ():
            if type(rec) is not dict or rec.get("id") != k or rec.get("coder") != pair[0]:  # type: ignore[index]
                ok = False
                break
            rec_tags = rec.get("tags", [])
            if rec.get("doc_id") != pair[1] or type(rec_tags) is not list:  # type: ignore[index]
                ok = False
                break
            for tag in rec_tags:
                if type(tag) is not str:
                    ok = False
                    break
                tags[tag] = tags.get(tag, 0) + 1
        if ok:
            return FileSummary(key, pair[0], pair[1], sorted(table), tags)  # type: ignore[index]
    elif isinstance(table, dict):
        return None
    # Something is off: let the full check say precisely what.
    annotation_file_check(coder, stem)(Path(path), data)
    raise DatabaseCorrupt(f"{path}: unexpected content; {DOCTOR_HINT}")


@functools.lru_cache(maxsize=65536)
def _safe(name: object) -> str:
    return safe_name(name) if isinstance(name, str) and name else ""


def annotation_files(root: Path) -> list[tuple[str, str, str]]:
    """``(relative path, coder folder, file stem)`` of every annotation file (no temp files)."""
    return [(rel, coder, stem) for rel, coder, stem, _ in _scan(root)]


def _scan(root: Path) -> Iterator[tuple[str, str, str, os.DirEntry]]:
    with contextlib.suppress(FileNotFoundError):
        for coder in os.scandir(root / ANNOTATIONS):
            if not coder.is_dir() or coder.name.startswith("."):
                continue
            prefix = f"{ANNOTATIONS}/{coder.name}/"
            for entry in os.scandir(coder.path):
                name = entry.name
                if name.endswith(".json") and not name.startswith((TEMP_PREFIX, ".")):
                    yield prefix + name, coder.name, name[:-5], entry


@dataclass(frozen=True)
class DamagedFile:
    """An annotation file that cannot be read: its document is read-only until repaired."""

    path: str  # inside the database, e.g. annotations/amy/2018-06-07_li-jun_xichang.json
    coder: str | None  # None where the file name does not tell (and no summary did)
    doc_id: str | None
    reason: str  # the one-line message, naming the file

    def __str__(self) -> str:
        return self.reason


class DbIndex:
    """The per-file summaries of one database, kept fresh by file stats."""

    def __init__(self, root: Path, cache_path: Path) -> None:
        self.root = root
        self.cache_path = cache_path
        self.files: dict[str, FileSummary] = {}
        #: files that cannot be read (file -> why): left out of every count, named instead
        self.damaged: dict[str, str] = {}
        #: the last summary of each damaged file read while it was sound (for doctor)
        self.last_good: dict[str, FileSummary] = {}
        self.signature: object = None  # the database signature this index is in sync with
        self.dirty = False
        self._ids: dict[str, str] | None = None
        self._counts: dict[str, int] | None = None

    def load_cache(self) -> None:
        """Start from the saved summary, if there is a usable one (any problem: start empty)."""
        try:
            data = orjson.loads(self.cache_path.read_bytes())
            if data.get("version") == CACHE_VERSION:
                self.files = {
                    rel: FileSummary(tuple(r[0]), *r[1:]) for rel, r in data["files"].items()
                }
                self.last_good = {
                    rel: FileSummary(tuple(r[0]), *r[1:])
                    for rel, r in data.get("last_good", {}).items()
                }
        except (OSError, orjson.JSONDecodeError, AttributeError, KeyError, TypeError, ValueError):
            self.files, self.last_good = {}, {}
        self._ids = self._counts = None

    def refresh(self) -> int:
        """Bring every summary up to date with the files; return how many files were read.

        A file that cannot be read is recorded in :attr:`damaged` and left out, so that
        one damaged document does not stop the rest of the database.
        """
        fresh: dict[str, FileSummary] = {}
        damaged: dict[str, str] = {}
        read = 0
        old_files = self.files
        for rel, coder, stem, entry in _scan(self.root):
            try:
                key = stat_key(entry.stat())
            except FileNotFoundError:
                continue
            old = old_files.get(rel)
            if old is not None and old.key == key:
                fresh[rel] = old
                continue
            read += 1
            try:
                summary = read_summary(entry.path, coder, stem)
            except StoreError as exc:
                damaged[rel] = str(exc)
                if old is not None:
                    self.last_good[rel] = old
                continue
            self.last_good.pop(rel, None)
            if summary is not None:
                fresh[rel] = summary
        for rel in [r for r in self.last_good if r not in damaged]:
            del self.last_good[rel]  # repaired, or gone
        if read or len(fresh) != len(self.files) or damaged != self.damaged:
            self.dirty = True
        self.files, self.damaged = fresh, damaged
        self._ids = self._counts = None
        return read

    def set(self, rel: str, key: StatKey | None, records: dict[str, dict]) -> None:
        """Record what we just wrote to ``rel`` (``key`` None: the file was removed)."""
        self.put_summary(rel, summarise(key, records) if key is not None else None)

    def put_summary(self, rel: str, summary: FileSummary | None) -> None:
        """Record the summary of a file just written (None: removed), as :meth:`set` does."""
        old = self.files.pop(rel, None)
        if summary is not None:
            self.files[rel] = summary
        self._counts = None
        if self._ids is not None:  # keep the id map: rebuilding it costs ~20 ms at 100k
            for ann_id in old.ids if old else ():
                if self._ids.get(ann_id) == rel:
                    del self._ids[ann_id]
            for ann_id in summary.ids if summary else ():
                self._ids[ann_id] = rel
        self.dirty = True

    def damaged_files(self) -> list[DamagedFile]:
        found = []
        for rel, reason in sorted(self.damaged.items()):
            _, folder, name = rel.split("/")
            good = self.last_good.get(rel)
            if good is not None:
                coder, doc_id = good.coder, good.doc_id
            else:
                coder, doc_id = name_from_file(folder), name_from_file(name[:-5])
            found.append(DamagedFile(rel, coder, doc_id, reason))
        return found

    def ids(self) -> dict[str, str]:
        """Annotation id -> file holding it."""
        if self._ids is None:
            self._ids = {i: rel for rel, s in self.files.items() for i in s.ids}
        return self._ids

    def counts_by_document(self) -> dict[str, int]:
        if self._counts is None:  # cached until the summaries change (the TUI asks often)
            counts: Counter[str] = Counter()
            for summary in self.files.values():
                counts[summary.doc_id] += len(summary.ids)
            self._counts = dict(sorted(counts.items()))
        return dict(self._counts)

    def tag_counts(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for summary in self.files.values():
            counts.update(summary.tags)
        return counts

    def files_with_tags(self, names: set[str]) -> list[str]:
        return sorted(rel for rel, s in self.files.items() if names & s.tags.keys())

    def save(self) -> None:
        """Write the summary (not fsynced: it is a cache, checked against the files on load)."""
        files = {rel: s.to_json() for rel, s in self.files.items()}
        last_good = {rel: s.to_json() for rel, s in self.last_good.items()}
        data = {"version": CACHE_VERSION, "files": files, "last_good": last_good}
        atomic_write_bytes(self.cache_path, orjson.dumps(data), durable=False)
        self.dirty = False
