"""Rebuilding a damaged database file from everything that still knows its records.

A file emptied or cut short (a full disk, a bad sync, an editor) is rebuilt by
``doctor --repair`` from three sources, each newer than the last:

1. its newest good **backup** (``local/backups/``: taken at the first write of every
   command or app start, then every 10 minutes);
2. the **undo history** of every coder (``local/history/``): each step holds the
   records it changed, before and after, so a record touched since the backup was
   taken is what the latest step left (after; or before, if that step was undone);
3. the complete lines still readable in the **damaged file** itself (one record per
   line: a cut file loses only its tail), which are the newest of all.

What the file held is known too: the summary cache (``local/summary.json``) lists the
ids of every file as last read, and a cut line still shows its id. Whatever was known
and could not be recovered is reported by id, never passed over in silence.
"""

from __future__ import annotations

import calendar
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from speechreader.core.errors import SpeechreaderError
from speechreader.core.store import _schema as s
from speechreader.core.store._history import History, history_folders, step_ids
from speechreader.core.store._steps import iter_entries
from speechreader.core.store._storage import Backups, load_file

_LINE = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*(\{.*\})\s*,?\s*$')
_KEY = re.compile(r'^\s*("(?:[^"\\]|\\.)*")\s*:\s*\{"')  # a record: {"field"...


@dataclass
class Rebuilt:
    """A file's records put back together, and where each came from."""

    records: dict[str, dict]
    backup: Path | None = None
    from_backup: int = 0
    from_history: int = 0
    from_file: int = 0
    lost: list[str] = field(default_factory=list)  # known ids that nothing could give back
    history_note: str = ""  # e.g. "the undo history's index of amy was damaged"


@dataclass
class _Event:
    """The latest step that touched a record: what it left, and when."""

    time_ns: int
    value: dict | None


def salvage(raw: bytes, problem: Callable[[str, object], str | None]) -> dict[str, dict]:
    """Records that can still be read from a damaged file: whole-file parse, else by line."""
    try:
        data = orjson.loads(raw)
        candidates = {}
        if isinstance(data, dict):
            for table in data.values():
                if isinstance(table, dict):
                    candidates.update(table)
    except orjson.JSONDecodeError:
        candidates = {}
        for line in raw.decode("utf-8", "replace").splitlines():
            match = _LINE.match(line)
            if match:
                try:
                    candidates[orjson.loads(match[1])] = orjson.loads(match[2])
                except orjson.JSONDecodeError:
                    continue
    return {k: v for k, v in candidates.items() if isinstance(k, str) and problem(k, v) is None}


def ids_in_lines(raw: bytes) -> set[str]:
    """Record keys visible at the start of lines, cut lines included."""
    found = set()
    for line in raw.decode("utf-8", "replace").splitlines():
        match = _KEY.match(line)
        if match:
            try:
                key = orjson.loads(match[1])
            except orjson.JSONDecodeError:
                continue
            if isinstance(key, str):
                found.add(key)
    return found


def latest_good_backup(
    backups: Backups, path: Path, table: str, file_check: Callable
) -> tuple[Path, dict] | None:
    for candidate in backups.list(path):
        try:
            loaded = load_file(candidate, None)
            if loaded is not None:
                file_check(path, loaded[1])
                return candidate, loaded[1].get(table, {})  # type: ignore[union-attr]
        except SpeechreaderError:
            continue
    return None


def history_events(root: Path, rels: set[str]) -> tuple[dict[tuple[str, str], _Event], str]:
    """For each (file, key) of ``rels`` that any coder's history touched: the latest event.

    A step on the undo stack left its "after"; one on the redo stack was undone, so it
    left its "before" (undo refuses to run over later changes, so nothing else touched
    the record between the step and its undoing). With a damaged index every step
    counts as done; the returned note says so.
    """
    events: dict[tuple[str, str], _Event] = {}
    notes = []
    for folder in history_folders(root):
        history = History(folder)
        try:
            _, undone = history.labels()
        except SpeechreaderError:
            undone = []
            notes.append(f"the undo history index of {folder.name} is damaged")
        undone_set = set(undone)
        for change_id in step_ids(history):
            when = _step_time(change_id)
            found: dict[tuple[str, str], _Event] = {}
            try:  # a line at a time: a step may hold a million entries
                for e in iter_entries(history.step_path(change_id)):
                    if e.file in rels:
                        value = e.before if change_id in undone_set else e.after
                        if (e.file, e.key) in found and change_id in undone_set:
                            continue  # an undone step left the first "before"
                        found[(e.file, e.key)] = _Event(when, value)
            except (OSError, ValueError, TypeError):  # a damaged step: doctor reports it
                continue
            for key, event in found.items():
                if key not in events or events[key].time_ns <= when:
                    events[key] = event
    return events, "; ".join(notes)


def rebuild(
    root: Path,
    rel: str,
    table: str,
    file_check: Callable,
    problem: Callable[[str, object], str | None],
    backups: Backups,
    events: dict[tuple[str, str], _Event],
    known: set[str],
) -> Rebuilt:
    """The records of damaged file ``rel`` from its backup, the history and itself."""
    raw = (root / rel).read_bytes() if (root / rel).exists() else b""
    good = latest_good_backup(backups, root / rel, table, file_check)
    records: dict[str, dict] = dict(good[1]) if good else {}
    result = Rebuilt(records, backup=good[0] if good else None)
    backup_ns = _backup_time(good[0]) if good else -1
    origin = dict.fromkeys(records, "backup")
    deleted = set()
    for (file, key), event in events.items():
        if file != rel or event.time_ns < backup_ns:
            continue  # the backup is newer than the last step that touched the record
        if event.value is None:
            records.pop(key, None)
            origin.pop(key, None)
            deleted.add(key)
        elif problem(key, event.value) is None:
            records[key] = event.value
            origin[key] = "history"
    for key, rec in salvage(raw, problem).items():
        records[key] = rec
        origin[key] = "file"
        deleted.discard(key)
    result.from_backup = sum(1 for v in origin.values() if v == "backup")
    result.from_history = sum(1 for v in origin.values() if v == "history")
    result.from_file = sum(1 for v in origin.values() if v == "file")
    result.lost = sorted((known | ids_in_lines(raw)) - set(records) - deleted)
    return result


def known_ids(root: Path) -> dict[str, set[str]]:
    """Ids per annotation file as the summary cache last saw them (its damaged files too)."""
    try:
        data = orjson.loads((root / s.LOCAL / "summary.json").read_bytes())
        found: dict[str, set[str]] = {}
        for part in ("files", "last_good"):
            for rel, summary in data.get(part, {}).items():
                found.setdefault(rel, set()).update(map(str, summary[3]))
        return found
    except (OSError, orjson.JSONDecodeError, AttributeError, IndexError, KeyError, TypeError):
        return {}


def _step_time(change_id: str) -> int:
    try:
        return int(change_id.split("-", 1)[0])
    except ValueError:
        return 0


def _backup_time(path: Path) -> int:
    """When a backup was taken, from its name (``20261201T101500.123456Z.json``)."""
    try:
        stamp, micros = path.stem.rstrip("Z").split(".")
        seconds = calendar.timegm(time.strptime(stamp, "%Y%m%dT%H%M%S"))
        return seconds * 1_000_000_000 + int(micros) * 1000
    except ValueError:
        return -1
