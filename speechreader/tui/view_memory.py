"""The reader's view choices, remembered per corpus across restarts.

Which conversion standard (``c``), the clean view (``z``) and whether the annotation
list (``a``) is open are how a person reads *this* corpus: a team reading Taiwanese
sources keeps ``taiwan`` there and ``standard`` elsewhere. They are not annotations
(the store is for the team's work, shared and undoable) nor settings typed by hand
(config.toml): they live in the user's state folder, one small JSON file per corpus
(named like the corpus's database and cache folders), written atomically. A file that
cannot be read or holds nonsense is ignored: the choices are a convenience, never a
reason not to start.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

from speechreader.core.fileio import atomic_write_text
from speechreader.core.paths import corpus_key, state_dir


@dataclass
class ViewChoices:
    """What the reader shows; None: not chosen for this corpus yet (use the setting)."""

    variant: str | None = None
    clean_view: bool | None = None
    annotation_list: bool = False


def view_file(corpus_root: Path) -> Path:
    return state_dir() / "views" / f"{corpus_key(corpus_root)}.json"


def load_view(corpus_root: Path) -> ViewChoices:
    """The choices last made for this corpus (the defaults if none, or if unreadable)."""
    try:
        data = json.loads(view_file(corpus_root).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ViewChoices()
    if not isinstance(data, dict):
        return ViewChoices()
    variant = data.get("variant")
    clean = data.get("clean_view")
    return ViewChoices(
        variant=variant if isinstance(variant, str) else None,
        clean_view=clean if isinstance(clean, bool) else None,
        annotation_list=data.get("annotation_list") is True,
    )


def save_view(corpus_root: Path, choices: ViewChoices) -> None:
    """Write the choices for this corpus; a failure (read-only home) is not an error."""
    path = view_file(corpus_root)
    data = {"corpus": str(Path(corpus_root).expanduser().resolve()), **asdict(choices)}
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(data, ensure_ascii=False, indent=1) + "\n")
