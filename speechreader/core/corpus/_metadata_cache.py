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
from pathlib import Path

import orjson

from speechreader.core import paths
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
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        data = orjson.loads((paths.corpus_cache_dir(root) / CACHE_FILE).read_bytes())
        if data["key"] == key:
            return key, (data["rows"], data["columns"], data["warnings"])
    return key, None


def save(root: Path, key: list, rows: dict, columns: list, warnings: list) -> None:
    """Cache what the file with ``key`` parsed to, if it has settled (best effort)."""
    if time.time_ns() - key[1] <= SETTLED_SECONDS * 1e9:
        return
    payload = {"key": key, "rows": rows, "columns": columns, "warnings": warnings}
    with contextlib.suppress(OSError, TypeError):
        atomic_write_bytes(
            paths.corpus_cache_dir(root) / CACHE_FILE, orjson.dumps(payload), durable=False
        )
