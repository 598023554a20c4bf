"""Decode corpus files of unknown encoding into the exact text annotations point into.

Order of evidence (see issue 2): a BOM first (UTF-32 before UTF-16, whose BOM is a
prefix of UTF-32-LE's; then UTF-8, UTF-16 LE/BE), then strict UTF-8, then
charset-normalizer. GBK/GB2312 are decoded as gb18030 (a superset), Big5 as cp950 or
big5hkscs (plain big5 lacks 裏 and 碁). Line endings become ``\\n`` and a BOM is
dropped; nothing else is changed, because offsets are taken in this text.

Why the detector is not trusted alone: GB18030 decodes almost any Big5 byte string
without error (and cp950 many GBK ones), and on short files charset-normalizer can
name the wrong one (``中文`` in GB18030 comes back as Big5 ``笢恅``). So the detector
only nominates; every candidate is decoded strictly in full and scored by the share
of its non-ASCII characters that are common Chinese characters or punctuation. The
right decode of Chinese prose scores above 0.9, the wrong CJK codec about 0.4-0.6.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from speechreader.core.errors import UnreadableFile


@dataclass(frozen=True)
class Decoded:
    """A decoded file: its text (newlines normalised) and how we decoded it."""

    text: str
    #: Python codec used: utf-8, utf-8-sig, utf-16-le/-be, utf-32-le/-be, gb18030, cp950, big5hkscs
    encoding: str
    newlines: str  # what the file had: "lf", "crlf", "cr", "mixed" or "none"


#: BOMs, longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

#: Signatures of common binary formats, for a precise skip reason.
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"PK\x03\x04", "ZIP archive (or .docx/.xlsx)"),
    (b"PK\x05\x06", "ZIP archive"),
    (b"%PDF-", "PDF document"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ\x00", "xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"Rar!\x1a\x07", "RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Microsoft Office document (.doc/.xls)"),
    (b"{\\rtf", "RTF document"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3\x00", "SQLite database"),
)

#: Characters no text file should contain more than a few of: C0/C1 controls other
#: than tab, newlines and form feed, private use, non-characters and lone surrogates.
_BAD_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ue000-\uf8ff\ufffe\uffff\ud800-\udfff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")
MAX_BAD_SHARE = 0.01  # above this share of bad characters a decode is "binary"
MIN_SCORE = 0.5  # below this a decode of non-ASCII text is not believed...
MIN_EVIDENCE = 20  # ...unless it has fewer non-ASCII characters than this (too few to judge)
CJK_BONUS = 0.03  # near-ties go to the Chinese codecs (cp949 also decodes 中文's GB bytes)
SAMPLE_BYTES = 64 * 1024  # what the detector sees; the full decode verifies it
_SCORE_CHARS = 200_000  # score on a prefix: enough evidence, bounded time on huge files

#: charset-normalizer names -> the codecs we actually decode with, in order of preference.
_DETECTOR_CODECS: dict[str, tuple[str, ...]] = {
    "gb2312": ("gb18030",),
    "gbk": ("gb18030",),
    "gb18030": ("gb18030",),
    "hz": ("gb18030",),
    "big5": ("cp950", "big5hkscs"),
    "cp950": ("cp950", "big5hkscs"),
    "big5hkscs": ("cp950", "big5hkscs"),
}
#: Never taken from the detector: without a BOM or NUL bytes these are wild guesses
#: (it calls four GB18030 bytes UTF-16); BOM-less UTF-16 is handled by the NUL check.
_DETECTOR_IGNORED = frozenset(
    {"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}
)
#: Always tried after the detector's picks: the encodings Chinese speeches come in.
_CJK_FALLBACKS: tuple[str, ...] = ("gb18030", "cp950", "big5hkscs")


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF; nothing else changes."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _newline_style(text: str) -> str:
    crlf = text.count("\r\n")
    cr = text.count("\r") - crlf
    lf = text.count("\n") - crlf
    kinds = [name for name, n in (("crlf", crlf), ("cr", cr), ("lf", lf)) if n]
    if not kinds:
        return "none"
    return kinds[0] if len(kinds) == 1 else "mixed"


@functools.cache
def _common_chars_re() -> re.Pattern[str]:
    """Characters that make a decode believable: frequent hanzi in either script, punctuation.

    The frequent hanzi are GB2312 level 1 (3,755 simplified) and Big5's "frequently
    used" block (5,401 traditional), read from the codecs themselves, so no data file.
    """
    chars: set[str] = set()
    for lead in range(0xB0, 0xD8):  # GB2312 level 1
        chars.update(bytes([lead, t]).decode("gb2312", "ignore") for t in range(0xA1, 0xFF))
    for lead in range(0xA4, 0xC7):  # Big5 frequently used characters
        trails = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
        chars.update(bytes([lead, t]).decode("big5", "ignore") for t in trails)
    chars.discard("")
    chars.update("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü·×÷‰")  # pinyin glosses, common signs
    hanzi = "".join(sorted(chars)).replace("\\", "\\\\").replace("]", "\\]").replace("^", "\\^")
    # CJK symbols and punctuation, fullwidth forms, general punctuation (“”‘’—…).
    return re.compile(f"[{hanzi}\u3000-\u303f\uff01-\uff5e\u2010-\u2027]")


def _score(text: str) -> tuple[float, int]:
    """Share of non-ASCII characters that are common hanzi or punctuation, and their number."""
    sample = text[:_SCORE_CHARS]
    non_ascii = len(_NON_ASCII.findall(sample))
    if not non_ascii:
        return 1.0, 0
    return len(_common_chars_re().findall(sample)) / non_ascii, non_ascii


def _too_many_bad(text: str, share: float = MAX_BAD_SHARE) -> bool:
    if not text:
        return False
    return len(_BAD_CHARS.findall(text)) > share * len(text)


#: Valid UTF-8 is already strong evidence of text: random bytes fail it within a few
#: hundred bytes. So a strictly valid UTF-8 file is only "binary" when controls are a
#: large share of it, and ANSI escapes (ESC, a coloured terminal log) do not count: such
#: a text is loaded and shown literally, escape characters and all.
UTF8_MAX_BAD_SHARE = 0.10


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _finish(raw: str, codec: str, name: str) -> Decoded:
    """Drop a BOM, normalise newlines and refuse text that is blank."""
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    if not raw:
        raise UnreadableFile(name, "empty file")
    if not raw.strip():
        raise UnreadableFile(name, "contains only whitespace")
    return Decoded(normalise_newlines(raw), codec, _newline_style(raw))


def _safe_sample(data: bytes) -> bytes:
    """A prefix for the detector that does not end inside a multibyte character.

    Bytes below 0x30 (controls, space, ``!"#$%&'()*+,-./``) are never the second or
    later byte of a GB18030, Big5 or UTF-8 character, so cutting after one is safe.
    """
    if len(data) <= SAMPLE_BYTES:
        return data
    window = data[SAMPLE_BYTES - 4096 : SAMPLE_BYTES]
    for i in range(len(window) - 1, -1, -1):
        if window[i] < 0x30:
            return data[: SAMPLE_BYTES - 4096 + i + 1]
    return data[:SAMPLE_BYTES]


def _detector_codecs(data: bytes) -> list[str]:
    """Codecs charset-normalizer nominates for ``data``, best first (may be empty)."""
    import charset_normalizer  # imported late: warm corpus loads never need it

    sample = _safe_sample(data)
    matches = charset_normalizer.from_bytes(sample)
    if not len(matches) and len(sample) < len(data):  # cut mid-character after all
        for cut in (1, 2, 3):
            matches = charset_normalizer.from_bytes(sample[:-cut])
            if len(matches):
                break
    found: list[str] = []
    for match in matches:
        name = match.encoding.lower().replace("-", "_")
        if name in _DETECTOR_IGNORED:
            continue
        found.extend(_DETECTOR_CODECS.get(name, (name,)))
    return found


def _decode_by_bom(data: bytes, name: str) -> Decoded | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                raw = data.decode(codec)
            except UnicodeDecodeError as exc:
                label = codec.upper().replace("-SIG", "")
                reason = f"invalid {label} text despite its byte-order mark (byte {exc.start})"
                raise UnreadableFile(name, reason) from None
            return _finish(raw, codec, name)
    return None


def _decode_utf16_without_bom(data: bytes, name: str) -> Decoded:
    """NUL bytes: UTF-16 without a BOM if one byte order gives believable text, else binary."""
    best: tuple[float, str, str] | None = None
    if len(data) % 2 == 0:
        for codec in ("utf-16-le", "utf-16-be"):
            raw = _strict(data, codec)
            if raw is None or _too_many_bad(raw):
                continue
            score, evidence = _score(raw)
            believable = score >= MIN_SCORE or evidence < MIN_EVIDENCE
            if believable and (best is None or score > best[0]):
                best = (score, codec, raw)
    if best is None:
        raise UnreadableFile(name, "binary file (contains NUL bytes)")
    return _finish(best[2], best[1], name)


def decode_bytes(data: bytes, *, name: str = "<bytes>") -> Decoded:
    """Detect the encoding of ``data`` and decode it; raise :class:`UnreadableFile` if we cannot.

    ``name`` is used in the error (the file's path relative to the corpus).
    """
    if not data:
        raise UnreadableFile(name, "empty file")
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise UnreadableFile(name, f"binary file ({kind})")
    decoded = _decode_by_bom(data, name)
    if decoded is not None:
        return decoded
    if b"\x00" in data:
        return _decode_utf16_without_bom(data, name)
    raw = _strict(data, "utf-8")
    if raw is not None:
        if _too_many_bad(raw.replace("\x1b", ""), UTF8_MAX_BAD_SHARE):
            raise UnreadableFile(name, "binary file (control characters)")
        return _finish(raw, "utf-8", name)

    # Not UTF-8: let the detector nominate, then verify every nominee by a strict full decode.
    candidates = list(dict.fromkeys([*_detector_codecs(data), *_CJK_FALLBACKS]))
    best: tuple[float, int, str, str] | None = None  # (score, -rank, codec, text)
    best_evidence = 0
    binary_like = False
    for rank, codec in enumerate(candidates):
        raw = _strict(data, codec)
        if raw is None:
            continue
        if _too_many_bad(raw):
            binary_like = True
            continue
        score, evidence = _score(raw)
        bonus = CJK_BONUS if codec in _CJK_FALLBACKS else 0.0
        key = (round(score + bonus, 2), -rank)  # then near-ties go to the detector's order
        if best is None or key > best[:2]:
            best, best_evidence = (*key, codec, raw), evidence
    if best is None and binary_like:
        raise UnreadableFile(name, "binary file")
    if best is None or (best[0] < MIN_SCORE and best_evidence >= MIN_EVIDENCE):
        raise UnreadableFile(name, "unknown encoding (not UTF-8, GB18030 or Big5)")
    return _finish(best[3], best[2], name)


def decode_known(data: bytes, encoding: str) -> str:
    """Decode with an encoding found earlier (the corpus cache's fast path), newlines normalised.

    Raises :class:`UnreadableFile` if the bytes no longer decode with it (the caller
    then falls back to :func:`decode_bytes`).
    """
    try:
        raw = data.decode(encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise UnreadableFile("<bytes>", f"no longer decodes as {encoding}: {exc}") from None
    if raw.startswith("\ufeff"):
        raw = raw[1:]
    return normalise_newlines(raw)


def read_text_file(path: Path, *, name: str | None = None) -> Decoded:
    """Read and decode a file; OS errors become :class:`UnreadableFile` with a plain reason."""
    label = name if name is not None else str(path)
    try:
        data = Path(path).read_bytes()
    except PermissionError:
        raise UnreadableFile(label, "permission denied") from None
    except FileNotFoundError:
        raise UnreadableFile(label, "file not found (removed while loading?)") from None
    except IsADirectoryError:
        raise UnreadableFile(label, "is a folder, not a file") from None
    except OSError as exc:
        raise UnreadableFile(label, (exc.strerror or str(exc)).lower()) from None
    return decode_bytes(data, name=label)


__all__ = [
    "Decoded",
    "UnreadableFile",
    "decode_bytes",
    "decode_known",
    "normalise_newlines",
    "read_text_file",
]
