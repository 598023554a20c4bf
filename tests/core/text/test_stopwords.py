"""Stop words: stopwords-iso's Chinese list, changed by the user's stopwords.txt.

The user's file adds words (``word``) and removes them (``-word``), in either script;
an edited file takes effect at once, without a restart.
"""

from __future__ import annotations

import os

from speechreader.core.paths import config_dir
from speechreader.core.text import stop_words
from speechreader.core.text._stopwords import parse_stop_words


def write_stop_words(text: str) -> None:
    path = config_dir() / "stopwords.txt"
    old = path.stat().st_mtime_ns if path.exists() else 0
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(old + 10**9, old + 10**9))  # a new mtime even on a coarse clock


def test_the_shipped_list_holds_particles_not_content_words():
    words = stop_words()
    assert {"的", "了"} <= words  # both on stopwords-iso's zh list
    assert "发展" not in words and "经济" not in words


def test_the_users_file_adds_and_removes_words_in_either_script():
    write_stop_words("# ours\n發展\n-的\n\n")
    words = stop_words()
    assert "发展" in words  # 發展 as the simplified form keyness compares
    assert "的" not in words and "了" in words


def test_an_edited_file_takes_effect_without_a_restart():
    write_stop_words("发展\n")
    assert "发展" in stop_words()
    write_stop_words("经济\n")
    words = stop_words()
    assert "经济" in words and "发展" not in words


def test_a_line_of_several_words_is_skipped_and_named():
    entries, problems = parse_stop_words("发展\n两 个\n-的\n", "stopwords.txt")
    assert entries == [("发展", True), ("的", False)]
    assert [(p.line, p.message) for p in problems] == [(2, "one word a line (or -word)")]
