"""What ``metadata.csv`` parses to, cached beside the listing (``metadata.json``).

Every command merges the metadata into the listing, and parsing is a Python loop over
every row (100,000 rows: about a second, a third of a warm ``list``). The cache is used
only for the very file it was made from (size, mtime, inode) by the same parsing code
(a hash of it), and is written only for a file last changed more than
:data:`SETTLED_SECONDS` ago: a file rewritten twice within the clock's granularity keeps
its size and mtime, and must never be taken for the earlier version ("racy" entries,
as git calls them). Anything unreadable is treated as no cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import time
from collections.abc import Mapping
from pathlib import Path

import orjson

from speechreader.core import paths
from speechreader.core.corpus._metadata_row import MetadataRow
from speechreader.core.fileio import atomic_write_bytes

CACHE_FILE = "metadata.json"
SETTLED_SECONDS = 2.0
#: the code that decides what a file parses to, relative to ``speechreader/core``
SOURCES = ("corpus/_metadata.py", "corpus/_metadata_cache.py", "text/_encoding.py")


@functools.cache
def _logic() -> str:
    digest = hashlib.blake2b(digest_size=8)
    core = Path(__file__).resolve().parent.parent
    for name in SOURCES:
        digest.update((core / name).read_bytes())
    return digest.hexdigest()


def load_cached(root: Path, path: Path) -> tuple[list | None, tuple | None]:
    """(the file's key, or None if it cannot be stat'ed; (rows, columns, warnings) from
    the cache if it was made from this very file, else None)."""
    try:
        st = os.stat(path)
    except OSError:
        return None, None
    key = [st.st_size, st.st_mtime_ns, st.st_ino, _logic()]
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError, IndexError):
        data = orjson.loads((paths.corpus_cache_dir(root) / CACHE_FILE).read_bytes())
        if data["key"] == key:
            return key, (_rows(data), data["columns"], data["warnings"])
    return key, None


def _rows(data: dict) -> dict[str, Mapping[str, str]]:
    """The rows from their columns: each value one shared string (see :func:`save`)."""
    files, names = data["files"], data["names"]
    if not set(map(type, files)) <= {str} or not set(map(type, names)) <= {str}:
        raise TypeError("not a cache of ours")
    columns = []
    for values, codes in zip(data["values"], data["codes"], strict=True):
        if not set(map(type, values)) <= {str} or not set(map(type, codes)) <= {int}:
            raise TypeError("not a cache of ours")
        if len(codes) != len(files) or (codes and min(codes) < -1):
            raise ValueError("not a cache of ours")
        table = [*values, None]  # code -1: no value in that row
        columns.append(list(map(table.__getitem__, codes)))  # IndexError: not ours
    if len(columns) != len(names):
        raise ValueError("not a cache of ours")
    if not columns:
        return {file: {} for file in files}
    shared = tuple(names)  # one tuple of names for every row (see MetadataRow)
    return {
        file: MetadataRow(shared, row)
        for file, row in zip(files, zip(*columns, strict=True), strict=True)
    }


def save(root: Path, key: list, rows: dict, columns: list, warnings: list, names: list) -> None:
    """Cache what the file with ``key`` parsed to, if it has settled (best effort).

    Written in columns, each a table of its distinct values and a code per row (-1: no
    value): 100,000 rows as dicts were 700,000 objects (52 MB) on every load, and most
    values (a date, a speaker, a place) repeat. ``names`` are the attribute columns in
    the order each row's keys are in.
    """
    if time.time_ns() - key[1] <= SETTLED_SECONDS * 1e9:
        return
    tables: list[dict[str, int]] = [{} for _ in names]
    codes: list[list[int]] = [[] for _ in names]
    for row in rows.values():
        for name, table, column in zip(names, tables, codes, strict=True):
            value = row.get(name)
            column.append(-1 if value is None else table.setdefault(value, len(table)))
    payload = {
        "key": key,
        "files": list(rows),
        "names": names,
        "values": [list(t) for t in tables],
        "codes": codes,
        "columns": columns,
        "warnings": warnings,
    }
    with contextlib.suppress(OSError, TypeError):
        atomic_write_bytes(
            paths.corpus_cache_dir(root) / CACHE_FILE, orjson.dumps(payload), durable=False
        )
