"""Several changes to annotations as one: one transaction, one undo step, all or nothing.

Settling a disagreement removes the adjudicated coding of a unit and copies a coder's
passages in its place. Done as separate calls, a failure half-way would leave the
unit with neither, and undo would take several steps; :meth:`EditOps.apply_edits`
checks everything, then writes every file once under the lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from speechreader.core.store._owners import check_owner
from speechreader.core.store._records import Annotation
from speechreader.core.store._tags import clean_tags, plural
from speechreader.core.store._values import clean_coder, now_iso


class EditOps:
    """``apply_edits``; mixed into Store (it uses Store's _new_items, _find_all, _put_new)."""

    def apply_edits(
        self,
        *,
        add: Iterable[Any] = (),  # NewAnnotation items or mappings with their keys
        retag: Mapping[str, Sequence[str]] | None = None,
        delete: Iterable[str] = (),
        label: str = "",
        coder: str | None = None,
    ) -> list[Annotation]:
        """Add passages, set the tags of others, delete others: one step; return the added.

        If any id is unknown or any item invalid, nothing is written. Re-tagged and
        deleted annotations must be ``coder``'s (default: the store's coder; see
        :mod:`_owners`): adjudication names its target coder.
        """
        new = self._new_items(add)  # type: ignore[attr-defined]
        retag = {k: clean_tags(v) for k, v in (retag or {}).items()}
        removed = list(dict.fromkeys(delete))
        with self._mutate() as tx:  # type: ignore[attr-defined]
            ids = list(dict.fromkeys([*retag, *removed]))
            found = self._find_all(ids, tx)  # type: ignore[attr-defined]
            owner = clean_coder(coder) if coder is not None else self.coder  # type: ignore[attr-defined]
            check_owner([(i, rec) for i, (_, rec) in found.items()], owner)
            for ann_id in removed:
                rel, _ = found[ann_id]
                tx.put(rel, ann_id, None)
            for ann_id, tags in retag.items():
                if ann_id in removed:
                    continue
                rel, rec = found[ann_id]
                ann = Annotation.from_json(rec)
                if ann.tags == tags:
                    continue
                ann.tags, ann.updated = tags, now_iso()
                self._ensure_tags_tx(tx, tags)  # type: ignore[attr-defined]
                tx.put(rel, ann_id, ann.to_json())
            self._ensure_tags_tx(tx, [t for a in new for t in a.tags])  # type: ignore[attr-defined]
            for ann in new:
                self._put_new(tx, ann)  # type: ignore[attr-defined]
            tx.label = label or (
                f"add {plural(len(new), 'passage')}, change {plural(len(retag), 'passage')}, "
                f"delete {plural(len(removed), 'passage')}"
            )
        return new
