"""The rows of every analysis table: their JSON form (a contract) and their column types.

Each row class lists its columns with a type (``str``, ``int``, ``float``, ``strs``
for a list of strings, ``bool``), so that a table can be written as CSV or as Parquet
with proper types (see :mod:`speechreader.core.exchange`) without guessing. The JSON
keys are the contract of ``speechreader passages --json`` and ``speechreader stats
... --json``: fields are added, never renamed or removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

Columns = tuple[tuple[str, str], ...]


class Row:
    COLUMNS: ClassVar[Columns] = ()

    def to_json(self) -> dict:
        """The fields by name (lists copied): 100,000 passages in a blink, unlike asdict."""
        return {k: list(v) if isinstance(v, list) else v for k, v in vars(self).items()}

    def values(self) -> list:
        data = self.to_json()
        return [data[name] for name, _ in self.COLUMNS]


@dataclass(frozen=True)
class PassageRow(Row):
    """One coded passage with a line of context (``speechreader passages``)."""

    annotation_id: str
    doc_id: str
    start: int
    end: int
    tags: list[str]
    coder: str
    passage: str
    left: str
    right: str
    title: str = ""
    note: str = ""

    COLUMNS: ClassVar[Columns] = (
        ("annotation_id", "str"), ("doc_id", "str"), ("title", "str"), ("start", "int"),
        ("end", "int"), ("tags", "strs"), ("coder", "str"), ("left", "str"),
        ("passage", "str"), ("right", "str"), ("note", "str"),
    )  # fmt: skip


@dataclass(frozen=True)
class TagFrequency(Row):
    """How much a tag is used: passages, documents, coded characters, share of the corpus.

    ``characters`` counts each character once however many of the tag's passages
    cover it; ``share`` is that over all characters of the chosen documents.
    """

    tag: str
    passages: int
    documents: int
    characters: int
    share: float

    COLUMNS: ClassVar[Columns] = (
        ("tag", "str"), ("passages", "int"), ("documents", "int"),
        ("characters", "int"), ("share", "float"),
    )  # fmt: skip


@dataclass(frozen=True)
class GroupCount(Row):
    """A tag in one group of documents: ``per_10k`` = passages ÷ group characters × 10,000."""

    tag: str
    group: str
    passages: int
    group_characters: int
    per_10k: float
    documents: int  # documents of the group with the tag
    group_documents: int

    COLUMNS: ClassVar[Columns] = (
        ("tag", "str"), ("group", "str"), ("passages", "int"), ("group_characters", "int"),
        ("per_10k", "float"), ("documents", "int"), ("group_documents", "int"),
    )  # fmt: skip


@dataclass(frozen=True)
class TrendPoint(Row):
    """A tag in one period (``YYYY``, ``YYYY-MM``, or ``undated``), per 10,000 characters."""

    tag: str
    period: str
    passages: int
    period_characters: int
    per_10k: float
    period_documents: int

    COLUMNS: ClassVar[Columns] = (
        ("tag", "str"), ("period", "str"), ("passages", "int"), ("period_characters", "int"),
        ("per_10k", "float"), ("period_documents", "int"),
    )  # fmt: skip


@dataclass(frozen=True)
class CoOccurrence(Row):
    """Two tags together: ``count`` pairs of their passages in one unit, and the Jaccard
    index of the units each covers (see :mod:`_cooccurrence`)."""

    tag_a: str
    tag_b: str
    count: int
    jaccard: float
    shared: int  # units (characters, sentences, paragraphs, documents) both cover
    units_a: int
    units_b: int

    COLUMNS: ClassVar[Columns] = (
        ("tag_a", "str"), ("tag_b", "str"), ("count", "int"), ("jaccard", "float"),
        ("shared", "int"), ("units_a", "int"), ("units_b", "int"),
    )  # fmt: skip


@dataclass(frozen=True)
class KeyWord(Row):
    """A word over-represented in the target: G² with its p-value, and the log ratio."""

    word: str
    observed: int  # in the target
    expected: float  # in the target, if it were as frequent there as overall
    g2: float
    log_ratio: float
    reference: int  # in the reference
    p: float

    COLUMNS: ClassVar[Columns] = (
        ("word", "str"), ("observed", "int"), ("expected", "float"), ("g2", "float"),
        ("log_ratio", "float"), ("reference", "int"), ("p", "float"),
    )  # fmt: skip
