"""A corpus: a folder of ``.txt`` speeches (recursively) plus optional ``metadata.csv``.

Loading decodes each file once and caches what listing needs (title, encoding,
script, length, problems, content hash) keyed by path, size and mtime, so that a
10,000-file corpus lists quickly after the first run. The text itself is decoded
again on demand (one file, with the cached encoding) when a document is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from speechreader.core.problems import Problem

ProgressCallback = Callable[[int, int], None]  # (done, total)


@dataclass
class DocumentInfo:
    """What we know about a document without holding its text."""

    id: str  # relative path without .txt, POSIX separators: stable and readable
    path: str  # relative path with .txt
    title: str  # metadata title, else first short non-empty line, else file name
    encoding: str
    script: str  # "simplified" | "traditional" | "mixed"
    base_script: str  # "simplified" | "traditional": which pane shows the original text
    chars: int
    content_hash: str  # hash of the decoded text (what annotation offsets point into)
    problems: list[Problem] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        """The ``speechreader list --json`` form of this document."""
        return {
            "id": self.id,
            "title": self.title,
            "path": self.path,
            "encoding": self.encoding,
            "script": self.script,
            "chars": self.chars,
            "problems": [p.to_json() for p in self.problems],
            "metadata": dict(self.metadata),
        }


@dataclass(frozen=True)
class Skipped:
    """A file we could not read, with a one-line reason."""

    path: str
    reason: str

    def to_json(self) -> dict:
        return {"path": self.path, "reason": self.reason}


@dataclass(frozen=True)
class Document:
    """A document with its decoded text."""

    info: DocumentInfo
    text: str

    @property
    def id(self) -> str:
        return self.info.id


class Corpus:
    """The documents of one corpus folder, in id order.

    Use :meth:`load`; the constructor is for tests and for code that already has the pieces.
    """

    def __init__(
        self,
        root: Path,
        documents: list[DocumentInfo],
        skipped: list[Skipped],
        metadata_columns: list[str],
    ) -> None:
        self.root = root
        self.documents = documents
        self.skipped = skipped
        self.metadata_columns = metadata_columns
        self._by_id = {d.id: d for d in documents}

    @classmethod
    def load(
        cls,
        root: Path | str,
        *,
        use_cache: bool = True,
        progress: ProgressCallback | None = None,
    ) -> Corpus:
        """Load the corpus at ``root``; raise :class:`CorpusNotFound` if it is not a folder."""
        raise NotImplementedError

    def __len__(self) -> int:
        return len(self.documents)

    def __iter__(self) -> Iterator[DocumentInfo]:
        return iter(self.documents)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self._by_id

    def get(self, doc_id: str) -> DocumentInfo:
        """The document's info; raise :class:`UnknownDocument` (with close matches) if absent."""
        raise NotImplementedError

    def text(self, doc_id: str) -> str:
        """The document's decoded text; if the file changed since loading, the new text."""
        raise NotImplementedError

    def document(self, doc_id: str) -> Document:
        return Document(self.get(doc_id), self.text(doc_id))
