"""REFI-QDA basics: GUIDs as RFC 4122 says, escaping that a parser reads back exactly."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET

import pytest

from speechreader.core.exchange._refi_xml import (
    annotation_guid,
    as_guid,
    attr,
    guid_for,
    our_time,
    tag,
    text,
    xml_time,
)


@pytest.mark.parametrize("key", ["经济", "a", "x" * 300, "[/]", "amy:bob"])
def test_guids_are_uuid5_as_the_standard_library_computes_them(key):
    # The namespace, written here: a project exported again must keep its GUIDs, so it
    # never changes (a change would make every re-import a set of new codes).
    namespace = uuid.UUID("6f1c3a52-8a0e-5b7c-9d41-2e5f0b8c7a13")
    assert guid_for("tag", key) == str(uuid.uuid5(namespace, f"tag:{key}"))


def test_an_id_that_came_from_a_guid_is_written_back_as_that_guid():
    assert annotation_guid("63E009F1-5C33-4568-B65D-53A7E28BDBC1") == (
        "63e009f1-5c33-4568-b65d-53a7e28bdbc1"
    )
    assert annotation_guid("a1b2c3d4e5f6") == guid_for("annotation", "a1b2c3d4e5f6")
    assert as_guid("{6A2C8E10-1B3D-4F5A-9C7E-0D2F4A6B8C1E}") == (
        "6a2c8e10-1b3d-4f5a-9c7e-0d2f4a6b8c1e"
    )
    assert as_guid("not a guid") is None


TRICKY = "a\r\nb\tc <&> \"q\" 's' [/] [@click=app.quit]x[/] 發展\n"


def test_escaped_values_parse_back_exactly():
    xml = f"<X {tag('Y', {'v': attr(TRICKY)}, close=True)[3:-3]}>{text(TRICKY)}</X>"
    parsed = ET.fromstring(xml)
    assert parsed.get("v") == TRICKY
    assert parsed.text == TRICKY


def test_times():
    assert xml_time("2024-01-01T00:00:00Z") == "2024-01-01T00:00:00Z"
    assert xml_time("2024-01-01T08:00:00+08:00") == "2024-01-01T00:00:00Z"
    assert xml_time("not a time") is None
    assert our_time("2025-06-11T16:24:07") == "2025-06-11T16:24:07Z"  # NVivo: no zone
    assert our_time(None) == ""


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE P [<!ENTITY a "b">]><P>&a;</P>',
        b'\xef\xbb\xbf<!DOCTYPE P [<!ENTITY a "b">]><P>&a;</P>',
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE P [<!ENTITY a "b">]><P>&a;</P>'.encode(
            "utf-16"
        ),
    ],
)
def test_any_dtd_goes_through_defusedxml_and_is_refused(document):
    from speechreader.core.errors import InvalidInput
    from speechreader.core.exchange._refi_xml import parse_xml

    with pytest.raises(InvalidInput, match="declares XML entities"):
        parse_xml(document, "x.qde")


def test_an_external_dtd_is_never_fetched():
    from speechreader.core.exchange._refi_xml import parse_xml

    root = parse_xml(b'<?xml version="1.0"?>\n<!DOCTYPE P SYSTEM "file:///etc/passwd"><P/>', "x")
    assert root.tag == "P" and len(root) == 0 and not root.text


def test_a_document_without_dtd_parses_and_an_undefined_entity_is_malformed():
    from speechreader.core.errors import InvalidInput
    from speechreader.core.exchange._refi_xml import parse_xml

    assert parse_xml(b'<P a="&amp;&#20013;">x</P>', "x.qde").get("a") == "&中"
    with pytest.raises(InvalidInput, match="not well-formed"):
        parse_xml(b"<P>&undefined;</P>", "x.qde")
