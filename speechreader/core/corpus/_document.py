"""A document of a corpus as the library knows it, without its text.

:class:`DocumentInfo` is made once per file by every load and kept (100,000 of them
for a big corpus), so it holds the least it can; :func:`listing_json` is the form
``list --json`` writes; :class:`Document` pairs an info with its decoded text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from sys import intern

import orjson

from speechreader.core.corpus._listing_cache import parse_problems
from speechreader.core.text import Problem

_INFO_FIELDS = (
    "id",
    "path",
    "title",
    "encoding",
    "script",
    "base_script",
    "chars",
    "content_hash",
    "problems",
    "metadata",
)


class DocumentInfo:
    """What we know about a document without holding its text.

    A slotted class holding the least it can, because a load makes one per document
    (100,000 of them) and keeps them: ``path`` is not stored when it is the id plus
    ``.txt``; the problems stay in the listing's JSON text until asked for (most
    documents have none, and ``list --json`` writes that text as it is); the file's size
    and mtime when it was described are kept here, not in a dict of tuples.
    """

    __slots__ = (
        "_mtime_ns",
        "_path",
        "_problems",
        "_size",
        "base_script",
        "chars",
        "content_hash",
        "encoding",
        "id",
        "metadata",
        "script",
        "title",
    )

    def __init__(
        self,
        id: str,
        path: str,
        title: str,
        encoding: str,
        script: str,
        base_script: str,
        chars: int,
        content_hash: str,
        problems: list[Problem] | None = None,
        metadata: dict[str, str] | None = None,
    ) -> None:
        self.id = id  # relative path without .txt, POSIX separators: stable and readable
        self._path = None if path == id + ".txt" else path  # relative path with .txt
        self.title = title  # metadata title, else first short non-empty line, else file name
        self.encoding = encoding
        self.script = script  # "simplified" | "traditional" | "mixed"
        self.base_script = base_script  # which pane shows the original text
        self.chars = chars
        self.content_hash = content_hash  # hash of the decoded text (what offsets point into)
        #: a list of Problem, or their JSON text (bytes or str: see Listing.problems)
        self._problems: list[Problem] | bytes | str = [] if problems is None else problems
        self.metadata = {} if metadata is None else metadata
        self._size = self._mtime_ns = -1  # the file when described (-1: not known)

    @property
    def path(self) -> str:
        return self.id + ".txt" if self._path is None else self._path

    @path.setter
    def path(self, value: str) -> None:
        self._path = None if value == self.id + ".txt" else value

    @property
    def problems(self) -> list[Problem]:
        """The document's problems (a new list: made from the listing's text when asked)."""
        held = self._problems
        if type(held) is not list:
            return [
                Problem(intern(p["kind"]), p["count"], p["examples"]) for p in parse_problems(held)
            ]
        return held

    @problems.setter
    def problems(self, value: list[Problem]) -> None:
        self._problems = value

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in _INFO_FIELDS)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        fields = ", ".join(f"{f}={getattr(self, f)!r}" for f in _INFO_FIELDS)
        return f"DocumentInfo({fields})"

    def _problems_json(self) -> list[dict]:
        held = self._problems
        if type(held) is not list:
            return parse_problems(held)
        return [p.to_json() for p in held]

    def to_json(self) -> dict:
        """The ``speechreader list --json`` form of this document."""
        return {
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "encoding": self.encoding,
            "script": self.script,
            "chars": self.chars,
            "problems": self._problems_json(),
            "metadata": dict(self.metadata),
        }


def listing_json(documents: Iterable[DocumentInfo]) -> list[dict]:
    """Every document's :meth:`DocumentInfo.to_json` for :func:`orjson.dumps` only: the
    problems are the listing's JSON text as it is (an :class:`orjson.Fragment`) and the
    metadata the document's own dict, not a copy. For ``list --json`` of 100,000
    documents, where the copies and parses were half of the time."""
    fragment, empty = orjson.Fragment, orjson.Fragment(b"[]")
    rows = []
    for d in documents:
        held = d._problems
        if type(held) is not list:
            problems = fragment(held) if held else empty
        else:
            problems = [p.to_json() for p in held]
        rows.append(
            {
                "id": d.id,
                "title": d.title,
                "path": d._path or d.id + ".txt",
                "encoding": d.encoding,
                "script": d.script,
                "chars": d.chars,
                "problems": problems,
                "metadata": meta if type(meta := d.metadata) is dict else meta.as_dict(),
            }
        )
    return rows


@dataclass(frozen=True)
class Document:
    """A document with its decoded text."""

    info: DocumentInfo
    text: str

    @property
    def id(self) -> str:
        return self.info.id
