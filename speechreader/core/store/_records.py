"""The records a researcher's work is made of: codebook tags and annotations.

Plain dataclasses with explicit JSON forms; the JSON field names are a contract
(``speechreader annotations --json``, the database files, the CSV export).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: Tag colours in codebook order; a new tag takes the first one not yet used.
PALETTE: tuple[str, ...] = (
    "#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4",
    "#42d4f4", "#f032e6", "#bfef45", "#fabed4", "#469990",
    "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
    "#808000", "#ffd8b1", "#000075", "#a9a9a9",
)  # fmt: skip

#: Highlight colours (an annotation without a tag), cycled by ``h`` in the reader.
HIGHLIGHTS: tuple[str, ...] = ("yellow", "green", "blue", "pink", "orange")


@dataclass
class Tag:
    """A code in the codebook. ``parent`` names another tag (a tree), or None."""

    name: str
    colour: str
    description: str = ""
    parent: str | None = None

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> Tag:
        return cls(
            name=str(data["name"]),
            colour=str(data.get("colour") or PALETTE[0]),
            description=str(data.get("description") or ""),
            parent=data.get("parent") or None,
        )


@dataclass
class Annotation:
    """A coded passage: characters ``start..end`` (end exclusive) of a document's text.

    ``quote``, ``prefix`` and ``suffix`` (up to 32 characters of context each side)
    let the passage be found again if the file changes; ``doc_hash`` is the content
    hash of the text the offsets were taken in (``"unknown"`` for an orphan imported
    from an export, see :data:`_anchors.UNKNOWN_VERSION`; empty in old records).
    """

    id: str
    doc_id: str
    start: int
    end: int
    quote: str
    prefix: str = ""
    suffix: str = ""
    tags: list[str] = field(default_factory=list)
    highlight: str | None = None
    note: str = ""
    coder: str = ""
    created: str = ""  # ISO 8601, UTC, seconds
    updated: str = ""
    doc_hash: str = ""

    def to_json(self) -> dict:
        # What asdict gives (fields in order, tags copied), without its recursive deep
        # copy: an import of 100,000 passages calls this three times per passage.
        data = {name: getattr(self, name) for name in _ANNOTATION_FIELD_ORDER}
        data["tags"] = list(self.tags)
        return data

    @classmethod
    def from_checked(cls, data: dict) -> Annotation:
        """From a record the database has validated (_schema): no conversions needed.

        A record with exactly the dataclass's fields fills the instance directly (it is a
        plain dataclass: no slots, no __post_init__), five times faster than calling
        ``__init__``, which matters when an export reads 100,000 of them.
        """
        if data.keys() != _ANNOTATION_FIELDS:
            return cls.from_json(data)
        ann = object.__new__(cls)
        ann.__dict__.update(data)
        ann.tags = list(data["tags"])
        ann.highlight = data["highlight"] or None
        return ann

    @classmethod
    def from_json(cls, data: dict) -> Annotation:
        return cls(
            id=str(data["id"]),
            doc_id=str(data["doc_id"]),
            start=int(data["start"]),
            end=int(data["end"]),
            quote=str(data.get("quote", "")),
            prefix=str(data.get("prefix", "")),
            suffix=str(data.get("suffix", "")),
            tags=[str(t) for t in data.get("tags", [])],
            highlight=data.get("highlight") or None,
            note=str(data.get("note") or ""),
            coder=str(data.get("coder") or ""),
            created=str(data.get("created") or ""),
            updated=str(data.get("updated") or ""),
            doc_hash=str(data.get("doc_hash") or ""),
        )


_ANNOTATION_FIELD_ORDER = tuple(Annotation.__dataclass_fields__)
_ANNOTATION_FIELDS = frozenset(_ANNOTATION_FIELD_ORDER)
