"""`speechreader passages` and `speechreader stats ...`: JSON contracts, CSV and Parquet
files with their types, terminal tables, one-line errors; and `export` to Parquet."""

from __future__ import annotations

import sys

import pandas as pd
import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from tests.analysis_helpers import LENGTHS, Built, write_corpus
from tests.cli_helpers import invoke


@pytest.fixture
def setup(tmp_path, capsys):
    """The hand-built corpus coded a little; ``run`` passes --corpus and --db."""
    root = write_corpus(tmp_path / "corpus")
    db = tmp_path / "db.srdb"
    with Store(db, coder="amy") as store:
        built = Built(Corpus.load(root), store)
        store.add_tag("政治")
        store.add_tag("稳定", parent="政治")
        built.code_many(
            ("a", 0, 10, ["稳定"]),
            ("a", 5, 20, ["发展"]),
            ("b", 0, 10, ["稳定", "发展"], "bob"),
            ("d", 0, 10, ["稳定"]),
        )

    def run(*args):
        return invoke(capsys, *args, "--corpus", root, "--db", db)

    return run


def test_passages_json_contract(setup):
    result = setup("passages", "--tag", "稳定", "--json")
    assert result.code == 0, result.err
    rows = result.json
    assert [(r["doc_id"], r["start"], r["end"]) for r in rows] == [
        ("a", 0, 10), ("b", 0, 10), ("d", 0, 10),
    ]  # fmt: skip
    assert {"annotation_id", "doc_id", "start", "end", "tags", "coder", "passage", "left",
            "right"} <= set(rows[0])  # fmt: skip
    assert rows[1]["tags"] == ["稳定", "发展"] and rows[1]["coder"] == "bob"
    only_bob = setup("passages", "--tag", "稳定", "--coder", "bob", "--json").json
    assert [r["doc_id"] for r in only_bob] == ["b"]
    where = setup("passages", "--tag", "稳定", "--where", "speaker=郭声琨", "--json").json
    assert [r["doc_id"] for r in where] == ["a", "b"]  # 郭聲琨 (b) too
    both = setup("passages", "--tag", "稳定", "--tag", "发展", "--match", "all", "--json").json
    assert [r["doc_id"] for r in both] == ["b"]
    parent = setup("passages", "--tag", "政治", "--children", "--json").json
    assert len(parent) == 3


def test_freq_json_contract(setup):
    rows = setup("stats", "freq", "--json").json
    assert [{k: r[k] for k in ("tag", "passages", "documents", "characters")} for r in rows] == [
        {"tag": "政治", "passages": 0, "documents": 0, "characters": 0},
        {"tag": "稳定", "passages": 3, "documents": 3, "characters": 30},
        {"tag": "发展", "passages": 2, "documents": 2, "characters": 25},
    ]


def test_crosstab_json_contract_and_per_10k(setup):
    rows = setup("stats", "crosstab", "--by", "speaker", "--tag", "稳定", "--json").json
    assert {r["group"]: (r["passages"], r["group_characters"]) for r in rows} == {
        "郭声琨": (2, LENGTHS["a"] + LENGTHS["b"]),
        "李俊": (1, LENGTHS["c"] + LENGTHS["d"]),
        "王宁": (0, LENGTHS["e"]),
    }
    for r in rows:
        assert {"tag", "group", "passages", "group_characters", "per_10k"} <= set(r)
        assert r["per_10k"] == pytest.approx(r["passages"] / r["group_characters"] * 10_000)
    assert setup("stats", "freq", "--by", "speaker", "--tag", "稳定", "--json").json == rows


def test_trend_json_contract_names_undated_documents(setup):
    result = setup("stats", "trend", "--tag", "稳定", "--json")
    rows = result.json
    assert [(r["period"], r["passages"], r["period_characters"]) for r in rows] == [
        ("2015", 1, LENGTHS["a"]), ("2016", 1, LENGTHS["b"] + LENGTHS["c"]),
        ("2017", 0, LENGTHS["e"]), ("undated", 1, LENGTHS["d"]),
    ]  # fmt: skip
    assert {"tag", "period", "passages", "period_characters", "per_10k"} <= set(rows[0])
    assert "1 document without a date, counted as 'undated': d" in result.err
    month = setup("stats", "trend", "--period", "month", "--tag", "稳定", "--json").json
    assert [r["period"] for r in month] == ["2015-03", "2016-05", "2016-07", "undated"]


def test_cooccur_json_contract(setup):
    rows = setup("stats", "cooccur", "--within", "document", "--json").json
    assert {(r["tag_a"], r["tag_b"]): r["count"] for r in rows} == {
        ("政治", "稳定"): 0, ("政治", "发展"): 0, ("稳定", "发展"): 2,  # a: 1×1, b: one passage
    }  # fmt: skip
    assert {"tag_a", "tag_b", "count", "jaccard"} <= set(rows[0])
    overlap = setup("stats", "cooccur", "--json").json
    assert {(r["tag_a"], r["tag_b"]): r["count"] for r in overlap}[("稳定", "发展")] == 2


def test_keyness_json_contract(tmp_path, capsys):
    root = tmp_path / "k"
    root.mkdir()
    (root / "k1.txt").write_text("我们，稳定，稳定，稳定，发展，改革。", encoding="utf-8")
    (root / "k2.txt").write_text("穩定，發展，發展，發展，改革，改革。", encoding="utf-8")
    (root / "metadata.csv").write_text("file,speaker\nk1.txt,甲\nk2.txt,乙\n", encoding="utf-8")
    db = tmp_path / "k.srdb"
    with Store(db, coder="amy") as store:
        Built(Corpus.load(root), store).code_many(("k1", 0, 12, ["稳定"]))
    args = ("--corpus", root, "--db", db, "--json", "--min-freq", "1")
    rows = invoke(capsys, "stats", "keyness", "--tag", "稳定", *args).json
    assert [r["word"] for r in rows] == ["稳定"]
    assert set(rows[0]) >= {"word", "observed", "expected", "g2", "log_ratio"}
    assert rows[0]["observed"] == 3
    by_speaker = invoke(capsys, "stats", "keyness", "--target", "speaker=乙", *args).json
    assert [r["word"] for r in by_speaker] == ["发展", "改革"]  # most key first


def test_tables_go_to_csv_and_parquet_with_their_types(setup, tmp_path):
    csv_file, parquet_file = tmp_path / "x.csv", tmp_path / "x.parquet"
    result = setup("stats", "crosstab", "--by", "year", "--csv", csv_file, "--parquet",
                   parquet_file)  # fmt: skip
    assert result.code == 0, result.err
    assert result.out == ""  # written to files, nothing on stdout
    frame = pd.read_parquet(parquet_file)
    assert frame["passages"].dtype == "int64" and frame["per_10k"].dtype == "float64"
    assert frame["group_characters"].dtype == "int64"
    from_csv = pd.read_csv(csv_file, keep_default_na=False, dtype={"group": str})
    assert from_csv["tag"].tolist() == frame["tag"].tolist()
    assert from_csv["per_10k"].tolist() == pytest.approx(frame["per_10k"].tolist())
    passages = tmp_path / "p.parquet"
    setup("passages", "--tag", "稳定", "--parquet", passages)
    p = pd.read_parquet(passages)
    assert p["start"].dtype == "int64" and [list(t) for t in p["tags"]][1] == ["稳定", "发展"]


def test_terminal_tables(setup):
    result = setup("stats", "crosstab", "--by", "speaker", "--tag", "稳定")
    lines = result.out.splitlines()
    assert lines[0].split() == ["TAG", "SPEAKER", "PASSAGES", "DOCS", "CHARACTERS", "PER", "10K"]
    # the highest rate first: 李俊 1 in 51 characters before 郭声琨 2 in 122
    assert [line.split()[1] for line in lines[1:]] == ["李俊", "郭声琨", "王宁"]
    assert "(none)" not in result.out
    result = setup("passages", "--tag", "稳定")
    assert "3 passages in 3 documents" in result.out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("stats", "freq", "--tag", "稳"), "no tag '稳'"),
        (("stats", "crosstab", "--by", "mood"), "cannot group by 'mood'"),
        (("passages", "--where", "mood=calm"), "unknown field 'mood'"),
        (("stats", "trend", "--where", "date>=20x5"), "invalid date"),
        (("stats", "keyness"), "give --tag T"),
    ],
)
def test_user_errors_are_one_line(setup, args, message):
    result = setup(*args)
    assert result.code == 2
    assert message in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert "Traceback" not in result.err


def test_export_to_parquet_and_the_documents(setup, tmp_path):
    coded, docs = tmp_path / "coded.parquet", tmp_path / "docs.parquet"
    result = setup("export", "-o", coded, "--documents", docs)
    assert result.code == 0, result.err
    frame = pd.read_parquet(coded)
    assert len(frame) == 5  # one row per (annotation, tag)
    assert frame["start"].dtype == "int64" and "UTC" in str(frame["created"].dtype)
    documents = pd.read_parquet(docs)
    assert documents["doc_id"].tolist() == ["a", "b", "c", "d", "e"]
    assert documents["chars"].tolist() == [LENGTHS[d] for d in "abcde"]
    only_docs = setup("export", "--documents", tmp_path / "docs.csv")
    assert only_docs.code == 0 and (tmp_path / "docs.csv").is_file()
    assert setup("export").code == 2  # neither -o nor --documents


def test_format_parquet_writes_parquet_whatever_the_file_is_called(setup, tmp_path):
    named = tmp_path / "coded.parquet"
    assert setup("export", "-o", named).code == 0
    other = tmp_path / "coded.out"  # --format parquet wrote CSV here, by the name
    assert setup("export", "-o", other, "--format", "parquet").code == 0
    assert other.read_bytes()[:4] == b"PAR1"
    assert pd.read_parquet(other).equals(pd.read_parquet(named))


def test_parquet_without_pyarrow_says_how_to_get_it(setup, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    result = setup("stats", "freq", "--parquet", tmp_path / "f.parquet")
    assert result.code == 2
    assert "pip install 'speechreader[parquet]'" in result.err
    assert len(result.err.strip().splitlines()) == 1
