"""Read a corpus's optional ``metadata.csv``: one row per file, keyed by its relative path.

Standard columns are ``file, title, date, speaker, office, place, source``; any other
column is kept as an extra attribute (and exported after the standard ones).

The file is read with :func:`encoding.decode_bytes` because researchers save it from
Excel, which in a Chinese locale writes GBK, and elsewhere UTF-8 with a BOM. Nothing in
it is fatal: a bad row becomes a one-line warning and the corpus still loads.
"""

from __future__ import annotations

import csv
import io
import operator
import os
import posixpath
from dataclasses import dataclass, field
from pathlib import Path

from speechreader.core.corpus import _metadata_cache
from speechreader.core.corpus._metadata_row import MetadataRow
from speechreader.core.errors import UnreadableFile
from speechreader.core.text import read_text_file

METADATA_FILE = "metadata.csv"
STANDARD_COLUMNS: tuple[str, ...] = ("title", "date", "speaker", "office", "place", "source")
FILE_COLUMN = "file"
MAX_WARNINGS = 20  # then one "... and N more" line: a broken 10,000-row file must stay readable


def normalise_key(value: str) -> str:
    """A ``file`` value as a lookup key: POSIX separators, no ``./``, no surrounding blanks."""
    key = value.strip().replace("\\", "/")
    if not key:
        return ""
    if "./" in key or "//" in key or key.startswith("/") or key.endswith(("/", ".")):
        key = posixpath.normpath(key)
    return key.lstrip("/") if key not in (".", "/") else ""


def strip_txt(path: str) -> str:
    """``a/b.txt`` -> ``a/b`` (extension case-insensitive); other paths unchanged."""
    return path[:-4] if path.lower().endswith(".txt") else path


@dataclass
class Metadata:
    """The parsed metadata file.

    ``rows`` maps a file path relative to the corpus (POSIX separators, as written in
    the ``file`` column, normalised) to its non-empty attributes. ``columns`` lists
    every attribute column in file order (standard first where present, then extras),
    without ``file``. ``warnings`` are one-line messages about rows we could not use.
    """

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: the file as it was read (:func:`file_stamp`; None: no file): a write refuses if
    #: the file on disk is no longer that one
    stamp: str | None = None
    #: the attribute columns in file order: the order of each row's keys
    names: list[str] = field(default_factory=list, repr=False, compare=False)
    _index: tuple[int, int, dict[str, str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def _lookup(self) -> dict[str, str]:
        """``a/b`` (no .txt) -> its key in ``rows``; rebuilt when ``rows`` is replaced or grows."""
        stamp = (id(self.rows), len(self.rows))
        if self._index is None or self._index[:2] != stamp:
            index: dict[str, str] = {}
            for key in self.rows:
                index.setdefault(strip_txt(key), key)
            self._index = (*stamp, index)
        return self._index[2]

    def for_path(self, rel_path: str) -> dict[str, str]:
        """Attributes of one file; also matches a ``file`` value given without ``.txt``."""
        row = self.rows.get(rel_path)
        if row is None:
            key = self._lookup().get(strip_txt(normalise_key(rel_path)))
            row = self.rows.get(key) if key is not None else None
        return dict(row) if row else {}

    def take(self, rel_path: str) -> dict[str, str]:
        """:meth:`for_path` without the copy, for a load that hands each row to its
        document and then drops this object (100,000 copies weighed 26 MB)."""
        row = self.rows.get(rel_path)
        if row is None:
            key = self._lookup().get(strip_txt(normalise_key(rel_path)))
            row = self.rows.get(key) if key is not None else None
        return row if row is not None else {}

    def unmatched(self, rel_paths: set[str]) -> list[str]:
        """Keys of rows that name no file in ``rel_paths`` (sorted): typos, renamed files."""
        missing = [k for k in self.rows if k not in rel_paths]  # usually none: skip the stems
        if not missing:
            return []
        stems = {strip_txt(p) for p in rel_paths}
        return sorted(k for k in missing if strip_txt(k) not in stems)


def _outside(raw: str, key: str) -> bool:
    """Whether a ``file`` value points out of the corpus folder (``../x.txt``, ``/etc/x``)."""
    absolute = raw.replace("\\", "/").startswith("/") or (len(raw) > 1 and raw[1] == ":")
    return absolute or key == ".." or key.startswith("../")


def _warn(md: Metadata, message: str, dropped: list[int]) -> None:
    if len(md.warnings) < MAX_WARNINGS:
        md.warnings.append(f"{METADATA_FILE}: {message}")
    else:
        dropped[0] += 1


def read_metadata(corpus_root: Path) -> Metadata:
    """Parse ``metadata.csv`` (any encoding :mod:`~speechreader.core.text` can read; BOM tolerated).

    A missing file gives an empty :class:`Metadata`; a malformed one gives warnings, not errors.
    What a file parses to is cached (see :mod:`_metadata_cache`): every command reads it,
    and 100,000 rows took a second to parse.
    """
    root = Path(corpus_root)
    path = root / METADATA_FILE
    stamp = file_stamp(path)  # before reading: a change meanwhile makes a write refuse
    if not path.is_file():
        return Metadata(stamp=stamp)
    key, found = _metadata_cache.load_cached(root, path)
    if found is not None:
        return Metadata(*found, stamp=stamp)
    md = parse_metadata(path)
    md.stamp = stamp
    if key is not None:
        _metadata_cache.save(root, key, md.rows, md.columns, md.warnings, md.names)
    names = tuple(md.names)  # as a load from the cache gives them (see MetadataRow)
    if names:
        md.rows = {
            file: MetadataRow(names, tuple(map(row.get, names))) for file, row in md.rows.items()
        }
    return md


def file_stamp(path: Path) -> str | None:
    """Which version of a file this is: size, modification and change times, inode
    (None: no file). Any write changes the change time (which no program can set
    back), and a save by rename (Excel's) the inode; only two writes of the same size
    within one tick of the file system's clock would look alike."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    except OSError:
        return "unreadable"
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def parse_metadata(path: Path) -> Metadata:
    """Parse the metadata file at ``path`` (see :func:`read_metadata`)."""
    md = Metadata()
    try:
        text = read_text_file(path, name=METADATA_FILE).text
    except UnreadableFile as exc:
        md.warnings.append(f"{METADATA_FILE}: ignored ({exc.reason})")
        return md

    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        md.warnings.append(f"{METADATA_FILE}: ignored (no header row)")
        return md
    names = [h.strip().lstrip("\ufeff") for h in header]
    lowered = [n.lower() for n in names]
    # standard columns (and "file") match case-insensitively; extras keep their spelling
    names = [n.lower() if n.lower() in (FILE_COLUMN, *STANDARD_COLUMNS) else n for n in names]
    if FILE_COLUMN not in lowered:
        md.warnings.append(
            f"{METADATA_FILE}: ignored (no 'file' column; found: {', '.join(names)})"
        )
        return md
    file_at = lowered.index(FILE_COLUMN)
    usable = [(i, n) for i, n in enumerate(names) if n and i != file_at]
    seen_names: set[str] = set()
    columns: list[tuple[int, str]] = []
    for i, n in usable:
        if n in seen_names:
            md.warnings.append(
                f"{METADATA_FILE}: column {n!r} appears twice; the second is ignored"
            )
            continue
        seen_names.add(n)
        columns.append((i, n))
    md.columns = [n for n in STANDARD_COLUMNS if n in seen_names]
    md.columns += [n for _, n in columns if n not in STANDARD_COLUMNS]

    dropped = [0]
    width = len(names)
    pick = operator.itemgetter(*[i for i, _ in columns]) if columns else None
    keys = md.names = [n for _, n in columns]
    share = {}.setdefault  # one string per distinct value: dates, speakers, places repeat
    try:
        last_line = reader.line_num
        for record in reader:
            first_line, line_no = last_line + 1, reader.line_num  # quoted fields may span lines
            last_line = line_no
            joined = "".join(record)
            if not joined.strip():
                continue  # blank line
            if "\n" in joined:
                swallowed = line_no - first_line
                _warn(
                    md,
                    f"line {first_line}: a quoted value runs over {swallowed} more line"
                    f"{'s' if swallowed > 1 else ''} (a quote left open?); check lines "
                    f"{first_line}-{line_no}",
                    dropped,
                )
            if len(record) > len(names):
                _warn(
                    md,
                    f"line {first_line}: more fields than the header; extra fields ignored",
                    dropped,
                )
            raw = record[file_at].strip() if file_at < len(record) else ""
            key = normalise_key(raw)
            if not key:
                _warn(md, f"line {first_line}: no file name; row ignored", dropped)
                continue
            if _outside(raw, key):
                _warn(
                    md,
                    f"line {first_line}: {raw} is outside the corpus folder; row ignored",
                    dropped,
                )
                continue
            if key in md.rows:
                _warn(
                    md, f"line {first_line}: {key} is listed twice; the first row is used", dropped
                )
                continue
            if len(record) < width:
                record += [""] * (width - len(record))
            values = pick(record) if pick else ()
            if len(keys) == 1:
                values = (values,)
            md.rows[key] = {
                n: share(v, v) for n, v in zip(keys, map(str.strip, values), strict=True) if v
            }
    except csv.Error as exc:
        _warn(md, f"stopped reading at line {reader.line_num}: {exc}", dropped)
    if dropped[0]:
        md.warnings.append(f"{METADATA_FILE}: ... and {dropped[0]} more warnings")
    return md
