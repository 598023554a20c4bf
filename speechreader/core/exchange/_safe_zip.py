"""Reading a .qdpx archive that may be hostile: checked before anything is used.

A .qdpx is a zip made by another program, a colleague or a stranger. Before any entry
is read, every name and size is checked; entries are then read in memory, never
extracted, so no name can write outside a folder:

- a file that is not a zip (or a truncated one) is refused;
- names with ``..``, absolute paths, drive letters or NUL characters are refused;
- symbolic links (Unix mode in the entry's external attributes) are refused;
- the unpacked size is capped, both as the archive declares it and as it is read
  (a zip bomb may lie in its headers), and so is the number of entries.

Entry names are matched case-insensitively (``Sources/`` or ``sources/``), since the
tools disagree on the folder's case.
"""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path, PurePosixPath

from speechreader.core.errors import InvalidInput

#: The most an archive may unpack to. The 100,000-annotation benchmark project is
#: ~40 MB; a real study's text sources are rarely more than a few hundred MB.
MAX_UNPACKED_BYTES = 2 * 1024**3
MAX_ENTRIES = 200_000
_CHUNK = 1 << 20


class SafeZip:
    """The entries of a checked archive; use as a context manager."""

    def __init__(self, path: Path, *, max_bytes: int | None = None) -> None:
        self.path = path
        self.max_bytes = max_bytes or MAX_UNPACKED_BYTES
        self._read_total = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError):
            raise InvalidInput(f"{path.name}: not a .qdpx file (it is not a zip archive)") from None
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
        try:
            self._by_name = self._check()
        except BaseException:
            self._zip.close()
            raise

    def _check(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise InvalidInput(f"{self.path.name}: too many entries ({len(infos):,})")
        total = 0
        by_name: dict[str, zipfile.ZipInfo] = {}
        for info in infos:
            name = info.filename
            problem = _name_problem(name)
            if problem:
                raise InvalidInput(f"{self.path.name}: refused entry {name!r} ({problem})")
            mode = info.external_attr >> 16
            if info.create_system == 3 and stat.S_ISLNK(mode):
                raise InvalidInput(f"{self.path.name}: refused entry {name!r} (a symbolic link)")
            total += info.file_size
            if total > self.max_bytes:
                raise InvalidInput(
                    f"{self.path.name}: unpacks to more than {_size(self.max_bytes)} "
                    "(a zip bomb, or a project too big to import)"
                )
            if not info.is_dir():
                by_name.setdefault(name.lower(), info)
        return by_name

    def __enter__(self) -> SafeZip:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()

    def names(self) -> list[str]:
        return [info.filename for info in self._by_name.values()]

    def find(self, name: str) -> str | None:
        """The entry called ``name``, whatever its case; None if there is none."""
        info = self._by_name.get(name.lower())
        return info.filename if info else None

    def read(self, name: str) -> bytes:
        """An entry's bytes, reading no more than the size cap allows in all."""
        info = self._by_name.get(name.lower())
        if info is None:
            raise InvalidInput(f"{self.path.name}: no entry {name!r}")
        chunks = []
        try:
            with self._zip.open(info) as handle:
                while chunk := handle.read(_CHUNK):
                    self._read_total += len(chunk)
                    if self._read_total > self.max_bytes:
                        raise InvalidInput(
                            f"{self.path.name}: unpacks to more than {_size(self.max_bytes)} "
                            "(a zip bomb, or a project too big to import)"
                        )
                    chunks.append(chunk)
        except (zipfile.BadZipFile, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise InvalidInput(f"{self.path.name}: entry {name!r} is damaged ({exc})") from None
        return b"".join(chunks)


def _name_problem(name: str) -> str | None:
    if not name or "\x00" in name:
        return "an empty name or a NUL character"
    norm = name.replace("\\", "/")
    if norm.startswith("/") or (len(norm) > 1 and norm[1] == ":"):
        return "an absolute path"
    if ".." in PurePosixPath(norm).parts:
        return "a path leading out of the archive"
    return None


def _size(n: int) -> str:
    return f"{n / 1024**3:.0f} GB" if n >= 1024**3 else f"{n / 1024**2:.0f} MB"
