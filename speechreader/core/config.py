"""User settings: who is coding, which conversion variant and which view to show by default.

Read from ``config.toml`` in the config folder (see :mod:`paths`), overridden by the
environment (``SPEECHREADER_CODER``, ``SPEECHREADER_VARIANT``,
``SPEECHREADER_LOCK_TIMEOUT``...), overridden in turn by
command-line options. A missing file is not an error (defaults apply); a file that
cannot be read or parsed, or holds a value of the wrong type, is a :class:`ConfigError`
for every command: silently coding under the wrong name would be worse than stopping.
Unknown keys are only warned about (:attr:`Settings.warnings`): a newer version may know
them.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field

from speechreader.core.errors import ConfigError, InvalidInput, check_text
from speechreader.core.paths import config_dir

CONFIG_FILE = "config.toml"
KNOWN_KEYS = ("coder", "variant", "follow_links", "clean_view", "lock_timeout")
#: Seconds a change waits for another program's change to the same database to finish.
DEFAULT_LOCK_TIMEOUT = 10.0
_BOOLEAN_KEYS = ("follow_links", "clean_view")


@dataclass
class Settings:
    coder: str
    variant: str = "standard"
    follow_links: bool = False  # read symbolic links that lead out of a corpus folder
    clean_view: bool = False  # the reader opens documents without pinyin glosses and ",,"
    lock_timeout: float = DEFAULT_LOCK_TIMEOUT
    warnings: list[str] = field(default_factory=list)


def _default_coder() -> str:
    try:
        return getpass.getuser() or "coder"
    except Exception:  # no user name on this system (some containers)
        return "coder"


def load_settings() -> Settings:
    """Settings from config.toml and the environment; :class:`ConfigError` if unusable."""
    warnings: list[str] = []
    data: dict = {}
    path = config_dir() / CONFIG_FILE
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"{path}: cannot be used ({exc}); fix or remove it") from None
        for key, value in data.items():
            if key not in KNOWN_KEYS:
                warnings.append(f"{path}: unknown setting {key!r} ignored")
            elif key == "lock_timeout":
                if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                    raise ConfigError(f"{path}: 'lock_timeout' must be a number of seconds above 0")
            elif key in _BOOLEAN_KEYS:
                if not isinstance(value, bool):
                    raise ConfigError(f"{path}: {key!r} must be true or false")
            elif not isinstance(value, str):
                raise ConfigError(f'{path}: {key!r} must be a string in quotes, e.g. {key} = "..."')
    coder = _setting("SPEECHREADER_CODER", data, "coder") or _default_coder()
    variant = _setting("SPEECHREADER_VARIANT", data, "variant") or "standard"
    follow = os.environ.get("SPEECHREADER_FOLLOW_LINKS", "").strip().lower()
    follow_links = follow in ("1", "true", "yes") if follow else bool(data.get("follow_links"))
    return Settings(
        coder=coder.strip() or "coder",
        variant=variant,
        follow_links=follow_links,
        clean_view=bool(data.get("clean_view")),
        lock_timeout=_lock_timeout(data),
        warnings=warnings,
    )


def _setting(env: str, data: dict, key: str) -> str:
    """The environment's value, else the file's; checked to be storable text."""
    value = os.environ.get(env)
    what = env if value else f"{key!r} in {CONFIG_FILE}"
    value = value or str(data.get(key) or "")
    try:
        return check_text(value, what)
    except InvalidInput as exc:
        raise ConfigError(str(exc)) from None


def _lock_timeout(data: dict) -> float:
    raw = os.environ.get("SPEECHREADER_LOCK_TIMEOUT", "").strip()
    if not raw:
        return float(data.get("lock_timeout", DEFAULT_LOCK_TIMEOUT))
    try:
        value = float(raw)
    except ValueError:
        value = 0.0
    if not 0 < value < float("inf"):
        raise ConfigError(
            f"SPEECHREADER_LOCK_TIMEOUT={raw!r}: must be a number of seconds above 0, e.g. 10"
        )
    return value
