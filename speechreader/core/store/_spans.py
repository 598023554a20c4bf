"""Every annotation's place and tags as columns, remembered per file by its stat key.

Analysis counts 100,000 passages at once and needs of each only its document, coder,
start, end, tags and document hash. Reading, validating and making records of 20,000
annotation files takes ~2 s, so a table on the command line could not come out in
one. :meth:`SpanOps.spans` gives those fields as columns (:class:`SpanTable`) and
keeps them in a cache file (the user cache folder, one per database: never beside
the database, never shared) together with the stat key (mtime_ns, size, inode,
ctime_ns) of the file each record came from.

The cache is never trusted over the files. Every call lists the annotation files and
stats each one (~0.1 s for 20,000): a file whose key is the one remembered is taken
from the cache; any other file (new, changed by the store, an import, an undo, a git
pull, a hand edit) is read and validated in full, exactly as :meth:`Store.all` does,
so a damaged file stops the read with the message naming it (never used, never
cached), and a file gone is dropped. The codebook and the corpus are not in the
cache at all (the analysis reads them each time).

A file changed in place twice within the file system's timestamp granularity,
keeping its size, keeps its stat key. So a file whose times are within
:data:`RACY_NS` of the read is used but not remembered: it is read again next time
(git treats "racily clean" index entries the same way). A cache that cannot be read
(damaged, another version, another database) is rebuilt; one that cannot be written
only costs time.
"""

from __future__ import annotations

import contextlib
import struct
import time
import zlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from speechreader.core.fileio import atomic_write_bytes
from speechreader.core.store._schema import ANNOTATIONS_TABLE, annotation_file_check
from speechreader.core.store._storage import StatKey, load_file, stat_key
from speechreader.core.store._summary import _scan

if TYPE_CHECKING:
    import numpy as np

FORMAT = 1
CACHE_NAME = "spans.bin"
_MAGIC = b"SRSPANS1\n"
#: files changed this recently (ns) are read again next time, not remembered
RACY_NS = 2_000_000_000
_UNCONFIRMED: StatKey = (-1, -1, -1, -1)


@dataclass(frozen=True)
class SpanTable:
    """Every annotation's coder, document, place, tags and document hash, as columns.

    Records come file by file (``counts[f]`` records of file ``f``, whose coder and
    document are ``coders[f]`` and ``doc_ids[f]``), in no particular order. Tags and
    document hashes are indexes into ``tagsets`` (a record's tags, in order) and
    ``hashes``.
    """

    coders: list[str]
    doc_ids: list[str]
    counts: np.ndarray  # int64, per file
    ids: list[str]
    start: np.ndarray  # int64
    end: np.ndarray  # int64
    tagset: np.ndarray  # int32 index into tagsets
    tagsets: list[tuple[str, ...]]
    doc_hash: np.ndarray  # int32 index into hashes
    hashes: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    @cached_property
    def file(self) -> np.ndarray:
        """Each record's file (index into ``coders`` and ``doc_ids``)."""
        import numpy as np

        return np.repeat(np.arange(len(self.counts), dtype=np.int32), self.counts)


class SpanOps:
    """:meth:`spans`; mixed into Store."""

    path: Path

    def spans(self, *, cached: bool = True) -> SpanTable:
        """Every annotation as columns (see the module docstring); ``cached=False`` reads
        and validates every file and leaves the cache alone.

        Raises :class:`DatabaseCorrupt` naming a file that cannot be read, as :meth:`all`.
        """
        from speechreader.core.paths import database_cache_dir

        cache = database_cache_dir(self.path) / CACHE_NAME if cached else None
        return read_spans(self.path, cache)


class _Columns:
    """Columns being gathered: files, then their records."""

    def __init__(self, tagsets: list[tuple[str, ...]], hashes: list[str]) -> None:
        self.rels: list[str] = []
        self.keys: list[StatKey] = []
        self.coders: list[str] = []
        self.doc_ids: list[str] = []
        self.counts: list[int] = []
        self.ids: list[str] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.tagset: list[int] = []
        self.doc_hash: list[int] = []
        self.tagsets = {t: i for i, t in enumerate(tagsets)}
        self.hashes = {h: i for i, h in enumerate(hashes)}

    def add(self, rel: str, key: StatKey, records: dict[str, dict]) -> None:
        first = next(iter(records.values()), None)
        self.rels.append(rel)
        self.keys.append(key)
        self.coders.append(first["coder"] if first else "")
        self.doc_ids.append(first["doc_id"] if first else "")
        self.counts.append(len(records))
        tagsets, hashes = self.tagsets, self.hashes
        for ann_id, rec in records.items():
            self.ids.append(ann_id)
            self.start.append(rec["start"])
            self.end.append(rec["end"])
            tags = tuple(rec.get("tags", ()))
            self.tagset.append(tagsets.setdefault(tags, len(tagsets)))
            self.doc_hash.append(hashes.setdefault(rec.get("doc_hash", ""), len(hashes)))


@dataclass
class _Cached:
    """What the cache file holds: a SpanTable plus each file's path and stat key."""

    table: SpanTable
    rels: list[str]
    keys: np.ndarray  # int64 (files, 4)


def read_spans(root: Path, cache: Path | None) -> SpanTable:
    """The columns of every annotation file of the database at ``root`` (see the module)."""
    import numpy as np

    old = _load(cache, root) if cache is not None else None
    listing: list[tuple[str, str, str, str]] = []
    keys: list[StatKey] = []
    for rel, coder, stem, entry in _scan(root):
        try:
            keys.append(stat_key(entry.stat()))
        except FileNotFoundError:
            continue
        listing.append((rel, coder, stem, entry.path))
    keep = np.zeros(len(old.rels) if old else 0, dtype=bool)
    same = _unchanged(old, [item[0] for item in listing], keys, keep)
    fresh = _Columns(old.table.tagsets if old else [], old.table.hashes if old else [])
    unconfirmed = False
    now = time.time_ns()
    for (rel, coder, stem, path), is_same in zip(listing, same, strict=True):
        if is_same:
            continue
        loaded = load_file(Path(path), annotation_file_check(coder, stem))
        if loaded is None:  # gone since the listing
            continue
        key, data = loaded
        if max(key[0], key[3]) >= now - RACY_NS:
            key, unconfirmed = _UNCONFIRMED, True
        fresh.add(rel, key, data.get(ANNOTATIONS_TABLE, {}))  # type: ignore[union-attr]
    merged = _merge(old, keep, fresh)
    if cache is not None and (fresh.rels or not keep.all() or unconfirmed or old is None):
        with contextlib.suppress(OSError):  # a cache we cannot write is only slower
            _save(cache, root, merged)
    return merged.table


def _unchanged(
    old: _Cached | None, rels: list[str], keys: list[StatKey], keep: np.ndarray
) -> list[bool]:
    """Which listed files the cache has with the same stat key (marked in ``keep``)."""
    import numpy as np

    if old is None or not rels:
        return [False] * len(rels)
    if rels == old.rels:  # the usual case: nothing added or removed, same listing order
        at = np.arange(len(rels))
    else:
        index = {rel: i for i, rel in enumerate(old.rels)}
        at = np.array([index.get(rel, -1) for rel in rels], dtype=np.int64)
    same = (at >= 0) & (old.keys[at] == np.array(keys, dtype=np.int64)).all(axis=1)
    keep[at[same]] = True
    return same.tolist()


def _merge(old: _Cached | None, keep: np.ndarray, fresh: _Columns) -> _Cached:
    """The files kept from the cache, then those read now."""
    import numpy as np

    new_counts = np.asarray(fresh.counts, dtype=np.int64)
    new_keys = np.asarray(fresh.keys, dtype=np.int64).reshape(-1, 4)
    tagsets = list(fresh.tagsets)
    hashes = list(fresh.hashes)
    columns = (
        np.asarray(fresh.start, dtype=np.int64),
        np.asarray(fresh.end, dtype=np.int64),
        np.asarray(fresh.tagset, dtype=np.int32),
        np.asarray(fresh.doc_hash, dtype=np.int32),
    )
    if old is not None and keep.all() and not fresh.rels:
        return old  # nothing changed: the usual case
    if old is None or not keep.any():
        start, end, tagset, doc_hash = columns
        table = SpanTable(
            fresh.coders, fresh.doc_ids, new_counts, fresh.ids,
            start, end, tagset, tagsets, doc_hash, hashes,
        )  # fmt: skip
        return _Cached(table, fresh.rels, new_keys)
    t = old.table
    rows = np.repeat(keep, t.counts)
    kept_files = np.flatnonzero(keep).tolist()
    start, end, tagset, doc_hash = (
        np.concatenate([a[rows], b])
        for a, b in zip((t.start, t.end, t.tagset, t.doc_hash), columns, strict=True)
    )
    ids = [i for i, k in zip(t.ids, rows.tolist(), strict=True) if k] + fresh.ids
    table = SpanTable(
        [t.coders[f] for f in kept_files] + fresh.coders,
        [t.doc_ids[f] for f in kept_files] + fresh.doc_ids,
        np.concatenate([t.counts[keep], new_counts]),
        ids, start, end, tagset, tagsets, doc_hash, hashes,
    )  # fmt: skip
    rels = [old.rels[f] for f in kept_files] + fresh.rels
    return _Cached(table, rels, np.concatenate([old.keys[keep], new_keys]))


# --- the cache file ------------------------------------------------------------------
#
# _MAGIC, the header's length (<Q), the header (JSON: strings, one list per column),
# then the arrays in this order, little-endian: keys (files × 4, i8), counts (files,
# i8), start, end (records, i8), tagset, doc_hash (records, i4). The header holds the
# CRC-32 of the arrays: a damaged cache is rebuilt, never believed.

_ARRAYS = (("keys", "<i8", 4), ("counts", "<i8", 1), ("start", "<i8", 1), ("end", "<i8", 1),
           ("tagset", "<i4", 1), ("doc_hash", "<i4", 1))  # fmt: skip


def _save(path: Path, root: Path, cached: _Cached) -> None:
    import numpy as np

    t = cached.table
    used_tags, tagset = np.unique(t.tagset, return_inverse=True)  # drop what no record uses
    used_hashes, doc_hash = np.unique(t.doc_hash, return_inverse=True)
    arrays = {
        "keys": cached.keys, "counts": t.counts, "start": t.start, "end": t.end,
        "tagset": tagset, "doc_hash": doc_hash,
    }  # fmt: skip
    payload = b"".join(
        np.ascontiguousarray(arrays[name], dtype=dtype).tobytes() for name, dtype, _ in _ARRAYS
    )
    head = orjson.dumps(
        {
            "format": FORMAT,
            "database": str(root.resolve()),
            "files": cached.rels,
            "coders": t.coders,
            "doc_ids": t.doc_ids,
            "ids": t.ids,
            "tagsets": [t.tagsets[i] for i in used_tags.tolist()],
            "hashes": [t.hashes[i] for i in used_hashes.tolist()],
            "crc": zlib.crc32(payload),
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, b"".join([_MAGIC, struct.pack("<Q", len(head)), head, payload]),
                       durable=False)  # fmt: skip


def _load(path: Path, root: Path) -> _Cached | None:
    """The cache's content, or None if it is missing, damaged or not this database's."""
    import numpy as np

    try:
        raw = path.read_bytes()
    except OSError:
        return None
    try:
        if not raw.startswith(_MAGIC):
            return None
        (size,) = struct.unpack_from("<Q", raw, len(_MAGIC))
        at = len(_MAGIC) + 8
        head = orjson.loads(raw[at : at + size])
        at += size
        if (
            head.get("format") != FORMAT
            or head.get("database") != str(root.resolve())
            or zlib.crc32(memoryview(raw)[at:]) != head["crc"]
        ):
            return None
        files, records = len(head["files"]), len(head["ids"])
        arrays = {}
        for name, dtype, width in _ARRAYS:
            n = (files if name in ("keys", "counts") else records) * width
            arrays[name] = np.frombuffer(raw, dtype=dtype, count=n, offset=at).astype(
                dtype[1:], copy=False
            )
            at += n * int(dtype[2:])
        tagsets = [tuple(t) for t in head["tagsets"]]
        hashes = list(head["hashes"])
        counts = arrays["counts"]
        if (
            at != len(raw)
            or len(head["coders"]) != files
            or len(head["doc_ids"]) != files
            or int(counts.sum()) != records
            or not _within(arrays["tagset"], len(tagsets))
            or not _within(arrays["doc_hash"], len(hashes))
        ):  # fmt: skip
            return None
    except (ValueError, KeyError, TypeError, struct.error, orjson.JSONDecodeError):
        return None
    table = SpanTable(
        head["coders"], head["doc_ids"], counts, head["ids"], arrays["start"], arrays["end"],
        arrays["tagset"], tagsets, arrays["doc_hash"], hashes,
    )  # fmt: skip
    return _Cached(table, head["files"], arrays["keys"].reshape(-1, 4))


def _within(index: np.ndarray, size: int) -> bool:
    """Every index points into a list of ``size`` (an empty column always does)."""
    return not len(index) or (int(index.min()) >= 0 and int(index.max()) < size)
