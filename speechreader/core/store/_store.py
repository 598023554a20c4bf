"""The annotation database: a codebook and annotations, in TinyDB JSON files.

See ARCHITECTURE.md ("The database") for the on-disk layout. In short: ``--db``
names a folder; inside, ``codebook.json`` and one TinyDB file per (coder, document)
under ``annotations/``, each written atomically (temp file, fsync, rename, folder
fsync), stable JSON (sorted keys, one record per line) so that git diffs are readable
and two coders' work never touches the same file. Every write takes a short exclusive
lock and re-reads what changed on disk, so two instances (TUI + CLI) never lose an
update. Undo/redo history persists in the database's ``local/`` folder.

The machinery (opening, locking, transactions, undo) is in :mod:`_transactions`, the
codebook methods in :mod:`_tags`, imports in :mod:`_imports`; this module holds the
annotation methods.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from speechreader.core.errors import InvalidInput, StoreError, UnknownAnnotation
from speechreader.core.store import _schema as s
from speechreader.core.store._anchors import make_anchor
from speechreader.core.store._done import DoneOps
from speechreader.core.store._edits import EditOps
from speechreader.core.store._history import Change
from speechreader.core.store._imports import ImportOps
from speechreader.core.store._migrate import LegacyReport, migrate_legacy_file
from speechreader.core.store._names import safe_name
from speechreader.core.store._owners import check_owner
from speechreader.core.store._records import Annotation
from speechreader.core.store._spans import SpanOps
from speechreader.core.store._stream import ByDocument
from speechreader.core.store._summary import DamagedFile
from speechreader.core.store._tags import TagOps, clean_tags, plural
from speechreader.core.store._transactions import StoreBase, Transaction
from speechreader.core.store._undo import UndoOps
from speechreader.core.store._values import (
    UNSET,
    check_highlight,
    check_note,
    clean_coder,
    new_id,
    now_iso,
)

__all__ = ["UNSET", "Change", "NewAnnotation", "Store"]


@dataclass
class NewAnnotation:
    """One item for :meth:`Store.add_many` (a mapping with these keys works too)."""

    doc_id: str
    start: int
    end: int
    text: str
    doc_hash: str
    tags: tuple[str, ...] | list[str] = ()
    note: str = ""
    highlight: str | None = None
    coder: str | None = None


class Store(StoreBase, UndoOps, TagOps, DoneOps, EditOps, ImportOps, SpanOps):
    """One annotation database folder. See the module docstring and ARCHITECTURE.md.

    ``Store(path, coder=None, readonly=False, lock_timeout=None)``: ``coder`` and
    ``lock_timeout`` (seconds a change waits for another program's change, 10 unless
    configured) default to the configured ones; a missing folder is created (unless
    ``readonly``).
    """

    # --- annotations ----------------------------------------------------------------

    def _new(
        self,
        doc_id: str,
        start: int,
        end: int,
        text: str,
        doc_hash: str,
        tags: Iterable[str],
        note: str,
        highlight: str | None,
        coder: str | None,
    ) -> Annotation:
        if not isinstance(doc_id, str) or not doc_id:
            raise InvalidInput("a document id is needed")
        if not isinstance(text, str):
            raise InvalidInput("the document's text is needed to anchor the passage")
        anchor = make_anchor(text, start, end)
        stamp = now_iso()
        return Annotation(
            id=new_id(),
            doc_id=doc_id,
            start=start,
            end=end,
            quote=anchor.quote,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            tags=clean_tags(tags),
            highlight=check_highlight(highlight),
            note=check_note(note),
            coder=clean_coder(coder) if coder is not None else self.coder,
            created=stamp,
            updated=stamp,
            doc_hash=str(doc_hash or ""),
        )

    def _put_new(self, tx: Transaction, ann: Annotation) -> None:
        rel = self._rel(ann.coder, ann.doc_id)
        while tx.get(rel, ann.id) is not None:  # 48 random bits: never in practice
            ann.id = new_id()
        tx.put(rel, ann.id, ann.to_json())

    def add(
        self,
        doc_id: str,
        start: int,
        end: int,
        *,
        text: str,
        doc_hash: str,
        tags: Iterable[str] = (),
        note: str = "",
        highlight: str | None = None,
        coder: str | None = None,
    ) -> Annotation:
        """Code ``text[start:end]`` of a document; durable when this returns."""
        ann = self._new(doc_id, start, end, text, doc_hash, tags, note, highlight, coder)
        with self._mutate() as tx:
            self._ensure_tags_tx(tx, ann.tags)
            self._put_new(tx, ann)
            tx.label = _add_label(1, ann.tags, ann.highlight)
        return ann

    def _new_items(self, items: Iterable[NewAnnotation | Mapping[str, Any]]) -> list[Annotation]:
        """:class:`NewAnnotation` items (or mappings with their keys) as annotations."""
        anns = []
        for item in items:
            data = item if isinstance(item, Mapping) else vars(item)
            try:
                anns.append(
                    self._new(
                        data["doc_id"],
                        data["start"],
                        data["end"],
                        data["text"],
                        data.get("doc_hash", ""),
                        data.get("tags", ()),
                        data.get("note", ""),
                        data.get("highlight"),
                        data.get("coder"),
                    )
                )
            except KeyError as exc:
                raise InvalidInput(f"item {len(anns) + 1}: missing {exc.args[0]!r}") from None
        return anns

    def add_many(self, items: Iterable[NewAnnotation | Mapping[str, Any]]) -> list[Annotation]:
        """Add many passages: each file written once, one undo step; nothing if any is invalid."""
        anns = self._new_items(items)
        if not anns:
            return []
        with self._mutate() as tx:
            self._ensure_tags_tx(tx, [t for a in anns for t in a.tags])
            for ann in anns:
                self._put_new(tx, ann)
            tx.label = _add_label(len(anns), sorted({t for a in anns for t in a.tags}), None)
        return anns

    def _find(self, ann_id: str, tx: Transaction | None = None) -> tuple[str, dict] | None:
        """The file and record of an annotation, looking again if the summary was stale."""
        for attempt in range(2):
            index = self._index_now()
            if attempt:
                index.refresh()
            rel = index.ids().get(ann_id)
            if rel is not None:
                rec = (
                    tx.get(rel, ann_id) if tx is not None else self._file(rel).records().get(ann_id)
                )
                if rec is not None:
                    return rel, rec
        return None

    def _find_all(self, ann_ids: Iterable[str], tx: Transaction) -> dict[str, tuple[str, dict]]:
        """The file and record of each id; if any is unknown, raise naming every such id."""
        found = {i: self._find(i, tx) for i in ann_ids}
        unknown = [i for i, f in found.items() if f is None]
        if unknown:
            raise UnknownAnnotation(
                f"no annotation with id {', '.join(map(repr, unknown))} in {self.path}"
            )
        return found  # type: ignore[return-value]

    def get(self, ann_id: str) -> Annotation:
        found = self._find(ann_id)
        if found is None:
            raise UnknownAnnotation(f"no annotation with id {ann_id!r} in {self.path}")
        return Annotation.from_json(found[1])

    def update(
        self,
        ann_id: str,
        *,
        tags: Iterable[str] | None = None,
        note: str | None = None,
        highlight: str | None = UNSET,
        start: int | None = None,
        end: int | None = None,
        text: str | None = None,
        doc_hash: str | None = None,
        any_coder: bool = False,
    ) -> Annotation:
        """Change one of the coder's annotations (any coder's with ``any_coder``: _owners);
        a new range needs the document's ``text`` (to re-anchor it)."""
        if (start is not None or end is not None) and text is None:
            raise InvalidInput("changing a passage's range needs the document's text")
        with self._mutate() as tx:
            found = self._find(ann_id, tx)
            if found is None:
                raise UnknownAnnotation(f"no annotation with id {ann_id!r} in {self.path}")
            rel, rec = found
            if not any_coder:
                check_owner([(ann_id, rec)], self.coder)
            old, ann = Annotation.from_json(rec), Annotation.from_json(rec)
            if tags is not None:
                ann.tags = clean_tags(tags)
                self._ensure_tags_tx(tx, ann.tags)
            if note is not None:
                ann.note = check_note(note)
            if highlight is not UNSET:
                ann.highlight = check_highlight(highlight)
            if text is not None:
                ann.start = ann.start if start is None else start
                ann.end = ann.end if end is None else end
                anchor = make_anchor(text, ann.start, ann.end)
                ann.quote, ann.prefix, ann.suffix = anchor.quote, anchor.prefix, anchor.suffix
            if doc_hash is not None:
                ann.doc_hash = doc_hash
            if ann == old:
                return ann
            ann.updated = now_iso()
            tx.put(rel, ann.id, ann.to_json())
            tx.label = _update_label(old, ann)
        return ann

    def delete(self, ann_ids: str | Iterable[str], *, any_coder: bool = False) -> list[Annotation]:
        """Delete the coder's annotations (any coder's with ``any_coder``: _owners); if any
        id is unknown or not the coder's, delete nothing and name every such id."""
        ids = list(dict.fromkeys([ann_ids] if isinstance(ann_ids, str) else ann_ids))
        deleted = []
        with self._mutate() as tx:
            found = self._find_all(ids, tx)
            if not any_coder:
                check_owner([(i, rec) for i, (_, rec) in found.items()], self.coder)
            for ann_id, (rel, rec) in found.items():
                tx.put(rel, ann_id, None)
                deleted.append(Annotation.from_json(rec))
            tx.label = f"delete {plural(len(deleted), 'passage')}"
        return deleted

    def for_document(self, doc_id: str, *, skip_damaged: bool = False) -> list[Annotation]:
        """Every coder's annotations of a document, by (start, end, id).

        A coder's file that cannot be read raises :class:`DatabaseCorrupt`, or with
        ``skip_damaged`` is left out (:meth:`damaged_documents` names it).
        """
        name = safe_name(doc_id) + ".json"
        out = []
        for coder in self._coder_folders():
            try:
                records = self._file(f"{s.ANNOTATIONS}/{coder}/{name}").records()
            except StoreError:
                if not skip_damaged:
                    raise
                continue
            out.extend(Annotation.from_json(r) for r in records.values())
        out.sort(key=lambda a: (a.start, a.end, a.id))
        return out

    def all(self) -> Iterator[Annotation]:
        """Every annotation, by document then position: (document id, start, end, id).

        Read document by document as it is consumed (see :meth:`by_document`): a caller
        that goes through them holds one document's passages, not the whole database.
        """
        for _, found in self.by_document():
            yield from found

    def by_document(self, coders: Iterable[str] | None = None) -> ByDocument:
        """``(document id, its annotations by (start, end, id))``, documents in id order.

        Only documents with annotations (of ``coders``, if given). Each document's files
        are read when its turn comes, validated as always: an export of a million
        passages holds one document's at a time (:mod:`_stream`). Its ``len()``: the
        documents with a file (for a progress bar).
        """
        return ByDocument(self.path, self._coder_folders(), coders)

    def counts_by_document(self) -> dict[str, int]:
        """Annotations per document, leaving out files that cannot be read (see below)."""
        return self._index_now().counts_by_document()

    def damaged_documents(self) -> list[DamagedFile]:
        """Annotation files that cannot be read, each with its document and the reason.

        Only those documents are affected: reading or changing their annotations raises
        :class:`DatabaseCorrupt` naming the file (left untouched for ``doctor``), while
        every other document reads and writes as usual.
        """
        return self._index_now().damaged_files()

    @classmethod
    def migrate_legacy_file(
        cls, src: Path | str, dst: Path | str, *, coder: str | None = None
    ) -> LegacyReport:
        """Copy a single-file (schema 0) database into a new database folder; ``src`` is kept."""
        from speechreader.core.config import load_settings

        return migrate_legacy_file(
            Path(src), Path(dst), coder=clean_coder(coder or load_settings().coder)
        )


def _add_label(count: int, tags: Iterable[str], highlight: str | None) -> str:
    tags = list(tags)
    if tags:
        return f"add tag {', '.join(tags)} to {plural(count, 'passage')}"
    if highlight:
        return f"highlight {plural(count, 'passage')} {highlight}"
    return f"add {plural(count, 'passage')}"


def _update_label(old: Annotation, new: Annotation) -> str:
    added = [t for t in new.tags if t not in old.tags]
    removed = [t for t in old.tags if t not in new.tags]
    what = []
    if added:
        what.append(f"add tag {', '.join(added)} to 1 passage")
    if removed:
        what.append(f"remove tag {', '.join(removed)} from 1 passage")
    if new.note != old.note:
        what.append("edit note")
    if new.highlight != old.highlight:
        what.append(f"highlight {new.highlight}" if new.highlight else "remove highlight")
    if (new.start, new.end) != (old.start, old.end):
        what.append("move passage")
    return "; ".join(what) or "edit passage"
