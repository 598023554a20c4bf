"""Parquet (and CSV) of the coded passages, the documents and any typed table, read back
by pandas with the types they were written with."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import MissingDependency
from speechreader.core.exchange import export_csv, export_documents, export_parquet, write_table
from speechreader.core.store import Store

XICHANG = "2018-06-07_li-jun_xichang"
UNDATED = "undated_three-level-cadres-conference"


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def store(tmp_path, corpus):
    with Store(tmp_path / "db.srdb", coder="amy") as opened:
        for doc, start, end, tags, note in (
            (XICHANG, 0, 4, ["稳定", "=formula"], "=1+1"),
            (UNDATED, 10, 20, [], ""),
        ):
            opened.add(doc, start, end, text=corpus.text(doc), tags=tags, note=note,
                       doc_hash=corpus.get(doc).content_hash,
                       highlight=None if tags else "yellow")  # fmt: skip
        yield opened


def test_passages_parquet_has_the_csv_columns_with_proper_types(store, corpus, tmp_path):
    rows = export_parquet(store, corpus, tmp_path / "coded.parquet")
    export_csv(store, corpus, tmp_path / "coded.csv")
    frame = pd.read_parquet(tmp_path / "coded.parquet")
    csv_frame = pd.read_csv(tmp_path / "coded.csv", dtype=str, keep_default_na=False)
    assert rows == len(frame) == 3  # one row per (annotation, tag); the highlight has one
    assert list(frame.columns) == list(csv_frame.columns)
    assert str(frame["start"].dtype) == "int64" and str(frame["end"].dtype) == "int64"
    assert str(frame["created"].dtype).startswith("datetime64") and "UTC" in str(
        frame["created"].dtype
    )
    by_tag = frame.set_index("tag", drop=False)
    assert by_tag.loc["=formula", "note"] == "=1+1"  # exact: no spreadsheet guard in Parquet
    untagged = frame[frame["tag"].isna()]  # no tag is missing, not ""
    assert len(untagged) == 1 and untagged.iloc[0]["highlight"] == "yellow"
    assert frame.loc[frame["doc_id"] == UNDATED, "date"].isna().all()  # undated: missing
    assert frame.loc[frame["doc_id"] == XICHANG, "speaker"].iloc[0] == "李俊"
    assert frame["passage"].tolist()[0] == corpus.text(XICHANG)[0:4]


def test_documents_parquet_and_csv(corpus, tmp_path):
    assert export_documents(corpus, tmp_path / "docs.parquet") == 5
    frame = pd.read_parquet(tmp_path / "docs.parquet")
    assert frame["doc_id"].tolist() == [d.id for d in corpus]
    assert str(frame["chars"].dtype) == "int64"
    assert frame["chars"].tolist() == [d.chars for d in corpus]
    assert isinstance(frame["problems"].iloc[0].tolist(), list)
    assert {"date", "speaker", "place"} <= set(frame.columns)
    export_documents(corpus, tmp_path / "docs.csv")
    csv_frame = pd.read_csv(tmp_path / "docs.csv", dtype=str, keep_default_na=False)
    assert csv_frame["doc_id"].tolist() == frame["doc_id"].tolist()


def test_any_table_with_its_types(tmp_path):
    columns = [("word", "str"), ("n", "int"), ("g2", "float"), ("tags", "strs")]
    rows = [["=稳定", 3, 1.5, ["a", "b"]], ["发展", 1, 0.25, []]]
    assert write_table(tmp_path / "t.parquet", columns, rows) == 2
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert frame["word"].tolist() == ["=稳定", "发展"]
    assert frame["n"].dtype == "int64" and frame["g2"].dtype == "float64"
    assert [list(t) for t in frame["tags"]] == [["a", "b"], []]
    write_table(tmp_path / "t.csv", columns, rows)
    text = (tmp_path / "t.csv").read_text(encoding="utf-8")
    assert text.splitlines() == ["word,n,g2,tags", "'=稳定,3,1.5,a; b", "发展,1,0.25,"]


def test_without_pyarrow_a_one_line_message(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    with pytest.raises(MissingDependency, match=r"pip install 'speechreader\[parquet\]'"):
        write_table(tmp_path / "t.parquet", [("a", "int")], [[1]])
    assert not (tmp_path / "t.parquet").exists()


# --- tables written as their rows come ----------------------------------------------


def _rows(count: int, *, fail_at: int | None = None):
    """A generator of rows (the export's shape), failing at row ``fail_at`` if asked."""
    for i in range(count):
        if i == fail_at:
            raise RuntimeError("the database went away")
        yield [f"词{i}", i, "2020-01-02T03:04:05Z" if i % 2 else "", ["a"] * (i % 3)]


COLUMNS = [("word", "str"), ("n", "int"), ("at", "timestamp"), ("tags", "strs")]


def test_a_long_table_is_written_in_row_groups_and_reads_back_whole(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    from speechreader.core.exchange import _tables

    monkeypatch.setattr(_tables, "ARROW_BATCH_ROWS", 7)
    monkeypatch.setattr(_tables, "ROW_GROUP_ROWS", 20)
    assert write_table(tmp_path / "t.parquet", COLUMNS, _rows(100)) == 100
    assert pq.ParquetFile(tmp_path / "t.parquet").num_row_groups > 1
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert frame["word"].tolist() == [f"词{i}" for i in range(100)]
    assert frame["n"].tolist() == list(range(100))
    assert frame["at"].isna().tolist() == [i % 2 == 0 for i in range(100)]
    assert str(frame["at"].iloc[1]) == "2020-01-02 03:04:05+00:00"
    assert [list(t) for t in frame["tags"]] == [["a"] * (i % 3) for i in range(100)]


def test_an_empty_table_keeps_its_columns(tmp_path):
    assert write_table(tmp_path / "t.parquet", COLUMNS, iter([])) == 0
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert list(frame.columns) == ["word", "n", "at", "tags"] and len(frame) == 0
    assert write_table(tmp_path / "t.csv", COLUMNS, iter([])) == 0
    assert (tmp_path / "t.csv").read_bytes() == b"word,n,at,tags\r\n"


@pytest.mark.parametrize("name", ["t.parquet", "t.csv"])
def test_rows_failing_half_way_leave_the_old_file_and_no_temporary_one(tmp_path, name):
    path = tmp_path / "out" / name
    write_table(path, COLUMNS, _rows(3))
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="went away"):
        write_table(path, COLUMNS, _rows(50_000, fail_at=40_000))  # past the first row group
    assert path.read_bytes() == before
    assert [p.name for p in path.parent.iterdir()] == [name]
