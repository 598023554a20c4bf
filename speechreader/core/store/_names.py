"""File names for coders and documents in the database folder: readable and injective.

A coder or document id can hold anything (``/``, spaces, capitals, 300 characters),
but a file name cannot, and two ids must never share a file: that would put one
coder's work in another's file. This is the on-disk naming contract; both the schema
checks and the storage use it.
"""

from __future__ import annotations

import functools
import hashlib
import re
from urllib.parse import unquote

_WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{p}{i}" for p in ("com", "lpt") for i in range(1, 10)]
)
#: Longest file name we produce, in UTF-8 bytes (file systems allow 255; leave room).
MAX_NAME_BYTES = 120
_HASH_CHARS = 16
#: What we escape: anything but letters and digits (any script), "_", "." and "-".
_UNSAFE = re.compile(r"([^\w.\-])")
_PLAIN = re.compile(r"[a-z0-9_\-\u4e00-\u9fff][a-z0-9._\-\u4e00-\u9fff]*")


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:_HASH_CHARS]


@functools.lru_cache(maxsize=65536)  # pure, and asked for every passage of an import
def safe_name(name: str) -> str:
    """A readable file name (without extension) for a coder or document id; injective.

    Letters and digits (Chinese included), ``.``, ``_`` and ``-`` stay as they are;
    anything else (``/``, ``%``, spaces...) is percent-encoded, so ``2018/li-jun``
    becomes ``2018%2Fli-jun``. Two cases add ``~`` and a hash of the full name (``~`` is
    otherwise always encoded, so these names cannot collide with plain ones): a name
    with capital letters, which a case-insensitive file system (macOS, Windows) would
    confuse with its lower-case twin, and a name too long for a file name, truncated.
    """
    if not name:
        raise ValueError("empty name")
    plain = _PLAIN.fullmatch(name) and len(name) <= MAX_NAME_BYTES // 3
    if plain and name.split(".")[0] not in _WINDOWS_RESERVED:
        return name  # the common case, e.g. 2018-06-07_li-jun_xichang
    out = _UNSAFE.split(name)  # pieces alternate: kept text, character to escape, kept text...
    for i in range(1, len(out), 2):
        out[i] = "".join(f"%{b:02X}" for b in out[i].encode("utf-8"))
    out = [piece for piece in out if piece]
    if out[0].startswith("."):  # no hidden files, no "." or ".."
        out[0] = "%2E" + out[0][1:]
    if name.split(".")[0].lower() in _WINDOWS_RESERVED:
        out[0] = f"%{ord(out[0][0]):02X}" + out[0][1:]
    encoded = "".join(out)
    needs_hash = name != name.lower()
    budget = MAX_NAME_BYTES - _HASH_CHARS - 1
    if len(encoded.encode("utf-8")) > (budget if needs_hash else MAX_NAME_BYTES):
        kept = []
        for piece in re.findall(r"%[0-9A-F]{2}|.", encoded, flags=re.S):
            budget -= len(piece.encode("utf-8"))  # never cut an escape or a character in half
            if budget < 0:
                break
            kept.append(piece)
        return "".join(kept) + "~" + _digest(name)
    if needs_hash:
        return encoded + "~" + _digest(name)
    return encoded


def name_from_file(stem: str) -> str | None:
    """The id a file name stands for, where it can be told from the name alone.

    Plain and percent-encoded names decode; a name shortened or marked with a hash
    (``~``) cannot be reversed: None.
    """
    if "~" in stem:
        return None
    name = unquote(stem)
    try:
        return name if safe_name(name) == stem else None
    except ValueError:
        return None
