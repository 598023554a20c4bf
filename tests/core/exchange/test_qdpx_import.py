"""Import of REFI-QDA projects in the shapes NVivo, MAXQDA, ATLAS.ti and QualCoder write."""

from __future__ import annotations

import csv
from xml.sax.saxutils import quoteattr

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.exchange import import_qdpx
from speechreader.core.store import Store

from . import refi_fixtures as fx


def _import(tmp_path, build, name="study"):
    project = build(tmp_path / "in.qdpx")
    folder, db = tmp_path / name, tmp_path / f"{name}.srdb"
    report = import_qdpx(project, folder, db, coder="importer")
    return report, Corpus.load(folder), Store(db, readonly=True)


def _by_quote(store: Store) -> dict[str, object]:
    return {a.quote: a for a in store.all()}


def _metadata(folder) -> list[dict[str, str]]:
    with open(folder / "metadata.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_maxqda(tmp_path):
    report, corpus, store = _import(tmp_path, fx.maxqda)
    assert [d.id for d in corpus] == ["Interview Simon"]
    assert corpus.text("Interview Simon") == fx.MAXQDA_TEXT
    tags = {t.name: t for t in store.tags()}
    assert tags["bacon and eggs"].colour == "#463cc8"
    assert tags["bacon and eggs"].description == "a plate of breakfast made by the hotel"
    assert tags["disgust"].parent == "Feelings"
    found = _by_quote(store)
    bacon = found["培根和鸡蛋"]
    assert bacon.tags == ["bacon and eggs"]
    assert bacon.note == "why does Simon feel the need to do this?"
    assert bacon.coder == "Simon"
    assert bacon.id == "63e009f1-5c33-4568-b65d-53a7e28bdbc1"  # the GUID, lower case
    assert (bacon.created, bacon.updated) == ("2018-03-27T18:39:50Z", "2018-03-27T18:42:00Z")
    assert found["太油腻了"].tags == ["disgust"]
    assert _metadata(corpus.root) == [{"file": "Interview Simon.txt", "Age": "34"}]
    assert report.not_carried == {"sets": 1}


def test_nvivo(tmp_path):
    report, corpus, store = _import(tmp_path, fx.nvivo)
    assert corpus.text("videos_selection") == fx.NVIVO_TEXT  # from sources/, not the .docx
    assert {t.name: t.parent for t in store.tags()} == {
        "Perceived susceptibility": None,
        "Personal risk": "Perceived susceptibility",
    }
    found = _by_quote(store)
    assert found["疫苗"].tags == ["Personal risk"] and found["疫苗"].coder == "Coder"
    annotation = found["问题"]  # NVivo's annotation: a Note linked to the selection
    assert annotation.tags == [] and annotation.note == "反复出现的担忧"
    assert _metadata(corpus.root) == [{"file": "videos_selection.txt", "Region": "广西"}]
    assert report.not_carried == {"cases": 1}


def test_qualcoder(tmp_path):
    report, corpus, store = _import(tmp_path, fx.qualcoder)
    assert [d.id for d in corpus] == ["speech"]  # "speech.txt" is not "speech.txt.txt"
    assert corpus.text("speech") == fx.QUALCODER_TEXT
    tags = {t.name: t for t in store.tags()}
    assert tags["乡村振兴"].parent == "政策" and tags["乡村振兴"].colour == "#ff0000"
    assert tags["政策"].description == "policy themes"
    found = _by_quote(store)
    assert found["乡村振兴"].note == "the key phrase" and found["乡村振兴"].coder == "li"
    annotation = found["大局"]
    assert annotation.tags == [] and annotation.note == "an annotation on 大局"
    assert annotation.coder == "li" and annotation.created == "2024-05-03T08:00:00Z"
    assert _metadata(corpus.root) == [{"file": "speech.txt", "date": "2019-06-27"}]
    assert corpus.get("speech").metadata["date"] == "2019-06-27"
    assert "1 code folder (isCodable=false) became ordinary tags" in report.problems()


def test_atlas_ti(tmp_path):
    report, corpus, store = _import(tmp_path, fx.atlas)
    assert corpus.text("Document 1") == "第一行\n第二行很重要\n"
    (quotation,) = store.all()
    assert quotation.quote == "很重要"  # ATLAS.ti counts CRLF as one character
    assert (quotation.start, quotation.end) == (7, 10)
    assert quotation.tags == ["重要"] and quotation.note == "a quotation comment"
    assert quotation.coder == "Enric"
    assert report.not_carried == {"PDF sources": 1, "graphs": 1}


def test_other_tools_count_crlf_as_two_characters(tmp_path):
    """The same file from MAXQDA: 很重要 is at 8..11 counting each CR."""
    qde = fx.ATLAS_QDE.replace("ATLAS.ti for Windows", "MAXQDA 2022").replace(
        'startPosition="7" endPosition="10"', 'startPosition="8" endPosition="11"'
    )
    entries = {
        "project.qde": qde,
        "Sources/6A2C8E10-1B3D-4F5A-9C7E-0D2F4A6B8C1E.txt": fx.ATLAS_TEXT,
    }
    _, _, store = _import(tmp_path, lambda p: fx.make_qdpx(p, entries))
    (quotation,) = store.all()
    assert (quotation.quote, quotation.start, quotation.end) == ("很重要", 7, 10)


def test_inline_text_and_an_out_of_range_selection(tmp_path):
    body = """
    <CodeBook><Codes><Code guid="11111111-2222-4333-8444-555555555555" name="x" isCodable="true"/>
    </Codes></CodeBook>
    <Sources><TextSource guid="aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee" name="inline doc">
      <PlainTextContent>改革开放</PlainTextContent>
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000001"
       startPosition="2" endPosition="4">
        <Coding guid="aaaaaaaa-0000-4000-8000-000000000002">
          <CodeRef targetGUID="11111111-2222-4333-8444-555555555555"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000003"
       startPosition="3" endPosition="40"/>
      <PlainTextSelection guid="aaaaaaaa-0000-4000-8000-000000000004"
       startPosition="3" endPosition="3"/>
    </TextSource></Sources>"""
    report, corpus, store = _import(tmp_path, lambda p: fx.inline(p, body))
    assert corpus.text("inline doc") == "改革开放"
    (passage,) = store.all()
    assert (passage.quote, passage.tags, passage.coder) == ("开放", ["x"], "importer")
    assert report.skipped == {"passages outside their text's length (or empty)": 2}
    text = (corpus.root / "import-report.md").read_text(encoding="utf-8")
    assert "skipped: passages outside their text's length (or empty) (2)" in text
    assert "changed: passages whose coder is unknown, given to importer (1)" in text


def test_what_cannot_be_carried_is_written_into_the_folder(tmp_path):
    _, corpus, _ = _import(tmp_path, fx.atlas)
    text = (corpus.root / "import-report.md").read_text(encoding="utf-8")
    assert "not carried over: PDF sources (1)" in text
    assert "not carried over: graphs (1)" in text
    assert "import-report" not in [d.id for d in corpus]  # not taken for a speech


def test_file_names_are_safe_and_unique(tmp_path):
    names = ["../../etc/passwd", "a/b", "CON", ".hidden", "A", "a", 'x<>:"|?*y', "a.txt"]
    sources = "".join(
        f'<TextSource guid="00000000-0000-4000-8000-{i:012d}" name={quoteattr(n)}>'
        f"<PlainTextContent>文本{i}</PlainTextContent></TextSource>"
        for i, n in enumerate(names)
    )
    _, corpus, _ = _import(tmp_path, lambda p: fx.inline(p, f"<Sources>{sources}</Sources>"))
    files = sorted(p.relative_to(corpus.root).as_posix() for p in corpus.root.rglob("*.txt"))
    assert files == sorted(
        [
            "etc/passwd.txt",
            "a/b.txt",
            "_CON.txt",
            "_hidden.txt",
            "A.txt",
            "a (2).txt",
            "x_______y.txt",
            "a (3).txt",
        ]
    )
    assert all(not p.is_symlink() for p in tmp_path.rglob("*"))
    assert not (tmp_path.parent / "etc").exists()


def test_importing_again_into_the_same_folder_is_refused_and_changes_nothing(tmp_path):
    _import(tmp_path, fx.maxqda)
    before = sorted(p.name for p in (tmp_path / "study").iterdir())
    with pytest.raises(Exception, match="not empty"):
        _import(tmp_path, fx.nvivo)
    assert sorted(p.name for p in (tmp_path / "study").iterdir()) == before


def test_the_import_is_undone_in_two_steps_passages_then_codebook(tmp_path):
    _import(tmp_path, fx.maxqda)
    with Store(tmp_path / "study.srdb", coder="importer") as store:
        assert len(list(store.all())) == 2
        store.undo()
        assert list(store.all()) == [] and len(store.tags()) == 3
        store.undo()
        assert store.tags() == []
