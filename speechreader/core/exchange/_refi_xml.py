"""REFI-QDA XML basics shared by the project (.qdpx) and codebook (.qdc) exchange.

Writing uses the standard library's ElementTree (it escapes every value). Reading
untrusted files uses ``defusedxml``: a project from another tool, a colleague or the
web may declare entities (a "billion laughs" bomb expands a few hundred bytes into
gigabytes) or external ones (which fetch files or URLs); defusedxml refuses both
before anything is expanded.

Real exports differ in their namespace: ``urn:QDA-XML:project:1.0`` in the standard,
``urn:QDA-XML:codebook:1:0`` in NVivo for Mac, ``0.4`` in early files, none at all in
hand-made ones. Elements are therefore matched by their local name only.

GUIDs are derived from speechreader's own ids with uuid5, so exporting the same
database twice writes the same GUIDs (a team can diff the exports), and an id that
came from a GUID on import is written back as that GUID (a round trip keeps them).
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime

from speechreader.core.errors import InvalidInput

PROJECT_NS = "urn:QDA-XML:project:1.0"
CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_URN = "urn:QDA-XML:project:"
CODEBOOK_URN = "urn:QDA-XML:codebook:"

#: The namespace of every GUID speechreader derives (uuid5); never change it, or
#: exports of an unchanged database stop being identical.
GUID_NAMESPACE = uuid.UUID("6f1c3a52-8a0e-5b7c-9d41-2e5f0b8c7a13")

_GUID = re.compile(
    r"\{?([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\}?"
)
_HEX_COLOUR = re.compile(r"#(?:[0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
#: characters XML 1.0 cannot hold, not even as character references
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def guid_for(kind: str, key: str) -> str:
    """The stable GUID of one of our things (``kind``: user, tag, document, ...)."""
    return str(uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}"))


def as_guid(value: str | None) -> str | None:
    """A GUID in canonical form (lower case, no braces), or None if it is not one."""
    if not value:
        return None
    m = _GUID.fullmatch(value.strip())
    return m.group(1).lower() if m else None


def annotation_guid(ann_id: str) -> str:
    """An annotation's selection GUID: its id if the id came from a GUID, else derived."""
    return as_guid(ann_id) or guid_for("annotation", ann_id)


def xml_colour(colour: str) -> str | None:
    """A colour as the schema's RGBType (``#rrggbb``), or None if it is not one."""
    text = (colour or "").strip()
    return text if _HEX_COLOUR.fullmatch(text) else None


class TextCleaner:
    """Makes text fit for XML 1.0, counting what it had to replace.

    Control characters (other than tab and line breaks) cannot appear in an XML 1.0
    document at all; they become U+FFFD and the export reports how many.
    """

    def __init__(self) -> None:
        self.replaced = 0

    def __call__(self, value: str) -> str:
        if not _NOT_XML.search(value):
            return value
        cleaned, n = _NOT_XML.subn("\ufffd", value)
        self.replaced += n
        return cleaned


def xml_time(stamp: str) -> str | None:
    """One of our ISO 8601 UTC stamps as an xsd:dateTime, or None if it is not one."""
    if not stamp:
        return None
    try:
        when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    except ValueError:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def our_time(value: str | None) -> str:
    """An xsd:dateTime from another tool as our stamp (UTC, seconds); "" if unreadable.

    A time without a zone (NVivo writes some) is taken as UTC.
    """
    return xml_time((value or "").strip()) or ""


def now_stamp() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- writing ----------------------------------------------------------------------


def element(tag: str, attrs: dict[str, str | None] | None = None, **kw: str | None) -> ET.Element:
    """An element with the attributes that have a value (None leaves one out)."""
    merged = {**(attrs or {}), **kw}
    return ET.Element(tag, {k: v for k, v in merged.items() if v is not None})


def sub(
    parent: ET.Element, tag: str, attrs: dict[str, str | None] | None = None, **kw: str | None
) -> ET.Element:
    child = element(tag, attrs, **kw)
    parent.append(child)
    return child


def to_bytes(root: ET.Element, namespace: str) -> bytes:
    """The document as UTF-8 bytes, with ``namespace`` as the default namespace."""
    root.set("xmlns", namespace)
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


# --- reading ----------------------------------------------------------------------


def parse_xml(data: bytes, what: str) -> ET.Element:
    """Parse untrusted XML: no entity expansion, no external fetch, one clear error."""
    import defusedxml.ElementTree as safe_et
    from defusedxml import DefusedXmlException

    try:
        return safe_et.fromstring(
            data, forbid_dtd=False, forbid_entities=True, forbid_external=True
        )
    except DefusedXmlException:
        raise InvalidInput(
            f"{what} declares XML entities, which are not accepted "
            "(they can expand without limit or read other files)"
        ) from None
    except ET.ParseError as exc:
        raise InvalidInput(f"{what} is not well-formed XML ({exc})") from None


def local(tag: object) -> str:
    """``{urn:...}Code`` -> ``Code`` (comments and processing instructions -> "")."""
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def kids(el: ET.Element, name: str | None = None) -> Iterator[ET.Element]:
    """Child elements, optionally only those called ``name`` (any namespace)."""
    for child in el:
        if name is None or local(child.tag) == name:
            yield child


def kid(el: ET.Element, name: str) -> ET.Element | None:
    return next(kids(el, name), None)


def kid_text(el: ET.Element, name: str) -> str:
    found = kid(el, name)
    return (found.text or "") if found is not None else ""
