"""Finding a corpus's files and analysing each one into what the listing cache holds.

Split from :mod:`_corpus` so that it holds the Corpus itself and this module the work
of a load: walking the folder, decoding, script detection and problems per file, and
doing that on every core when a big corpus is loaded for the first time.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from speechreader.core.errors import UnreadableFile
from speechreader.core.text import decode_bytes, problem_summary
from speechreader.core.workers import ordered_map


@dataclass(frozen=True)
class Skipped:
    """A file we could not read, with a one-line reason."""

    path: str
    reason: str

    def to_json(self) -> dict:
        return {"path": self.path, "reason": self.reason}


# --- analysing one file (what the cache holds) ---------------------------------------


def content_hash(text: str) -> str:
    """blake2b-128 of the text as UTF-8: annotations store it to notice a changed file."""
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def analyse_text(text: str, codec: str) -> dict:
    """The cached facts about a decoded text (everything but size and mtime)."""
    # only when a file is (re)analysed: a warm load (every command) needs none of them
    from speechreader.core.corpus._titles import title_from_text
    from speechreader.core.text import detect_script  # OpenCC

    info = detect_script(text)
    return {
        "encoding": codec,
        "title_line": title_from_text(text),
        "script": info.script,
        "base_script": info.base,
        "chars": len(text),
        "content_hash": content_hash(text),
        "problems": [p.to_json() for p in problem_summary(text, info.base)],
    }


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "permission denied"
    if isinstance(exc, FileNotFoundError):
        return "file not found (removed while loading?)"
    return (exc.strerror or str(exc)).lower()


# --- finding the files ---------------------------------------------------------------


class CorpusFile(NamedTuple):  # a NamedTuple: 10,000 of them are built on every load
    rel: str  # POSIX, relative to the corpus root
    path: str
    size: int
    mtime_ns: int


def scan_files(root: Path, *, follow_links: bool = False) -> tuple[list[CorpusFile], list[Skipped]]:
    """Every ``.txt`` under ``root`` (any case), skipping names that start with a dot.

    Symbolic links that lead out of the corpus folder (``x.txt -> /etc/passwd``,
    ``d -> /``) are not followed unless ``follow_links``: they are listed as skipped with
    the reason, so a stray link cannot make a listing read the whole disk. Links inside
    the folder are followed (a folder reached twice is read once). A file name that is
    not UTF-8 is skipped too: no id, title or export could carry it.
    """
    files: list[CorpusFile] = []
    skipped: list[Skipped] = []
    visited: set[tuple[int, int]] = set()  # symlinked folders must not loop
    inside = os.path.realpath(root)
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
            skipped.append(Skipped(prefix or "./", f"folder not readable: {os_reason(exc)}"))
            continue
        for entry in entries:
            name = entry.name
            if name.startswith("."):
                continue
            rel = prefix + name
            try:
                # the common case first, with no further system call: not a link, and a
                # UTF-8 name (the folder's own name was checked before it was entered)
                if not entry.is_symlink() and (name.isascii() or _is_utf8(name)):
                    if entry.is_dir():
                        stack.append((rel + "/", entry.path))
                    elif name.lower().endswith(".txt") and entry.is_file():
                        st = entry.stat()
                        files.append(CorpusFile(rel, entry.path, st.st_size, st.st_mtime_ns))
                    continue
                refused = _refused(entry, rel, inside, follow_links)
                if refused is not None:
                    if refused:
                        skipped.append(Skipped(shown_name(rel), refused))
                    continue
                if entry.is_dir():
                    stack.append((rel + "/", entry.path))
                elif entry.name.lower().endswith(".txt"):
                    if not entry.is_file():
                        if entry.is_symlink():
                            skipped.append(Skipped(rel, "broken symbolic link"))
                        continue
                    st = entry.stat()
                    files.append(CorpusFile(rel, entry.path, st.st_size, st.st_mtime_ns))
            except OSError as exc:
                skipped.append(Skipped(shown_name(rel), os_reason(exc)))
    files.sort()  # by rel: the paths are unique, so the tuples compare by their first field
    return files, skipped


def _refused(entry: os.DirEntry, rel: str, inside: str, follow_links: bool) -> str | None:
    """Why a folder or .txt entry is not read ("" for other files: not ours), else None."""
    wanted = entry.name.lower().endswith(".txt") or entry.is_dir()
    if not _is_utf8(rel):
        return "file name is not UTF-8; rename it" if wanted else ""
    if (
        entry.is_symlink()
        and not follow_links
        and os.path.exists(entry.path)  # a broken link is reported as one below
        and not _leads_inside(entry.path, inside)
    ):
        target = shown_name(os.path.realpath(entry.path))
        return (
            f"link to {target}, outside the corpus folder (--follow-links reads it)"
            if wanted
            else ""
        )
    return None


def _is_utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # os.scandir gives undecodable bytes as lone surrogates
        return False
    return True


def shown_name(name: str) -> str:
    """A file name fit to print and store: undecodable bytes as ``\\xff`` escapes."""
    if _is_utf8(name):
        return name
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _leads_inside(path: str, inside: str) -> bool:
    """Whether a link at ``path`` resolves to somewhere under the folder ``inside``."""
    target = os.path.realpath(path)
    return target == inside or target.startswith(inside.rstrip(os.sep) + os.sep)


#: Below this many files to decode, one process is quicker than starting workers.
PARALLEL_MIN_FILES = 200


def _analyse_or_error(file: CorpusFile) -> dict | UnreadableFile:
    try:
        return _analyse_file(file)
    except UnreadableFile as exc:
        return exc


def analyse_files(files: list[CorpusFile]) -> Iterator[dict | UnreadableFile]:
    """Cache entries for ``files``, in order; on a big first load, on every core.

    A cold load is CPU-bound: 10,000 documents take ~13 s of CPU. Workers are forked
    when that is safe (see :func:`~speechreader.core.workers.can_fork`), after this
    process has loaded what analysing needs, so that each starts with it; otherwise
    (the TUI calls this from a thread, where forking is unsafe) they are *spawned*,
    and each imports and builds it for itself.
    """
    yield from ordered_map(
        _analyse_or_error,
        files,
        min_forked=PARALLEL_MIN_FILES,
        min_spawned=PARALLEL_MIN_FILES,
        prepare=_load_detectors,
    )


def _load_detectors() -> None:
    """Load here what the problem detectors need, before workers are forked: each then
    starts with it instead of building its own (OpenCC's s2t, s2tw, s2hk and t2tw
    dictionaries, the shipped phrases, the over-conversion pattern: ~0.15 s of CPU).

    Finding the problems of an empty simplified text builds all of it, and nothing that
    starts a thread (script detection would import numpy, whose BLAS starts one, and a
    process with threads must not fork: a test checks that it still may).
    """
    problem_summary("", "simplified")


def _analyse_file(file: CorpusFile) -> dict:
    """Decode and analyse one file into a cache entry; a ``skipped`` entry if undecodable.

    OS errors (permission denied...) raise :class:`UnreadableFile` instead: they are not
    cached, because fixing permissions does not change size or mtime.
    """
    try:
        with open(file.path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise UnreadableFile(file.rel, os_reason(exc)) from None
    entry: dict = {"size": file.size, "mtime_ns": file.mtime_ns}
    try:
        decoded = decode_bytes(data, name=file.rel)
    except UnreadableFile as exc:
        entry["skipped"] = exc.reason
        return entry
    entry.update(analyse_text(decoded.text, decoded.encoding))
    return entry
