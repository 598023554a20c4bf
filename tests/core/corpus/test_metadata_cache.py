"""metadata.csv's parse is cached for a settled file, and never outlives an edit."""

from __future__ import annotations

import os
import time

from speechreader.core import paths
from speechreader.core.corpus import _metadata, _metadata_cache

HEADER = "file,title,speaker\n"


def write(folder, body: str, age_seconds: float = 0) -> None:
    path = folder / "metadata.csv"
    path.write_text(HEADER + body, encoding="utf-8")
    if age_seconds:
        stamp = time.time_ns() - int(age_seconds * 1e9)
        os.utime(path, ns=(stamp, stamp))


def cache_file(folder):
    return paths.corpus_cache_dir(folder) / _metadata_cache.CACHE_FILE


def test_a_settled_file_is_parsed_once_then_read_from_the_cache(tmp_path, monkeypatch):
    write(tmp_path, "a.txt,甲,王\nb.txt,乙,李\n", age_seconds=60)
    first = _metadata.read_metadata(tmp_path)
    assert cache_file(tmp_path).is_file()
    parsed = []
    real = _metadata.parse_metadata

    def counting(path):
        parsed.append(path)
        return real(path)

    monkeypatch.setattr(_metadata, "parse_metadata", counting)
    again = _metadata.read_metadata(tmp_path)
    assert parsed == []
    assert again.rows == {
        "a.txt": {"title": "甲", "speaker": "王"},
        "b.txt": {"title": "乙", "speaker": "李"},
    }
    assert (again.rows, again.columns, again.warnings) == (
        first.rows,
        first.columns,
        first.warnings,
    )


def test_an_edit_is_read_at_once_even_with_the_same_size(tmp_path):
    write(tmp_path, "a.txt,甲,王\n", age_seconds=60)
    assert _metadata.read_metadata(tmp_path).rows["a.txt"]["title"] == "甲"
    write(tmp_path, "a.txt,丙,王\n")  # same length, just now
    assert _metadata.read_metadata(tmp_path).rows["a.txt"]["title"] == "丙"


def test_a_file_changed_just_now_is_not_cached(tmp_path):
    write(tmp_path, "a.txt,甲,王\n")
    assert _metadata.read_metadata(tmp_path).rows["a.txt"]["title"] == "甲"
    assert not cache_file(tmp_path).exists()


def test_warnings_come_back_from_the_cache(tmp_path):
    write(tmp_path, "a.txt,甲,王\na.txt,乙,李\n", age_seconds=60)
    first = _metadata.read_metadata(tmp_path).warnings
    assert first and "listed twice" in first[0]
    assert _metadata.read_metadata(tmp_path).warnings == first


def test_a_damaged_cache_is_parsed_again(tmp_path):
    write(tmp_path, "a.txt,甲,王\n", age_seconds=60)
    _metadata.read_metadata(tmp_path)
    cache_file(tmp_path).write_bytes(b"{not json")
    assert _metadata.read_metadata(tmp_path).rows == {"a.txt": {"title": "甲", "speaker": "王"}}
