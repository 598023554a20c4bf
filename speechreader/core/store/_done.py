"""Who coded what: a coder's "done" marks, and who counts as having coded a document.

A coding study needs to tell a coder who found nothing to code in a document from a
coder who never read it: the first coded "nothing", the second is *missing*. A coder
says so by marking the document done (``D`` in the reader, ``speechreader done DOC``).

Marks live in ``done/<coder>.json`` (TinyDB, table ``done``, one record per document:
``{"doc_id", "coder", "time"}``), one file per coder, so two coders never write the
same file and their marks merge in git like their annotations. Marking goes through
the store's transactions: under the lock, atomic, one undo step.

So that databases from before marks existed keep working, a coder with annotations in
a document counts as having coded it even without a mark (:meth:`DoneOps.coded_by`).
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.store import _schema as s
from speechreader.core.store._names import safe_name
from speechreader.core.store._values import clean_coder, now_iso

if TYPE_CHECKING:
    from speechreader.core.store._records import Annotation
    from speechreader.core.store._summary import DbIndex
    from speechreader.core.store._transactions import Transaction


class DoneOps:
    """Done marks; mixed into Store, whose transaction machinery they use."""

    coder: str

    def _done_rel(self, coder: str) -> str:
        return f"{s.DONE}/{safe_name(coder)}.json"

    def _done_files(self) -> list[str]:
        with contextlib.suppress(FileNotFoundError), os.scandir(self.path / s.DONE) as entries:  # type: ignore[attr-defined]
            return sorted(
                f"{s.DONE}/{e.name}"
                for e in entries
                if e.name.endswith(".json") and not e.name.startswith(".") and e.is_file()
            )
        return []

    def set_done(self, doc_id: str, done: bool = True, *, coder: str | None = None) -> bool:
        """Mark (or with ``done=False`` unmark) a document done for a coder; False if no change."""
        if not isinstance(doc_id, str) or not doc_id:
            raise InvalidInput("a document id is needed")
        who = clean_coder(coder) if coder is not None else self.coder
        rel = self._done_rel(who)
        tx: Transaction
        with self._mutate() as tx:  # type: ignore[attr-defined]
            have = tx.get(rel, doc_id)
            if done and have is None:
                tx.put(rel, doc_id, {"doc_id": doc_id, "coder": who, "time": now_iso()})
                tx.label = f"mark {doc_id} done ({who})"
                return True
            if not done and have is not None:
                tx.put(rel, doc_id, None)
                tx.label = f"mark {doc_id} not done ({who})"
                return True
        return False

    def done_marks(self) -> dict[str, list[str]]:
        """Document id -> the coders who marked it done (sorted)."""
        marks: dict[str, set[str]] = {}
        for rel in self._done_files():
            for rec in self._file(rel).records().values():  # type: ignore[attr-defined]
                marks.setdefault(rec["doc_id"], set()).add(rec["coder"])
        return {doc: sorted(coders) for doc, coders in sorted(marks.items())}

    def coded_by(self, annotations: Iterable[Annotation] | None = None) -> dict[str, list[str]]:
        """Document id -> the coders who coded it: marked it done, or annotated it.

        A coder with annotations in a document and no mark counts as having coded it,
        so that databases from before done marks keep working. A coder in neither set
        did not code the document: their values there are *missing*, not "nothing".
        The annotations come from the file summaries, or from ``annotations`` when the
        caller has read them already (then only their documents are covered, plus the
        marks).
        """
        found: dict[str, set[str]] = {doc: set(c) for doc, c in self.done_marks().items()}
        if annotations is None:
            index: DbIndex = self._index_now()  # type: ignore[attr-defined]
            pairs: Iterable[tuple[str, str]] = ((f.doc_id, f.coder) for f in index.files.values())
        else:
            pairs = {(a.doc_id, a.coder) for a in annotations}
        for doc_id, coder in pairs:
            found.setdefault(doc_id, set()).add(coder)
        return {doc: sorted(coders) for doc, coders in sorted(found.items())}

    def coders(self) -> list[str]:
        """Every coder with annotations or done marks, sorted."""
        return sorted({c for coders in self.coded_by().values() for c in coders})
