"""What says a search index is current: the key of its forms and the digest of the folder.

Every ``speechreader search`` is a fresh process, and a file changed, added or removed
since the index was made must be found by it. So before it trusts the index it walks
the corpus folder and stats every ``.txt`` (path, size, mtime_ns: what the listing
cache keys on too) and compares a digest of that with the one the index recorded
when it was last made current. Nothing cheaper is sound: an edit in place changes a
file's mtime, not its folder's.

At 100,000 files this walk is most of a rare phrase's search, so it does the least
per file (measured, :mod:`bench.bench_scale`): ``os.stat`` against the folder's
descriptor (``stat_result`` is built under the GIL: threads do not help), no
object per file besides its stat, and a digest made folder by folder from three
flat lists instead of the ``repr`` of 100,000 tuples.
"""

from __future__ import annotations

import functools
import hashlib
import os
import stat
from array import array
from collections.abc import Iterable
from pathlib import Path

from speechreader.core import paths
from speechreader.core.search._form import FORM_VERSION, SEARCH_CONFIG

#: the code that decides a document's text and form (besides OpenCC and the phrases)
_FORM_SOURCES = ("search/_form.py", "corpus/_files.py", "text")
_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)


def cache_path(root: Path, config: str = SEARCH_CONFIG) -> Path:
    """Where the search index of the corpus at ``root`` is kept."""
    return paths.corpus_cache_dir(root) / "search" / f"index-{config}.sqlite"


@functools.cache
def _opencc_version() -> str:
    import opencc

    return str(getattr(opencc, "__version__", "unknown"))


@functools.cache
def _code_digest() -> str:
    """A hash of the decoding and folding code: an edited module never leaves stale forms."""
    core = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for name in _FORM_SOURCES:
        where = core / name
        files = sorted(where.rglob("*")) if where.is_dir() else [where]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".tsv", ".txt", ".json"):
                digest.update(file.read_bytes())
    return digest.hexdigest()


def form_key(config: str = SEARCH_CONFIG) -> str:
    """What a cached search form depends on: form version, OpenCC, the phrase overrides
    and the code that decodes and folds."""
    from speechreader.core.text import load_phrases

    return (
        f"v{FORM_VERSION}|{config}|opencc {_opencc_version()}|phrases {load_phrases().digest}"
        f"|code {_code_digest()}"
    )


# --- the digest of a folder's files ----------------------------------------------------


def _folder_part(names: list[str], sizes: list[int], mtimes: list[int]) -> bytes:
    """The digest of one folder's files (names sorted, sizes and mtimes in that order)."""
    digest = hashlib.blake2b("\0".join(names).encode("utf-8", "surrogatepass"), digest_size=16)
    digest.update(array("q", sizes).tobytes())
    digest.update(array("q", mtimes).tobytes())
    return digest.digest()


def _combine(parts: list[tuple[str, bytes]], follow_links: bool) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for prefix, part in sorted(parts):
        digest.update(prefix.encode("utf-8", "surrogatepass") + b"\0" + part)
    digest.update(b"links" if follow_links else b"")
    return digest.hexdigest()


def files_digest(files: Iterable[tuple[str, int, int]], follow_links: bool) -> str:
    """The digest of a corpus's files, ``(rel, size, mtime_ns)`` in any order: what says
    nothing changed (equal to :func:`folder_digest` of the folder they were found in)."""
    folders: dict[str, tuple[list[str], list[int], list[int]]] = {}
    for rel, size, mtime_ns in sorted(files):
        prefix, _, name = rel.rpartition("/")
        names, sizes, mtimes = folders.setdefault(prefix, ([], [], []))
        names.append(name)
        sizes.append(size)
        mtimes.append(mtime_ns)
    parts = [(prefix, _folder_part(*lists)) for prefix, lists in folders.items()]
    return _combine(parts, follow_links)


def folder_digest(root: Path | str, follow_links: bool = False) -> tuple[str, int] | None:
    """``(digest, number of files)`` of every ``.txt`` under ``root`` as the corpus's
    ``scan_files`` finds them (see :func:`files_digest`), if the folder holds nothing
    unusual; else None, and the corpus's own walk, which knows what to do with links,
    names that are not UTF-8 and unreadable folders, must be used instead.
    """
    parts: list[tuple[str, bytes]] = []
    count = 0
    stack = [""]
    top = os.fspath(root)
    try:
        while stack:
            prefix = stack.pop()
            names, sizes, mtimes, subs = _one_folder(f"{top}/{prefix}" if prefix else top)
            stack += [f"{prefix}{name}/" for name in subs]
            if names:
                parts.append((prefix[:-1], _folder_part(names, sizes, mtimes)))
                count += len(names)
    except (OSError, UnicodeEncodeError, _Unusual):
        return None
    return _combine(parts, follow_links), count


class _Unusual(Exception):
    """A symbolic link: the corpus's walk decides whether it is followed."""


def _one_folder(path: str) -> tuple[list[str], list[int], list[int], list[str]]:
    """The ``.txt`` files of one folder (names sorted, sizes, mtimes) and its subfolders."""
    names, sizes, mtimes, subs = [], [], [], []
    fd = os.open(path, _OPEN_DIR)
    try:
        entries = os.listdir(fd)
        entries.sort()
        lstat, isdir, isreg = os.stat, stat.S_ISDIR, stat.S_ISREG
        for name in entries:
            if name[0] == ".":
                continue
            if not name.isascii():
                name.encode("utf-8")  # a lone surrogate: not UTF-8 on disk
            st = lstat(name, dir_fd=fd, follow_symlinks=False)
            mode = st.st_mode
            if isreg(mode):
                if name[-4:].lower() == ".txt":
                    names.append(name)
                    sizes.append(st.st_size)
                    mtimes.append(st.st_mtime_ns)
            elif isdir(mode):
                subs.append(name)
            elif stat.S_ISLNK(mode):
                raise _Unusual(name)
            # anything else (a pipe named x.txt): the corpus's walk skips it too
    finally:
        os.close(fd)
    return names, sizes, mtimes, subs
