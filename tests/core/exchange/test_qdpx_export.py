"""Export as a REFI-QDA project: valid against Project.xsd, stable, exact offsets."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.exchange import build_project, export_qdpx
from speechreader.core.store import Store

from .refi_helpers import NS, project_errors, qde, validate_project, without_project_times

XICHANG = "2018-06-07_li-jun_xichang"  # simplified; 全局 at 88..90, which s2twp makes 全域性
UNDATED = "undated_three-level-cadres-conference"  # traditional; 巨集 at 250..252 (t2s: 宏)


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def store(tmp_path, corpus):
    with Store(tmp_path / "db.srdb", coder="amy") as opened:
        opened.add_tag("经济", colour="#ff0000", description="economy & growth <all>")
        opened.add_tag("发展", parent="经济")
        opened.add_tag("党建", colour="#00aa00")
        yield opened


def _add(store: Store, corpus: Corpus, doc_id: str, start: int, end: int, **fields):
    info = corpus.get(doc_id)
    return store.add(
        doc_id, start, end, text=corpus.text(doc_id), doc_hash=info.content_hash, **fields
    )


def _root(xml: bytes) -> ET.Element:
    return ET.fromstring(xml)


def _selections(root: ET.Element, doc_id: str) -> list[ET.Element]:
    for source in root.iter(f"{NS}TextSource"):
        if source.get("name") == doc_id:
            return source.findall(f"{NS}PlainTextSelection")
    raise AssertionError(f"no source {doc_id}")


def _source_text(path, root: ET.Element, doc_id: str) -> str:
    for source in root.iter(f"{NS}TextSource"):
        if source.get("name") == doc_id:
            name = source.get("plainTextPath").removeprefix("internal://")
            with zipfile.ZipFile(path) as zf:
                return zf.read(f"Sources/{name}").decode("utf-8")
    raise AssertionError(f"no source {doc_id}")


def test_the_export_validates_against_project_xsd(store, corpus, tmp_path):
    _add(store, corpus, XICHANG, 0, 4, tags=["经济", "发展"], note="memo & <b>", coder="bob")
    _add(store, corpus, XICHANG, 10, 20, highlight="yellow")
    _add(store, corpus, UNDATED, 5, 9, tags=["党建"], coder="chen")
    out = tmp_path / "p.qdpx"
    export_qdpx(store, corpus, out)
    validate_project(qde(out))


def test_an_element_in_the_wrong_place_fails_validation(store, corpus, tmp_path):
    """The validation test can fail: a Description after a Coding is out of sequence."""
    _add(store, corpus, XICHANG, 0, 4, tags=["经济"], note="a memo")
    xml = build_project(store, corpus).qde
    assert project_errors(xml) == []
    root = _root(xml)
    (sel,) = _selections(root, XICHANG)
    description = sel.find(f"{NS}Description")
    sel.remove(description)
    sel.append(description)  # now after the Coding: Project.xsd says before
    moved = ET.tostring(root, encoding="utf-8")
    assert project_errors(moved)
    users = root.find(f"{NS}Users")
    root.remove(users)
    root.append(users)  # Users must come first
    assert project_errors(ET.tostring(root, encoding="utf-8"))


def test_everything_the_issue_lists_is_carried(store, corpus, tmp_path):
    _add(store, corpus, XICHANG, 0, 4, tags=["经济", "发展"], note="why this", coder="bob")
    _add(store, corpus, XICHANG, 10, 20, highlight="green")  # a highlight with no tag
    root = _root(build_project(store, corpus).qde)
    assert sorted(u.get("name") for u in root.iter(f"{NS}User")) == ["amy", "bob"]
    codes = root.find(f"{NS}CodeBook/{NS}Codes")
    economy = codes.find(f"{NS}Code[@name='经济']")
    assert economy.get("color") == "#ff0000" and economy.get("isCodable") == "true"
    assert economy.find(f"{NS}Description").text == "economy & growth <all>"
    assert economy.find(f"{NS}Code").get("name") == "发展"  # nested under its parent
    assert codes.find(f"{NS}Code[@name='党建']").get("color") == "#00aa00"
    variables = [v.get("name") for v in root.iter(f"{NS}Variable")]
    assert variables[:6] == ["title", "date", "speaker", "office", "place", "source"]
    assert "seed_file" in variables
    assert len(root.findall(f"{NS}Sources/{NS}TextSource")) == 5
    coded, highlighted = _selections(root, XICHANG)
    assert (coded.get("startPosition"), coded.get("endPosition")) == ("0", "4")
    assert coded.find(f"{NS}Description").text == "why this"
    user_guid = {u.get("name"): u.get("guid") for u in root.iter(f"{NS}User")}
    assert coded.get("creatingUser") == user_guid["bob"]
    code_guid = {c.get("name"): c.get("guid") for c in root.iter(f"{NS}Code")}
    refs = [c.find(f"{NS}CodeRef").get("targetGUID") for c in coded.findall(f"{NS}Coding")]
    assert refs == [code_guid["经济"], code_guid["发展"]]
    assert highlighted.findall(f"{NS}Coding") == []
    assert highlighted.get("name") == "highlight: green"


def test_metadata_become_variable_values_with_dates_typed(store, corpus):
    root = _root(build_project(store, corpus).qde)
    types = {v.get("name"): v.get("typeOfVariable") for v in root.iter(f"{NS}Variable")}
    assert types["date"] == "Date"  # every date given is YYYY-MM-DD (one speech has none)
    assert types["speaker"] == "Text"
    guids = {v.get("guid"): v.get("name") for v in root.iter(f"{NS}Variable")}
    for source in root.iter(f"{NS}TextSource"):
        if source.get("name") == XICHANG:
            values = {
                guids[v.find(f"{NS}VariableRef").get("targetGUID")]: v[1].text
                for v in source.findall(f"{NS}VariableValue")
            }
    assert values["speaker"] == "李俊"
    assert values["date"] == "2018-06-07"


def test_the_same_database_exports_the_same_file_apart_from_timestamps(store, corpus, tmp_path):
    _add(store, corpus, XICHANG, 0, 4, tags=["经济"], note="n", coder="bob")
    _add(store, corpus, UNDATED, 3, 8, tags=["党建", "发展"])
    a, b = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    export_qdpx(store, corpus, a)
    export_qdpx(store, corpus, b)
    assert without_project_times(qde(a)) == without_project_times(qde(b))
    with zipfile.ZipFile(a) as za, zipfile.ZipFile(b) as zb:
        assert za.namelist() == zb.namelist()
        for name in za.namelist()[1:]:
            assert za.read(name) == zb.read(name)


def test_offsets_follow_a_length_changing_conversion_exactly(store, corpus, tmp_path):
    """s2twp turns 全局 (88..90) into 全域性: later offsets shift by one."""
    _add(store, corpus, XICHANG, 88, 90, tags=["经济"])  # exactly the phrase
    _add(store, corpus, XICHANG, 80, 95, tags=["发展"])  # around it
    _add(store, corpus, XICHANG, 100, 104, tags=["党建"])  # after it
    out = tmp_path / "tw.qdpx"
    export_qdpx(store, corpus, out, script="traditional", variant="taiwan-phrases")
    validate_project(qde(out))
    root = _root(qde(out))
    text = _source_text(out, root, XICHANG)
    spans = {
        s.find(f"{NS}Coding/{NS}CodeRef").get("targetGUID"): (
            int(s.get("startPosition")),
            int(s.get("endPosition")),
        )
        for s in _selections(root, XICHANG)
    }
    code_guid = {c.get("name"): c.get("guid") for c in root.iter(f"{NS}Code")}
    assert spans[code_guid["经济"]] == (88, 91)
    start, end = spans[code_guid["经济"]]
    assert text[start:end] == "全域性"
    assert spans[code_guid["发展"]] == (80, 96)
    assert spans[code_guid["党建"]] == (101, 105)
    assert corpus.text(XICHANG)[100:104] == "市组织架"
    assert text[101:105] == "市組織架"


def test_original_script_keeps_a_traditional_text_as_it_is(store, corpus, tmp_path):
    _add(store, corpus, UNDATED, 250, 252, tags=["经济"])  # 巨集, which t2s would change
    out = tmp_path / "o.qdpx"
    export_qdpx(store, corpus, out, script="traditional")
    root = _root(qde(out))
    assert _source_text(out, root, UNDATED) == corpus.text(UNDATED)
    (sel,) = _selections(root, UNDATED)
    assert (sel.get("startPosition"), sel.get("endPosition")) == ("250", "252")


def test_simplified_script_shrinks_a_traditional_phrase(store, corpus, tmp_path):
    _add(store, corpus, UNDATED, 250, 252, tags=["经济"])
    out = tmp_path / "s.qdpx"
    export_qdpx(store, corpus, out, script="simplified", variant="taiwan-phrases")
    root = _root(qde(out))
    (sel,) = _selections(root, UNDATED)
    text = _source_text(out, root, UNDATED)
    assert text[int(sel.get("startPosition")) : int(sel.get("endPosition"))] == "宏"


def test_passages_whose_document_is_gone_are_reported_not_dropped_silently(store, corpus, tmp_path):
    _add(store, corpus, XICHANG, 0, 4, tags=["经济"])
    (corpus.root / f"{XICHANG}.txt").unlink()
    project = build_project(store, Corpus.load(corpus.root))
    assert project.report.selections == 0
    assert project.report.problems() == ["left out 1 passage: their document is not in the corpus"]


def test_control_characters_xml_cannot_hold_are_replaced_and_counted(store, corpus):
    _add(store, corpus, XICHANG, 0, 4, tags=["经济"], note="bell\x07 and form feed\x0c")
    project = build_project(store, corpus)
    validate_project(project.qde)
    assert project.report.replaced_characters == 2
    assert "bell\ufffd and form feed\ufffd" in project.qde.decode("utf-8")


def test_an_empty_database_still_exports_every_document(corpus, tmp_path):
    out = tmp_path / "empty.qdpx"
    report = export_qdpx(None, corpus, out)
    validate_project(qde(out))
    assert report.documents == 5 and report.selections == 0
