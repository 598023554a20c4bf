"""Decode corpus files of unknown encoding into the exact text annotations point into.

Order of evidence (see issue 2): a BOM first (UTF-8, UTF-16 LE/BE), then strict
UTF-8, then charset-normalizer. GBK/GB2312 are decoded as gb18030 (a superset), Big5
as big5hkscs or cp950 (plain big5 lacks 裏 and 碁). Line endings become ``\\n`` and a
BOM is dropped; nothing else is changed, because offsets are taken in this text.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from speechreader.core.errors import UnreadableFile


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its text (newlines normalised) and how we decoded it."""

    text: str
    encoding: str  # Python codec used: utf-8, utf-8-sig, utf-16-le, utf-16-be, gb18030, big5hkscs, cp950
    newlines: str  # what the file had: "lf", "crlf", "cr", "mixed" or "none"


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    raise NotImplementedError


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> Decoded:
    """Detect the encoding of ``data`` and decode it; raise :class:`UnreadableFile` if we cannot.

    ``name`` is used in the error (the file's path relative to the corpus).
    """
    raise NotImplementedError


def decode_known(data: bytes, encoding: str) -> str:
    """Decode with an encoding found earlier (the corpus cache's fast path), newlines normalised."""
    raise NotImplementedError


def read_text_file(path: Path, *, name: str | None = None) -> Decoded:
    """Read and decode a file; OS errors become :class:`UnreadableFile` with a plain reason."""
    raise NotImplementedError


__all__ = ["Decoded", "UnreadableFile", "decode_bytes", "decode_known", "normalise_newlines", "read_text_file"]
