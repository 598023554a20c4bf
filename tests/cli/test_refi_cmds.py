"""The command line's REFI-QDA exchange: export by extension, import, codebooks, errors."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from tests.core.exchange import refi_fixtures as fx
from tests.core.exchange.refi_helpers import qde, validate_codebook, validate_project
from tests.corpus_helpers import LI


@pytest.fixture
def coded(tmp_path, sample_corpus) -> tuple[Path, Path]:
    corpus = Corpus.load(sample_corpus)
    db = tmp_path / "db.srdb"
    with Store(db, coder="amy") as store:
        store.add_tag("经济", colour="#ff0000")
        store.add_tag("发展", parent="经济")
        info = corpus.get(LI)
        store.add(LI, 88, 90, text=corpus.text(LI), doc_hash=info.content_hash, tags=["发展"])
        store.add(LI, 0, 4, text=corpus.text(LI), doc_hash=info.content_hash, highlight="blue")
    return sample_corpus, db


def test_the_extension_chooses_the_format(run, coded, tmp_path):
    corpus, db = coded
    out = tmp_path / "study.qdpx"
    result = run("export", "-o", out, "--corpus", corpus, "--db", db)
    assert result.code == 0, result.err
    assert "wrote 5 documents, 2 passages, 1 coding, 2 codes, 1 coder" in result.err
    validate_project(qde(out))
    book = tmp_path / "book.qdc"
    assert run("export", "-o", book, "--corpus", corpus, "--db", db).code == 0
    validate_codebook(book.read_bytes())
    table = tmp_path / "coded.csv"
    assert run("export", "-o", table, "--corpus", corpus, "--db", db).code == 0
    assert table.read_text(encoding="utf-8").startswith("annotation_id,")


def test_format_overrides_the_extension(run, coded, tmp_path):
    corpus, db = coded
    out = tmp_path / "study.zip"
    result = run("export", "-o", out, "--format", "qdpx", "--corpus", corpus, "--db", db)
    assert result.code == 0, result.err
    assert zipfile.is_zipfile(out)
    plain = tmp_path / "also.qdpx"
    result = run("export", "-o", plain, "--format", "csv", "--corpus", corpus, "--db", db)
    assert result.code == 0 and plain.read_text(encoding="utf-8").startswith("annotation_id,")


def test_script_is_mapped_through_the_conversion(run, coded, tmp_path):
    corpus, db = coded
    out = tmp_path / "tw.qdpx"
    result = run(
        "export", "-o", out, "--script", "traditional", "--variant", "taiwan-phrases",
        "--corpus", corpus, "--db", db,
    )  # fmt: skip
    assert result.code == 0, result.err
    assert b'startPosition="88" endPosition="91"' in qde(out)  # 全局 -> 全域性


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "-", "--format", "qdpx"], "needs -o FILE.qdpx"),
        (["-o", "x.qdpx", "--documents", "d.csv"], "needs -o FILE.qdpx (and no --documents)"),
        (["-o", "x.csv", "--script", "traditional"], "--script applies to .qdpx"),
    ],
)
def test_export_usage_errors(run, coded, tmp_path, args, message):
    corpus, db = coded
    result = run("export", *args, "--corpus", corpus, "--db", db)
    assert result.code == 2 and message in result.err


def test_coders_choose_whose_passages_go_into_the_project(run, coded, tmp_path):
    corpus, db = coded
    with Store(db, coder="bob") as store:
        text = (corpus / f"{LI}.txt").read_text(encoding="utf-8")
        store.add(LI, 10, 12, text=text, doc_hash="", tags=["经济"])
    out = tmp_path / "bob.qdpx"
    result = run("export", "-o", out, "--coders", "bob", "--corpus", corpus, "--db", db)
    assert result.code == 0, result.err
    assert "1 passage, 1 coding, 2 codes, 1 coder" in result.err
    assert b'name="bob"' in qde(out) and b'name="amy"' not in qde(out)


def test_an_empty_codebook_is_one_line(run, sample_corpus, tmp_path):
    result = run("export", "-o", tmp_path / "b.qdc", "--corpus", sample_corpus,
                 "--db", tmp_path / "none.srdb")  # fmt: skip
    assert result.code == 2
    assert result.err.startswith("speechreader: error: the codebook is empty")
    assert result.err.count("\n") == 1


def test_codebook_export_and_import_as_qdc(run, coded, tmp_path):
    corpus, db = coded
    book = tmp_path / "book.qdc"
    result = run("codebook", "export", "-o", book, "--corpus", corpus, "--db", db)
    assert result.code == 0 and "wrote 2 codes" in result.err
    other = tmp_path / "other.srdb"
    result = run("codebook", "import", book, "--corpus", corpus, "--db", other)
    assert result.code == 0, result.err
    assert "added 2" in result.out
    with Store(other, readonly=True) as store:
        first = store.tags()[0]
    assert (first.name, first.parent, first.colour) == ("经济", None, "#ff0000")


def test_import_makes_a_corpus_that_opens_with_everything(run, tmp_path):
    project = fx.qualcoder(tmp_path / "rural.qdpx")
    folder, db = tmp_path / "rural", tmp_path / "rural.srdb"
    result = run("import", project, "--to", folder, "--db", db)
    assert result.code == 0, result.err
    assert "imported 1 document and 2 passages by 1 coder" in result.out
    assert "code folder (isCodable=false) became ordinary tags" in result.err
    assert (folder / "import-report.md").is_file()
    listed = run("list", "--corpus", folder, "--json")
    assert listed.json["skipped"] == []
    assert [d["id"] for d in listed.json["documents"]] == ["speech"]
    assert listed.json["documents"][0]["metadata"] == {"date": "2019-06-27"}
    shown = run("annotations", "--corpus", folder, "--db", db, "--json")
    assert sorted(a["quote"] for a in shown.json) == ["乡村振兴", "大局"]


def test_import_uses_the_folders_own_database_by_default(run, tmp_path):
    folder = tmp_path / "breakfast"
    assert run("import", fx.maxqda(tmp_path / "m.qdpx"), "--to", folder).code == 0
    shown = run("annotations", "--corpus", folder, "--json")
    assert {a["coder"] for a in shown.json} == {"Simon"}


@pytest.mark.parametrize(
    "content",
    [b"not a zip at all", b"PK\x03\x04 truncated"],
)
def test_a_broken_file_is_one_line_exit_2_and_leaves_nothing(run, tmp_path, content):
    bad = tmp_path / "bad.qdpx"
    bad.write_bytes(content)
    result = run("import", bad, "--to", tmp_path / "study", "--db", tmp_path / "db.srdb")
    assert result.code == 2
    assert (
        result.err == "speechreader: error: bad.qdpx: not a .qdpx file (it is not a zip archive)\n"
    )
    assert "Traceback" not in result.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.qdpx"]


def test_importing_over_an_existing_corpus_is_refused(run, sample_corpus, tmp_path):
    project = fx.maxqda(tmp_path / "m.qdpx")
    before = sorted(p.name for p in sample_corpus.iterdir())
    result = run("import", project, "--to", sample_corpus, "--db", tmp_path / "db.srdb")
    assert result.code == 2 and "is not empty" in result.err
    assert sorted(p.name for p in sample_corpus.iterdir()) == before
    assert not (tmp_path / "db.srdb").exists()
