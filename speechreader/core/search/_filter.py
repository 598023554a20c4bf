"""Which documents a search looks in: metadata, ids, dates (a year or month widened).

Kept apart from the matching (:mod:`_find`): the filter reads the corpus listing, the
matching reads the index, and a search without metadata conditions never loads the
listing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from speechreader.core.errors import InvalidInput
from speechreader.core.search._index import SearchIndex

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class SearchFilter:
    """Which documents (and passages) to search; every given condition must hold.

    ``speaker`` and ``place`` match part of the metadata value, in search form (广西
    finds 廣西 南寧); ``date_from``/``date_to`` bound the ISO ``date`` column, inclusive,
    and may be a year or a month (``2018``, ``2018-06``); documents without a date are
    left out when either is given. ``tag`` keeps hits lying inside a passage coded
    with that tag (by any coder).
    """

    speaker: str | None = None
    place: str | None = None
    date_from: str | None = None
    date_to: str | None = None
    doc_ids: frozenset[str] | None = None
    tag: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == SearchFilter()


def _date_bound(value: str, *, upper: bool) -> str:
    """An ISO date bound; a year or month is widened to its first or last day."""
    m = _DATE.fullmatch(value.strip())
    if m is None:
        raise InvalidInput(f"invalid date {value!r}: use YYYY-MM-DD (or YYYY-MM, or YYYY)")
    year, month, day = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise InvalidInput(f"invalid date {value!r}: no month {month}")
    if day is not None and not 1 <= int(day) <= 31:
        raise InvalidInput(f"invalid date {value!r}: no day {day}")
    month = month or ("12" if upper else "01")
    day = day or ("31" if upper else "01")
    return f"{year}-{month}-{day}"


def selected_ids(index: SearchIndex, where: SearchFilter | None = None) -> set[str] | None:
    """The ids of the documents ``where`` allows (its tag aside); None: every document.

    Metadata conditions need the corpus listing (loaded then); a search without them
    does not.
    """
    if where is None:
        return None
    ids: set[str] | None = None
    if where.doc_ids is not None:
        for doc_id in where.doc_ids:
            if index.db.number(doc_id) is None:
                index.corpus.get(doc_id)  # an unknown id is an error, with suggestions
        ids = set(where.doc_ids)
    conditions = (where.speaker, where.place, where.date_from, where.date_to)
    if not any(conditions):
        return ids
    docs = index.corpus.documents
    if ids is not None:
        docs = [i for i in docs if i.id in ids]
    for column, wanted in (("speaker", where.speaker), ("place", where.place)):
        if wanted:
            needle = index.normalise(wanted.strip())
            docs = [i for i in docs if needle in index.normalise(i.metadata.get(column, ""))]
    if where.date_from or where.date_to:
        low = _date_bound(where.date_from, upper=False) if where.date_from else "0000"
        high = _date_bound(where.date_to, upper=True) if where.date_to else "9999"
        docs = [i for i in docs if _in_range(i.metadata.get("date", ""), low, high)]
    return {i.id for i in docs}


def _in_range(date: str, low: str, high: str) -> bool:
    """Whether a metadata date (``2018-06-07``, also ``2018-06`` or ``2018``: taken as
    its first day) lies in ``low..high``; anything else is no date."""
    m = _DATE.fullmatch(date.strip()[:10])
    if m is None:
        return False
    year, month, day = m.groups()
    return low <= f"{year}-{month or '01'}-{day or '01'}" <= high
