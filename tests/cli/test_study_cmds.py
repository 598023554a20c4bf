"""`speechreader done/undone`, `agreement`, `disagreements`, `export --coders`."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import krippendorff
import pandas as pd
import pytest

from speechreader.core.store import Store
from speechreader.core.text import sentence_spans
from tests.corpus_helpers import LI, LU

AMY = [3, 4, 5, 10]
BO = [3, 4, 11]


@pytest.fixture
def coded(db, sample_texts) -> Path:
    """amy and bo code whole sentences of the Xichang speech as economy, differently."""
    text = sample_texts[LI]
    spans = sentence_spans(text)
    with Store(db, coder="amy") as store:
        for coder, sentences in (("amy", AMY), ("bo", BO)):
            for i in sentences:
                store.add(LI, *spans[i], text=text, doc_hash="", tags=["economy"], coder=coder)
        store.add(LI, *spans[20], text=text, doc_hash="", tags=["=cmd"], coder="amy")
    return db


def test_done_and_undone_mark_a_document_for_a_coder(run, db):
    result = run("done", LU, "--coder", "amy", "--db", db)
    assert (result.code, result.out) == (0, f"{LU}: marked done for amy\n")
    again = run("done", LU, "--coder", "amy", "--db", db)
    assert again.code == 0 and "already done" in again.err
    with Store(db, readonly=True) as store:
        assert store.done_marks() == {LU: ["amy"]}
    assert run("undone", LU, "--coder", "amy", "--db", db).code == 0
    with Store(db, readonly=True) as store:
        assert store.done_marks() == {}
    missing = run("done", "no-such-speech", "--db", db)
    assert missing.code == 2 and missing.err.count("\n") == 1 and "no document" in missing.err


def test_agreement_table_json_and_independent_alpha(run, coded, sample_texts):
    n = len(sentence_spans(sample_texts[LI]))
    expected = krippendorff.alpha(
        [[float(i in AMY) for i in range(n)], [float(i in BO) for i in range(n)]],
        level_of_measurement="nominal",
    )
    result = run("agreement", "--db", coded, "--json")
    assert result.code == 0, result.err
    data = result.json
    assert list(data) == ["unit", "coders", "documents", "units", "tags", "groups"]
    assert (data["unit"], data["coders"], data["documents"], data["units"]) == (
        "sentence", ["amy", "bo"], 1, n,
    )  # fmt: skip
    economy = next(t for t in data["tags"] if t["tag"] == "economy")
    assert round(economy["alpha"], 3) == round(expected, 3)
    assert economy["alpha_ci95"] is None
    text = run("agreement", "--db", coded)
    assert text.code == 0
    assert f"economy  {expected:.3f}" in text.out
    assert "κ amy|bo" in text.out


def test_agreement_takes_tag_as_disagreements_does_and_tags_as_before(run, coded):
    names = {
        opts: [t["tag"] for t in run("agreement", "--db", coded, *opts, "--json").json["tags"]]
        for opts in [(), ("--tag", "economy"), ("--tags", "economy"), ("--tag", "economy,=cmd")]
    }
    assert sorted(names[()]) == ["=cmd", "economy"]
    assert names[("--tag", "economy")] == names[("--tags", "economy")] == ["economy"]
    assert sorted(names[("--tag", "economy,=cmd")]) == ["=cmd", "economy"]


def test_agreement_csv_is_a_methods_table_safe_from_formulas(run, coded, tmp_path):
    out = tmp_path / "table.csv"
    result = run("agreement", "--db", coded, "--csv", out, "--bootstrap", "100")
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["variable"] for r in rows] == ["economy", "'=cmd"]
    economy = rows[0]
    assert float(economy["alpha_ci95_low"]) <= float(economy["alpha"])
    assert economy["bootstrap_resamples"] == "100" and economy["seed"] == "2007"
    assert economy["kappa amy|bo"]


def test_agreement_errors_are_one_line(run, coded, db):
    unknown = run("agreement", "--db", coded, "--coders", "amy,zed")
    assert unknown.code == 2
    assert unknown.err == (
        "speechreader: error: unknown coder 'zed'; coders in this database: amy, bo\n"
    )
    one = run("agreement", "--db", coded, "--coders", "amy")
    assert one.code == 2 and "at least two coders" in one.err
    empty = run("agreement", "--db", db.parent / "none.srdb")
    assert empty.code == 2 and "no annotations yet" in empty.err
    ordinal = run("agreement", "--db", coded, "--level", "ordinal", "--absent-as-value")
    assert ordinal.code == 2 and "--absent-as-value" in ordinal.err


def test_disagreements_list_units_and_who_applied_what(run, coded, sample_texts):
    spans = sentence_spans(sample_texts[LI])
    result = run("disagreements", "--db", coded, "--tag", "economy", "--json")
    assert result.code == 0, result.err
    found = [(d["start"], d["end"]) for d in result.json]
    assert found == [spans[i] for i in sorted(set(AMY) ^ set(BO))]
    first = result.json[0]
    assert first["coders"] == {"amy": ["economy"], "bo": []}
    assert first["text"] == sample_texts[LI][first["start"] : first["end"]]
    text = run("disagreements", "--db", coded, "--tag", "economy")
    assert "3 disagreements (amy, bo)" in text.out


def test_export_coders_consensus_only(run, coded, sample_texts, tmp_path):
    spans = sentence_spans(sample_texts[LI])
    with Store(coded, coder="amy") as store:
        store.add(LI, *spans[5], text=sample_texts[LI], doc_hash="", tags=["economy"],
                  coder="consensus")  # fmt: skip
    out = tmp_path / "consensus.csv"
    result = run("export", "-o", out, "--coders", "consensus", "--db", coded)
    assert result.code == 0, result.err
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(r["coder"], r["tag"], int(r["start"])) for r in rows] == [
        ("consensus", "economy", spans[5][0])
    ]
    parquet = tmp_path / "consensus.parquet"
    assert run("export", "-o", parquet, "--coders", "consensus", "--db", coded).code == 0
    assert pd.read_parquet(parquet)["coder"].tolist() == ["consensus"]
    both = run("export", "-o", "-", "--coders", "amy,bo", "--db", coded)
    coders = {r["coder"] for r in csv.DictReader(io.StringIO(both.out))}
    assert coders == {"amy", "bo"}
    unknown = run("export", "-o", out, "--coders", "nobody", "--db", coded)
    assert unknown.code == 2 and "consensus" in unknown.err  # the known coders are listed
