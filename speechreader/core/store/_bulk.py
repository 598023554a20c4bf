"""Importing many annotations (a CSV of a million rows): streamed, and one short lock hold.

An import used to build every annotation in memory and then hold the database lock
while it merged them in, file by file: time grew with the square of the rows and every
other writer waited for minutes. A :class:`BulkImport` instead works in three phases:

1. **spool** (no lock): each incoming annotation is checked and appended, as JSON, to a
   spool file in a temporary folder; memory holds only where each one is (a few dozen
   bytes per annotation). Rows of one annotation that come apart in the file (a CSV
   sorted by tag) are merged here: their tags are joined, and if they disagree on
   anything else the annotation is refused, naming the field.
2. **prepare** (no lock): for each database file the import touches, in turn, the file
   is read, the incoming records merged in (:func:`merge_import`), and the new file
   written complete to a staging folder; the undo step is written alongside, one
   entry per line. Then one ``os.sync()`` makes all of it durable.
3. **commit** (under the lock, about a second for 20,000 files): every file is checked
   to be as it was read (one that changed meanwhile is prepared again, now under the
   lock), and :mod:`_commit` renames everything into place behind a journal.

A failure before the commit (a damaged file, a full disk) leaves the database exactly
as it was; a kill during the commit is finished by the next writer.

An import updates only what its source has: :data:`IMPORT_FIELDS` names the fields a
source may lack (a CSV without a ``note`` column keeps every existing note).

Speed: a new annotation (most of a big import) is put in its final form and
serialised once, in phase 1; phase 2 copies those bytes into the file and the undo step
as they are. Only annotations that exist already are parsed again and merged.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from array import array
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson

from speechreader.core.errors import InvalidInput
from speechreader.core.gcpause import paused_gc
from speechreader.core.store import _schema as s
from speechreader.core.store._bulk_files import (
    IMPORT_FIELDS,
    BulkFiles,
    ImportResult,
)
from speechreader.core.store._staging import Staging
from speechreader.core.store._tags import clean_tags
from speechreader.core.store._values import check_highlight, check_note, clean_coder, now_iso


class BulkImport:
    """Spool annotations with :meth:`add`, then :meth:`commit` them as one undo step."""

    def __init__(self, store: Any, fields: Iterable[str]) -> None:  # a Store
        store._writable()
        self.store = store
        self.given = frozenset(fields) & IMPORT_FIELDS
        self.now = now_iso()
        self._dir = Path(tempfile.mkdtemp(prefix="speechreader-import-"))
        self._spool = open(self._dir / "spool", "w+b")  # noqa: SIM115 (closed in close())
        self._end = 0
        index = store._index_now()
        self._where = index.ids()  # annotation id -> file holding it now
        self._summaries = index.files
        self._damaged = dict(index.damaged)
        self._items: dict[str, int] = {}
        self._offset = array("q")
        self._length = array("l")
        self._rel = array("l")  # index into self._rels
        self._old = array("l")  # its current file, if another one (-1: none)
        self._row = array("l")  # first source row
        self._fresh = array("b")  # 1: a new annotation, spooled in its final form
        self._tagset = array("l")  # index into self._tag_lists (for the file summaries)
        self._tag_lists: list[tuple[str, ...]] = []
        self._tag_index: dict[tuple[str, ...], int] = {}
        self._ids: list[str] = []  # item -> annotation id
        self._rels: list[str] = []
        self.owners: dict[str, tuple[str, str]] = {}  # file -> (coder, document)
        self._rel_index: dict[str, int] = {}
        self._more_rows: dict[int, list[int]] = {}
        self._refused: dict[int, str] = {}
        self._refused_new: dict[str, tuple[list[int], str]] = {}
        self._tags: dict[tuple, list[str]] = {}
        self._coders: dict[str, str] = {}
        self._rel_cache: dict[tuple[str, str], str] = {}

    # --- phase 1: spool ---------------------------------------------------------------

    def add(self, record: dict, rows: Sequence[int] = (0,)) -> None:
        """Add one annotation (a complete record, which this takes over) read from the
        source's ``rows``. A million rows come through here: it is written for speed.

        Raises :class:`InvalidInput` if it cannot be imported (then :meth:`refuse` it).
        """
        ann_id = record.get("id")
        if self._refused_new and ann_id in self._refused_new:
            self._refused_new[ann_id][0].extend(rows)
            return
        rec, old_rel = self._clean(record), self._where.get(ann_id)
        if old_rel is None:  # new: its final form now (merged with nothing)
            given, now = self.given, self.now
            if "note" not in given:
                rec["note"] = ""
            if "highlight" not in given:
                rec["highlight"] = None
            rec["created"] = ("created" in given and rec.get("created")) or now
            rec["updated"] = ("updated" in given and rec.get("updated")) or now
        item = self._items.get(ann_id)
        if item is not None:
            self._repeat(item, rec, rows)
            return
        rel = self._rel_cache.get((rec["coder"], rec["doc_id"])) or self._rel_of(rec)
        if rel in self._damaged:  # only its document: the rest of the import goes on
            raise InvalidInput(f"not imported: {self._damaged[rel]}")
        item = self._items[ann_id] = len(self._offset)
        self._ids.append(ann_id)
        self._write(rec)
        self._rel.append(self._rel_index[rel])
        self._old.append(self._index_of(old_rel) if old_rel and old_rel != rel else -1)
        self._row.append(rows[0])
        self._fresh.append(old_rel is None)
        tagset = self._tag_index.get(tuple(rec["tags"]))
        self._tagset.append(self._tags_of(rec) if tagset is None else tagset)
        if len(rows) > 1:
            self._more_rows[item] = list(rows[1:])

    def refuse(self, ann_id: str, rows: list[int], reason: str) -> None:
        """Leave annotation ``ann_id`` out (and every other row of it), for ``reason``."""
        item = self._items.get(ann_id)
        if item is None:
            known = self._refused_new.setdefault(ann_id, ([], reason))
            known[0].extend(rows)
            return
        self._refused.setdefault(item, reason)
        self._more_rows.setdefault(item, []).extend(rows)

    def _clean(self, rec: dict) -> dict:
        """The record (changed in place) checked as the store checks what it saves, its
        coder decided: the source's, else the stored annotation's, else ours. Names are
        checked once each."""
        ann_id = rec.get("id")
        if type(ann_id) is not str or not ann_id.strip():
            raise InvalidInput("an imported annotation needs an id")
        tags = rec.get("tags", [])
        key = tuple(tags) if type(tags) is list else None
        clean = self._tags.get(key)
        if clean is None:
            clean = clean_tags(tags)
            if key is not None:
                self._tags[key] = clean
        rec["tags"] = clean  # the same list for every record with these tags: not changed
        note = rec.get("note", "")
        if note:
            check_note(note)
        highlight = rec.get("highlight")
        if highlight is not None:
            rec["highlight"] = check_highlight(highlight)
        coder = rec.get("coder")
        if coder and "coder" in self.given:
            clean_name = self._coders.get(coder)
            if clean_name is None:
                clean_name = self._coders[coder] = clean_coder(coder)
            rec["coder"] = clean_name
        else:
            old_rel = self._where.get(ann_id)
            found = self._summaries.get(old_rel) if old_rel else None
            rec["coder"] = found.coder if found is not None else self.store.coder
        if not s.valid_annotation(ann_id, rec):
            raise InvalidInput(f"annotation {ann_id}: {s.annotation_problem(ann_id, rec)}")
        return rec

    def _rel_of(self, rec: dict) -> str:
        coder, doc_id = rec["coder"], rec["doc_id"]
        rel = self._rel_cache[(coder, doc_id)] = self.store._rel(coder, doc_id)
        self.owners[rel] = (coder, doc_id)
        self._index_of(rel)
        return rel

    def _tags_of(self, rec: dict) -> int:
        key = tuple(rec["tags"])
        found = self._tag_index.get(key)
        if found is None:
            found = self._tag_index[key] = len(self._tag_lists)
            self._tag_lists.append(key)
        return found

    def _repeat(self, item: int, rec: dict, rows: Sequence[int]) -> None:
        """More rows of an annotation met earlier in the source: join tags, or refuse."""
        self._more_rows.setdefault(item, []).extend(rows)
        if item in self._refused:
            return
        first = self._read(item)
        for name in first:
            if name != "tags" and first[name] != rec.get(name):
                self._refused[item] = f"rows of annotation {rec['id']} disagree on {name}"
                return
        tags = list(dict.fromkeys([*first["tags"], *rec["tags"]]))
        if tags != first["tags"]:
            joined = first | {"tags": tags}
            self._write(joined, item)
            self._tagset[item] = self._tags_of(joined)

    def _write(self, rec: dict, item: int | None = None) -> None:
        data = orjson.dumps(rec, option=orjson.OPT_SORT_KEYS)  # as the database files have it
        self._spool.write(data)  # always at the end: reads use pread, which does not move
        if item is None:
            self._offset.append(self._end)
            self._length.append(len(data))
        else:
            self._offset[item], self._length[item] = self._end, len(data)
        self._end += len(data)

    def raw(self, item: int) -> bytes:
        """An item's record as spooled (call :meth:`commit` or flush the spool first)."""
        return os.pread(self._spool.fileno(), self._length[item], self._offset[item])

    def record(self, item: int) -> dict:
        return orjson.loads(self.raw(item))

    def tags(self, item: int) -> tuple[str, ...]:
        return self._tag_lists[self._tagset[item]]

    def _read(self, item: int) -> dict:
        self._spool.flush()
        return self.record(item)

    def _index_of(self, rel: str) -> int:
        found = self._rel_index.get(rel)
        if found is None:
            found = self._rel_index[rel] = len(self._rels)
            self._rels.append(rel)
        return found

    # --- phases 2 and 3: prepare, commit --------------------------------------------

    def commit(self) -> ImportResult:
        """Write every spooled annotation (see the module docstring); one undo step."""
        result = ImportResult()
        for item in self._items.values():
            if item in self._refused:
                rows = [self._row[item], *self._more_rows.get(item, [])]
                result.refused.append((sorted(rows), self._refused[item]))
        result.refused += [(sorted(r), why) for r, why in self._refused_new.values()]
        live = [i for i in range(len(self._offset)) if i not in self._refused]
        if not live:
            return result
        self._spool.flush()
        by_rel: dict[int, list[int]] = {}
        moved: dict[int, list[int]] = {}
        for item in live:
            by_rel.setdefault(self._rel[item], []).append(item)
            if self._old[item] >= 0:
                moved.setdefault(self._old[item], []).append(item)
        work = BulkFiles(self, by_rel, moved, len(live))
        with Staging(self.store.path) as staging, paused_gc():
            work.prepare_all(staging.folder)
            if any(p.changed for p in work.prepared.values()):
                work.commit(staging.folder)
        result.added, result.updated, result.unchanged = work.totals()
        return result

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._spool.close()
        shutil.rmtree(self._dir, ignore_errors=True)

    def __enter__(self) -> BulkImport:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
