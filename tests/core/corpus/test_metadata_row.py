"""A document's metadata row reads exactly as the dict it stands for, and a load from
metadata.csv gives the same rows as a load from its cache."""

from __future__ import annotations

import pickle

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.corpus._metadata_row import MetadataRow
from tests.corpus_helpers import put

NAMES = ("date", "speaker", "place", "title")


def test_a_row_reads_as_the_dict_of_its_values():
    row = MetadataRow(NAMES, ("2011-12-06", None, "廣西 南寧", "講話"))
    expected = {"date": "2011-12-06", "place": "廣西 南寧", "title": "講話"}
    assert row == expected and expected == row
    assert dict(row) == expected and row.as_dict() == expected
    assert list(row) == list(expected) and list(row.items()) == list(expected.items())
    assert list(row.values()) == list(expected.values()) and len(row) == 3
    assert row["date"] == "2011-12-06" and row.get("speaker") is None
    assert row.get("speaker", "") == "" and "speaker" not in row and "place" in row
    with pytest.raises(KeyError):
        row["speaker"]
    with pytest.raises(KeyError):
        row["no such column"]
    assert pickle.loads(pickle.dumps(row)) == expected
    assert row != MetadataRow(NAMES, ("2011-12-06", "郭聲琨", "廣西 南寧", "講話"))


def test_a_first_load_and_a_cached_load_give_the_same_metadata(tmp_path, monkeypatch):
    from speechreader.core.corpus import _metadata_cache

    monkeypatch.setattr(_metadata_cache, "SETTLED_SECONDS", -1.0)  # cache at once
    put(tmp_path, "a.txt", "讲话甲")
    put(tmp_path, "b.txt", "讲话乙")
    put(
        tmp_path, "metadata.csv", "file,date,speaker,extra\na.txt,2020-01-01,王寧,x\nb.txt,,李俊,\n"
    )
    first = Corpus.load(tmp_path)
    cached = Corpus.load(tmp_path)
    for one, two in zip(first, cached, strict=True):
        assert one.metadata == two.metadata
        assert list(one.metadata.items()) == list(two.metadata.items())
    assert cached.get("b").metadata == {"speaker": "李俊"}
    assert cached.get("a").metadata == {"date": "2020-01-01", "speaker": "王寧", "extra": "x"}
