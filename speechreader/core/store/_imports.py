"""Importing annotations that keep their ids: a CSV read back, a colleague's work.

An import inserts or updates records as they come (id, creation time and all), and
leaves alone the fields the source does not have. A few go through one transaction
(:meth:`ImportOps.import_annotations`); a million are streamed by :mod:`_bulk`.
"""

from __future__ import annotations

from collections.abc import Iterable

from speechreader.core.errors import InvalidInput
from speechreader.core.store import _schema as s
from speechreader.core.store._bulk import IMPORT_FIELDS, BulkImport
from speechreader.core.store._bulk_files import merge_import
from speechreader.core.store._records import Annotation
from speechreader.core.store._tags import clean_tags, plural
from speechreader.core.store._values import check_highlight, check_note, clean_coder, now_iso


class ImportOps:
    """The import methods; mixed into Store (it uses _mutate, _index_now, _rel, _ensure_tags_tx)."""

    def bulk_import(self, fields: Iterable[str] = IMPORT_FIELDS) -> BulkImport:
        """An import of many annotations, streamed: ``add`` each, then ``commit`` (one step).

        ``fields``: which of :data:`IMPORT_FIELDS` the source has; the others keep their
        stored values on annotations that exist already. See :mod:`_bulk`.
        """
        return BulkImport(self, fields)

    def import_annotation(self, ann: Annotation) -> str:
        """Insert or update ``ann`` keeping its id and creation time: "added" or "updated"."""
        return self.import_annotations([ann])[0]

    def import_annotations(
        self, anns: Iterable[Annotation], *, fields: Iterable[str] = IMPORT_FIELDS
    ) -> list[str]:
        """Import many: each file written once, one undo step; "added", "updated" or
        "unchanged" for each. ``fields`` as for :meth:`bulk_import`.

        Everything is checked first: one invalid annotation and nothing is written.
        """
        given = frozenset(fields) & IMPORT_FIELDS
        prepared = [self._importable(ann) for ann in anns]
        results = []
        now = now_iso()
        with self._mutate() as tx:  # type: ignore[attr-defined]
            where = dict(self._index_now().ids())  # type: ignore[attr-defined]
            for new in prepared:
                old_rel = where.get(new.id)
                old = tx.get(old_rel, new.id) if old_rel else None
                rec = new.to_json()
                if not ("coder" in given and new.coder):
                    rec["coder"] = old["coder"] if old else self.coder  # type: ignore[attr-defined]
                merged = merge_import(old, rec, given, now)
                if merged is None:
                    results.append("unchanged")
                    continue
                rel = self._rel(merged["coder"], merged["doc_id"])  # type: ignore[attr-defined]
                if old is not None and old_rel != rel:
                    tx.put(old_rel, new.id, None)
                self._ensure_tags_tx(tx, merged["tags"])  # type: ignore[attr-defined]
                tx.put(rel, new.id, merged)
                where[new.id] = rel
                results.append("added" if old is None else "updated")
            tx.label = f"import {plural(len(prepared), 'passage')}"
        return results

    def _importable(self, ann: Annotation) -> Annotation:
        if not isinstance(ann.id, str) or not ann.id.strip():
            raise InvalidInput("an imported annotation needs an id")
        new = Annotation.from_json(ann.to_json())
        new.coder = clean_coder(new.coder) if new.coder else ""
        new.tags, new.highlight = clean_tags(new.tags), check_highlight(new.highlight)
        new.note = check_note(new.note)
        problem = s.annotation_problem(
            new.id, new.to_json() | {"created": "", "updated": "", "coder": new.coder or "-"}
        )
        if problem:
            raise InvalidInput(f"annotation {new.id}: {problem}")
        return new
