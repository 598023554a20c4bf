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


def test_the_lock_timeout_is_ten_seconds_unless_set(monkeypatch):
    monkeypatch.delenv("SPEECHREADER_LOCK_TIMEOUT", raising=False)
    assert load_settings().lock_timeout == 10
    write_config("lock_timeout = 2.5\n")
    assert load_settings().lock_timeout == 2.5
    monkeypatch.setenv("SPEECHREADER_LOCK_TIMEOUT", "0.25")  # the environment wins
    assert load_settings().lock_timeout == 0.25


@pytest.mark.parametrize("value", ["0", "-1", "ten", "nan", "inf"])
def test_a_bad_lock_timeout_in_the_environment_stops_with_one_line(monkeypatch, value):
    monkeypatch.setenv("SPEECHREADER_LOCK_TIMEOUT", value)
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == (
        f"SPEECHREADER_LOCK_TIMEOUT={value!r}: must be a number of seconds above 0, e.g. 10"
    )


@pytest.mark.parametrize("value", ["0", "-3", "true", '"10"'])
def test_a_bad_lock_timeout_in_the_file_stops_with_one_line(value):
    path = write_config(f"lock_timeout = {value}\n")
    with pytest.raises(ConfigError) as caught:
        load_settings()
    assert str(caught.value) == f"{path}: 'lock_timeout' must be a number of seconds above 0"
