"""The codebook in REFI-QDA form: nested ``Code`` elements, and ``.qdc`` files.

The same tree is the ``CodeBook`` of a project (.qdpx) and the whole of a codebook file
(.qdc, Codebook.xsd): each tag is a ``Code`` with its GUID, name, colour, description
and ``isCodable="true"``, its children nested inside it, in codebook order.

Reading accepts what real files hold: any namespace version, codes without colour,
folders (``isCodable="false"``: they become ordinary tags, and the report says so),
and names that are not unique (another tool may have "Other" under two parents;
tags are keyed by name here, so the second becomes "Other (parent)"). Every such
change is reported, never made silently.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from speechreader.core.errors import InvalidInput
from speechreader.core.exchange._codebook_csv import (
    CodebookImport,
    CodebookRow,
    RowProblem,
    apply_codebook,
)
from speechreader.core.exchange._refi_xml import (
    CODEBOOK_NS,
    CODEBOOK_URN,
    PROJECT_URN,
    TextCleaner,
    as_guid,
    element,
    guid_for,
    kid_text,
    kids,
    local,
    namespace,
    parse_xml,
    sub,
    to_bytes,
    xml_colour,
)
from speechreader.core.store import Tag, check_colour, plural, tree_rows

if TYPE_CHECKING:
    from speechreader.core.store import Store

MAX_QDC_BYTES = 64 * 1024**2  # a codebook of 100,000 codes is ~20 MB


def tag_guid(name: str) -> str:
    return guid_for("tag", name)


def write_codes(
    codes: ET.Element,
    tags: list[Tag],
    clean: Callable[[str], str],
    guid_of: Callable[[str], str] = tag_guid,
) -> int:
    """Append the codebook's tree under ``codes`` (a ``Codes`` element); return the count."""
    rows = tree_rows(tags)
    stack: list[ET.Element] = [codes]
    for row in rows:
        del stack[row.depth + 1 :]
        tag = row.tag
        code = sub(
            stack[-1],
            "Code",
            guid=guid_of(tag.name),
            name=clean(tag.name),
            isCodable="true",
            color=xml_colour(tag.colour),
        )
        if tag.description:
            sub(code, "Description").text = clean(tag.description)
        stack.append(code)
    return len(rows)


def codebook_bytes(tags: list[Tag]) -> tuple[bytes, int]:
    """A .qdc document for ``tags`` and the number of codes in it."""
    if not tags:
        raise InvalidInput(
            "the codebook is empty: a .qdc file needs at least one code "
            "(add one with `speechreader codebook add NAME`)"
        )
    root = element("CodeBook", origin=_origin())
    count = write_codes(sub(root, "Codes"), tags, TextCleaner())
    return to_bytes(root, CODEBOOK_NS), count


def write_qdc(tags: list[Tag], path: Path | str) -> int:
    """Write the codebook as a .qdc file (atomically); return the number of codes."""
    from speechreader.core.fileio import atomic_write_bytes

    data, count = codebook_bytes(tags)
    atomic_write_bytes(Path(path), data)
    return count


def _origin() -> str:
    from speechreader import __version__

    return f"speechreader {__version__}"


# --- reading ----------------------------------------------------------------------


@dataclass
class RefiCode:
    """A code read from a file, named as it will be in the codebook."""

    position: int  # 1-based, in document order: what reports call it
    guid: str | None
    name: str
    parent: str | None
    colour: str | None
    description: str
    codable: bool

    def row(self) -> CodebookRow:
        return CodebookRow(
            self.position,
            self.name,
            parent=self.parent,
            colour=self.colour,
            description=self.description,
            has_parent=True,
        )


@dataclass
class CodeTree:
    codes: list[RefiCode]
    problems: list[RowProblem]
    notes: list[str]

    def by_guid(self) -> dict[str, str]:
        return {c.guid: c.name for c in self.codes if c.guid}


def read_codes(codes_el: ET.Element | None) -> CodeTree:
    """The codes under a ``Codes`` element, parents first, with unique names."""
    tree = CodeTree([], [], [])
    if codes_el is None:
        return tree
    taken: set[str] = set()
    renamed = folders = 0
    counter = 0

    def walk(parent_el: ET.Element, parent: str | None) -> None:
        nonlocal renamed, folders, counter
        for el in kids(parent_el, "Code"):
            counter += 1
            raw = el.get("name")
            name = " ".join((raw or "").replace("\r", " ").replace("\n", " ").split("\t"))
            name = name.strip()
            if not name:
                tree.problems.append(RowProblem(counter, "a code without a name", "code"))
                walk(el, parent)  # its children still belong under its parent
                continue
            unique = _unique(name, parent, taken)
            if unique != (raw or ""):
                renamed += 1
            taken.add(unique)
            colour = None
            if el.get("color"):
                try:
                    colour = check_colour(el.get("color", ""))
                except InvalidInput:
                    colour = None
            codable = (el.get("isCodable") or "true").strip().lower() not in ("false", "0")
            folders += not codable
            tree.codes.append(
                RefiCode(
                    counter,
                    as_guid(el.get("guid")) or (el.get("guid") or None),
                    unique,
                    parent,
                    colour,
                    kid_text(el, "Description"),
                    codable,
                )
            )
            walk(el, unique)

    walk(codes_el, None)
    if renamed:
        tree.notes.append(
            f"renamed {plural(renamed, 'code')} to fit: line breaks or surrounding spaces "
            "in the name, or a name already taken (tag names are unique)"
        )
    if folders:
        tree.notes.append(
            f"{plural(folders, 'code folder')} (isCodable=false) became ordinary tags"
        )
    return tree


def _unique(name: str, parent: str | None, taken: set[str]) -> str:
    if name not in taken:
        return name
    if parent and f"{name} ({parent})" not in taken:
        return f"{name} ({parent})"
    n = 2
    while f"{name} ({n})" in taken:
        n += 1
    return f"{name} ({n})"


def read_qdc(path: Path) -> CodeTree:
    """The codes of a .qdc file (or of a project's CodeBook), checked."""
    try:
        size = path.stat().st_size
        if size > MAX_QDC_BYTES:
            raise InvalidInput(f"{path.name}: too large for a codebook ({size / 1024**2:.0f} MB)")
        data = path.read_bytes()
    except OSError as exc:
        raise InvalidInput(f"cannot read {path}: {exc.strerror or exc}") from None
    root = parse_xml(data, path.name)
    ns = namespace(root.tag)
    known = ns.startswith((CODEBOOK_URN, PROJECT_URN)) or not ns
    if local(root.tag) == "Project" and known:
        book = next(kids(root, "CodeBook"), None)
        codes = next(kids(book, "Codes"), None) if book is not None else None
    elif local(root.tag) == "CodeBook" and known:
        codes = next(kids(root, "Codes"), None)
    else:
        raise InvalidInput(f"{path.name}: not a REFI-QDA codebook (its root is {local(root.tag)})")
    return read_codes(codes)


def import_qdc(store: Store, path: Path) -> CodebookImport:
    """Add and update tags from a .qdc codebook, as one undo step (like the CSV import)."""
    tree = read_qdc(path)
    report = apply_codebook(
        store,
        [c.row() for c in tree.codes],
        tree.problems,
        f"import codebook {path.name}",
        unit="code",
    )
    report.notes.extend(tree.notes)
    return report


def tags_in_order(store_tags: list[Tag], used: Iterable[str]) -> list[Tag]:
    """The codebook plus tags used on passages but missing from it (at the top level)."""
    known = {t.name for t in store_tags}
    return store_tags + [Tag(name=n, colour="") for n in sorted(set(used) - known)]
