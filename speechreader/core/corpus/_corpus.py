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
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from sys import intern

from speechreader.core.corpus._files import (
    CorpusFile,
    Skipped,
    analyse_files,
    analyse_text,
    os_reason,
    scan_files,
)
from speechreader.core.corpus._listing_cache import read_cache, usable, write_cache
from speechreader.core.corpus._metadata import read_metadata, strip_txt
from speechreader.core.errors import CorpusNotFound, UnknownDocument, UnreadableFile
from speechreader.core.gcpause import paused_gc
from speechreader.core.text import Problem, decode_bytes, decode_known

ProgressCallback = Callable[[int, int], None]  # (done, total)

CHECKPOINT_SECONDS = 5.0  # an interrupted cold load of a big corpus keeps what it did
PROGRESS_STEPS = 100  # progress is reported about this many times per load


@dataclass(slots=True)  # slots: 100,000 of them are made on every load, and kept
class DocumentInfo:
    """What we know about a document without holding its text."""

    id: str  # relative path without .txt, POSIX separators: stable and readable
    path: str  # relative path with .txt
    title: str  # metadata title, else first short non-empty line, else file name
    encoding: str
    script: str  # "simplified" | "traditional" | "mixed"
    base_script: str  # "simplified" | "traditional": which pane shows the original text
    chars: int
    content_hash: str  # hash of the decoded text (what annotation offsets point into)
    problems: list[Problem] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The ``speechreader list --json`` form of this document."""
        return {
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "encoding": self.encoding,
            "script": self.script,
            "chars": self.chars,
            "problems": [p.to_json() for p in self.problems],
            "metadata": dict(self.metadata),
        }


@dataclass(frozen=True)
class Document:
    """A document with its decoded text."""

    info: DocumentInfo
    text: str

    @property
    def id(self) -> str:
        return self.info.id


def _info(doc_id: str, rel: str, entry: dict, row: dict[str, str]) -> DocumentInfo:
    # the few encodings, scripts and problem kinds are interned: one string each, not
    # one per document (100,000 documents held 300 MB)
    return DocumentInfo(
        id=doc_id,
        path=rel,
        title=row.get("title") or entry["title_line"] or strip_txt(PurePosixPath(rel).name),
        encoding=intern(entry["encoding"]),
        script=intern(entry["script"]),
        base_script=intern(entry["base_script"]),
        chars=entry["chars"],
        content_hash=entry["content_hash"],
        problems=[Problem(intern(p["kind"]), p["count"], p["examples"]) for p in entry["problems"]],
        metadata=row,
    )


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
        self._stats: dict[str, tuple[int, int]] = {}  # id -> (size, mtime_ns) when described
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
    ) -> Corpus:
        """Load the corpus at ``root``; raise :class:`CorpusNotFound` if it is not a folder.

        ``progress(done, total)`` is called with (0, total) first, then about a hundred
        times, last with (total, total). With ``use_cache=False`` every file is decoded
        afresh (and the cache rewritten). Unreadable files end up in ``skipped``, and so do
        symbolic links leading out of the folder unless ``follow_links``.
        """
        root = Path(root).expanduser()
        if not root.exists():
            raise CorpusNotFound(f"corpus folder not found: {root}")
        if not root.is_dir():
            raise CorpusNotFound(
                f"not a folder: {root} (give the folder that holds the .txt files)"
            )
        with paused_gc():  # 100,000 entries and infos hold no cycles: no collection passes
            return cls._load(root, use_cache, progress, follow_links)

    @classmethod
    def _load(
        cls,
        root: Path,
        use_cache: bool,
        progress: ProgressCallback | None,
        follow_links: bool,
    ) -> Corpus:
        files, skipped = scan_files(root, follow_links=follow_links)
        cached = read_cache(root) if use_cache else {}
        entries: dict[str, dict] = {}
        dirty = not use_cache
        total, step = len(files), max(1, len(files) // PROGRESS_STEPS)
        last_save, every = time.monotonic(), CHECKPOINT_SECONDS
        if progress:
            progress(0, total)
        found = [cached.get(f.rel) for f in files]
        ok = [usable(e, f.size, f.mtime_ns) for e, f in zip(found, files, strict=True)]
        fresh = analyse_files([f for f, good in zip(files, ok, strict=True) if not good])
        for done, (file, entry, good) in enumerate(zip(files, found, ok, strict=True), start=1):
            if not good:
                entry = next(fresh)
                if isinstance(entry, UnreadableFile):
                    skipped.append(Skipped(file.rel, entry.reason))
                    entry = None
                dirty = True
                if use_cache and time.monotonic() - last_save > every:
                    began = time.monotonic()
                    write_cache(root, {**cached, **entries})
                    last_save = time.monotonic()
                    # a checkpoint of 100,000 entries takes a while: keep them <= 10 %
                    every = max(CHECKPOINT_SECONDS, 10 * (last_save - began))
            if entry is not None:
                entries[file.rel] = entry
            if progress and (done % step == 0 or done == total):
                progress(done, total)
        if dirty or entries.keys() != cached.keys():
            write_cache(root, entries)
        del cached, found  # their entries are in ``entries``, freed as documents are made
        return cls._assemble(root, files, entries, skipped)

    @classmethod
    def _assemble(
        cls, root: Path, files: list[CorpusFile], entries: dict[str, dict], skipped: list[Skipped]
    ) -> Corpus:
        """Merge cached entries with metadata.csv into documents, in id order."""
        md = read_metadata(root)
        warnings = list(md.warnings)
        documents: list[DocumentInfo] = []
        stats: dict[str, tuple[int, int]] = {}
        by_id: dict[str, str] = {}
        for file in files:
            entry = entries.pop(file.rel, None)  # not kept: 100,000 of them weigh ~100 MB
            if entry is None:
                continue
            if "skipped" in entry:
                skipped.append(Skipped(file.rel, entry["skipped"]))
                continue
            doc_id = strip_txt(file.rel)
            if doc_id in by_id:  # a.txt and a.TXT on a case-sensitive disk
                skipped.append(Skipped(file.rel, f"same document id as {by_id[doc_id]}"))
                continue
            by_id[doc_id] = file.rel
            documents.append(_info(doc_id, file.rel, entry, md.for_path(file.rel)))
            stats[doc_id] = (file.size, file.mtime_ns)
        unmatched = md.unmatched({f.rel for f in files})
        if unmatched:
            shown = ", ".join(unmatched[:5]) + (", ..." if len(unmatched) > 5 else "")
            warnings.append(
                f"metadata.csv: {len(unmatched)} row{'s' if len(unmatched) != 1 else ''} "
                f"name{'s' if len(unmatched) == 1 else ''} no file in the corpus: {shown}"
            )
        documents.sort(key=lambda d: d.id)
        skipped.sort(key=lambda s: s.path)
        corpus = cls(root, documents, skipped, md.columns, warnings)
        corpus._stats = stats
        corpus.metadata_stamp = md.stamp
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
        return self._stats.get(doc_id)

    def text(self, doc_id: str) -> str:
        """The document's decoded text; if the file changed since loading, the new text."""
        info = self.get(doc_id)
        path = self.root / info.path
        try:
            st = path.stat()
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(info.path, os_reason(exc)) from None
        if self._stats.get(doc_id) == (st.st_size, st.st_mtime_ns):
            with contextlib.suppress(UnreadableFile):
                return decode_known(data, info.encoding)
        decoded = decode_bytes(data, name=info.path)
        self._refresh(info, decoded.text, decoded.encoding)
        self._stats[doc_id] = (st.st_size, st.st_mtime_ns)
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
