"""Read a corpus's optional ``metadata.csv``: one row per file, keyed by its relative path.

Standard columns are ``file, title, date, speaker, office, place, source``; any other
column is kept as an extra attribute (and exported after the standard ones).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

METADATA_FILE = "metadata.csv"
STANDARD_COLUMNS: tuple[str, ...] = ("title", "date", "speaker", "office", "place", "source")


@dataclass
class Metadata:
    """The parsed metadata file.

    ``rows`` maps a file path relative to the corpus (POSIX separators, as written in
    the ``file`` column, normalised) to its non-empty attributes. ``columns`` lists
    every attribute column in file order (standard first where present, then extras),
    without ``file``. ``warnings`` are one-line messages about rows we could not use.
    """

    rows: dict[str, dict[str, str]] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def for_path(self, rel_path: str) -> dict[str, str]:
        """Attributes of one file; also matches a ``file`` value given without ``.txt``."""
        raise NotImplementedError


def read_metadata(corpus_root: Path) -> Metadata:
    """Parse ``metadata.csv`` (any encoding :mod:`encoding` can read; BOM tolerated).

    A missing file gives an empty :class:`Metadata`; a malformed one gives warnings, not errors.
    """
    raise NotImplementedError
