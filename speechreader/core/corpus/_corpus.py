"""A corpus: a folder of ``.txt`` speeches (recursively) plus optional ``metadata.csv``.

Loading decodes each file once and caches what listing needs (title, encoding,
script, length, problems, content hash) keyed by path, size and mtime, so that a
10,000-file corpus lists quickly after the first run. The text itself is decoded
again on demand (one file, with the cached encoding) when a document is opened.

The cache (see :mod:`listing_cache`) holds no metadata: the researcher edits
``metadata.csv`` independently, so it is read and merged on every load (a 10,000-row
CSV parses in milliseconds).
"""

from __future__ import annotations

import contextlib
import difflib
import time
from collections.abc import Callable, Iterator
from operator import attrgetter
from pathlib import Path, PurePosixPath

from speechreader.core.corpus._document import Document, DocumentInfo
from speechreader.core.corpus._files import (
    CorpusFile,
    Skipped,
    analyse_files,
    analyse_text,
    os_reason,
    scan_files,
)
from speechreader.core.corpus._listing_cache import (
    Listing,
    read_cache,
    write_cache,
)
from speechreader.core.corpus._metadata import read_metadata, strip_txt
from speechreader.core.errors import CorpusNotFound, UnknownDocument, UnreadableFile
from speechreader.core.gcpause import paused_gc, trim_heap
from speechreader.core.text import Problem, decode_bytes, decode_known

ProgressCallback = Callable[[int, int], None]  # (done, total)

CHECKPOINT_SECONDS = 5.0  # an interrupted cold load of a big corpus keeps what it did
PROGRESS_STEPS = 100  # progress is reported about this many times per load
#: From this many documents a load hands the heap's free pages back (a few ms; at
#: 100,000 documents 25 MB resident that nothing would use again)
TRIM_HEAP_DOCUMENTS = 20_000
#: From this many files to analyse, a load asked to work ``apart`` uses a child process.
APART_MIN_FILES = 2000


def _checkpoint(listing: Listing, cached: Listing | None) -> Listing:
    """What an interrupted first load keeps: the rows made so far, and the old cache's
    rows of the files not reached yet."""
    made = set(listing.paths)
    rows = [(p, listing.entry(i)) for i, p in enumerate(listing.paths)]
    if cached is not None:
        rows += [(p, cached.entry(i)) for i, p in enumerate(cached.paths) if p not in made]
    return Listing.from_entries(rows)


class Corpus:
    """The documents of one corpus folder, in id order.

    Use :meth:`load`; the constructor is for tests and for code that already has the pieces.
    ``warnings`` are one-line messages about ``metadata.csv`` (bad rows, rows naming no file).
    """

    def __init__(
        self,
        root: Path,
        documents: list[DocumentInfo],
        skipped: list[Skipped],
        metadata_columns: list[str],
        warnings: list[str] | None = None,
    ) -> None:
        self.root = root
        self.documents = documents
        self.skipped = skipped
        self.metadata_columns = metadata_columns
        self.warnings = list(warnings or [])
        self._by_id = {d.id: d for d in documents}
        #: files the load found that are no document (unreadable, a second a.TXT):
        #: (path, size, mtime_ns), so :meth:`file_stats` covers every file found
        self._other_files: list[tuple[str, int, int]] | None = None
        #: the metadata.csv read (its version; None: no file): an edit refuses if it changed
        self.metadata_stamp: str | None = None

    @classmethod
    def load(
        cls,
        root: Path | str,
        *,
        use_cache: bool = True,
        progress: ProgressCallback | None = None,
        follow_links: bool = False,
        apart: bool = False,
    ) -> Corpus:
        """Load the corpus at ``root``; raise :class:`CorpusNotFound` if it is not a folder.

        ``progress(done, total)`` is called with (0, total) first, then about a hundred
        times, last with (total, total). With ``use_cache=False`` every file is decoded
        afresh (and the cache rewritten). Unreadable files end up in ``skipped``, and so do
        symbolic links leading out of the folder unless ``follow_links``. ``apart``:
        many files to analyse are analysed by a child process (see
        :mod:`speechreader.core.apart`), for a long-lived program (the TUI).
        """
        root = Path(root).expanduser()
        if not root.exists():
            raise CorpusNotFound(f"corpus folder not found: {root}")
        if not root.is_dir():
            raise CorpusNotFound(
                f"not a folder: {root} (give the folder that holds the .txt files)"
            )
        with paused_gc():  # 100,000 entries and infos hold no cycles: no collection passes
            corpus = cls._load(root, use_cache, progress, follow_links, apart)
        if len(corpus.documents) >= TRIM_HEAP_DOCUMENTS:
            trim_heap()
        return corpus

    @classmethod
    def _load(
        cls,
        root: Path,
        use_cache: bool,
        progress: ProgressCallback | None,
        follow_links: bool,
        apart: bool = False,
    ) -> Corpus:
        files, skipped = scan_files(root, follow_links=follow_links)
        total = len(files)
        if progress:
            progress(0, total)
        cached = read_cache(root) if use_cache else None
        rels = [f.rel for f in files]
        rows = (
            cached.rows_for(rels, [f.size for f in files], [f.mtime_ns for f in files])
            if cached is not None
            else [None] * total
        )
        if cached is not None and len(cached) == total and None not in rows:
            listing = cached  # the usual warm load: every file as cached, nothing to write
            listing.paths = rels  # equal strings: the cache's copies are let go
            if progress:  # the same reports as a load that analyses (it takes no time here)
                step = max(1, total // PROGRESS_STEPS)
                for done in range(step, total, step):
                    progress(done, total)
        elif apart and use_cache and rows.count(None) >= APART_MIN_FILES:
            from speechreader.core.apart import run_apart  # not on a warm load's path

            del files, rels, rows, cached  # not held while the child works
            args = [str(root), *(["--follow-links"] if follow_links else [])]
            if run_apart(f"{__package__}._load_child", args, progress):
                return cls._load(root, use_cache, None, follow_links)  # warm, at once
            return cls._load(root, use_cache, progress, follow_links)  # it failed: here
        else:
            listing = cls._analyse(root, files, cached, rows, skipped, use_cache, progress)
        unreadable = {s.path for s in skipped} if skipped else set()
        others = [(f.rel, f.size, f.mtime_ns) for f in files if f.rel in unreadable]
        del cached, rows, files  # the paths are in rels: the rest is freed before assembling
        if progress:
            progress(total, total)
        return cls._assemble(root, rels, listing, skipped, others)

    @classmethod
    def _analyse(
        cls,
        root: Path,
        files: list[CorpusFile],
        cached: Listing | None,
        rows: list[int | None],
        skipped: list[Skipped],
        use_cache: bool,
        progress: ProgressCallback | None,
    ) -> Listing:
        """The listing of ``files``: cached rows where usable, the other files analysed
        (on every core for many), checkpointed now and then and written at the end."""
        listing = Listing.empty()
        total, step = len(files), max(1, len(files) // PROGRESS_STEPS)
        last_save, every = time.monotonic(), CHECKPOINT_SECONDS
        fresh = analyse_files([f for f, row in zip(files, rows, strict=True) if row is None])
        for done, (file, row) in enumerate(zip(files, rows, strict=True), start=1):
            if row is not None:
                listing.add(file.rel, cached.entry(row))  # type: ignore[union-attr]
            else:
                entry = next(fresh)
                if isinstance(entry, UnreadableFile):
                    skipped.append(Skipped(file.rel, entry.reason))
                else:
                    listing.add(file.rel, entry)
                if use_cache and time.monotonic() - last_save > every:
                    began = time.monotonic()
                    write_cache(root, _checkpoint(listing, cached))
                    last_save = time.monotonic()
                    # a checkpoint of 100,000 entries takes a while: keep them <= 10 %
                    every = max(CHECKPOINT_SECONDS, 10 * (last_save - began))
            if progress and done % step == 0 and done < total:
                progress(done, total)
        write_cache(root, listing)
        return listing

    @classmethod
    def _assemble(
        cls,
        root: Path,
        rels: list[str],
        listing: Listing,
        skipped: list[Skipped],
        others: list[tuple[str, int, int]],
    ) -> Corpus:
        """Merge the listing with metadata.csv into documents, in id order.

        ``rels`` are every file found (the listing lacks those that could not be read,
        whose stats are in ``others``).
        """
        md = read_metadata(root)
        warnings = list(md.warnings)
        documents: list[DocumentInfo] = []
        by_id: dict[str, str] = {}
        take, row_of = md.take, md.rows.get
        for i, (rel, reason) in enumerate(zip(listing.paths, listing.skipped, strict=True)):
            if reason is not None:
                skipped.append(Skipped(rel, reason))
                others.append((rel, listing.size[i], listing.mtime_ns[i]))
                continue
            doc_id = rel[:-4] if rel[-4:].lower() == ".txt" else rel
            if doc_id in by_id:  # a.txt and a.TXT on a case-sensitive disk
                skipped.append(Skipped(rel, f"same document id as {by_id[doc_id]}"))
                others.append((rel, listing.size[i], listing.mtime_ns[i]))
                continue
            by_id[doc_id] = rel
            row = row_of(rel)
            if row is None:  # named otherwise in metadata.csv (no .txt, ./), or not at all
                row = take(rel)
            info = DocumentInfo(
                doc_id,
                rel,
                row.get("title") or listing.title_line[i] or strip_txt(PurePosixPath(rel).name),
                listing.encoding[i],
                listing.script[i],
                listing.base_script[i],
                listing.chars[i],
                listing.content_hash[i],
                listing.problems[i],  # type: ignore[arg-type]  # JSON text: parsed when asked
                row,
            )
            info._size, info._mtime_ns = listing.size[i], listing.mtime_ns[i]
            documents.append(info)
        unmatched = md.unmatched(set(rels))
        if unmatched:
            shown = ", ".join(unmatched[:5]) + (", ..." if len(unmatched) > 5 else "")
            warnings.append(
                f"metadata.csv: {len(unmatched)} row{'s' if len(unmatched) != 1 else ''} "
                f"name{'s' if len(unmatched) == 1 else ''} no file in the corpus: {shown}"
            )
        documents.sort(key=attrgetter("id"))
        skipped.sort(key=attrgetter("path"))
        corpus = cls(root, documents, skipped, md.columns, warnings)
        corpus.metadata_stamp = md.stamp
        corpus._other_files = others
        return corpus

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[DocumentInfo]:
        return iter(self.documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_id

    def get(self, doc_id: str) -> DocumentInfo:
        """The document's info; raise :class:`UnknownDocument` (with close matches) if absent."""
        info = self._by_id.get(doc_id)
        if info is not None:
            return info
        ids = list(self._by_id)
        needle = doc_id.lower()
        close = [i for i in ids if needle and needle in i.lower()][:3]
        close += [
            m for m in difflib.get_close_matches(doc_id, ids, n=3, cutoff=0.6) if m not in close
        ]
        hint = f"; did you mean: {', '.join(close[:3])}?" if close else ""
        raise UnknownDocument(f"no document {doc_id!r} in {self.root}{hint}")

    def file_stat(self, doc_id: str) -> tuple[int, int] | None:
        """``(size, mtime_ns)`` of the document's file when it was last described (so a
        cache keyed on them, such as the search index, can tell it is unchanged)."""
        info = self._by_id.get(doc_id)
        return None if info is None or info._size < 0 else (info._size, info._mtime_ns)

    def file_stats(self) -> list[tuple[str, int, int]] | None:
        """``(path, size, mtime_ns)`` of every file this corpus describes: each
        document's file as last read, and the files the load found but could not list.

        What a cache keyed on the folder's files (the search index) compares with what
        it recorded, instead of walking the folder again right after the load walked it.
        None for a corpus not made by :meth:`load` (its files' stats are not known).
        """
        if self._other_files is None:
            return None
        stats = [(d.path, d._size, d._mtime_ns) for d in self.documents]
        if any(size < 0 for _, size, _ in stats):
            return None
        return stats + self._other_files

    def text(self, doc_id: str) -> str:
        """The document's decoded text; if the file changed since loading, the new text."""
        info = self.get(doc_id)
        path = self.root / info.path
        try:
            st = path.stat()
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(info.path, os_reason(exc)) from None
        if (info._size, info._mtime_ns) == (st.st_size, st.st_mtime_ns):
            with contextlib.suppress(UnreadableFile):
                return decode_known(data, info.encoding)
        decoded = decode_bytes(data, name=info.path)
        self._refresh(info, decoded.text, decoded.encoding)
        info._size, info._mtime_ns = st.st_size, st.st_mtime_ns
        return decoded.text

    def _refresh(self, info: DocumentInfo, text: str, codec: str) -> None:
        """Bring a DocumentInfo up to date with a file that changed after loading."""
        fresh = analyse_text(text, codec)
        info.encoding = codec
        info.script, info.base_script = fresh["script"], fresh["base_script"]
        info.chars, info.content_hash = fresh["chars"], fresh["content_hash"]
        info.problems = [Problem.from_json(p) for p in fresh["problems"]]
        if not info.metadata.get("title"):
            info.title = fresh["title_line"] or strip_txt(PurePosixPath(info.path).name)

    def document(self, doc_id: str) -> Document:
        return Document(self.get(doc_id), self.text(doc_id))
