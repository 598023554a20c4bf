"""The annotation database: records, storage, transactions, locking, undo, repair.

:class:`Store` is a folder of small JSON files (TinyDB), written atomically under a
short lock so that the reader and a command line in another terminal never lose each
other's changes, with a persistent undo history, a schema version and migration, a
summary index, backups and :func:`check_database` / :func:`repair_database`. The
records (:class:`Annotation`, :class:`Tag`) are the JSON contract; anchors
(:func:`make_anchor`, :func:`locate`) find a passage again after its file changed.

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_anchors": [
            "Anchor",
            "Located",
            "STATUSES",
            "UNKNOWN_VERSION",
            "locate",
            "make_anchor",
            "place_annotation",
        ],
        "_codebook": ["TreeRow", "check_colour", "shifted_keys", "shortcut_keys", "tree_rows"],
        "_conflicts": ["UndoConflict"],
        "_doctor": ["check_database", "repair_database"],
        "_records": ["Annotation", "HIGHLIGHTS", "PALETTE", "Tag"],
        "_spans": ["SpanTable"],
        "_store": ["Store"],
        "_summary": ["DamagedFile"],
        "_tags": ["TagDeletion", "clean_tag_name", "plural"],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._anchors import (
        STATUSES,
        UNKNOWN_VERSION,
        Anchor,
        Located,
        locate,
        make_anchor,
        place_annotation,
    )
    from ._codebook import TreeRow, check_colour, shifted_keys, shortcut_keys, tree_rows
    from ._conflicts import UndoConflict
    from ._doctor import check_database, repair_database
    from ._records import HIGHLIGHTS, PALETTE, Annotation, Tag
    from ._spans import SpanTable
    from ._store import Store
    from ._summary import DamagedFile
    from ._tags import TagDeletion, clean_tag_name, plural
