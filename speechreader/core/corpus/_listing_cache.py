"""The corpus listing cache: what :class:`~speechreader.core.corpus.Corpus` needs per file.

One JSON file per corpus, ``paths.corpus_cache_dir(root)/listing.json``::

    {"stamp": {"format": "speechreader-listing", "version": 1, "opencc": "1.4.2", "logic": "..."},
     "entries": {"a/b.txt": {"size": 6778, "mtime_ns": ..., "encoding": "utf-8",
                             "title_line": "...", "script": "mixed", "base_script": "traditional",
                             "chars": 2669, "content_hash": "...", "problems": [...]},
                 "bad.txt": {"size": 10, "mtime_ns": ..., "skipped": "binary file"}}}

An entry is used only if size and mtime_ns match the file on disk. The stamp must match
exactly: ``version`` is bumped by hand when a field changes meaning, ``opencc`` catches a
dictionary upgrade (script detection), and ``logic`` hashes the analysing code and data
(:data:`FINGERPRINT_SOURCES`), so that editing them can never leave a stale listing
behind. Anything unreadable is treated as no cache.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import json
import os
from pathlib import Path

import orjson

from speechreader.core import paths
from speechreader.core.fileio import atomic_write_bytes

CACHE_FILE = "listing.json"
CACHE_FORMAT = "speechreader-listing"
CACHE_VERSION = 1  # bump when the meaning of a cached field changes
#: The code and data that decide a listing entry, relative to ``speechreader/core``.
FINGERPRINT_SOURCES = (
    "text/_encoding.py",
    "text/_problems.py",
    "text/_overconversions.py",
    "text/_residue.py",
    "text/_conversion.py",
    "text/_script.py",
    "text/_data/script_sets.txt",
    "text/_phrases.py",
    "text/_data/overconversions.tsv",
    "text/_data/phrases.tsv",
    "corpus/_corpus.py",
    "corpus/_files.py",
    "corpus/_titles.py",
    "corpus/_listing_cache.py",
)


def _opencc_version() -> str:
    """OpenCC's version without importing it (a warm load never needs OpenCC)."""
    spec = importlib.util.find_spec("opencc")
    if spec and spec.origin:
        site = Path(spec.origin).parent.parent
        with contextlib.suppress(OSError):
            for name in os.listdir(site):
                low = name.lower()
                if low.startswith("opencc-") and low.endswith(".dist-info"):
                    return name[len("opencc-") : -len(".dist-info")]
    from importlib import metadata

    try:
        return metadata.version("opencc")
    except metadata.PackageNotFoundError:
        return "unknown"


@functools.cache
def cache_fingerprint() -> dict:
    """What a cache must match to be used: format version, OpenCC, the analysing code."""
    digest = hashlib.blake2b(digest_size=8)
    core = Path(__file__).resolve().parent.parent
    for name in FINGERPRINT_SOURCES:
        digest.update((core / name).read_bytes())  # a missing source is a packaging bug: fail
    return {
        "format": CACHE_FORMAT,
        "version": CACHE_VERSION,
        "opencc": _opencc_version(),
        "logic": digest.hexdigest(),
    }


def cache_path(root: Path) -> Path:
    """Where the listing of the corpus at ``root`` is cached."""
    return paths.corpus_cache_dir(root) / CACHE_FILE


def read_cache(root: Path) -> dict[str, dict]:
    """Cached entries by relative path; empty if missing, corrupt or stale."""
    try:
        raw = cache_path(root).read_bytes()
        try:
            data = orjson.loads(raw)  # every command reads it: ~40 % faster than json
        except ValueError:  # a lone surrogate (json.dumps writes them; orjson refuses them)
            data = json.loads(raw)
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("stamp") != cache_fingerprint():
        return {}
    entries = data.get("entries")
    return entries if isinstance(entries, dict) else {}


def write_cache(root: Path, entries: dict[str, dict]) -> None:
    """Atomic, best effort: a read-only cache folder makes loads slower, never fails them.

    Not fsynced: a cache lost in a power cut is rebuilt; atomicity is what matters.
    """
    payload = {"stamp": cache_fingerprint(), "entries": entries}
    try:
        data = orjson.dumps(payload)  # ~10x json.dumps: a cold 100,000-file load writes it
    except TypeError:  # a lone surrogate in a title: orjson refuses it, json escapes it
        data = json.dumps(payload, separators=(",", ":")).encode("ascii")
    with contextlib.suppress(OSError):
        atomic_write_bytes(cache_path(root), data, durable=False)


def usable(entry: object, size: int, mtime_ns: int) -> bool:
    """A cached entry for this very file version, with every field present and well typed.

    Written out long-hand: it runs for every file on every load.
    """
    if not isinstance(entry, dict) or entry.get("size") != size:
        return False
    if entry.get("mtime_ns") != mtime_ns:
        return False
    if "skipped" in entry:
        return type(entry["skipped"]) is str
    title = entry.get("title_line")
    return (
        (title is None or type(title) is str)
        and type(entry.get("encoding")) is str
        and type(entry.get("script")) is str
        and type(entry.get("base_script")) is str
        and type(entry.get("chars")) is int
        and type(entry.get("content_hash")) is str
        and type(entry.get("problems")) is list
    )
