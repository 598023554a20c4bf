"""Data files shipped with the core: phrase overrides, the political word list, over-conversions.

Each has a user counterpart of the same name in the config folder, read on top of it.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class LineProblem:
    """A line of a phrase, word or stop word file that was skipped, and why."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


def content_lines(text: str) -> Iterator[tuple[int, str]]:
    """``(line number, stripped line)`` of a word-a-line file: no blanks, no ``#`` comments."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.lstrip("\ufeff").strip()
        if line and not line.startswith("#"):
            yield number, line


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


def shipped_entries(name: str, parse: Callable[[str, str], tuple[list[T], list]]) -> tuple[T, ...]:
    """A shipped file's entries; a problem in it is our bug, not the user's: raise."""
    entries, problems = parse(shipped_text(name), "shipped")
    if problems:
        raise RuntimeError("; ".join(map(str, problems)))
    return tuple(entries)


def user_file_key(name: str) -> tuple:
    """(path, size, mtime_ns) of the user's file, or (path, None, None) if it is absent.

    Loaders cache on this, so an edited file takes effect without a restart while an
    unchanged one costs one stat.
    """
    path = _user_file(name, os.environ.get("SPEECHREADER_CONFIG_DIR"))  # a str: no Path
    try:
        st = os.stat(path)
    except OSError:
        return (path, None, None)
    return (path, st.st_size, st.st_mtime_ns)


def read_user_entries(
    key: tuple, parse: Callable[[str, str], tuple[list[T], list[LineProblem]]]
) -> tuple[list[T], list[LineProblem]]:
    """The entries and problems of the user's file named by ``key`` (none if absent).

    An unreadable file is one problem (line 0), never an error.
    """
    path, size, _ = key
    if size is None:
        return [], []
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return [], [LineProblem(path, 0, f"cannot read: {exc}")]
    return parse(text, path)


def reloaded_on_change(name: str) -> Callable[[Callable[[tuple], T]], Callable[[], T]]:
    """Cache a loader of the user's file ``name`` on :func:`user_file_key`.

    ``build(key)`` runs once per state of the file (path, size, mtime): calling the
    loader before every conversion costs one stat, and an edited file takes effect
    without a restart. Eight states are kept (tests switch config folders).
    """

    def wrap(build: Callable[[tuple], T]) -> Callable[[], T]:
        cache: dict[tuple, T] = {}
        lock = threading.Lock()

        def load() -> T:
            key = user_file_key(name)
            found = cache.get(key)
            if found is not None:
                return found
            with lock:
                found = cache.get(key)
                if found is None:
                    found = build(key)
                    if len(cache) >= 8:
                        cache.clear()
                    cache[key] = found
            return found

        # the loader's name and docstring, not its signature: callers pass no key
        load.__name__, load.__qualname__ = build.__name__, build.__qualname__
        load.__doc__ = build.__doc__
        return load

    return wrap
