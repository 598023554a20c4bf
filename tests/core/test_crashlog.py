"""Crash reports: the traceback goes to a file under the state folder; old ones are pruned."""

from __future__ import annotations

import os

from speechreader.core import paths
from speechreader.core.crashlog import write_crash_report


def _fail_deep() -> None:
    raise KeyError("the key nobody expected")


def test_the_state_folder_follows_its_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("SPEECHREADER_STATE_DIR", str(tmp_path / "state"))
    assert paths.state_dir() == tmp_path / "state"
    assert paths.log_dir() == tmp_path / "state" / "log"


def test_a_report_holds_the_traceback_and_what_was_running(tmp_path, monkeypatch):
    monkeypatch.setenv("SPEECHREADER_STATE_DIR", str(tmp_path / "state"))
    try:
        _fail_deep()
    except KeyError as exc:
        report = write_crash_report(exc, context="screen ReaderScreen")
    assert report.parent == tmp_path / "state" / "log"
    text = report.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "in _fail_deep" in text
    assert "KeyError: 'the key nobody expected'" in text
    assert "while: screen ReaderScreen" in text


def test_only_the_newest_twenty_reports_are_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("SPEECHREADER_STATE_DIR", str(tmp_path))
    folder = tmp_path / "log"
    folder.mkdir()
    old = [folder / f"crash-2001010{i // 10}-0000{i % 10}0-1.log" for i in range(25)]
    for path in old:
        path.write_text("old", encoding="utf-8")
    unrelated = folder / "notes.txt"
    unrelated.write_text("mine", encoding="utf-8")
    new = write_crash_report(RuntimeError("now"))
    left = sorted(p.name for p in folder.iterdir())
    assert len(left) == 21 and unrelated.name in left and new.name in left
    assert all(not path.exists() for path in old[:6])  # 25 + 1 new: the six oldest went
    assert all(path.exists() for path in old[6:])
    assert os.path.getsize(new) > 0
