"""Where speechreader keeps things: caches, databases, user configuration.

Every location can be overridden by an environment variable, which is how tests
and CI keep their state out of the user's home folder:

- ``SPEECHREADER_CACHE_DIR``  decoded-corpus and segmentation caches
- ``SPEECHREADER_DATA_DIR``   default annotation databases (one per corpus)
- ``SPEECHREADER_CONFIG_DIR`` user phrase overrides and word lists
- ``SPEECHREADER_STATE_DIR``  what the app leaves behind for later: crash reports (``log/``)
- ``SPEECHREADER_DB``         the database to use, instead of the per-corpus default
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
from pathlib import Path

import platformdirs

APP_NAME = "speechreader"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name)
    return Path(value).expanduser() if value else None


def cache_dir() -> Path:
    """Folder for caches that can be deleted at any time without losing work."""
    return _env_path("SPEECHREADER_CACHE_DIR") or Path(platformdirs.user_cache_dir(APP_NAME))


def data_dir() -> Path:
    """Folder for the default annotation databases: a researcher's work, never deleted by us."""
    return _env_path("SPEECHREADER_DATA_DIR") or Path(platformdirs.user_data_dir(APP_NAME))


def config_dir() -> Path:
    """Folder for user configuration: phrase overrides, extra word lists."""
    return _env_path("SPEECHREADER_CONFIG_DIR") or Path(platformdirs.user_config_dir(APP_NAME))


def state_dir() -> Path:
    """Folder for what a run leaves behind to be looked at later (not work, not cache)."""
    return _env_path("SPEECHREADER_STATE_DIR") or Path(platformdirs.user_state_dir(APP_NAME))


def log_dir() -> Path:
    """Folder for crash reports: the traceback of an unexpected error, one file each."""
    return state_dir() / "log"


def sample_corpus_path() -> Path:
    """The sample corpus shipped inside the installed package.

    Installed (editable or not), it is the data package ``speechreader.sample_corpus``,
    a folder without ``__init__.py``: its import spec names the folder (where
    ``importlib.resources.files`` would give a MultiplexedPath, not a path). The
    fallback covers running from a source checkout without installing.
    """
    try:
        spec = importlib.util.find_spec("speechreader.sample_corpus")
    except (ModuleNotFoundError, ValueError):
        spec = None
    for location in (spec.submodule_search_locations or []) if spec else []:
        folder = Path(location)
        if (folder / "metadata.csv").is_file():
            return folder
    return Path(__file__).resolve().parents[2] / "sample_corpus"


def corpus_key(corpus_root: Path) -> str:
    """A readable, unique folder name for a corpus: its name plus a hash of its absolute path."""
    resolved = str(Path(corpus_root).expanduser().resolve())
    digest = hashlib.sha1(os.fsencode(resolved)).hexdigest()[:10]  # any file-name bytes
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", Path(resolved).name).strip("-") or "corpus"
    return f"{name[:40]}-{digest}"


def default_db_path(corpus_root: Path) -> Path:
    """The database used for a corpus when neither ``--db`` nor ``SPEECHREADER_DB`` is given."""
    return data_dir() / "databases" / f"{corpus_key(corpus_root)}.srdb"


def resolve_db_path(corpus_root: Path, db: str | os.PathLike[str] | None) -> Path:
    """The database to use: ``--db``, else ``SPEECHREADER_DB``, else the per-corpus default."""
    if db:
        return Path(db).expanduser()
    return _env_path("SPEECHREADER_DB") or default_db_path(corpus_root)


def corpus_cache_dir(corpus_root: Path) -> Path:
    """Cache folder for one corpus (decoded metadata, search index)."""
    return cache_dir() / "corpora" / corpus_key(corpus_root)


def database_cache_dir(db_root: Path) -> Path:
    """Cache folder for one annotation database (what analysis reads of its annotations)."""
    return cache_dir() / "databases" / corpus_key(db_root)
