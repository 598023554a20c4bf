"""Writing a document's title, date, speaker or place into ``metadata.csv``.

The speech files are never written; ``metadata.csv`` is the researcher's own table,
often kept in Excel, so an edit changes exactly one row (and adds a column to the
header if the file had none for a field) and leaves every other line as it was: its
quoting, its columns and their order, the file's encoding, BOM and line endings. The
previous file is kept beside it as ``metadata.csv.bak``; the new one replaces it
atomically (:mod:`speechreader.core.fileio`). A file absent is created.

Someone may edit the file in Excel while the library is open: each write names the
version of the file it read (:func:`metadata_stamp`: size, times, inode), and refuses
with :class:`MetadataChanged` if the file on disk is no longer that one, rather than
overwrite a change it did not see.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from speechreader.core.corpus._files import os_reason
from speechreader.core.corpus._metadata import (
    FILE_COLUMN,
    METADATA_FILE,
    file_stamp,
    normalise_key,
    strip_txt,
)
from speechreader.core.errors import InvalidInput, SpeechreaderError, UnreadableFile
from speechreader.core.fileio import atomic_write_bytes
from speechreader.core.text import decode_bytes

if TYPE_CHECKING:
    from speechreader.core.corpus._corpus import Corpus

#: The fields the library and ``speechreader meta set`` edit.
EDITABLE_FIELDS: tuple[str, ...] = ("title", "date", "speaker", "place")
BACKUP_SUFFIX = ".bak"
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff", b"\xff\xfe", b"\xfe\xff")
_NEWLINES = {"crlf": "\r\n", "cr": "\r"}


class MetadataChanged(SpeechreaderError):
    """metadata.csv changed on disk since it was read: nothing was written."""


@dataclass(frozen=True)
class MetadataWrite:
    """What a write did: the new file's stamp, where the old one was kept, what changed."""

    stamp: str | None  # the file's version after the write (see metadata_stamp)
    backup: Path | None  # None when metadata.csv did not exist before
    changed: dict[str, tuple[str, str]]  # field -> (before, after)
    encoding: str  # the file's encoding after the write
    created: bool


def metadata_stamp(root: Path) -> str | None:
    """Which version of ``metadata.csv`` is on disk now (None: there is none)."""
    return file_stamp(Path(root) / METADATA_FILE)


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise UnreadableFile(METADATA_FILE, os_reason(exc)) from None


def check_value(field: str, value: str) -> str:
    """A field's value as written: trimmed, one line, no control characters."""
    if field not in EDITABLE_FIELDS:
        raise InvalidInput(f"cannot set {field!r}: the fields are {', '.join(EDITABLE_FIELDS)}")
    value = value.strip()
    if any(ch in value for ch in "\n\r"):
        raise InvalidInput(f"the {field} must be one line")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in value):
        raise InvalidInput(f"the {field} contains a control character")
    return value


def set_metadata(
    root: Path,
    rel_path: str,
    values: Mapping[str, str],
    *,
    expected: str | None,
) -> MetadataWrite:
    """Set ``values`` (field -> text; "" clears) for the file ``rel_path`` in ``metadata.csv``.

    ``expected`` is the :func:`metadata_stamp` of the file as the caller read it (None:
    it had no file). If the file is not that one any more, :class:`MetadataChanged` is
    raised and nothing is written.
    """
    values = {name: check_value(name, value) for name, value in values.items()}
    path = Path(root) / METADATA_FILE
    if file_stamp(path) != expected:
        raise MetadataChanged(
            f"{METADATA_FILE} changed on disk since it was read (edited elsewhere?); "
            "nothing was written: reload the corpus and try again"
        )
    data = _read(path)
    if not data:  # no file, or an empty one
        text, codec, newline, bom = "", "utf-8", "\n", b""
    else:
        decoded = decode_bytes(data, name=METADATA_FILE)
        text, codec = decoded.text, decoded.encoding
        newline = _NEWLINES.get(decoded.newlines, "\n")
        bom = next((b for b in _BOMS if data.startswith(b)), b"")
        codec = {"utf-8-sig": "utf-8"}.get(codec, codec)
    lines, changed = _edited_lines(text, rel_path, values)
    body = newline.join(lines)
    try:
        out = bom + body.encode(codec)
    except UnicodeEncodeError:  # a Big5 file given a simplified title: UTF-8 (with BOM: Excel)
        codec, bom = "utf-8", b"\xef\xbb\xbf"
        out = bom + body.encode(codec)
    backup = None
    if data:
        backup = path.with_name(METADATA_FILE + BACKUP_SUFFIX)
        atomic_write_bytes(backup, data)
    atomic_write_bytes(path, out)
    return MetadataWrite(
        stamp=file_stamp(path),
        backup=backup,
        changed=changed,
        encoding=codec + ("-sig" if bom == b"\xef\xbb\xbf" else ""),
        created=data is None,
    )


def edit_document_metadata(corpus: Corpus, doc_id: str, values: Mapping[str, str]) -> MetadataWrite:
    """:func:`set_metadata` for a loaded corpus's document, which then shows the new values.

    Refuses (:class:`MetadataChanged`) if ``metadata.csv`` changed since the corpus read
    it. A title cleared is read from the text again, as a load would.
    """
    info = corpus.get(doc_id)
    done = set_metadata(corpus.root, info.path, values, expected=corpus.metadata_stamp)
    corpus.metadata_stamp = done.stamp
    metadata = dict(info.metadata)
    for name, value in values.items():
        if value.strip():
            metadata[name] = value.strip()
        else:
            metadata.pop(name, None)
    info.metadata = metadata
    if "title" in values:
        from speechreader.core.corpus._titles import title_from_text

        info.title = metadata.get("title") or (
            title_from_text(corpus.text(doc_id)) or strip_txt(PurePosixPath(info.path).name)
        )
    for name in values:
        if name not in corpus.metadata_columns:
            corpus.metadata_columns.append(name)
    return done


def _csv_line(cells: list[str]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow(cells)
    return buffer.getvalue()


def _edited_lines(
    text: str, rel_path: str, values: Mapping[str, str]
) -> tuple[list[str], dict[str, tuple[str, str]]]:
    """The file's lines (newlines normalised) with the one row changed or added.

    Each CSV record is mapped to the physical lines it spans (a quoted value may hold
    a line break), so every record but the changed one is copied as it was.
    """
    lines = text.split("\n") if text else []
    records: list[tuple[list[str], int, int]] = []  # cells, first line, end line
    reader = csv.reader(io.StringIO(text, newline=""))
    start = 0
    try:
        for record in reader:
            records.append((record, start, reader.line_num))
            start = reader.line_num
    except csv.Error as exc:
        raise InvalidInput(
            f"{METADATA_FILE} line {reader.line_num}: {exc}; fix it by hand first"
        ) from None
    if not records:  # no file, or an empty one: a header of our own
        header = [FILE_COLUMN, *EDITABLE_FIELDS]
        trailing = lines[-1:] == [""]
        lines = [_csv_line(header), *([""] if trailing or not lines else [])]
        records = [(header, 0, 1)]
    header, _, header_end = records[0]
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if FILE_COLUMN not in names:
        raise InvalidInput(f"{METADATA_FILE} has no 'file' column; add one by hand first")
    file_at = names.index(FILE_COLUMN)
    missing = [name for name in values if name not in names]
    columns = {name: names.index(name) if name in names else 0 for name in values}
    for offset, name in enumerate(missing):
        columns[name] = len(header) + offset
    target = strip_txt(normalise_key(rel_path))
    found = None
    for index, (record, _, _) in enumerate(records[1:], start=1):
        if file_at < len(record) and strip_txt(normalise_key(record[file_at])) == target:
            found = index
            break
    width = len(header) + len(missing)
    if found is None:
        row = [""] * width
        row[file_at] = rel_path
        before = {}
    else:
        row = list(records[found][0])
        row += [""] * (width - len(row))
        before = {name: row[columns[name]].strip() for name in values}
    changed = {}
    for name, value in values.items():
        old = before.get(name, "")
        row[columns[name]] = value
        if old != value:
            changed[name] = (old, value)
    out = list(lines)
    if found is None:
        new_line = _csv_line(row)
        if out and out[-1] == "":  # the file ends with a newline: the row goes before it
            out.insert(len(out) - 1, new_line)
        else:
            out.append(new_line)
    else:
        _, first, end = records[found]
        out[first:end] = _csv_line(row).split("\n")
    if missing:
        # the header's own text kept; the new columns added after it
        header_text = "\n".join(out[:header_end]) + "," + _csv_line(missing)
        out[:header_end] = header_text.split("\n")
    return out, changed
