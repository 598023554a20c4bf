"""Every annotation, document by document, in order, without holding them all.

An export of 100,000 documents with 10 passages each read every file into one list of
a million :class:`Annotation` objects and sorted it (~1.7 KB a passage, 1.7 GB); the
export only ever needs one document's passages at a time. The order is the one every
reader of :meth:`Store.all` relies on, (document id, start, end, id), so the documents
are put in order first, from their file names alone, and each is read when its turn
comes: memory holds the list of file names and one document's passages.

A file name tells its document (``_names.name_from_file``) except where the name was
shortened or marked with a hash (capital letters, very long ids): only those files are
read an extra time, for the document id their records carry. A document's file has the
same name in every coder's folder (``safe_name`` of its id), so the plan keeps names,
not ids or paths.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from speechreader.core.store._names import name_from_file, safe_name
from speechreader.core.store._records import Annotation
from speechreader.core.store._schema import ANNOTATIONS, ANNOTATIONS_TABLE, annotation_file_check
from speechreader.core.store._storage import load_file


class Plan:
    """The annotation files, by document in id order: each document's file name (the
    same in every coder's folder) and the coder folders holding it.

    Two flat lists, the folder tuples shared between documents: ~130 bytes a document
    (a list of (id, [(coder, path)]) took 550).
    """

    def __init__(self, root: Path, coder_folders: Iterable[str]) -> None:
        self.root = root
        holders: dict[str, list[str]] = {}  # file stem -> coder folders with that file
        for coder in coder_folders:
            with os.scandir(root / ANNOTATIONS / coder) as entries:
                for entry in entries:
                    if entry.name.endswith(".json"):
                        holders.setdefault(entry.name[:-5], []).append(coder)
        ids = {stem: self._doc_id(stem, coders) for stem, coders in holders.items()}
        self.stems = sorted(
            (stem for stem, doc_id in ids.items() if doc_id is not None), key=ids.get
        )
        del ids
        shared: dict[tuple[str, ...], tuple[str, ...]] = {}
        self.coders = [shared.setdefault(c, c) for c in map(tuple, map(holders.pop, self.stems))]

    def _doc_id(self, stem: str, coders: list[str]) -> str | None:
        """The document a file name stands for, from the name or else from its records
        (None: no coder's file holds any)."""
        doc_id = name_from_file(stem)
        if doc_id is not None:
            return doc_id
        for coder in coders:  # a hashed name: one id, the same in every folder
            records = _records(self.root, coder, stem)
            if records:
                return next(iter(records.values()))["doc_id"]
        return None

    def __len__(self) -> int:
        return len(self.stems)

    def read(self, i: int) -> list[Annotation]:
        """Document ``i``'s annotations (every coder's), by (start, end, id)."""
        return read_document(self.root, self.stems[i], self.coders[i])


def _records(root: Path, coder: str, stem: str) -> dict[str, dict]:
    path = root / ANNOTATIONS / coder / f"{stem}.json"
    loaded = load_file(path, annotation_file_check(coder, stem))
    return loaded[1].get(ANNOTATIONS_TABLE, {}) if loaded else {}  # type: ignore[union-attr]


def read_document(root: Path, stem: str, coders: Iterable[str]) -> list[Annotation]:
    """One document's annotations from its files (one per coder), by (start, end, id)."""
    found: list[Annotation] = []
    for coder in coders:
        found.extend(Annotation.from_checked(r) for r in _records(root, coder, stem).values())
    found.sort(key=lambda a: (a.start, a.end, a.id))
    return found


class ByDocument:
    """``(document id, its annotations by (start, end, id))``, documents in id order.

    ``coders``: only these coders' files (a coder's folder is ``safe_name(coder)``, and
    the file check holds every record in it to that coder). The documents are listed
    when this is made (``len`` says how many hold a file, for a progress bar); each
    one's files are read when its turn comes, and a document whose files hold nothing
    is left out.
    """

    def __init__(
        self, root: Path, coder_folders: Iterable[str], coders: Iterable[str] | None = None
    ) -> None:
        folders = list(coder_folders)
        if coders is not None:
            wanted = {safe_name(c) for c in coders if c}
            folders = [f for f in folders if f in wanted]
        self._plan = Plan(root, folders)

    def __len__(self) -> int:
        return len(self._plan)

    def __iter__(self) -> Iterator[tuple[str, list[Annotation]]]:
        for i in range(len(self._plan)):
            annotations = self._plan.read(i)
            if annotations:
                yield annotations[0].doc_id, annotations
