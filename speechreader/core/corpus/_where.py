"""Choosing documents by what is known of them: ``--where speaker=郭声琨``, ``--where date>=2015``.

Agreement, analysis and export all narrow a corpus the same way, so the conditions
are read here once. A condition is ``FIELD OP VALUE`` with OP one of ``=`` ``!=``
``~`` (contains) ``>=`` ``<=`` ``>`` ``<``. FIELD is a metadata column, one of the
document's own fields (``id``, ``title``, ``path``, ``script``, ``encoding``), or
``year`` / ``month``, taken from the ``date`` column.

- Text is compared as a researcher reads it: spaces around it and letter case do not
  count, full-width letters equal ASCII ones, and simplified equals traditional
  (``speaker=郭声琨`` finds 郭聲琨), through OpenCC's ``t2s``.
- ``date``, ``year`` and ``month`` compare as dates, and a partial date stands for
  its whole span: ``date>=2015`` keeps 2015-01-01 on, ``date<=2015-06`` keeps up to
  2015-06-30, ``date=2015`` keeps the whole year. A document without a usable date
  never passes a date condition (callers can name those documents: see
  :func:`undated`).
- Other comparisons are numeric when both sides are numbers, else by text.
- A document where FIELD is empty passes only ``!=``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput

if TYPE_CHECKING:
    from speechreader.core.corpus._corpus import Corpus, DocumentInfo

#: FIELD OP VALUE; the longest operators first, so ``>=`` is not read as ``>``.
_EXPR = re.compile(r"\s*([^=!~<>\s][^=!~<>]*?)\s*(!=|>=|<=|=|~|>|<)(.*)", re.S)
_DATE = re.compile(r"(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")
DATE_FIELDS = ("date", "year", "month")
OWN_FIELDS = ("id", "title", "path", "script", "encoding")


@dataclass(frozen=True)
class Condition:
    """One ``FIELD OP VALUE`` condition, as the user wrote it."""

    field: str
    op: str
    value: str

    def __str__(self) -> str:
        return f"{self.field}{self.op}{self.value}"

    def matches(self, info: DocumentInfo) -> bool:
        if self.field in DATE_FIELDS:
            return _date_matches(self, info.metadata.get("date", ""))
        have = field_value(info, self.field)
        if not have.strip():
            return self.op == "!="
        if self.op in ("=", "!="):
            return (_fold(have) == _fold(self.value)) == (self.op == "=")
        if self.op == "~":
            return _fold(self.value) in _fold(have)
        a, b = _number(have), _number(self.value)
        left, right = (
            (a, b) if a is not None and b is not None else (_fold(have), _fold(self.value))
        )
        return _compare(left, self.op, right)


def field_value(info: DocumentInfo, name: str) -> str:
    """The value of a field for a document: its own fields first, then its metadata."""
    if name in OWN_FIELDS:
        return str(getattr(info, name))
    return info.metadata.get(name, "")


def known_fields(corpus: Corpus) -> list[str]:
    """Every field a condition may name in this corpus."""
    fields = [*OWN_FIELDS, *DATE_FIELDS[1:]]
    return fields + [c for c in corpus.metadata_columns if c not in fields]


def parse_where(expressions: Iterable[str], corpus: Corpus) -> list[Condition]:
    """Read ``FIELD OP VALUE`` expressions, checking each field exists in ``corpus``."""
    fields = known_fields(corpus)
    conditions = []
    for expression in expressions:
        m = _EXPR.fullmatch(expression)
        if m is None:
            raise InvalidInput(
                f"invalid condition {expression!r}: use FIELD=VALUE, FIELD!=VALUE, FIELD~PART, "
                "or FIELD>=VALUE (also <=, >, <), e.g. speaker=郭声琨 or date>=2015"
            )
        name, op, value = m.group(1).strip(), m.group(2), m.group(3).strip()
        if name not in fields:
            raise InvalidInput(
                f"unknown field {name!r} in {expression!r}; known: {', '.join(fields)}"
            )
        if name in DATE_FIELDS and op != "~":
            _date_span(value, expression)  # an error now rather than nothing matching later
        conditions.append(Condition(name, op, value))
    return conditions


def select_documents(corpus: Corpus, conditions: Iterable[Condition]) -> list[DocumentInfo]:
    """The documents of ``corpus`` (in corpus order) for which every condition holds."""
    conditions = list(conditions)
    return [info for info in corpus if all(c.matches(info) for c in conditions)]


def undated(documents: Iterable[DocumentInfo]) -> list[DocumentInfo]:
    """The documents whose ``date`` is missing or not a date (counted and named, not hidden)."""
    return [info for info in documents if parse_date(info.metadata.get("date", "")) is None]


def parse_date(value: str) -> tuple[int, int | None, int | None] | None:
    """``(year, month, day)`` of an ISO date or its start (``2018``, ``2018-06``), else None."""
    m = _DATE.fullmatch(value.strip()[:10])
    if m is None:
        return None
    year, month, day = (int(g) if g else None for g in m.groups())
    if (month is not None and not 1 <= month <= 12) or (day is not None and not 1 <= day <= 31):
        return None
    return year, month, day  # type: ignore[return-value]


def _date_span(value: str, expression: str = "") -> tuple[str, str]:
    """The first and last day (ISO) a date or partial date stands for."""
    parsed = parse_date(value)
    if parsed is None:
        where = f" in {expression!r}" if expression else ""
        raise InvalidInput(f"invalid date {value!r}{where}: use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = parsed
    if month is None:
        return f"{year:04d}-01-01", f"{year:04d}-12-31"
    if day is None:
        return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-31"
    return (f"{year:04d}-{month:02d}-{day:02d}",) * 2  # type: ignore[return-value]


def _date_matches(condition: Condition, date: str) -> bool:
    parsed = parse_date(date)
    if parsed is None:
        return condition.op == "!="
    if condition.op == "~":
        return condition.value.strip() in date
    first, last = _date_span(date)
    if condition.field == "year":
        first, last = _date_span(first[:4])
    elif condition.field == "month" and parsed[1] is not None:
        first, last = _date_span(first[:7])
    low, high = _date_span(condition.value)
    op = condition.op
    if op == "=":
        return low <= first and last <= high
    if op == "!=":
        return not (low <= first and last <= high)
    if op == ">=":
        return first >= low
    if op == ">":
        return first > high
    if op == "<=":
        return last <= high
    return last < low  # "<"


def _compare(left, op: str, right) -> bool:
    return {">=": left >= right, "<=": left <= right, ">": left > right, "<": left < right}[op]


def _number(value: str) -> float | None:
    try:
        return float(value.strip())
    except ValueError:
        return None


@functools.lru_cache(maxsize=4096)
def _fold(value: str) -> str:
    """Case, width and script folded: how two metadata values are compared."""
    from speechreader.core.text import convert  # OpenCC only when a condition compares text

    return convert(unicodedata.normalize("NFKC", value).strip().casefold(), "t2s")
