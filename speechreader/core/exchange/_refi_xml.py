"""REFI-QDA XML basics shared by the project (.qdpx) and codebook (.qdc) exchange.

Writing uses the standard library's ElementTree (it escapes every value) and, for
the 100,000 selections of a big project, text escaped by :func:`attr` / :func:`text`.
Reading untrusted files: a project from another tool, a colleague or the web may
declare entities (a "billion laughs" bomb expands a few hundred bytes into
gigabytes) or external ones (which fetch files or URLs). Any document with a DTD
goes through ``defusedxml``, which refuses both before anything is expanded; one
without a DTD cannot declare any, and is parsed by the standard library's C parser.

Real exports differ in their namespace: ``urn:QDA-XML:project:1.0`` in the standard,
``urn:QDA-XML:codebook:1:0`` in NVivo for Mac, ``0.4`` in early files, none at all in
hand-made ones. Elements are therefore matched by their local name only.

GUIDs are derived from speechreader's own ids with uuid5, so exporting the same
database twice writes the same GUIDs (a team can diff the exports), and an id that
came from a GUID on import is written back as that GUID (a round trip keeps them).
"""

from __future__ import annotations

import hashlib
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


_NS_BYTES = GUID_NAMESPACE.bytes


def guid_for(kind: str, key: str) -> str:
    """The stable GUID of one of our things (``kind``: user, tag, document, ...).

    ``uuid.uuid5(GUID_NAMESPACE, f"{kind}:{key}")`` (RFC 4122: SHA-1, version 5),
    computed without building UUID objects: an export derives ~250,000 of them.
    """
    h = bytearray(hashlib.sha1(_NS_BYTES + f"{kind}:{key}".encode()).digest()[:16])
    h[6] = (h[6] & 0x0F) | 0x50
    h[8] = (h[8] & 0x3F) | 0x80
    x = h.hex()
    return f"{x[:8]}-{x[8:12]}-{x[12:16]}-{x[16:20]}-{x[20:]}"


def as_guid(value: str | None) -> str | None:
    """A GUID in canonical form (lower case, no braces), or None if it is not one."""
    if not value:
        return None
    m = _GUID.fullmatch(value)
    if m is None:
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


_UTC_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def xml_time(stamp: str) -> str | None:
    """One of our ISO 8601 UTC stamps as an xsd:dateTime, or None if it is not one."""
    if not stamp:
        return None
    if _UTC_STAMP.fullmatch(stamp):  # what the store writes: already the right form
        return stamp
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


_ATTR = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        '"': "&quot;",
        "\n": "&#10;",
        "\r": "&#13;",
        "\t": "&#9;",
    }
)
_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})


def attr(value: str) -> str:
    """An attribute value escaped for double quotes (line breaks and tabs kept exactly)."""
    return value.translate(_ATTR)


def text(value: str) -> str:
    """Element text escaped (a CR kept as a reference: a parser turns a raw one into LF)."""
    return value.translate(_TEXT)


def tag(name: str, attrs: dict[str, str | None], *, close: bool = False) -> str:
    """``<name a="v" ...>`` (or ``... />``) from values that are already escaped."""
    inner = " ".join(f'{k}="{v}"' for k, v in attrs.items() if v is not None)
    return (
        f"<{name} {inner}{' />' if close else '>'}"
        if inner
        else f"<{name}{' />' if close else '>'}"
    )


def to_bytes(root: ET.Element, namespace: str) -> bytes:
    """The document as UTF-8 bytes, with ``namespace`` as the default namespace."""
    root.set("xmlns", namespace)
    ET.indent(root, space=" ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="utf-8")


# --- reading ----------------------------------------------------------------------


def _without_dtd(data: bytes) -> bool:
    """True if ``data`` is ASCII-compatible XML that cannot declare or use a DTD.

    Entities (and so entity bombs and external fetches) need a ``<!DOCTYPE``; a
    document without one, in an encoding where that text would show as these bytes,
    has none to expand.
    """
    head = data[:5].removeprefix(b"\xef\xbb\xbf")
    return head.startswith(b"<") and b"<!DOCTYPE" not in data and b"<!ENTITY" not in data


def parse_xml(data: bytes, what: str) -> ET.Element:
    """Parse untrusted XML: no entity expansion, no external fetch, one clear error.

    A document with a DTD (or in an encoding we cannot scan for one) goes through
    defusedxml, which refuses entity declarations and external references. One
    without (every real project) is parsed by the standard library's C parser, which
    then has nothing to expand: five times faster on 100,000 selections than
    defusedxml's Python-level parser.
    """
    if _without_dtd(data):
        try:
            return ET.fromstring(data)
        except ET.ParseError as exc:
            raise InvalidInput(f"{what} is not well-formed XML ({exc})") from None
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


_LOCAL: dict[str, str] = {}


def local(tag: object) -> str:
    """``{urn:...}Code`` -> ``Code`` (comments and processing instructions -> "")."""
    if not isinstance(tag, str):
        return ""
    name = _LOCAL.get(tag)
    if name is None:  # a document has a few dozen distinct tags, read 100,000 times
        name = tag.rsplit("}", 1)[-1]
        if len(_LOCAL) < 1000:
            _LOCAL[tag] = name
    return name


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
