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
import hashlib
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from speechreader.core import encoding
from speechreader.core.errors import CorpusNotFound, UnknownDocument, UnreadableFile
from speechreader.core.listing_cache import read_cache, usable, write_cache
from speechreader.core.metadata import read_metadata, strip_txt
from speechreader.core.problems import Problem, problem_summary

ProgressCallback = Callable[[int, int], None]  # (done, total)

CHECKPOINT_SECONDS = 5.0  # an interrupted cold load of a big corpus keeps what it did
PROGRESS_STEPS = 100  # progress is reported about this many times per load
TITLE_MAX_CHARS = 60  # a longer first line is a paragraph, not a title
_NOT_TITLE_ENDINGS = tuple(",，:：、;；")  # "同志們:" opens a speech, it does not name it


@dataclass
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
class Skipped:
    """A file we could not read, with a one-line reason."""

    path: str
    reason: str

    def to_json(self) -> dict:
        return {"path": self.path, "reason": self.reason}


@dataclass(frozen=True)
class Document:
    """A document with its decoded text."""

    info: DocumentInfo
    text: str

    @property
    def id(self) -> str:
        return self.info.id


# --- analysing one file (what the cache holds) ---------------------------------------


def content_hash(text: str) -> str:
    """blake2b-128 of the text as UTF-8: annotations store it to notice a changed file."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def title_from_text(text: str) -> str | None:
    """The first non-empty line if it looks like a title: at most 60 characters, not ending
    in a comma or colon. Only the first line counts: a short line further down is a
    subheading (seed 003's ``履行好政治責任``), which would mislabel the whole speech."""
    for line in text.split("\n"):
        line = line.strip()
        if line:
            if len(line) <= TITLE_MAX_CHARS and not line.endswith(_NOT_TITLE_ENDINGS):
                return line
            return None
    return None


def analyse_text(text: str, codec: str) -> dict:
    """The cached facts about a decoded text (everything but size and mtime)."""
    from speechreader.core.convert import detect_script  # OpenCC: only when decoding

    info = detect_script(text)
    return {
        "encoding": codec,
        "title_line": title_from_text(text),
        "script": info.script,
        "base_script": info.base,
        "chars": len(text),
        "content_hash": content_hash(text),
        "problems": [p.to_json() for p in problem_summary(text)],
    }


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file not found (removed while loading?)"
    return (exc.strerror or str(exc)).lower()


# --- finding the files ---------------------------------------------------------------


class _File(NamedTuple):  # a NamedTuple: 10,000 of them are built on every load
    rel: str  # POSIX, relative to the corpus root
    path: str
    size: int
    mtime_ns: int


def _scan(root: Path) -> tuple[list[_File], list[Skipped]]:
    """Every ``.txt`` under ``root`` (any case), skipping names that start with a dot."""
    files: list[_File] = []
    skipped: list[Skipped] = []
    visited: set[tuple[int, int]] = set()  # symlinked folders must not loop
    stack = [("", str(root))]
    while stack:
        prefix, folder = stack.pop()
        try:
            st = os.stat(folder)
            if (st.st_dev, st.st_ino) in visited:
                continue
            visited.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = list(it)
        except OSError as exc:
            skipped.append(Skipped(prefix or "./", f"folder not readable: {_os_reason(exc)}"))
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = prefix + entry.name
            try:
                if entry.is_dir():
                    stack.append((rel + "/", entry.path))
                elif entry.name.lower().endswith(".txt"):
                    if not entry.is_file():
                        if entry.is_symlink():
                            skipped.append(Skipped(rel, "broken symbolic link"))
                        continue
                    st = entry.stat()
                    files.append(_File(rel, entry.path, st.st_size, st.st_mtime_ns))
            except OSError as exc:
                skipped.append(Skipped(rel, _os_reason(exc)))
    files.sort(key=lambda f: f.rel)
    return files, skipped


#: Below this many files to decode, one process is quicker than starting workers.
PARALLEL_MIN_FILES = 200


def _analyse_or_error(file: _File) -> dict | UnreadableFile:
    try:
        return _analyse_file(file)
    except UnreadableFile as exc:
        return exc


def _analyse_all(files: list[_File]) -> Iterator[dict | UnreadableFile]:
    """Cache entries for ``files``, in order; on a big first load, on every core.

    A cold load is CPU-bound (four OpenCC passes per document for script detection):
    10,000 documents took ~35 s on one core. Workers are *spawned*, not forked, because
    the TUI calls this from a thread, and forking a threaded process is unsafe.
    """
    workers = min(os.cpu_count() or 1, 8)
    if len(files) < PARALLEL_MIN_FILES or workers < 2:
        yield from map(_analyse_or_error, files)
        return
    context = multiprocessing.get_context("spawn")
    done = 0
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            with _real_stderr():
                results = pool.map(_analyse_or_error, files, chunksize=16)  # starts workers
            for result in results:
                done += 1
                yield result
    except (OSError, ValueError, BrokenProcessPool):  # no processes here: one core
        # pool.map yields in order, so the files after ``done`` are still to do.
        yield from map(_analyse_or_error, files[done:])


@contextlib.contextmanager
def _real_stderr() -> Iterator[None]:
    """Give multiprocessing a stderr with a file descriptor while it starts workers.

    Textual replaces ``sys.stderr`` with an object whose ``fileno()`` is -1, which
    makes starting a process fail ("bad value(s) in fds_to_keep").
    """
    current = sys.stderr
    try:
        usable_fd = current is not None and current.fileno() >= 0
    except (OSError, ValueError, AttributeError):
        usable_fd = False
    if usable_fd or sys.__stderr__ is None:
        yield
        return
    sys.stderr = sys.__stderr__
    try:
        yield
    finally:
        sys.stderr = current


def _analyse_file(file: _File) -> dict:
    """Decode and analyse one file into a cache entry; a ``skipped`` entry if undecodable.

    OS errors (permission denied...) raise :class:`UnreadableFile` instead: they are not
    cached, because fixing permissions does not change size or mtime.
    """
    try:
        with open(file.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UnreadableFile(file.rel, _os_reason(exc)) from None
    entry: dict = {"size": file.size, "mtime_ns": file.mtime_ns}
    try:
        decoded = encoding.decode_bytes(data, name=file.rel)
    except UnreadableFile as exc:
        entry["skipped"] = exc.reason
        return entry
    entry.update(analyse_text(decoded.text, decoded.encoding))
    return entry


def _info(doc_id: str, rel: str, entry: dict, row: dict[str, str]) -> DocumentInfo:
    return DocumentInfo(
        id=doc_id,
        path=rel,
        title=row.get("title") or entry["title_line"] or strip_txt(PurePosixPath(rel).name),
        encoding=entry["encoding"],
        script=entry["script"],
        base_script=entry["base_script"],
        chars=entry["chars"],
        content_hash=entry["content_hash"],
        problems=[Problem(p["kind"], p["count"], p["examples"]) for p in entry["problems"]],
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

    @classmethod
    def load(
        cls,
        root: Path | str,
        *,
        use_cache: bool = True,
        progress: ProgressCallback | None = None,
    ) -> Corpus:
        """Load the corpus at ``root``; raise :class:`CorpusNotFound` if it is not a folder.

        ``progress(done, total)`` is called with (0, total) first, then about a hundred
        times, last with (total, total). With ``use_cache=False`` every file is decoded
        afresh (and the cache rewritten). Unreadable files end up in ``skipped``.
        """
        root = Path(root).expanduser()
        if not root.exists():
            raise CorpusNotFound(f"corpus folder not found: {root}")
        if not root.is_dir():
            raise CorpusNotFound(
                f"not a folder: {root} (give the folder that holds the .txt files)"
            )
        files, skipped = _scan(root)
        cached = read_cache(root) if use_cache else {}
        entries: dict[str, dict] = {}
        dirty = not use_cache
        total, step = len(files), max(1, len(files) // PROGRESS_STEPS)
        last_save = time.monotonic()
        if progress:
            progress(0, total)
        stale = [f for f in files if not usable(cached.get(f.rel), f.size, f.mtime_ns)]
        fresh = _analyse_all(stale)
        for done, file in enumerate(files, start=1):
            entry = cached.get(file.rel)
            if not usable(entry, file.size, file.mtime_ns):
                entry = next(fresh)
                if isinstance(entry, UnreadableFile):
                    skipped.append(Skipped(file.rel, entry.reason))
                    entry = None
                dirty = True
                if use_cache and time.monotonic() - last_save > CHECKPOINT_SECONDS:
                    write_cache(root, {**cached, **entries})
                    last_save = time.monotonic()
            if entry is not None:
                entries[file.rel] = entry
            if progress and (done % step == 0 or done == total):
                progress(done, total)
        if dirty or entries.keys() != cached.keys():
            write_cache(root, entries)
        return cls._assemble(root, files, entries, skipped)

    @classmethod
    def _assemble(
        cls, root: Path, files: list[_File], entries: dict[str, dict], skipped: list[Skipped]
    ) -> Corpus:
        """Merge cached entries with metadata.csv into documents, in id order."""
        md = read_metadata(root)
        warnings = list(md.warnings)
        documents: list[DocumentInfo] = []
        stats: dict[str, tuple[int, int]] = {}
        by_id: dict[str, str] = {}
        for file in files:
            entry = entries.get(file.rel)
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
                f"metadata.csv: {len(unmatched)} rows name no file in the corpus: {shown}"
            )
        documents.sort(key=lambda d: d.id)
        skipped.sort(key=lambda s: s.path)
        corpus = cls(root, documents, skipped, md.columns, warnings)
        corpus._stats = stats
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

    def text(self, doc_id: str) -> str:
        """The document's decoded text; if the file changed since loading, the new text."""
        info = self.get(doc_id)
        path = self.root / info.path
        try:
            st = path.stat()
            data = path.read_bytes()
        except OSError as exc:
            raise UnreadableFile(info.path, _os_reason(exc)) from None
        if self._stats.get(doc_id) == (st.st_size, st.st_mtime_ns):
            with contextlib.suppress(UnreadableFile):
                return encoding.decode_known(data, info.encoding)
        decoded = encoding.decode_bytes(data, name=info.path)
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
