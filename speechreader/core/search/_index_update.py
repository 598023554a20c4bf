"""Keeping a corpus's search index current: what :meth:`SearchIndex.open` and
:meth:`SearchIndex.refresh` do once the index file is open.

An update compares the index's rows with the loaded corpus (path, content hash,
script; size and mtime_ns) and indexes only new and changed documents, a segment per
transaction; an index made current for exactly the files the corpus load found is
not compared at all (:func:`describes`). One builder at a time (:func:`build_lock`).
Split from :mod:`_index`, which keeps opening and reading.
"""

from __future__ import annotations

import contextlib
import fcntl
from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.errors import UnreadableFile
from speechreader.core.search._folder_walk import files_digest
from speechreader.core.search._form import IndexedDoc, index_text
from speechreader.core.search._index_db import IndexDB, NewDoc, new_index_file
from speechreader.core.search._postings import load_numpy

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, ProgressCallback

PROGRESS_STEPS = 100


def describes(db: IndexDB, corpus: Corpus, follow_links: bool) -> bool:
    """Whether ``db`` was made current for exactly the files ``corpus`` was loaded
    from. Then nothing needs comparing: at 100,000 documents the comparison (a dict
    of the listing, a row per document, a second walk of the folder) took ~1 s and
    left ~100 MB of freed pages in the TUI's process."""
    recorded = db.meta().get("files")
    stats = corpus.file_stats() if recorded else None
    return stats is not None and files_digest(stats, follow_links) == recorded


@contextlib.contextmanager
def build_lock(path: Path) -> Iterator[None]:
    """One builder of an index at a time, across processes (flock: a killed holder's
    lock goes with it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(f"{path}.lock", "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class IndexUpdates:
    """The updating half of :class:`~speechreader.core.search._index.SearchIndex`."""

    db: IndexDB
    path: Path
    key: str
    config: str
    follow_links: bool
    missing: list[str]
    built: int
    _corpus: Corpus | None
    _entries: OrderedDict[str, tuple[int, IndexedDoc]]

    def _update(self, corpus: Corpus, progress: ProgressCallback | None) -> None:
        """Bring the file up to date with ``corpus`` (the caller holds the build lock)."""
        self._corpus = corpus
        self._entries.clear()
        db = self.db
        if describes(db, corpus, self.follow_links):
            self.missing, self.built = [], 0
            return
        next_no = int(db.meta().get("next_no", "0"))
        if next_no > 2 * len(corpus.documents) + db.segment:  # more than half the numbers
            db.close()  # dead: start afresh
            self.db = db = new_index_file(self.path, self.key)
        keep, touched, dead = self._compare(corpus)
        if not dead and not touched and len(keep) == len(corpus.documents):
            self.missing, self.built = [], 0  # nothing to write unless the digest is new
            digest = self._current_digest(corpus)
            if digest != db.meta().get("files"):
                with db.transaction():
                    db.set_meta({"files": digest})
            return
        if dead or touched or db.meta().get("files"):
            with db.transaction():
                db.delete(dead)
                db.update_stats(touched)
                db.set_meta({"files": ""})  # not current until the update is done
        self._fill(corpus, keep, progress)
        digest = self._current_digest(corpus)
        with db.transaction():
            db.set_meta({"files": digest})

    def _compare(
        self, corpus: Corpus
    ) -> tuple[dict[str, int], list[tuple[int, int, int]], list[int]]:
        """Which rows still hold a document of ``corpus`` (id -> number), which of those
        only changed their file's size or time (number, size, mtime_ns), which are dead."""
        by_path = {info.path: info for info in corpus.documents}
        keep: dict[str, int] = {}
        touched: list[tuple[int, int, int]] = []
        dead: list[int] = []
        for row in self.db.rows():
            info = by_path.get(row.rel)
            if (
                info is None
                or info.id in keep
                or (row.doc_id, row.content_hash, row.base_script)
                != (info.id, info.content_hash, info.base_script)
            ):
                dead.append(row.no)
                continue
            keep[info.id] = row.no
            stat = corpus.file_stat(info.id)
            if stat is not None and stat != (row.size, row.mtime_ns):
                touched.append((row.no, *stat))
        return keep, touched, dead

    def _fill(
        self, corpus: Corpus, keep: dict[str, int], progress: ProgressCallback | None
    ) -> None:
        """Index every document of ``corpus`` not in ``keep``, a segment per transaction."""
        db = self.db
        total = len(corpus.documents)
        step = max(1, total // PROGRESS_STEPS)
        missing: list[str] = []
        built = 0
        batch: list[NewDoc] = []
        room = db.segment - int(db.meta().get("next_no", "0")) % db.segment
        if progress:
            progress(0, total)
        from speechreader.core.search._build import forms

        made = forms(corpus, [info for info in corpus.documents if info.id not in keep],
                     self.config, meanwhile=load_numpy)  # fmt: skip
        for done, info in enumerate(corpus.documents, start=1):
            if info.id not in keep:
                entry = next(made)
                if entry is None:  # not made by a worker: through the corpus
                    try:
                        text = corpus.text(info.id)  # refreshes info if the file changed
                        entry = index_text(text, self.config, info.base_script)
                    except UnreadableFile:
                        missing.append(info.id)
                if entry is not None:
                    size, mtime_ns = corpus.file_stat(info.id) or (-1, -1)
                    batch.append(NewDoc(info.path, info.id, size, mtime_ns, info.content_hash,
                                        info.base_script, entry))  # fmt: skip
                    built += 1
                    if len(batch) == room:
                        with db.transaction():
                            db.add(batch)
                        batch, room = [], db.segment
            if progress and (done % step == 0 or done == total):
                progress(done, total)
        if batch:
            with db.transaction():
                db.add(batch)
        self.missing, self.built = missing, built

    def _current_digest(self, corpus: Corpus) -> str:
        """The digest of the folder's files if the index now holds exactly what they
        hold (every document's file unchanged since it was read, every other file one
        the listing skipped), else "" (the next search loads the listing)."""
        if self.missing:
            return ""
        found = corpus.file_stats()  # what the load's own walk found, as since read
        if found is not None:
            return files_digest(found, self.follow_links) if found else ""
        from speechreader.core.corpus import scan_files

        files, _ = scan_files(corpus.root, follow_links=self.follow_links)
        docs = {info.path: info for info in corpus.documents}
        skipped = {s.path for s in corpus.skipped}
        seen = 0
        for f in files:
            info = docs.get(f.rel)
            if info is None:
                if f.rel not in skipped:
                    return ""
            elif corpus.file_stat(info.id) != (f.size, f.mtime_ns):
                return ""
            else:
                seen += 1
        if seen != len(docs) or not files:
            return ""
        return files_digest([(f.rel, f.size, f.mtime_ns) for f in files], self.follow_links)
