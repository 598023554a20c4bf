"""Every annotation, document by document, in order, without holding them all.

An export of 100,000 documents with 10 passages each read every file into one list of
a million :class:`Annotation` objects and sorted it (~1.7 KB a passage, 1.7 GB); the
export only ever needs one document's passages at a time. The order is the one every
reader of :meth:`Store.all` relies on, (document id, start, end, id), so the documents
are put in order first, from their file names alone, and each is read when its turn
comes: memory holds the list of file names and one document's passages.

A file name tells its document (``_names.name_from_file``) except where the name was
shortened or marked with a hash (capital letters, very long ids): only those files are
read an extra time, for the document id their records carry.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from speechreader.core.store._names import name_from_file, safe_name
from speechreader.core.store._records import Annotation
from speechreader.core.store._schema import ANNOTATIONS, ANNOTATIONS_TABLE, annotation_file_check
from speechreader.core.store._storage import load_file

#: (coder folder, path) of one annotation file
FileRef = tuple[str, str]


def annotation_files_by_document(
    root: Path, coder_folders: Iterable[str]
) -> list[tuple[str, list[FileRef]]]:
    """``(document id, its files)`` in document order, over ``coder_folders``.

    The same files :meth:`Store.all` always read (every ``*.json`` of a coder folder).
    A file whose name cannot be reversed is read for its records' document id (an
    empty one holds nothing and is left out; a damaged one raises, as reading it would).
    """
    by_doc: dict[str, list[FileRef]] = {}
    for coder in coder_folders:
        with os.scandir(root / ANNOTATIONS / coder) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith(".json"):
                    continue
                stem = name[:-5]
                doc_id = name_from_file(stem)
                if doc_id is None:
                    doc_id = _doc_id_inside(coder, entry.path, stem)
                    if doc_id is None:
                        continue
                by_doc.setdefault(doc_id, []).append((coder, entry.path))
    return sorted(by_doc.items())


def _doc_id_inside(coder: str, path: str, stem: str) -> str | None:
    records = _records(coder, path, stem)
    return next(iter(records.values()))["doc_id"] if records else None


def _records(coder: str, path: str, stem: str) -> dict[str, dict]:
    loaded = load_file(Path(path), annotation_file_check(coder, stem))
    return loaded[1].get(ANNOTATIONS_TABLE, {}) if loaded else {}  # type: ignore[union-attr]


def read_document(files: list[FileRef]) -> list[Annotation]:
    """One document's annotations from its files (one per coder), by (start, end, id)."""
    found: list[Annotation] = []
    for coder, path in files:
        stem = os.path.basename(path)[:-5]
        found.extend(Annotation.from_checked(r) for r in _records(coder, path, stem).values())
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
        self._plan = annotation_files_by_document(root, folders)

    def __len__(self) -> int:
        return len(self._plan)

    def __iter__(self) -> Iterator[tuple[str, list[Annotation]]]:
        for doc_id, files in self._plan:
            annotations = read_document(files)
            if annotations:
                yield doc_id, annotations
