"""The codebook half of :class:`~speechreader.core.store.Store`: tags and what uses them.

Tags are records of ``codebook.json`` keyed by name, with an ``order`` field beside
the :class:`Tag` fields: the file is sorted by name (stable diffs), the codebook is
shown in the order tags were created (the reader's keys 1-9 apply the first nine).
Renaming, merging or deleting a tag rewrites every annotation file that uses it (any
coder's), found through the file summaries, as one undo step. Deleting a tag also
deletes, in that step, the annotations it leaves marking nothing (no tag, highlight or
memo): they would export as rows with an empty tag. A merge cannot leave one: a
passage that had only the source tag gets the target.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput, UnknownTag
from speechreader.core.store import _schema as s
from speechreader.core.store._records import Tag
from speechreader.core.store._values import UNSET, check_unicode
from speechreader.core.words import plural  # re-exported: the store's messages count with it

if TYPE_CHECKING:
    from speechreader.core.store._transactions import Transaction


def clean_tag_name(name: object) -> str:
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput(f"invalid tag name {name!r}: a tag needs a name")
    if any(ch in name for ch in "\n\r\t"):
        raise InvalidInput(f"invalid tag name {name!r}: no line breaks or tabs")
    return check_unicode(name.strip(), "the tag name")


def clean_tags(names: Iterable[str]) -> list[str]:
    """Tag names stripped, in order, without repeats."""
    if isinstance(names, str):
        names = [names]
    return list(dict.fromkeys(clean_tag_name(n) for n in names))


@dataclass(frozen=True)
class TagDeletion:
    """What deleting a tag does (or did): ``passages`` carried it, and ``deleted`` of
    them carried nothing else (no other tag, no highlight, no memo), so they go too."""

    tag: str
    passages: int
    deleted: int

    def label(self) -> str:
        """The undo step's label."""
        gone = f"; {plural(self.deleted, 'annotation')} deleted" if self.deleted else ""
        return f"delete tag {self.tag} (from {plural(self.passages, 'passage')}{gone})"


def _marks_nothing(rec: dict) -> bool:
    """Whether an annotation record has no tag, no highlight and no memo."""
    return not rec.get("tags") and not rec.get("highlight") and not rec.get("note")


class TagOps:
    """Codebook methods; mixed into Store, whose transaction machinery they use."""

    # --- reading --------------------------------------------------------------------

    def _codebook(self) -> dict[str, dict]:
        return self._file(s.CODEBOOK).records()  # type: ignore[attr-defined]

    def tags(self) -> list[Tag]:
        """The codebook in creation order."""
        records = sorted(self._codebook().values(), key=lambda r: (r.get("order", 0), r["name"]))
        return [Tag.from_json(r) for r in records]

    def _unknown(self, name: str, known: Iterable[str]) -> UnknownTag:
        close = difflib.get_close_matches(name, list(known), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        return UnknownTag(f"no tag {name!r} in the codebook{hint}")

    def get_tag(self, name: str) -> Tag:
        records = self._codebook()
        if name not in records:
            raise self._unknown(name, records)
        return Tag.from_json(records[name])

    def tag_counts(self) -> dict[str, int]:
        """Annotations per tag: every codebook tag (0 if unused), then tags used but not in it."""
        used = self._index_now().tag_counts()  # type: ignore[attr-defined]
        counts = {t.name: used.get(t.name, 0) for t in self.tags()}
        counts.update({name: n for name, n in sorted(used.items()) if name not in counts})
        return counts

    # --- changing ---------------------------------------------------------------------

    def _new_tag_tx(
        self, tx: Transaction, name: str, colour: str | None, description: str, parent: str | None
    ) -> Tag:
        book = tx.records(s.CODEBOOK)
        if parent is not None and parent not in book:
            raise self._unknown(parent, book)
        colour = colour or s.next_colour([r.get("colour", "") for r in book.values()])
        tag = Tag(name=name, colour=colour, description=description or "", parent=parent)
        order = max((r.get("order", 0) for r in book.values()), default=-1) + 1
        tx.put(s.CODEBOOK, name, tag.to_json() | {"order": order})
        return tag

    def _ensure_tags_tx(self, tx: Transaction, names: Iterable[str]) -> list[str]:
        """Add to the codebook the tags it lacks; return their names."""
        added = []
        for name in dict.fromkeys(names):
            if tx.get(s.CODEBOOK, name) is None:
                self._new_tag_tx(tx, name, None, "", None)
                added.append(name)
        return added

    def add_tag(
        self,
        name: str,
        *,
        colour: str | None = None,
        description: str = "",
        parent: str | None = None,
    ) -> Tag:
        """Create a tag; its colour defaults to the first palette colour not yet used."""
        name = clean_tag_name(name)
        with self._mutate() as tx:  # type: ignore[attr-defined]
            if tx.get(s.CODEBOOK, name) is not None:
                raise InvalidInput(f"the tag {name!r} already exists")
            tag = self._new_tag_tx(tx, name, colour, description, parent)
            tx.label = f"create tag {name}"
        return tag

    def ensure_tags(self, names: Iterable[str]) -> list[Tag]:
        """The tags called ``names``, creating those the codebook lacks."""
        names = clean_tags(names)
        with self._mutate() as tx:  # type: ignore[attr-defined]
            added = self._ensure_tags_tx(tx, names)
            tx.label = f"create tag {', '.join(added)}"
        book = self._codebook()
        return [Tag.from_json(book[n]) for n in names]

    def _retag_tx(
        self,
        tx: Transaction,
        names: set[str],
        replace: dict[str, str | None],
        *,
        deleted: list[str] | None = None,
    ) -> int:
        """Rename (None: remove) tags in every annotation using them; return how many changed.

        With a ``deleted`` list, an annotation left with no tag, highlight or memo is
        deleted instead, and its id appended there.
        """
        changed = 0
        for rel in self._index_now().files_with_tags(names):  # type: ignore[attr-defined]
            for key, rec in list(tx.records(rel).items()):
                tags = rec.get("tags", [])
                if not names & set(tags):
                    continue
                new = [replace.get(t, t) if t in replace else t for t in tags]
                new = list(dict.fromkeys(t for t in new if t is not None))
                changed += 1
                if deleted is not None and _marks_nothing(rec | {"tags": new}):
                    tx.put(rel, key, None)
                    deleted.append(key)
                else:
                    tx.put(rel, key, rec | {"tags": new})
        return changed

    def update_tag(
        self,
        name: str,
        *,
        new_name: str | None = None,
        colour: str | None = None,
        description: str | None = None,
        parent: str | None = UNSET,
    ) -> Tag:
        """Edit a tag; renaming it renames it in every annotation (and as a parent)."""
        with self._mutate() as tx:  # type: ignore[attr-defined]
            book = tx.records(s.CODEBOOK)
            if name not in book:
                raise self._unknown(name, book)
            rec = dict(book[name])
            target = name if new_name is None else clean_tag_name(new_name)
            if target != name and target in book:
                raise InvalidInput(
                    f"the tag {target!r} already exists; merge {name!r} into it instead"
                )
            if colour is not None:
                rec["colour"] = colour
            if description is not None:
                rec["description"] = description
            if parent is not UNSET:
                self._check_parent(book, name, parent)
                rec["parent"] = parent or None
            rec["name"] = target
            label = f"edit tag {name}"
            if target != name:
                tx.put(s.CODEBOOK, name, None)
                for other, orec in book.items():
                    if orec.get("parent") == name and other != name:
                        tx.put(s.CODEBOOK, other, orec | {"parent": target})
                n = self._retag_tx(tx, {name}, {name: target})
                label = f"rename tag {name} to {target} ({plural(n, 'passage')})"
            tx.put(s.CODEBOOK, target, rec)
            tx.label = label
        return Tag.from_json(rec)

    def _check_parent(self, book: dict[str, dict], name: str, parent: str | None) -> None:
        seen = {name}
        node = parent
        while node:
            if node not in book:
                raise self._unknown(node, book)
            if node in seen:
                raise InvalidInput(
                    f"{parent!r} cannot be the parent of {name!r}: tags would form a loop"
                )
            seen.add(node)
            node = book[node].get("parent")

    def merge_tags(self, source: str, target: str) -> int:
        """Move all annotations from ``source`` to ``target``, delete ``source``; count them."""
        with self._mutate() as tx:  # type: ignore[attr-defined]
            book = tx.records(s.CODEBOOK)
            for name in (source, target):
                if name not in book:
                    raise self._unknown(name, book)
            if source == target:
                raise InvalidInput("cannot merge a tag into itself")
            n = self._retag_tx(tx, {source}, {source: target})
            self._drop_tag_tx(tx, source, heir=target)
            tx.label = f"merge tag {source} into {target} ({plural(n, 'passage')})"
        return n

    def tag_deletion(self, name: str) -> TagDeletion:
        """What :meth:`delete_tag` would do now (for a question before it); reads only."""
        records = self._codebook()
        if name not in records:
            raise self._unknown(name, records)
        passages = deleted = 0
        for rel in self._index_now().files_with_tags({name}):  # type: ignore[attr-defined]
            for rec in self._file(rel).records().values():  # type: ignore[attr-defined]
                if name in rec.get("tags", []):
                    passages += 1
                    rest = [t for t in rec["tags"] if t != name]
                    deleted += _marks_nothing(rec | {"tags": rest})
        return TagDeletion(name, passages, deleted)

    def delete_tag(self, name: str) -> TagDeletion:
        """Remove a tag from the codebook and every annotation; one undo step.

        The annotations stay, with their other tags, highlights and memos; those that
        had nothing but this tag are deleted (``TagDeletion.deleted`` says how many).
        """
        with self._mutate() as tx:  # type: ignore[attr-defined]
            book = tx.records(s.CODEBOOK)
            if name not in book:
                raise self._unknown(name, book)
            gone: list[str] = []
            n = self._retag_tx(tx, {name}, {name: None}, deleted=gone)
            self._drop_tag_tx(tx, name, heir=book[name].get("parent"))
            result = TagDeletion(name, n, len(gone))
            tx.label = result.label()
        return result

    def _drop_tag_tx(self, tx: Transaction, name: str, heir: str | None) -> None:
        """Delete a codebook record; its children move to ``heir``."""
        book = tx.records(s.CODEBOOK)
        grand = book[name].get("parent")
        tx.put(s.CODEBOOK, name, None)
        for other, rec in book.items():
            if rec.get("parent") == name and other != name:
                tx.put(s.CODEBOOK, other, rec | {"parent": grand if other == heir else heir})
