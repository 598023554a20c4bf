"""Settings from config.toml: the clean view is off unless the file turns it on."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from speechreader.core.config import load_settings
from speechreader.core.errors import ConfigError


def write_config(text: str) -> Path:
    path = Path(os.environ["SPEECHREADER_CONFIG_DIR"]) / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_clean_view_is_off_by_default():
    settings = load_settings()
    assert settings.clean_view is False
    assert settings.warnings == []


def test_config_turns_the_clean_view_on():
    write_config('clean_view = true\nvariant = "taiwan"\n')
    settings = load_settings()
    assert settings.clean_view is True
    assert settings.variant == "taiwan"


def test_a_wrong_value_stops_with_one_line():
    path = write_config('clean_view = "yes"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == f"{path}: 'clean_view' must be true or false"
