"""Whose annotations a change may touch: a coder changes only their own.

Each coder's annotations live in files of their own (``annotations/<coder>/…``), so
that a team sharing the database through git merges without conflicts, and so that
a reliability study compares what each coder did: bo's key press on amy's passage
must not become amy's coding. :meth:`Store.update`, :meth:`Store.delete` and
:meth:`Store.apply_edits` therefore refuse another coder's annotation unless the
caller says whom it acts for: ``any_coder=True`` (the command line's ``delete`` of
ids it is given) or ``apply_edits(coder="consensus")`` (adjudication writes only the
target coder's annotations).

The changes that rightly span every coder's files (renaming, merging or deleting a
tag in the codebook, an import, ``doctor``, undo and redo) do not go through these
methods; they are not limited.
"""

from __future__ import annotations

from collections.abc import Iterable

from speechreader.core.errors import NotYourAnnotation


def check_owner(records: Iterable[tuple[str, dict]], coder: str) -> None:
    """Raise :class:`NotYourAnnotation` naming every (id, record) not coded by ``coder``."""
    others = [(ann_id, str(rec.get("coder", ""))) for ann_id, rec in records]
    others = [(ann_id, owner) for ann_id, owner in others if owner != coder]
    if not others:
        return
    owners = sorted({owner for _, owner in others})
    ids = ", ".join(repr(ann_id) for ann_id, _ in others)
    whose = " and ".join(repr(o) for o in owners)
    one = len(others) == 1
    raise NotYourAnnotation(
        f"annotation{'' if one else 's'} {ids} {'was' if one else 'were'} coded by {whose}, "
        f"not by {coder!r}: a coder changes only their own annotations"
    )
