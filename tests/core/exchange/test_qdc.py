"""The codebook as a REFI-QDA codebook (.qdc): valid against Codebook.xsd, both ways."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from speechreader.core.errors import InvalidInput
from speechreader.core.exchange import import_qdc, read_qdc, write_qdc
from speechreader.core.exchange._qdc import codebook_bytes
from speechreader.core.store import Store

from .refi_helpers import codebook_errors, validate_codebook

CB = "{urn:QDA-XML:codebook:1.0}"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "db.srdb", coder="amy") as opened:
        yield opened


def _codebook(store: Store) -> None:
    store.add_tag("经济", colour="#ff0000", description="economy")
    store.add_tag("发展", parent="经济", colour="#00ff00")
    store.add_tag("高质量", parent="发展")
    store.add_tag("[/]", description="a name that looks like markup & <xml>")


def test_the_qdc_validates_and_nests(store, tmp_path):
    _codebook(store)
    out = tmp_path / "book.qdc"
    assert write_qdc(store.tags(), out) == 4
    data = out.read_bytes()
    validate_codebook(data)
    root = ET.fromstring(data)
    economy = root.find(f"{CB}Codes/{CB}Code")
    assert (economy.get("name"), economy.get("color"), economy.get("isCodable")) == (
        "经济",
        "#ff0000",
        "true",
    )
    assert economy.find(f"{CB}Description").text == "economy"
    growth = economy.find(f"{CB}Code")
    assert growth.get("name") == "发展"
    assert growth.find(f"{CB}Code").get("name") == "高质量"


def test_an_element_in_the_wrong_place_fails_codebook_validation(store):
    _codebook(store)
    data, _ = codebook_bytes(store.tags())
    assert codebook_errors(data) == []
    root = ET.fromstring(data)
    economy = root.find(f"{CB}Codes/{CB}Code")
    description = economy.find(f"{CB}Description")
    economy.remove(description)
    economy.append(description)  # after the child codes: Codebook.xsd says before
    assert codebook_errors(ET.tostring(root, encoding="utf-8"))


def test_an_empty_codebook_is_refused_rather_than_written_invalid(store, tmp_path):
    with pytest.raises(InvalidInput, match="the codebook is empty"):
        write_qdc(store.tags(), tmp_path / "empty.qdc")
    assert not (tmp_path / "empty.qdc").exists()


def test_a_codebook_comes_back_the_same(store, tmp_path):
    _codebook(store)
    out = tmp_path / "book.qdc"
    write_qdc(store.tags(), out)
    with Store(tmp_path / "other.srdb", coder="bob") as other:
        report = import_qdc(other, out)
        assert sorted(report.added) == sorted(["经济", "发展", "高质量", "[/]"])
        assert [t.to_json() for t in other.tags()] == [t.to_json() for t in store.tags()]
        # importing again changes nothing
        again = import_qdc(other, out)
        assert again.added == [] and sorted(again.unchanged) == sorted(report.added)


NVIVO_MAC = """<?xml version="1.0" encoding="UTF-8" standalone="no" ?>
<CodeBook origin="NVivo 12 For Mac" xmlns="urn:QDA-XML:codebook:1:0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
 xsi:schemaLocation="urn:QDA-XML:codebook:1:0 Codebook.xsd"><Codes>
<Code color="#00FF00" guid="6E5C9C1A-3F7B-4B1C-9A3E-5D2F1E0C4B7A" isCodable="false" name="Themes">
<Code guid="7F6D0D2B-4A8C-4C2D-8B4F-6E3A2F1D5C8B" isCodable="true" name="Other"/>
</Code>
<Code guid="{8A7E1E3C-5B9D-4D3E-9C5A-7F4B3A2E6D9C}" isCodable="true" name="Other">
<Description>the second Other</Description></Code>
<Code guid="9B8F2F4D-6CAE-4E4F-8D6B-8A5C4B3F7EAD" isCodable="true" name="two&#10;lines"/>
<Code guid="AC903A5E-7DBF-4F5A-9E7C-9B6D5C4A8FBE" isCodable="true" name="  "/>
</Codes></CodeBook>"""


def test_a_foreign_codebook_with_its_quirks(store, tmp_path):
    """NVivo for Mac writes namespace 1:0; names repeat; folders are not codable."""
    path = tmp_path / "nvivo.qdc"
    path.write_text(NVIVO_MAC, encoding="utf-8")
    tree = read_qdc(path)
    assert [(c.name, c.parent, c.codable) for c in tree.codes] == [
        ("Themes", None, False),
        ("Other", "Themes", True),
        ("Other (2)", None, True),
        ("two lines", None, True),
    ]
    report = import_qdc(store, path)
    assert [str(p) for p in report.rejected] == ["code 5: a code without a name"]
    assert {t.name: t.parent for t in store.tags()}["Other"] == "Themes"
    assert store.get_tag("Themes").colour == "#00ff00"
    assert store.get_tag("Other (2)").description == "the second Other"
    assert any("became ordinary tags" in n for n in report.notes)
    assert any("renamed 2 codes" in n for n in report.notes)


def test_a_project_file_given_as_codebook_gives_its_codebook(store, tmp_path):
    path = tmp_path / "project.qde"
    path.write_text(
        '<Project xmlns="urn:QDA-XML:project:1.0" name="p"><CodeBook><Codes>'
        '<Code guid="11111111-1111-4111-8111-111111111111" name="甲" isCodable="true"/>'
        "</Codes></CodeBook></Project>",
        encoding="utf-8",
    )
    assert [c.name for c in read_qdc(path).codes] == ["甲"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("<CodeBook><Codes>", "not well-formed XML"),
        ('<!DOCTYPE x [<!ENTITY a "b">]><CodeBook>&a;</CodeBook>', "declares XML entities"),
        ("<Something/>", "not a REFI-QDA codebook"),
    ],
)
def test_a_bad_qdc_gets_one_line_and_changes_nothing(store, tmp_path, content, message):
    path = tmp_path / "bad.qdc"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidInput, match=message):
        import_qdc(store, path)
    assert store.tags() == []
