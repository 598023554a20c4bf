"""The digest of a corpus folder's files: what proves a search index current.

Every ``speechreader search`` is a fresh process, and a file changed, added or removed
since the index was made must be found by it. So before it trusts the index it walks
the corpus folder and stats every ``.txt`` (path, size, mtime_ns: what the listing
cache keys on too) and compares a digest of that with the one the index recorded
when it was last made current. Nothing cheaper is sound: an edit in place changes a
file's mtime, not its folder's.

At 100,000 files this walk is a third of a rare phrase's search, so it does the least
per file: ``os.stat`` against the folder's descriptor, no object per file besides its
stat, and a digest made folder by folder from three flat lists. Threads do not make
it faster (``stat_result`` is built under the GIL); another process does, so
:class:`FolderCheck` runs this module as a script, with the standard library only
(``python -I -S``: no site, ~10 ms to start), while the search process queries.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from array import array

TYPE_CHECKING = False  # (typing itself costs the helper 17 ms; type checkers know this idiom)
if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

_OPEN_DIR = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
Digest = tuple[str, int]  # (hex digest, number of files)


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


def folder_digest(root: Path | str, follow_links: bool = False) -> Digest | None:
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


# --- in another process ----------------------------------------------------------------

_UNUSUAL = b"unusual"


class FolderCheck:
    """:func:`folder_digest` of a folder, made by a helper process started at once, so
    that the caller can query the index meanwhile; :meth:`result` waits for it.

    Whatever goes wrong with the helper (no ``posix_spawn``, no interpreter, a crash,
    an answer that is not one) only means the walk is done here, in :meth:`result`.
    """

    def __init__(self, root: Path | str, follow_links: bool = False) -> None:
        self.root = os.path.expanduser(os.fspath(root))
        self.follow_links = follow_links
        self._pid = 0
        self._out = -1
        self._answer: Digest | bool | None = False  # False: not known yet
        spawn = getattr(os, "posix_spawn", None)
        if spawn is None or not sys.executable or not os.path.isfile(__file__):
            return
        read, write = os.pipe()
        try:
            self._pid = spawn(
                sys.executable,
                [sys.executable, "-I", "-S", __file__, self.root, "1" if follow_links else "0"],
                os.environ,
                file_actions=[
                    (os.POSIX_SPAWN_DUP2, write, 1),
                    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
                ],
            )
            self._out = read
        except OSError:
            os.close(read)
        finally:
            os.close(write)

    def result(self) -> Digest | None:
        """``(digest, count)`` as :func:`folder_digest` gives it (None: something unusual)."""
        if self._answer is False:
            self._answer = self._helper_answer()
        if self._answer is False:
            self._answer = folder_digest(self.root, self.follow_links)
        return self._answer

    def _helper_answer(self) -> Digest | bool | None:
        if self._pid == 0:
            return False
        chunks = []
        try:
            while chunk := os.read(self._out, 4096):
                chunks.append(chunk)
        except OSError:
            chunks = []
        self.close()
        words = b"".join(chunks).split()
        if words == [_UNUSUAL]:
            return None
        if len(words) == 2 and len(words[0]) == 32 and words[1].isdigit():
            return words[0].decode("ascii"), int(words[1])
        return False

    def close(self) -> None:
        """Stop waiting for the helper (it is ended if still running)."""
        if self._out >= 0:
            os.close(self._out)
            self._out = -1
        if self._pid:
            pid, self._pid = self._pid, 0
            try:
                if os.waitpid(pid, os.WNOHANG) == (0, 0):
                    import signal

                    os.kill(pid, signal.SIGTERM)
                    os.waitpid(pid, 0)
            except ChildProcessError:
                pass


if __name__ == "__main__":  # the helper: python -I -S _folder_walk.py ROOT 0|1
    found = folder_digest(sys.argv[1], sys.argv[2] == "1")
    sys.stdout.write("unusual\n" if found is None else f"{found[0]} {found[1]}\n")
