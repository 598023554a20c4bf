"""The search index on disk: one file per corpus, loaded whole in a few tens of ms.

``paths.corpus_cache_dir(root)/search/index-<config>.bin``::

    b"SRSEARCH\\n" | header length (8 bytes, little endian) | header (JSON) | body

The header names the format, the key of the search form (form version, OpenCC version,
phrase overrides), the entries' content hashes, where each section of the body starts,
and a CRC-32 of the body. The body holds four sections, each one contiguous:

- ``table``: eight little-endian int64 per entry (see :data:`COLUMNS`);
- ``norm``: every entry's search form, UTF-16-LE (decodes at memory speed; 45 MB for
  a 22 M-character corpus against 64 MB of UTF-8, and no surrogates in CJK text);
- ``dpos``: the offsets where the original differs, little-endian uint32;
- ``dchr``: the original characters there (UTF-16-LE), or the whole original text
  for an entry that keeps it (``flags`` 1; the offset map of a length-changing form
  is in the header).

Why not JSON or one file per document: 10,000 files take half a second to open
and JSON takes three times as long to parse as UTF-16 takes to decode. Entries are
keyed by the content hash of the text (from the corpus listing), so a changed file
gets a new entry and the others are copied. Anything wrong (magic, key, lengths,
CRC) makes :func:`read_index` return nothing and the index is rebuilt; it is a cache.
"""

from __future__ import annotations

import contextlib
import json
import sys
import zlib
from array import array
from collections.abc import Mapping
from pathlib import Path

from speechreader.core.fileio import atomic_write_bytes
from speechreader.core.search._form import IndexedDoc
from speechreader.core.text import OffsetMap, Piece

MAGIC = b"SRSEARCH\n"
FORMAT = "speechreader-search"
VERSION = 1
#: per entry: where its form is (bytes), its length in characters, where its
#: differences are (items and bytes), the original text's length, and flags
COLUMNS = ("norm_off", "norm_bytes", "norm_chars", "dpos_off", "dpos_len", "dchr_off",
           "dchr_bytes", "orig_chars", "flags")  # fmt: skip
FULL_TEXT = 1  # flag: dchr holds the whole original text
_SECTIONS = ("table", "norm", "dpos", "dchr")
_LITTLE = sys.byteorder == "little"


def _le(data: array) -> bytes:
    if not _LITTLE:
        data = array(data.typecode, data)
        data.byteswap()
    return data.tobytes()


def _from_le(typecode: str, raw: memoryview | bytes) -> array:
    data = array(typecode)
    data.frombytes(raw)
    if not _LITTLE:
        data.byteswap()
    return data


def encode_index(key: str, entries: Mapping[str, IndexedDoc]) -> bytes:
    """The file's bytes for ``entries`` (content hash -> document)."""
    table = array("q")
    norm: list[bytes] = []
    dpos = array("I")
    dchr: list[bytes] = []
    maps: dict[str, list[list[int]]] = {}
    sizes = [0, 0]  # bytes of norm and dchr so far
    for digest, doc in entries.items():
        full = doc.orig is not None
        n = doc.norm.encode("utf-16-le")
        d = (doc.diff_chars if doc.orig is None else doc.orig).encode("utf-16-le")
        table.extend((sizes[0], len(n), len(doc.norm), len(dpos), len(doc.diff_pos)))
        table.extend((sizes[1], len(d), doc.length, FULL_TEXT if full else 0))
        norm.append(n)
        dchr.append(d)
        dpos.extend(doc.diff_pos)
        sizes[0] += len(n)
        sizes[1] += len(d)
        if doc.mapping is not None:
            maps[digest] = [[p.src_start, p.src_end, p.dst_start, p.dst_end]
                            for p in doc.mapping.pieces]  # fmt: skip
    parts = [_le(table), b"".join(norm), _le(dpos), b"".join(dchr)]
    sections, at = {}, 0
    for name, part in zip(_SECTIONS, parts, strict=True):
        sections[name] = [at, len(part)]
        at += len(part)
    body = b"".join(parts)
    header = {
        "format": FORMAT,
        "version": VERSION,
        "key": key,
        "hashes": list(entries),
        "sections": sections,
        "maps": maps,
        "crc32": zlib.crc32(body),
    }
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    return MAGIC + len(head).to_bytes(8, "little") + head + body


def decode_index(raw: bytes, key: str) -> dict[str, IndexedDoc] | None:
    """The entries in a file's bytes, or None if they are not a sound index for ``key``."""
    try:
        return _decode(raw, key)
    except (ValueError, KeyError, TypeError, IndexError, UnicodeDecodeError):
        return None


def _decode(raw: bytes, key: str) -> dict[str, IndexedDoc] | None:
    if not raw.startswith(MAGIC):
        return None
    start = len(MAGIC) + 8
    size = int.from_bytes(raw[len(MAGIC) : start], "little")
    header = json.loads(raw[start : start + size])
    if (header.get("format"), header.get("version"), header.get("key")) != (FORMAT, VERSION, key):
        return None
    body = memoryview(raw)[start + size :]
    if zlib.crc32(body) != header["crc32"]:
        return None
    sec = {}
    for name in _SECTIONS:
        at, length = header["sections"][name]
        if at < 0 or length < 0 or at + length > len(body):
            return None
        sec[name] = body[at : at + length]
    table = _from_le("q", sec["table"])
    dpos = _from_le("I", sec["dpos"])
    hashes, maps = header["hashes"], header["maps"]
    width = len(COLUMNS)
    if len(table) != width * len(hashes):
        return None
    norm_mv, dchr_mv = sec["norm"], sec["dchr"]
    entries: dict[str, IndexedDoc] = {}
    for i, digest in enumerate(hashes):
        row = table[i * width : (i + 1) * width]
        n_off, n_bytes, n_chars, p_off, p_len, d_off, d_bytes, o_chars, flags = row
        norm = str(norm_mv[n_off : n_off + n_bytes], "utf-16-le")
        diff = str(dchr_mv[d_off : d_off + d_bytes], "utf-16-le")
        if len(norm) != n_chars:
            return None
        if flags & FULL_TEXT:
            mapping = None
            if digest in maps:
                mapping = OffsetMap(o_chars, n_chars, [Piece(*p) for p in maps[digest]])
            elif o_chars != n_chars:
                return None
            if len(diff) != o_chars or p_len:
                return None
            entries[digest] = IndexedDoc(norm, diff, mapping=mapping)
            continue
        positions = dpos[p_off : p_off + p_len]
        if len(positions) != p_len or len(diff) != p_len or o_chars != n_chars:
            return None
        if p_len and positions[-1] >= n_chars:
            return None
        entries[digest] = IndexedDoc(norm, None, positions, diff)
    return entries


def read_index(path: Path, key: str) -> dict[str, IndexedDoc]:
    """The cached entries, or none if the file is missing, stale or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    return decode_index(raw, key) or {}


def write_index(path: Path, key: str, entries: Mapping[str, IndexedDoc]) -> bool:
    """Write atomically, best effort (not fsynced: a lost cache is rebuilt); True if written."""
    with contextlib.suppress(OSError):
        atomic_write_bytes(path, encode_index(key, entries), durable=False)
        return True
    return False
