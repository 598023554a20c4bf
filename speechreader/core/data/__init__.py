"""Data files shipped with the core: phrase overrides, the political word list, over-conversions.

Each has a user counterpart of the same name in the config folder, read on top of it.
"""

from __future__ import annotations

import functools
import os
from importlib import resources
from pathlib import Path


def shipped_text(name: str) -> str:
    """The text of a data file that ships with speechreader."""
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@functools.lru_cache(maxsize=32)
def _user_file(name: str, config_env: str | None) -> str:
    from speechreader.core.paths import config_dir

    return str(config_dir() / name)


def user_file(name: str) -> Path:
    """The user's file called ``name`` in the config folder (it may not exist).

    Cached per ``SPEECHREADER_CONFIG_DIR``: platformdirs takes ~20 µs a call, and this is
    asked on every conversion.
    """
    return Path(_user_file(name, os.environ.get("SPEECHREADER_CONFIG_DIR")))
