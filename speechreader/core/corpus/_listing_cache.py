"""The corpus listing cache: what :class:`~speechreader.core.corpus.Corpus` needs per file.

One file per corpus, ``paths.corpus_cache_dir(root)/listing.json``, in columns: one list
per field, a row per file in path order (a row's fields are at the same index). Each line
is a JSON document: the stamp first, then one line per column in :data:`COLUMNS` order::

    {"stamp": {"format": "speechreader-listing", "version": 2, "opencc": "1.4.2", "logic": "..."}}
    ["a/b.txt", "bad.txt"]                        # paths
    [6778, 10]                                    # size
    [..., ...]                                    # mtime_ns
    [null, "binary file"]                         # skipped
    ["...", null]                                 # title_line
    {"values": ["utf-8", ""], "codes": [0, 1]}    # encoding; likewise script, base_script
    [2669, 0]                                     # chars
    ["...", ""]                                   # content_hash
    ["[{\"kind\":...,\"count\":2,\"examples\":[...]}]", ""]   # problems

Columns, not an object per file: a 100,000-file listing parsed into 100,000 dicts (800,000
objects, 44 MB, and the memory they leave fragmented) and took a third of a warm ``list``.
A line per column, so that a load parses one column at a time: orjson builds a document's
whole tree before its Python objects, and the tree of the whole file took 60 MB more.
Encodings and scripts are codes into a short table (one string each, shared by every
document); a document's problems stay in their JSON text (empty: none), which is what
``list --json`` writes, and become :class:`Problem` objects only when asked for.

A row is used only if size and mtime_ns match the file on disk. The stamp must match
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
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import orjson

from speechreader.core import paths
from speechreader.core.fileio import atomic_write_bytes

CACHE_FILE = "listing.json"
#: the few encodings and scripts, one string each however many rows name them
_SHARED: dict[str, str] = {}
CACHE_FORMAT = "speechreader-listing"
CACHE_VERSION = 2  # bump when the meaning of a field changes (2: columns; 1: a dict per file)
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


#: Fields whose few values are stored as codes into a table of them.
CODED = ("encoding", "script", "base_script")
#: Every column, in the order they are written.
COLUMNS = (
    "paths",
    "size",
    "mtime_ns",
    "skipped",
    "title_line",
    "encoding",
    "script",
    "base_script",
    "chars",
    "content_hash",
    "problems",
)
_STR, _INT, _OPT = {str}, {int}, {str, type(None)}
#: The types each plain column may hold (a coded column is checked as it is decoded).
_TYPES = {
    "size": _INT,
    "mtime_ns": _INT,
    "skipped": _OPT,
    "title_line": _OPT,
    "chars": _INT,
    "content_hash": _STR,
    "problems": _STR,
}


@dataclass(slots=True, eq=False)
class Listing:
    """The listing of a corpus's files as columns: row ``i`` of each list is one file.

    A skipped file's row holds its reason in ``skipped`` and placeholders elsewhere.
    ``bad`` holds rows whose fields are of the wrong type (a damaged cache): they are
    analysed again, alone.
    """

    paths: list[str]
    size: list[int]
    mtime_ns: list[int]
    skipped: list[str | None]
    title_line: list[str | None]
    encoding: list[str]
    script: list[str]
    base_script: list[str]
    chars: list[int]
    content_hash: list[str]
    #: each document's problems as JSON text, UTF-8 (b"" for none; a str if it holds a
    #: lone surrogate); UTF-8 because the examples are Chinese: about half the memory
    problems: list[bytes | str]
    bad: frozenset[int] = frozenset()

    def __len__(self) -> int:
        return len(self.paths)

    @classmethod
    def from_entries(cls, entries: Iterable[tuple[str, dict]]) -> Listing:
        """Columns from ``(path, entry)`` pairs, an entry being what
        :func:`~speechreader.core.corpus._files.analyse_text` gives plus ``size`` and
        ``mtime_ns`` (or those and ``skipped``). Its ``problems`` may be the list of
        problem dicts or their JSON text already (see ``problems``)."""
        listing = cls.empty()
        for rel, entry in entries:
            listing.add(rel, entry)
        return listing

    @classmethod
    def empty(cls) -> Listing:
        return cls([], [], [], [], [], [], [], [], [], [], [])

    def add(self, rel: str, entry: dict) -> None:
        """Append one file's row (an entry as :meth:`from_entries` takes it).

        A first load adds each file as it is analysed: holding 100,000 entries as
        dicts (their problems as lists of dicts) until the end took ~100 MB more."""
        self.paths.append(rel)
        self.size.append(entry["size"])
        self.mtime_ns.append(entry["mtime_ns"])
        reason = entry.get("skipped")
        self.skipped.append(reason)
        if reason is not None:
            for name in ("encoding", "script", "base_script", "content_hash"):
                getattr(self, name).append("")
            self.problems.append(b"")
            self.title_line.append(None)
            self.chars.append(0)
            return
        self.title_line.append(entry["title_line"])
        shared = _SHARED
        for name in CODED:
            value = entry[name]
            getattr(self, name).append(shared.setdefault(value, value))
        self.chars.append(entry["chars"])
        self.content_hash.append(entry["content_hash"])
        problems = entry["problems"]
        if type(problems) is list:
            problems = problems_text(problems)
        self.problems.append(_held(problems) if type(problems) is str else problems)

    def entry(self, row: int) -> dict:
        """Row ``row`` as an entry for :meth:`from_entries` (its problems as JSON text)."""
        entry = {"size": self.size[row], "mtime_ns": self.mtime_ns[row]}
        reason = self.skipped[row]
        if reason is not None:
            entry["skipped"] = reason
            return entry
        entry.update(
            title_line=self.title_line[row],
            encoding=self.encoding[row],
            script=self.script[row],
            base_script=self.base_script[row],
            chars=self.chars[row],
            content_hash=self.content_hash[row],
            problems=self.problems[row],
        )
        return entry

    def rows_for(self, rels: list[str], sizes: list[int], mtimes: list[int]) -> list[int | None]:
        """For each file (path, size, mtime_ns), the row describing this very version of
        it, or None (not listed, changed, or a damaged row)."""
        if rels == self.paths and sizes == self.size and mtimes == self.mtime_ns and not self.bad:
            return list(range(len(rels)))  # the usual warm load: compared in C, not per file
        at = {rel: i for i, rel in enumerate(self.paths)}
        bad, size, mtime = self.bad, self.size, self.mtime_ns
        found: list[int | None] = []
        for rel, s, m in zip(rels, sizes, mtimes, strict=True):
            i = at.get(rel)
            found.append(
                i if i is not None and size[i] == s and mtime[i] == m and i not in bad else None
            )
        return found

    def to_json(self) -> dict:
        data: dict = {}
        for name in COLUMNS:
            column = getattr(self, name)
            if name in CODED:
                table: dict[str, int] = {}
                codes = [table.setdefault(value, len(table)) for value in column]
                data[name] = {"values": list(table), "codes": codes}
            elif name == "problems":
                data[name] = [t.decode("utf-8") if type(t) is bytes else t for t in column]
            else:
                data[name] = column
        return data

    @classmethod
    def from_json(cls, data: dict) -> Listing | None:
        """The listing in ``data``, or None if it is not one (a row of the wrong type
        spoils only that row: see ``bad``)."""
        try:
            count = len(data["paths"])
            columns = {}
            for name in COLUMNS:
                value = data[name]
                if name in CODED:
                    values, codes = value["values"], value["codes"]
                    if type(values) is not list or type(codes) is not list:
                        return None
                    if not set(map(type, values)) <= _STR or not set(map(type, codes)) <= _INT:
                        return None
                    if codes and min(codes) < 0:
                        return None
                    value = list(map(values.__getitem__, codes))  # IndexError: not ours
                elif type(value) is not list:
                    return None
                if len(value) != count:
                    return None
                columns[name] = value
        except (KeyError, TypeError, IndexError, ValueError):
            return None
        if not set(map(type, columns["paths"])) <= _STR:
            return None
        bad: set[int] = set()
        for name, allowed in _TYPES.items():
            column = columns[name]
            if not set(map(type, column)) <= allowed:  # rarely: then find the rows
                bad.update(i for i, v in enumerate(column) if type(v) not in allowed)
        texts = columns["problems"]
        for i, text in enumerate(texts):  # in place: each str is freed as it is replaced
            if type(text) is str:
                texts[i] = _held(text)
        return cls(**columns, bad=frozenset(bad))


def problems_text(problems: list[dict]) -> str:
    """A document's problems (``Problem.to_json`` dicts) as the JSON text the cache keeps."""
    if not problems:
        return ""
    try:
        return orjson.dumps(problems).decode("utf-8")
    except TypeError:  # a lone surrogate in an example: orjson refuses it, json keeps it
        return json.dumps(problems, ensure_ascii=False, separators=(",", ":"))


def _held(text: str) -> bytes | str:
    """A problems text as it is held: UTF-8, unless it has a lone surrogate."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return text


def parse_problems(text: bytes | str) -> list[dict]:
    """The problem dicts in a problems text (a list; empty for none)."""
    if not text:
        return []
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:  # a lone surrogate (see problems_text)
        return json.loads(text)


def cache_path(root: Path) -> Path:
    """Where the listing of the corpus at ``root`` is cached."""
    return paths.corpus_cache_dir(root) / CACHE_FILE


def _loads(line: bytes) -> object:
    try:
        return orjson.loads(line)  # every command reads it: ~40 % faster than json
    except orjson.JSONDecodeError:  # a lone surrogate (json writes them; orjson refuses)
        return json.loads(line)


def _dumps(value: object) -> bytes:
    try:
        return orjson.dumps(value)  # ~10x json.dumps: a cold 100,000-file load writes it
    except TypeError:  # a lone surrogate in a title: orjson refuses it, json escapes it
        return json.dumps(value, separators=(",", ":")).encode("ascii")


def read_cache(root: Path) -> Listing | None:
    """The cached listing; None if missing, corrupt or stale."""
    try:
        with open(cache_path(root), "rb") as handle:
            head = _loads(handle.readline())
            if not isinstance(head, dict) or head.get("stamp") != cache_fingerprint():
                return None
            columns = {name: _loads(handle.readline()) for name in COLUMNS}
    except (OSError, ValueError):  # a missing line is b"": not JSON
        return None
    return Listing.from_json(columns)


def write_cache(root: Path, listing: Listing) -> None:
    """Atomic, best effort: a read-only cache folder makes loads slower, never fails them.

    Not fsynced: a cache lost in a power cut is rebuilt; atomicity is what matters.
    """
    columns = listing.to_json()
    lines = [_dumps({"stamp": cache_fingerprint()}), *(_dumps(columns[n]) for n in COLUMNS)]
    with contextlib.suppress(OSError):
        atomic_write_bytes(cache_path(root), b"\n".join(lines) + b"\n", durable=False)
