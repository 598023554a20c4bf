"""Why an undo or redo step is refused: a record someone changed since (see :mod:`_undo`)."""

from __future__ import annotations

from speechreader.core.errors import StoreError
from speechreader.core.store import _schema as s
from speechreader.core.store._history import Change


class UndoConflict(StoreError):
    """An undo or redo step whose records someone changed since: nothing was changed."""


def conflict_message(stack: str, change: Change, rel: str, key: str, current: dict | None) -> str:
    """One line: which record stops the step, and that nothing was changed."""
    if rel == s.CODEBOOK:
        what = f"tag {key!r}"
    else:
        doc = (current or {}).get("doc_id") or rel.rsplit("/", 1)[-1][: -len(".json")]
        what = f"annotation {key} (document {doc})"
    if current is None:
        how = "was deleted since"
    else:
        when = current.get("updated", "")
        how = f"was changed since ({when})" if when else "was changed since"
    return (
        f"cannot {stack} {change.label!r}: {what} {how}, by another coder or instance; "
        f"nothing was {'undone' if stack == 'undo' else 'redone'}"
    )
