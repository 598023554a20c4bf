"""The search index on disk: one SQLite file per corpus, queried, never loaded whole.

``paths.corpus_cache_dir(root)/search/index-<config>.sqlite`` holds four tables:

- ``meta``: format, the key of the search form (form version, OpenCC, phrase overrides,
  the code that decodes and folds), the digest of the corpus's files when the index
  was last made current, and the next free document number;
- ``docs``: one row per indexed document: its number, path, id, size and mtime_ns
  (what says it is unchanged), content hash and script;
- ``forms``: each document's search form and what gives its own text back (see
  :class:`IndexedDoc`), texts as UTF-16-LE blobs (CJK decodes at memory speed);
- ``postings``: for every character and pair of characters, the documents holding it,
  by segment (see :mod:`_postings`).

Why SQLite: it is in the standard library, a query reads only the pages it needs (a
rare phrase in 100,000 speeches touches a few hundred KB), its transactions make every
update atomic (a crash leaves the index as it was) and its locks let two processes
read and write one file. A changed document gets a new number (its old rows are
deleted; a postings blob may still name the old number, which no longer has a form and
is dropped when read), so an update rewrites only the segments it touches.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

from speechreader.core.search._form import IndexedDoc
from speechreader.core.search._index_rows import (
    DocRow,
    NewDoc,
    entry_of,
    from_utf16,
    mapping_blob,
    mapping_columns,
    utf16,
)
from speechreader.core.search._postings import (
    SEGMENT_BITS,
    bitset,
    encode_segment,
    gram_codes,
)

FORMAT = "speechreader-search-sqlite 2"
BUSY_MS = 30_000  # another process writing: wait for it rather than fail
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS docs(no INTEGER PRIMARY KEY, rel TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL UNIQUE, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    content_hash TEXT NOT NULL, base_script TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS forms(no INTEGER PRIMARY KEY, norm BLOB NOT NULL, orig BLOB,
    diff_pos BLOB, diff_chars BLOB, mapping BLOB);
CREATE TABLE IF NOT EXISTS postings(code INTEGER NOT NULL, segment INTEGER NOT NULL,
    docs BLOB NOT NULL, PRIMARY KEY(code, segment)) WITHOUT ROWID;
"""
_IN_CHUNK = 500  # numbers per "IN (…)" query


class IndexDB:
    """One open index file (or an in-memory one); safe to share between threads."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        target = ":memory:" if path is None else str(path)
        self.conn = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self.conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
        self.lock = threading.RLock()
        self.bits = SEGMENT_BITS  # documents per segment: 1 << bits (the file says)

    @property
    def segment(self) -> int:
        return 1 << self.bits

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    # --- meta and rows --------------------------------------------------------------

    def create(self, key: str, bits: int = SEGMENT_BITS) -> None:
        with self.lock, self.transaction():
            for statement in _SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            self.set_meta({"format": FORMAT, "key": key, "next_no": "0", "files": "",
                           "segment_bits": str(bits)})  # fmt: skip
        self.bits = bits

    def meta(self) -> dict[str, str]:
        """The meta table ({} if this is no index of ours)."""
        with self.lock:
            try:
                return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
            except sqlite3.DatabaseError:
                return {}

    def set_meta(self, values: dict[str, str]) -> None:
        with self.lock:
            self.conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", values.items()
            )

    def rows(self, batch: int = 4096) -> Iterator[DocRow]:
        """Every document row, read a batch at a time: 100,000 rows held at once (a row
        object each, and a dict of them) raised the TUI's peak memory by ~50 MB when a
        search first brought the index up to date."""
        with self.lock:
            cursor = self.conn.execute(
                "SELECT no, rel, doc_id, size, mtime_ns, content_hash, base_script FROM docs"
            )
        while True:
            with self.lock:
                found = cursor.fetchmany(batch)
            if not found:
                return
            for row in found:
                yield DocRow(*row)

    def count(self) -> int:
        with self.lock:
            return self.conn.execute("SELECT count(*) FROM docs").fetchone()[0]

    def doc_ids(self) -> list[str]:
        with self.lock:
            return [r[0] for r in self.conn.execute("SELECT doc_id FROM docs ORDER BY doc_id")]

    def number(self, doc_id: str) -> int | None:
        with self.lock:
            row = self.conn.execute("SELECT no FROM docs WHERE doc_id = ?", (doc_id,)).fetchone()
        return None if row is None else row[0]

    def ids_of(self, numbers: Iterable[int]) -> list[tuple[str, int]]:
        """``(doc_id, no)`` of the live documents among ``numbers``, in id order."""
        out: list[tuple[str, int]] = []
        nums = list(numbers)
        with self.lock:
            for i in range(0, len(nums), _IN_CHUNK):
                chunk = nums[i : i + _IN_CHUNK]
                marks = ",".join("?" * len(chunk))
                out += self.conn.execute(
                    f"SELECT doc_id, no FROM docs WHERE no IN ({marks})", chunk
                ).fetchall()
        out.sort()
        return out

    def all_ids(self) -> list[tuple[str, int]]:
        with self.lock:
            return self.conn.execute("SELECT doc_id, no FROM docs ORDER BY doc_id").fetchall()

    # --- forms ----------------------------------------------------------------------

    def entry(self, no: int) -> IndexedDoc | None:
        with self.lock:
            row = self.conn.execute(
                "SELECT norm, orig, diff_pos, diff_chars, mapping FROM forms WHERE no = ?", (no,)
            ).fetchone()
        return None if row is None else entry_of(*row)

    def entries(
        self, numbers: list[int], *, maps: bool = True
    ) -> Iterator[tuple[int, IndexedDoc, tuple[list[int], ...] | None]]:
        """``(no, entry, pieces)`` for ``numbers``, in that order, a chunk at a time (a
        number without a form, dead or never indexed, is left out). ``pieces`` are the
        offset map's columns; with ``maps=False`` the entry comes without its
        OffsetMap (a search maps its hits with the columns: making the map costs more)."""
        for i in range(0, len(numbers), _IN_CHUNK):
            chunk = numbers[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            with self.lock:
                found = self.conn.execute(
                    "SELECT no, norm, orig, diff_pos, diff_chars, mapping FROM forms"
                    f" WHERE no IN ({marks})",
                    chunk,
                ).fetchall()
            by_no = {row[0]: row for row in found}
            for no in chunk:
                row = by_no.get(no)
                if row is not None:
                    blob = row[5]
                    entry = entry_of(*row[1:5], blob if maps else None)
                    yield no, entry, mapping_columns(blob)

    def postings(self, code: int) -> int:
        """The documents holding ``code`` as a bitset (bit n: document n; dead ones too)."""
        with self.lock:
            found = self.conn.execute(
                "SELECT segment, docs FROM postings WHERE code = ?", (code,)
            ).fetchall()
        return bitset(found, self.bits)

    def postings_between(self, low: int, high: int) -> int:
        """The documents holding any code in ``low..high-1``, as a bitset."""
        with self.lock:
            found = self.conn.execute(
                "SELECT segment, docs FROM postings WHERE code >= ? AND code < ?", (low, high)
            ).fetchall()
        return bitset(found, self.bits)

    def norms(self, numbers: list[int]) -> Iterator[tuple[int, str, tuple[list[int], ...] | None]]:
        """``(no, norm, pieces)`` for ``numbers``, in that order, a chunk at a time: all a
        search needs to find its hits (``pieces``: the offset map's columns, or None;
        a traditional text's own text stays unread)."""
        for i in range(0, len(numbers), _IN_CHUNK):
            chunk = numbers[i : i + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            with self.lock:
                found = self.conn.execute(
                    f"SELECT no, norm, mapping FROM forms WHERE no IN ({marks})", chunk
                ).fetchall()
            by_no = {row[0]: row for row in found}
            for no in chunk:
                row = by_no.get(no)
                if row is not None:
                    yield no, from_utf16(row[1]), mapping_columns(row[2])

    # --- writing --------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """BEGIN IMMEDIATE … COMMIT; a failure rolls everything back."""
        with self.lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def delete(self, numbers: Iterable[int]) -> None:
        """Drop documents (their postings are left: a number without a form is dead)."""
        rows = [(n,) for n in numbers]
        with self.lock:
            self.conn.executemany("DELETE FROM docs WHERE no = ?", rows)
            self.conn.executemany("DELETE FROM forms WHERE no = ?", rows)

    def update_stats(self, changes: Iterable[tuple[int, int, int]]) -> None:
        """``(no, size, mtime_ns)``: a file touched but unchanged in content."""
        with self.lock:
            self.conn.executemany(
                "UPDATE docs SET size = ?, mtime_ns = ? WHERE no = ?",
                [(size, mtime, no) for no, size, mtime in changes],
            )

    def add(self, docs: list[NewDoc]) -> None:
        """Number and store ``docs`` (at most one segment's worth), with their postings.

        New numbers follow the last one; the segments they land in are encoded again
        from every live document in them (a partly filled last segment included).
        """
        if not docs:
            return
        with self.lock:
            first = int(self.meta()["next_no"])
            self.conn.executemany(
                "INSERT INTO docs(no, rel, doc_id, size, mtime_ns, content_hash, base_script)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(first + i, d.rel, d.doc_id, d.size, d.mtime_ns, d.content_hash, d.base_script)
                 for i, d in enumerate(docs)],
            )  # fmt: skip
            self.conn.executemany(
                "INSERT INTO forms(no, norm, orig, diff_pos, diff_chars, mapping)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    (
                        first + i,
                        utf16(d.entry.norm),
                        None if d.entry.orig is None else utf16(d.entry.orig),
                        d.entry.diff_pos.tobytes() if d.entry.diff_pos else None,
                        utf16(d.entry.diff_chars) if d.entry.diff_chars else None,
                        mapping_blob(d.entry),
                    )
                    for i, d in enumerate(docs)
                ],
            )
            new_norms = {first + i: d.entry.norm for i, d in enumerate(docs)}
            end = first + len(docs)
            for segment in range(first >> self.bits, ((end - 1) >> self.bits) + 1):
                self._encode(segment, new_norms)
            self.set_meta({"next_no": str(end)})

    def _encode(self, segment: int, known: dict[int, str]) -> None:
        """Write the postings of one segment from its live documents (``known``: search
        forms at hand; the others in the segment are read back)."""
        base = segment << self.bits
        live = [
            r[0]
            for r in self.conn.execute(
                "SELECT no FROM docs WHERE no >= ? AND no < ? ORDER BY no",
                (base, base + self.segment),
            )
        ]
        if not live:
            return
        norms = dict(known)
        norms.update((no, norm) for no, norm, _ in self.norms([n for n in live if n not in known]))
        alive = set(live)
        codes = (gram_codes(norms[no] if no in alive else "") for no in range(base, live[-1] + 1))
        self.conn.executemany(
            "INSERT OR REPLACE INTO postings(code, segment, docs) VALUES (?, ?, ?)",
            encode_segment(codes, base, self.bits),
        )


def open_index(path: Path, key: str) -> IndexDB | None:
    """The index at ``path`` if it is one of ours for ``key``, else None."""
    if not path.is_file():
        return None
    try:
        db = IndexDB(path)
    except sqlite3.DatabaseError:
        return None
    meta = db.meta()
    if meta.get("format") != FORMAT or meta.get("key") != key:
        db.close()
        return None
    db.bits = int(meta.get("segment_bits", SEGMENT_BITS))
    return db


def new_index_file(path: Path, key: str) -> IndexDB:
    """A fresh, empty index put in place of ``path`` atomically (made aside, then renamed).

    The caller holds the build lock, so no one writes the old file; a rollback journal
    left by a writer that crashed belongs to the old file and must not be applied to the
    new one, so it goes first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    db = IndexDB(temp)
    db.create(key, SEGMENT_BITS)
    db.close()
    with contextlib.suppress(FileNotFoundError):
        Path(f"{path}-journal").unlink()
    os.replace(temp, path)
    db = IndexDB(path)
    db.bits = SEGMENT_BITS
    return db


def memory_index(key: str) -> IndexDB:
    db = IndexDB(None)
    db.create(key, SEGMENT_BITS)
    return db
