"""Reading a REFI-QDA project (.qdpx) into plain records, checking everything first.

Nothing here writes: :func:`read_project` returns the users, codes, variables, text
sources and their passages, and what the project holds that speechreader cannot
carry, by kind and count. The shapes real tools write are all read:

- the project in ``project.qde`` (or the archive's only ``*.qde``), any namespace
  version or none (NVivo writes no schema location, MAXQDA and ATLAS.ti do);
- a source's text inline (``PlainTextContent``) or in ``Sources/`` or ``sources/``
  (``plainTextPath="internal://…"``); NVivo's ``richTextPath`` .docx beside it is
  ignored; upper-case GUIDs (MAXQDA, ATLAS.ti) or braces are the same GUID;
- a passage's memo as its ``Description`` (QualCoder, MAXQDA, ATLAS.ti), as a
  ``NoteRef`` to a ``Note``, as a ``Link`` between a ``Note`` and the selection
  (NVivo), or as a ``Note`` holding a ``PlainTextSelection`` that the source points
  at with a ``NoteRef`` (QualCoder's annotations);
- variable values on each source (MAXQDA, speechreader) or on a ``Case`` that refers
  to sources (NVivo's classifications).

Positions count characters of the source text. Where a text file has CRLF line
breaks the tools differ: ATLAS.ti counts CRLF as one character, the others as two
(QualCoder's importer makes the same distinction); both are mapped onto the text
with LF line breaks that speechreader reads.
"""

from __future__ import annotations

import bisect
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree as ET

from speechreader.core.errors import InvalidInput, UnreadableFile
from speechreader.core.exchange._qdc import CodeTree, read_codes
from speechreader.core.exchange._refi_xml import (
    PROJECT_URN,
    as_guid,
    kid,
    kid_text,
    kids,
    local,
    namespace,
    our_time,
    parse_xml,
)
from speechreader.core.exchange._safe_zip import SafeZip
from speechreader.core.text import decode_bytes

#: What cannot be carried, by element of <Sources>
_MEDIA = {
    "PDFSource": "PDF sources",
    "PictureSource": "picture sources",
    "AudioSource": "audio sources",
    "VideoSource": "video sources",
}
_VALUE_TAGS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


@dataclass
class Coding:
    code: str  # the code's GUID
    user: str | None
    created: str


@dataclass
class Passage:
    """A PlainTextSelection, its offsets already in the LF text of its source."""

    guid: str
    start: int
    end: int
    user: str | None
    created: str
    updated: str
    name: str
    memo: list[str] = field(default_factory=list)
    codings: list[Coding] = field(default_factory=list)


@dataclass
class Source:
    guid: str
    name: str
    text: str  # LF line breaks, no BOM
    passages: list[Passage] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)  # variable GUID -> value


@dataclass
class Variable:
    guid: str
    name: str


@dataclass
class RefiProject:
    name: str
    origin: str
    users: dict[str, str]  # GUID -> name
    codes: CodeTree
    variables: list[Variable]
    sources: list[Source]
    not_carried: Counter = field(default_factory=Counter)  # kind -> count
    skipped: Counter = field(default_factory=Counter)  # reason -> passages


def _guid(value: str | None) -> str:
    """A GUID as a key: canonical when it is one, else the raw text."""
    return as_guid(value) or (value or "").strip()


class _Reader:
    def __init__(self, zf: SafeZip, root: ET.Element) -> None:
        self.zf = zf
        self.root = root
        self.origin = root.get("origin") or ""
        self.crlf_is_one = "ATLAS" in self.origin.upper()
        self.not_carried: Counter = Counter()
        self.skipped: Counter = Counter()
        self.notes: dict[str, str] = {}
        self.note_selections: dict[str, list[tuple[ET.Element, str | None, str]]] = {}
        self.used_notes: set[str] = set()

    # --- texts --------------------------------------------------------------------

    def entry_text(self, path: str) -> str | None:
        """The decoded text of ``internal://NAME`` (Sources/ or sources/), or None."""
        if not path.startswith("internal://"):
            return None
        name = path[len("internal://") :].lstrip("/")
        for candidate in (f"Sources/{name}", f"sources/{name}", name):
            found = self.zf.find(candidate)
            if found is not None:
                data = self.zf.read(found)
                try:
                    return raw_text(data, found)
                except UnreadableFile:
                    return None
        return None

    # --- notes and links ------------------------------------------------------------

    def read_notes(self) -> None:
        for notes in kids(self.root, "Notes"):
            for note in kids(notes, "Note"):
                guid = _guid(note.get("guid"))
                text = kid_text(note, "PlainTextContent")
                if not text and note.get("plainTextPath"):
                    text = self.entry_text(note.get("plainTextPath", "")) or ""
                self.notes[guid] = _lf(text).strip()
                user = note.get("creatingUser") or note.get("modifyingUser")
                when = our_time(note.get("creationDateTime") or note.get("modifiedDateTime"))
                sels = [(sel, user, when) for sel in kids(note, "PlainTextSelection")]
                if sels:
                    self.note_selections[guid] = sels

    def read_links(self) -> dict[str, list[str]]:
        """Selection GUID -> GUIDs of the notes linked to it (NVivo's annotations)."""
        linked: dict[str, list[str]] = {}
        for links in kids(self.root, "Links"):
            for link in kids(links, "Link"):
                a, b = _guid(link.get("originGUID")), _guid(link.get("targetGUID"))
                if a in self.notes and b not in self.notes:
                    linked.setdefault(b, []).append(a)
                elif b in self.notes and a not in self.notes:
                    linked.setdefault(a, []).append(b)
                else:
                    self.not_carried["links"] += 1
        return linked

    # --- sources --------------------------------------------------------------------

    def text_source(self, el: ET.Element, linked: dict[str, list[str]]) -> Source | None:
        guid = _guid(el.get("guid"))
        parts: dict[str, list[ET.Element]] = {}
        for child in el:  # one pass: a source may hold 10,000 selections
            parts.setdefault(local(child.tag), []).append(child)
        if "PlainTextContent" in parts:
            raw = (parts["PlainTextContent"][0].text or "").removeprefix("\ufeff")
        elif el.get("plainTextPath"):
            raw = self.entry_text(el.get("plainTextPath", ""))
        else:
            raw = None
        if raw is None or not raw.strip():
            self.not_carried["text sources without readable plain text"] += 1
            return None
        text, to_lf = _lf_map(raw, self.crlf_is_one)
        source = Source(guid, (el.get("name") or "").strip() or guid, text)
        for sel in parts.get("PlainTextSelection", ()):
            passage = self.passage(sel, len(text), to_lf, None, None, linked)
            if passage is not None:
                source.passages.append(passage)
        if parts.get("Coding"):
            self.not_carried["codings of whole documents"] += len(parts["Coding"])
        for ref in parts.get("NoteRef", ()):
            target = _guid(ref.get("targetGUID"))
            for sel, user, when in self.note_selections.get(target, ()):
                memo = self.notes.get(target, "")
                passage = self.passage(sel, len(text), to_lf, user, when, {}, memo)
                if passage is not None:
                    source.passages.append(passage)
                    self.used_notes.add(target)
        for value in parts.get("VariableValue", ()):
            ref = kid(value, "VariableRef")
            if ref is not None:
                source.values[_guid(ref.get("targetGUID"))] = _value(value)
        return source

    def passage(
        self,
        sel: ET.Element,
        length: int,
        to_lf,
        user: str | None,
        when: str | None,
        linked: dict[str, list[str]],
        memo: str = "",
    ) -> Passage | None:
        try:
            start = to_lf(int(sel.get("startPosition", "")))
            end = to_lf(int(sel.get("endPosition", "")))
        except ValueError:
            self.skipped["passages with unreadable positions"] += 1
            return None
        if not 0 <= start < end <= length:
            self.skipped["passages outside their text's length (or empty)"] += 1
            return None
        guid = _guid(sel.get("guid"))
        created = our_time(sel.get("creationDateTime")) or (when or "")
        passage = Passage(
            guid=guid,
            start=start,
            end=end,
            user=_guid(sel.get("creatingUser") or sel.get("modifyingUser") or user) or None,
            created=created,
            updated=our_time(sel.get("modifiedDateTime")) or created,
            name=(sel.get("name") or "").strip(),
        )
        if memo:
            passage.memo.append(memo)
        for child in sel:  # Description, Coding*, NoteRef* (in the schema's order)
            name = local(child.tag)
            if name == "Coding":
                ref = kid(child, "CodeRef")
                if ref is not None:
                    passage.codings.append(
                        Coding(
                            _guid(ref.get("targetGUID")),
                            _guid(child.get("creatingUser")) or None,
                            our_time(child.get("creationDateTime")),
                        )
                    )
            elif name == "Description" and (child.text or "").strip():
                passage.memo.append(child.text)  # exactly: a CR written as &#13; stays
            elif name == "NoteRef":
                passage.memo.extend(self._note(_guid(child.get("targetGUID"))))
        for note in linked.get(guid, ()):
            passage.memo.extend(self._note(note))
        return passage

    def _note(self, guid: str) -> list[str]:
        text = self.notes.get(guid)
        if text is None:
            return []
        self.used_notes.add(guid)
        return [text] if text else []


def _value(value: ET.Element) -> str:
    for name in _VALUE_TAGS:
        found = kid(value, name)
        if found is not None:
            return (found.text or "").strip()
    return ""


def _lf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _lf_map(raw: str, crlf_is_one: bool):
    """The text with LF line breaks and a function mapping positions onto it."""
    if "\r" not in raw:
        return raw, _same
    text = _lf(raw)
    if crlf_is_one:  # positions already count each line break as one character
        return text, _same
    dropped = [i for i in range(len(raw) - 1) if raw[i] == "\r" and raw[i + 1] == "\n"]

    def to_lf(position: int) -> int:
        return position - bisect.bisect_left(dropped, position)

    return text, to_lf


def _same(position: int) -> int:
    return position


def raw_text(data: bytes, name: str) -> str:
    """A source file's text as written (CRs kept: positions may count them), no BOM."""
    decoded = decode_bytes(data, name=name)
    if decoded.newlines in ("none", "lf"):
        return decoded.text
    try:
        return data.decode(decoded.encoding).removeprefix("\ufeff")
    except (UnicodeDecodeError, LookupError):
        return decoded.text


def find_qde(zf: SafeZip) -> str:
    found = zf.find("project.qde")
    if found:
        return found
    qdes = [n for n in zf.names() if n.lower().endswith(".qde") and "/" not in n]
    if len(qdes) == 1:
        return qdes[0]
    raise InvalidInput(f"{zf.path.name}: no project.qde inside (not a REFI-QDA project)")


def read_project(path: Path) -> RefiProject:
    """Read and check a .qdpx; raise :class:`InvalidInput` with one line if it is unusable."""
    with SafeZip(path) as zf:
        qde = find_qde(zf)
        root = parse_xml(zf.read(qde), f"{path.name}: {qde}")
        if local(root.tag) != "Project" or not (
            namespace(root.tag).startswith(PROJECT_URN) or not namespace(root.tag)
        ):
            raise InvalidInput(f"{path.name}: {qde} is not a REFI-QDA project")
        r = _Reader(zf, root)
        users = {}
        for group in kids(root, "Users"):
            for user in kids(group, "User"):
                users[_guid(user.get("guid"))] = (user.get("name") or "").strip()
        book = kid(root, "CodeBook")
        codes = read_codes(kid(book, "Codes") if book is not None else None)
        variables = [
            Variable(_guid(v.get("guid")), (v.get("name") or "").strip())
            for group in kids(root, "Variables")
            for v in kids(group, "Variable")
        ]
        r.read_notes()
        linked = r.read_links()
        sources: list[Source] = []
        for group in kids(root, "Sources"):
            for el in group:
                kind = local(el.tag)
                if kind == "TextSource":
                    source = r.text_source(el, linked)
                    if source is not None:
                        sources.append(source)
                elif kind in _MEDIA:
                    r.not_carried[_MEDIA[kind]] += 1
        _case_values(root, sources, r.not_carried)
        for kind, label in (("Sets", "sets"), ("Graphs", "graphs")):
            for group in kids(root, kind):
                r.not_carried[label] += sum(1 for _ in group)
        unused = sum(1 for g in r.notes if g not in r.used_notes)
        if unused:
            r.not_carried["memos not on a passage (project, document or code memos)"] += unused
        if kid_text(root, "Description").strip():
            r.not_carried["project description"] += 1
        return RefiProject(
            name=(root.get("name") or "").strip(),
            origin=r.origin,
            users=users,
            codes=codes,
            variables=variables,
            sources=sources,
            not_carried=r.not_carried,
            skipped=r.skipped,
        )


def _case_values(root: ET.Element, sources: list[Source], not_carried: Counter) -> None:
    """Cases are reported; their variable values go to the sources they name."""
    by_guid = {s.guid: s for s in sources}
    for group in kids(root, "Cases"):
        for case in kids(group, "Case"):
            not_carried["cases"] += 1
            values = {}
            for value in kids(case, "VariableValue"):
                ref = kid(value, "VariableRef")
                if ref is not None:
                    values[_guid(ref.get("targetGUID"))] = _value(value)
            for ref in kids(case, "SourceRef"):
                source = by_guid.get(_guid(ref.get("targetGUID")))
                if source is not None:
                    for key, value in values.items():
                        source.values.setdefault(key, value)
