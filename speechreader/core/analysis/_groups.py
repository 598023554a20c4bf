"""Which group a document falls in: by speaker, place, office, year, month, document, any column.

A speaker written 郭声琨 in one file's metadata and 郭聲琨 in another (a traditional
source) is one person: values are grouped the way ``--where`` compares them (spaces
around, letter case, full-width letters and script do not count) and the group is
named by its most frequent spelling. ``year`` and ``month`` come from the ``date``
column; a document without one falls in the group ``""`` (shown as "(none)"),
counted like any other, never dropped.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, DocumentInfo

#: fields that are not metadata columns: the document itself, and parts of its date
SPECIAL_FIELDS = ("document", "year", "month")
PERIODS = ("year", "month")


def group_fields(corpus: Corpus) -> list[str]:
    """Every field a table can be grouped by in this corpus."""
    from speechreader.core.corpus import known_fields

    fields = list(SPECIAL_FIELDS)
    return fields + [f for f in known_fields(corpus) if f not in fields and f != "id"]


def check_field(corpus: Corpus, name: str) -> str:
    name = name.strip()
    fields = group_fields(corpus)
    if name not in fields:
        raise InvalidInput(f"cannot group by {name!r}; fields: {', '.join(fields)}")
    return name


def period_of(info: DocumentInfo, period: str) -> str:
    """``YYYY`` or ``YYYY-MM`` of the document's date; ``""`` without one (or without a month)."""
    from speechreader.core.corpus import parse_date

    parsed = parse_date(info.metadata.get("date", ""))
    if parsed is None:
        return ""
    year, month, _ = parsed
    if period == "year":
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}" if month is not None else ""


@functools.lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """The form two metadata values are compared in (width, case, spaces, script)."""
    from speechreader.core.text import convert

    folded = unicodedata.normalize("NFKC", value).strip().casefold()
    return convert(folded, "t2s") if folded and not folded.isascii() else folded


def group_documents(documents: Iterable[DocumentInfo], field: str) -> dict[str, str]:
    """Document id → group name, for ``field`` (see the module docstring)."""
    from speechreader.core.corpus import field_value

    documents = list(documents)
    if field == "document":
        return {info.id: info.id for info in documents}
    if field in PERIODS:
        return {info.id: period_of(info, field) for info in documents}
    raw = {info.id: field_value(info, field).strip() for info in documents}
    spellings: dict[str, Counter[str]] = {}
    for value in raw.values():
        spellings.setdefault(fold(value), Counter())[value] += 1
    # most frequent spelling; on a tie, the first met in corpus order (Counter keeps it)
    names = {key: counts.most_common(1)[0][0] for key, counts in spellings.items()}
    return {doc_id: names[fold(value)] for doc_id, value in raw.items()}
