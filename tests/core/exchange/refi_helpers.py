"""Shared by the REFI-QDA tests: the published schemas, and building .qdpx archives."""

from __future__ import annotations

import functools
import re
import stat
import zipfile
from pathlib import Path

import xmlschema

SCHEMAS = Path(__file__).parent / "refi"
NS = "{urn:QDA-XML:project:1.0}"


@functools.cache
def _schema(name: str) -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMAS / name))


def validate_project(xml: bytes) -> None:
    """Raise xmlschema's error unless ``xml`` is a valid Project.xsd document."""
    _schema("Project.xsd").validate(xml.decode("utf-8"))


def validate_codebook(xml: bytes) -> None:
    _schema("Codebook.xsd").validate(xml.decode("utf-8"))


def project_errors(xml: bytes) -> list[str]:
    return [str(e.reason) for e in _schema("Project.xsd").iter_errors(xml.decode("utf-8"))]


def codebook_errors(xml: bytes) -> list[str]:
    return [str(e.reason) for e in _schema("Codebook.xsd").iter_errors(xml.decode("utf-8"))]


def qde(path: Path) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read("project.qde")


def without_project_times(xml: bytes) -> str:
    """project.qde with the Project element's own timestamps blanked (they differ per run)."""
    head, rest = xml.decode("utf-8").split("<Project ", 1)
    tag, body = rest.split(">", 1)
    tag = re.sub(r'\s(creationDateTime|modifiedDateTime)="[^"]*"', "", tag)
    return f"{head}<Project {tag}>{body}"


def make_qdpx(
    path: Path, entries: dict[str, bytes | str], *, symlinks: dict[str, str] | None = None
) -> Path:
    """A .qdpx (zip) with ``entries``; ``symlinks`` adds Unix symbolic-link entries."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            zf.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
        for name, target in (symlinks or {}).items():
            info = zipfile.ZipInfo(name)
            info.create_system = 3
            info.external_attr = (stat.S_IFLNK | 0o777) << 16
            zf.writestr(info, target)
    return path
