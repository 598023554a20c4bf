"""metadata.csv's parse is cached for a settled file, and never outlives an edit."""

from __future__ import annotations

import os
import time

import orjson

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


def test_rows_come_back_with_their_keys_in_file_order_and_values_shared(tmp_path):
    # speaker before title in the file; the second row has no title, the third no speaker
    path = tmp_path / "metadata.csv"
    path.write_text(
        "file,speaker,title,place\na.txt,王,甲,广西\nb.txt,王,,广西\nc.txt,,丙,\n", "utf-8"
    )
    stamp = time.time_ns() - 60 * 10**9
    os.utime(path, ns=(stamp, stamp))
    parsed = _metadata.read_metadata(tmp_path)
    cached = _metadata.read_metadata(tmp_path)
    expected = {
        "a.txt": {"speaker": "王", "title": "甲", "place": "广西"},
        "b.txt": {"speaker": "王", "place": "广西"},
        "c.txt": {"title": "丙"},
    }
    for md in (parsed, cached):
        assert md.rows == expected
        assert [list(row) for row in md.rows.values()] == [list(r) for r in expected.values()]
        assert md.rows["a.txt"]["speaker"] is md.rows["b.txt"]["speaker"]  # one string
    data = orjson.loads(cache_file(tmp_path).read_bytes())
    assert data["names"] == ["speaker", "title", "place"]
    assert data["codes"] == [[0, 0, -1], [0, -1, 1], [0, 0, -1]]


def test_a_cache_with_a_code_out_of_range_is_parsed_again(tmp_path):
    write(tmp_path, "a.txt,甲,王\n", age_seconds=60)
    _metadata.read_metadata(tmp_path)
    data = orjson.loads(cache_file(tmp_path).read_bytes())
    data["codes"][0] = [5]
    cache_file(tmp_path).write_bytes(orjson.dumps(data))
    assert _metadata.read_metadata(tmp_path).rows == {"a.txt": {"title": "甲", "speaker": "王"}}
