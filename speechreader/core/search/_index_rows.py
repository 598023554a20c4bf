"""A document's row in the search index: how its form is stored and read back.

The texts of a form (see :class:`IndexedDoc`) are UTF-16-LE blobs (CJK decodes at
memory speed, a surrogate kept as itself), differing offsets a uint32 array, and an
offset map (pinyin glosses left out) its pieces as columns in JSON, which a search
maps hits back through with bisects, no :class:`OffsetMap` needed. Split from
:mod:`_index_db`, which holds the SQLite file these rows go into.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass

import orjson

from speechreader.core.search._form import IndexedDoc
from speechreader.core.text import OffsetMap, Piece


def utf16(text: str) -> bytes:
    return text.encode("utf-16-le", "surrogatepass")


def from_utf16(blob: bytes) -> str:
    return blob.decode("utf-16-le", "surrogatepass")


@dataclass(frozen=True, slots=True)
class DocRow:
    """What the index knows about a document besides its form."""

    no: int
    rel: str
    doc_id: str
    size: int
    mtime_ns: int
    content_hash: str
    base_script: str


@dataclass(frozen=True, slots=True)
class NewDoc:
    """A document to add: its row (without a number yet) and its form."""

    rel: str
    doc_id: str
    size: int
    mtime_ns: int
    content_hash: str
    base_script: str
    entry: IndexedDoc


def mapping_blob(entry: IndexedDoc) -> bytes | None:
    """An offset map as ``[src_len, dst_len, src_starts, src_ends, dst_starts, dst_ends]``
    (columns: a search maps its hits with bisects on them, no OffsetMap needed)."""
    m = entry.mapping
    if m is None:
        return None
    pieces = m.pieces
    columns = [[getattr(p, name) for p in pieces] for name in _PIECE]
    return orjson.dumps([m.src_len, m.dst_len, *columns])


_PIECE = ("src_start", "src_end", "dst_start", "dst_end")


def mapping_columns(blob: bytes | None) -> tuple[list[int], ...] | None:
    """The piece columns of a stored map: ``(src_starts, src_ends, dst_starts, dst_ends)``."""
    if blob is None:
        return None
    return tuple(orjson.loads(blob)[2:])


def mapping_of(blob: bytes | None) -> OffsetMap | None:
    if blob is None:
        return None
    src_len, dst_len, *columns = orjson.loads(blob)
    return OffsetMap(src_len, dst_len, [Piece(*p) for p in zip(*columns, strict=True)])


def entry_of(norm: bytes, orig: bytes | None, pos: bytes | None, chars: bytes | None,
           mapping: bytes | None) -> IndexedDoc:  # fmt: skip
    positions = array("I")
    if pos:
        positions.frombytes(pos)
    return IndexedDoc(
        from_utf16(norm),
        None if orig is None else from_utf16(orig),
        positions,
        from_utf16(chars) if chars else "",
        mapping_of(mapping),
    )
