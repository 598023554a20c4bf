"""Reading an undo step a line at a time: a million-entry step never sits in memory whole.

A step file is one JSON object whose ``entries`` list has one entry per line (see
:meth:`History.step_bytes` and the bulk import's writer; one puts commas after the
entries, the other before). So its head can be read alone, each entry's place found
by scanning lines, and the entries of one database file read when they are needed.
Older files (one line for the whole step) are read whole, as before.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from speechreader.core.store._history import Change, Entry

#: Steps bigger than this (an import of 100,000 passages and more) are undone file by file.
BIG_STEP = 16 << 20
_OPEN = b'"entries":['


@dataclass
class StepIndex:
    """A step's head and where each database file's entries are in its file."""

    head: Change  # without entries
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=dict)  # file -> lines


def index_step(path: Path) -> StepIndex | None:
    """Scan a step file once (None for a one-line step: read it whole instead)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    with open(path, "rb") as handle:
        first = handle.readline()
        if not first.rstrip().endswith(_OPEN):
            return None
        head = orjson.loads(first.rstrip()[: -len(_OPEN)] + b'"entries":[]}')
        offset = len(first)
        for line in handle:
            body = line.strip().strip(b",")
            if body.startswith(b'["'):  # ["<file>", ...: file names hold no quote
                rel = body[2 : body.index(b'"', 2)].decode()
                spans.setdefault(rel, []).append((offset, len(line)))
            offset += len(line)
    return StepIndex(Change.from_json(head), spans)


def read_entries(path: Path, lines: list[tuple[int, int]]) -> Iterator[Entry]:
    """The entries at ``lines`` (from :func:`index_step`), in order."""
    fd = os.open(path, os.O_RDONLY)
    try:
        for offset, length in lines:
            body = os.pread(fd, length, offset).strip().strip(b",")
            yield Entry(*orjson.loads(body))
    finally:
        os.close(fd)


def iter_entries(path: Path) -> Iterator[Entry]:
    """Every entry of a step file, one at a time (a one-line step is read whole)."""
    with open(path, "rb") as handle:
        first = handle.readline()
        if not first.rstrip().endswith(_OPEN):
            yield from Change.from_json(orjson.loads(first)).entries
            return
        for line in handle:
            body = line.strip().strip(b",")
            if body.startswith(b"["):
                yield Entry(*orjson.loads(body))
