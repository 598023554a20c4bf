"""Counts said in English: "1 annotation", "3 annotations", "no annotation".

Every message with a count (the CLI's, the TUI's status lines, dialogs and toasts)
says it through :func:`plural`, so none says "1 annotations" or "1 files were".
"""

from __future__ import annotations


def plural(n: int, word: str, many: str | None = None) -> str:
    """``1 file``, ``2 files``; ``many`` for an irregular plural (``1 child``, ``2 children``)."""
    return f"{n} {word}" if n == 1 else f"{n} {many or word + 's'}"


def verb(n: int, one: str, many: str) -> str:
    """The verb that agrees with ``n``: ``verb(1, "was", "were")`` is ``was``."""
    return one if n == 1 else many
