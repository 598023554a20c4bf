"""The corpus folder a REFI-QDA import makes: safe file names, metadata.csv, one rename.

A source's name comes from another program (or a stranger): it becomes a relative
``.txt`` path that is valid on every system (no reserved names, control characters
or over-long parts) and unique whatever the case, since the folder may be copied to a
case-insensitive disk. The folder is built aside and renamed into place, so a failed
import leaves no half-made corpus.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import tempfile
import unicodedata
from pathlib import Path

from speechreader.core.errors import InvalidInput
from speechreader.core.exchange._qdpx_read import RefiProject
from speechreader.core.fileio import current_umask

METADATA_FILE = "metadata.csv"
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_WINDOWS_RESERVED = re.compile(r"(?i)(con|prn|aux|nul|com[1-9]|lpt[1-9])(\..*)?")
MAX_PART_BYTES = 150


# --- file names --------------------------------------------------------------------


def safe_part(part: str) -> str:
    part = unicodedata.normalize("NFC", part)
    part = _UNSAFE.sub("_", part).replace("\\", "_").strip().rstrip(".").strip()
    if part.startswith("."):
        part = "_" + part[1:]
    if _WINDOWS_RESERVED.fullmatch(part):
        part = "_" + part
    raw = part.encode("utf-8")
    if len(raw) > MAX_PART_BYTES:
        part = raw[:MAX_PART_BYTES].decode("utf-8", "ignore").rstrip()
    return part


class SourceNames:
    """Relative ``.txt`` paths for source names: safe, unique (whatever the case)."""

    def __init__(self) -> None:
        self.files: set[str] = set()
        self.dirs: set[str] = set()

    def path_for(self, name: str) -> str:
        parts = [safe_part(p) for p in name.replace("\\", "/").split("/")]
        parts = [p for p in parts if p and p not in (".", "..")] or ["source"]
        stem = parts[-1]
        if stem.lower().endswith(".txt"):
            stem = stem[:-4].rstrip() or "source"
        folders = []
        for part in parts[:-1]:
            folder = "/".join([*folders, part])
            while f"{folder}.txt".lower() in self.files or folder.lower() in self.files:
                part += "_"
                folder = "/".join([*folders, part])
            folders.append(part)
        base = "/".join([*folders, stem])
        candidate, n = f"{base}.txt", 2
        while candidate.lower() in self.files or candidate.lower() in self.dirs:
            candidate, n = f"{base} ({n}).txt", n + 1
        self.files.add(candidate.lower())
        for i in range(1, len(folders) + 1):
            self.dirs.add("/".join(folders[:i]).lower())
        return candidate


def metadata_csv(project: RefiProject, rels: dict[str, str]) -> tuple[str, list[str]]:
    """metadata.csv for the sources (one column per variable) and notes on renamed ones."""
    columns: list[tuple[str, str]] = []
    taken = {"file"}
    notes = []
    for var in project.variables:
        name = " ".join(var.name.split()) or "variable"
        unique, n = name, 2
        while unique.lower() in taken:
            unique, n = f"{name} ({n})", n + 1
        if unique != var.name:
            notes.append(f"variable {var.name!r} is the metadata column {unique!r}")
        taken.add(unique.lower())
        columns.append((var.guid, unique))
    if not columns:
        return "", notes
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["file", *(name for _, name in columns)])
    for source in project.sources:
        if source.guid in rels:
            writer.writerow([rels[source.guid], *(source.values.get(g, "") for g, _ in columns)])
    return out.getvalue(), notes


# --- the corpus folder ---------------------------------------------------------------


def check_target(folder: Path) -> None:
    if folder.exists() and not folder.is_dir():
        raise InvalidInput(f"{folder} is a file; give a new or empty folder for the corpus")
    if folder.is_dir() and any(folder.iterdir()):
        raise InvalidInput(
            f"{folder} is not empty: import into a new or empty folder "
            "(an import never writes into an existing corpus)"
        )


def write_folder(folder: Path, files: dict[str, str]) -> None:
    """Build the corpus in a hidden sibling folder and rename it into place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.sr-import-", dir=folder.parent))
    try:
        os.chmod(tmp, 0o777 & ~current_umask())  # mkdtemp makes it private (0700)
        for rel, text in files.items():
            path = tmp / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
        if folder.is_dir():
            folder.rmdir()  # empty (checked): replaced by the finished folder
        os.replace(tmp, folder)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
