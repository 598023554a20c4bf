"""What ``doctor`` checks and repairs in the undo history (``local/history/<coder>/``).

The history is what a damaged annotation file is rebuilt from, so its own damage is
reported, never reset in silence: a damaged index (undo and redo are off until it is
repaired, saving goes on), a step the index names that is missing or damaged. The
repair keeps every damaged file in ``local/broken/`` and rebuilds the index from the
step files (:func:`_history.rebuild_index`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from speechreader.core.errors import SpeechreaderError
from speechreader.core.store._history import (
    History,
    history_folders,
    load_step,
    rebuild_index,
)

Problem = tuple[str, str, str, bool]  # (path inside the database, severity, message, repairable)


def check_history(root: Path) -> list[Problem]:
    found: list[Problem] = []
    for folder in history_folders(root):
        history = History(folder)
        index = str(history.index_path.relative_to(root))
        try:
            undo, redo = history.labels()
        except SpeechreaderError:
            found.append(
                (index, "warning", "damaged: undo and redo are off until it is repaired", True)
            )
            continue
        for change_id in undo + redo:
            if load_step(history, change_id) is None:
                step = str(history.step_path(change_id).relative_to(root))
                found.append((step, "warning", "an undo step that is missing or damaged", True))
    journal = root / "local" / "journal.json"
    if journal.exists():
        found.append(
            (
                "local/journal.json",
                "warning",
                "a change interrupted while its files were renamed; the next write finishes it",
                True,
            )
        )
    return found


def repair_history(root: Path, stamp: str) -> list[str]:
    """Rebuild damaged indexes, drop missing or damaged steps; return what was done."""
    actions = []
    for folder in history_folders(root):
        history = History(folder)
        who = folder.name
        try:
            undo, redo = history.labels()
        except SpeechreaderError:
            aside = _aside(root, history.index_path, stamp)
            kept, damaged = rebuild_index(history)
            for change_id in damaged:
                _aside(root, history.step_path(change_id), stamp)
            actions.append(
                f"rebuilt the undo history of {who} from its {kept} steps (every step can be "
                f"undone again, as far as nobody changed its records since); the damaged index "
                f"is kept as {aside}"
            )
            continue
        bad = [c for c in undo + redo if load_step(history, c) is None]
        if bad:
            for change_id in bad:
                if history.step_path(change_id).exists():
                    _aside(root, history.step_path(change_id), stamp)
            history._write([c for c in undo if c not in bad], [c for c in redo if c not in bad])
            actions.append(f"removed {len(bad)} missing or damaged steps from the history of {who}")
    return actions


def _aside(root: Path, path: Path, stamp: str) -> str:
    """Move a damaged history file to ``local/broken/``; return where it went."""
    target = root / "local" / "broken" / f"{path.relative_to(root)}.{stamp}"
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(path, target)
    return str(target.relative_to(root))


def now_stamp() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
