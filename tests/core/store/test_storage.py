"""The storage layer under the store: file names, stable JSON, the keyed TinyDB table."""

from __future__ import annotations

import os

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechreader.core.errors import DatabaseCorrupt
from speechreader.core.fileio import TEMP_PREFIX
from speechreader.core.store._names import safe_name
from speechreader.core.store._storage import RecordFile, dumps_stable

names = st.text(min_size=1, max_size=200)


@settings(max_examples=300)
@given(st.lists(names, min_size=2, max_size=20, unique=True))
def test_safe_names_are_distinct_even_ignoring_case(ids):
    encoded = [safe_name(i) for i in ids]
    assert len({e.lower() for e in encoded}) == len(ids)


@given(names)
def test_safe_names_are_short_plain_file_names(name):
    encoded = safe_name(name)
    # 120 bytes: with ".json" and a temp file's prefix and suffix, far below the 255
    # bytes a name may have on ext4, APFS or NTFS
    assert len(encoded.encode("utf-8")) <= 120
    assert "/" not in encoded and "\\" not in encoded and "\0" not in encoded
    assert not encoded.startswith(".") and not encoded.startswith(TEMP_PREFIX)
    assert encoded.split(".")[0].lower() not in ("con", "nul", "aux", "prn")


def test_safe_names_keep_ordinary_ids_readable():
    assert safe_name("2018-06-07_li-jun_xichang") == "2018-06-07_li-jun_xichang"
    assert safe_name("讲话/2019") == "讲话%2F2019"
    assert safe_name("a b") == "a%20b"
    assert safe_name("Alice").startswith("Alice~")


records = st.dictionaries(
    st.text(min_size=1, max_size=12),
    st.fixed_dictionaries(
        {"note": st.text(), "n": st.integers(-5, 5), "tags": st.lists(st.text())}
    ),
    max_size=6,
)


@given(st.dictionaries(st.sampled_from(["annotations", "codebook", "_default"]), records))
def test_stable_json_round_trips_and_is_deterministic(data):
    raw = dumps_stable(data)
    assert orjson.loads(raw) == data
    assert dumps_stable(orjson.loads(raw)) == raw


def test_stable_json_puts_one_record_per_line_with_sorted_keys():
    raw = dumps_stable({"t": {"b": {"z": 1, "a": "中"}, "a": {"k": None}}, "e": {}})
    assert raw.decode() == (
        '{\n  "e": {},\n  "t": {\n    "a": {"k":null},\n    "b": {"a":"中","z":1}\n  }\n}\n'
    )


def test_keyed_table_is_a_real_tinydb_table_keyed_by_string_ids(tmp_path):
    path = tmp_path / "f.json"
    file = RecordFile(path, "annotations")
    file.apply({"abc123": {"id": "abc123", "x": 1}, "zzz999": {"id": "zzz999", "x": 2}})
    assert file.table.get(doc_id="abc123") == {"id": "abc123", "x": 1}
    assert file.table.get(doc_id="abc123").doc_id == "abc123"
    assert [d.doc_id for d in file.table.all()] == ["abc123", "zzz999"]
    with pytest.raises(TypeError, match="explicit key"):
        file.table.insert({"x": 3})  # no integer counter, ever
    assert list(orjson.loads(path.read_bytes())["annotations"]) == ["abc123", "zzz999"]


def test_a_file_changed_on_disk_is_read_again_and_an_unchanged_one_is_not(tmp_path):
    path = tmp_path / "f.json"
    file = RecordFile(path, "t")
    file.apply({"a": {"v": 1}})
    first = file.records()
    assert file.records() is first  # cached by stat
    other = RecordFile(path, "t")  # another instance writes
    other.apply({"b": {"v": 2}})
    assert set(file.records()) == {"a", "b"}


def test_a_write_is_atomic_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "f.json"
    file = RecordFile(path, "t")
    for i in range(20):
        file.apply({str(i): {"v": i}})
    assert sorted(os.listdir(tmp_path)) == ["f.json"]


def test_a_broken_file_raises_database_corrupt_and_is_not_overwritten(tmp_path):
    path = tmp_path / "f.json"
    path.write_text('{"t": {"a": ')
    file = RecordFile(path, "t")
    with pytest.raises(DatabaseCorrupt, match="is not valid JSON"):
        file.apply({"b": {"v": 1}})
    assert path.read_text() == '{"t": {"a": '
