"""User settings: who is coding, and which conversion variant to show by default.

Read from ``config.toml`` in the config folder (see :mod:`paths`), overridden by the
environment (``SPEECHREADER_CODER``, ``SPEECHREADER_VARIANT``), overridden in turn by
command-line options. A missing or broken file is not an error: defaults apply and
:attr:`Settings.warnings` says what was wrong.
"""

from __future__ import annotations

import getpass
import os
import tomllib
from dataclasses import dataclass, field

from speechreader.core.paths import config_dir

CONFIG_FILE = "config.toml"


@dataclass
class Settings:
    coder: str
    variant: str = "standard"
    warnings: list[str] = field(default_factory=list)


def _default_coder() -> str:
    try:
        return getpass.getuser() or "coder"
    except Exception:  # no user name on this system (some containers)
        return "coder"


def load_settings() -> Settings:
    """Settings from config.toml and the environment."""
    warnings: list[str] = []
    data: dict = {}
    path = config_dir() / CONFIG_FILE
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            warnings.append(f"{path}: ignored ({exc})")
    coder = os.environ.get("SPEECHREADER_CODER") or str(data.get("coder") or "") or _default_coder()
    variant = os.environ.get("SPEECHREADER_VARIANT") or str(data.get("variant") or "standard")
    return Settings(coder=coder.strip() or "coder", variant=variant, warnings=warnings)
