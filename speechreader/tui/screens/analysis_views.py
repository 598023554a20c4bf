"""What each tab of the analysis screen shows: the core's rows as table rows and chart items.

Plain functions over :mod:`speechreader.core.analysis` results, so the screen only
places them. Figures are the core's; here they are only formatted and coloured.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from speechreader.core import analysis as an
from speechreader.tui.widgets.sortable_table import Row, heat, number

if TYPE_CHECKING:
    from speechreader.core.analysis import (
        Coding,
        CoOccurrence,
        GroupCount,
        Keyness,
        TagFrequency,
        Trend,
        WordTable,
    )
    from speechreader.core.store import Annotation

NONE = "(none)"
Table = tuple[list[str], list[Row], list[str]]  # headers, rows, column keys


def group_name(group: str) -> str:
    return group or NONE


def frequency_table(rows: Sequence[TagFrequency]) -> Table:
    headers = ["Tag", "Passages", "Docs", "Characters", "Share"]
    out = [
        Row(
            r.tag,
            [
                (r.tag, r.tag),
                (r.passages, number(str(r.passages))),
                (r.documents, number(str(r.documents))),
                (r.characters, number(str(r.characters))),
                (r.share, number(f"{r.share:.1%}")),
            ],
        )
        for r in rows
    ]
    return headers, out, ["tag", "passages", "documents", "characters", "share"]


def frequency_bars(rows: Sequence[TagFrequency]) -> list[tuple[str, float, str]]:
    return [(r.tag, r.passages, str(r.passages)) for r in rows]


def matrix(
    rows: Sequence[GroupCount], tags: Sequence[str], measure: str
) -> tuple[Table, dict[str, dict[str, float]]]:
    """Groups down, tags across; each cell the rate (or count), coloured as a heat map."""
    groups: dict[str, tuple[int, int]] = {}
    values: dict[str, dict[str, float]] = {}
    for r in rows:
        groups[r.group] = (r.group_documents, r.group_characters)
        values.setdefault(r.tag, {})[r.group] = r.per_10k if measure == "per_10k" else r.passages
    top = max((v for t in values.values() for v in t.values()), default=0)
    headers = ["Group", "Docs", "Characters", *tags]
    table_rows = []
    for group, (docs, chars) in groups.items():
        cells: list = [
            (group_name(group), group_name(group)),
            (docs, number(str(docs))),
            (chars, number(str(chars))),
        ]
        for tag in tags:
            value = values.get(tag, {}).get(group, 0)
            shown = f"{value:.2f}" if measure == "per_10k" else str(int(value))
            cells.append((value, heat(value, top, shown)))
        table_rows.append(Row(group, cells))
    return (headers, table_rows, ["group", "docs", "chars", *tags]), values


def column_bars(values: dict[str, float], measure: str) -> list[tuple[str, float, str]]:
    """The groups of one tag, largest first: which speaker uses it most."""
    ranked = sorted(values.items(), key=lambda kv: -kv[1])
    return [
        (group_name(g), v, f"{v:.2f}" if measure == "per_10k" else str(int(v))) for g, v in ranked
    ]


def cooccurrence_matrix(rows: Sequence[CoOccurrence], tags: Sequence[str], measure: str) -> Table:
    """Tags down and across; each cell the pair count (or Jaccard), a heat map."""
    value: dict[tuple[str, str], float] = {}
    for r in rows:
        v = r.count if measure == "count" else r.jaccard
        value[r.tag_a, r.tag_b] = value[r.tag_b, r.tag_a] = v
    top = max(value.values(), default=0)
    table_rows = []
    for a in tags:
        cells: list = [(a, a)]
        for b in tags:
            if a == b:
                cells.append((-1, number("·")))
                continue
            v = value.get((a, b), 0)
            cells.append((v, heat(v, top, str(int(v)) if measure == "count" else f"{v:.2f}")))
        table_rows.append(Row(a, cells))
    return ["Tag", *tags], table_rows, ["tag", *tags]


def cooccurrence_bars(
    rows: Sequence[CoOccurrence], tag: str, measure: str
) -> list[tuple[str, float, str]]:
    items = []
    for r in rows:
        if tag in (r.tag_a, r.tag_b):
            other = r.tag_b if r.tag_a == tag else r.tag_a
            v = r.count if measure == "count" else r.jaccard
            items.append((other, v, str(int(v)) if measure == "count" else f"{v:.2f}"))
    return sorted(items, key=lambda i: -i[1])


def trend_table(
    result: Trend, tags: Sequence[str]
) -> tuple[Table, list[str], dict[str, list[float]]]:
    """Periods down, tags across, per 10,000 characters; the dated series for the lines."""
    periods: dict[str, tuple[int, int]] = {}
    values: dict[str, dict[str, float]] = {}
    for p in result.points:
        periods[p.period] = (p.period_documents, p.period_characters)
        values.setdefault(p.tag, {})[p.period] = p.per_10k
    top = max((v for t in values.values() for v in t.values()), default=0)
    rows = []
    for period, (docs, chars) in periods.items():
        cells: list = [(period, period), (docs, number(str(docs))), (chars, number(str(chars)))]
        for tag in tags:
            v = values.get(tag, {}).get(period, 0.0)
            cells.append((v, heat(v, top, f"{v:.2f}")))
        rows.append(Row(period, cells))
    dated = [p for p in periods if p != "undated"]
    series = {tag: [values.get(tag, {}).get(p, 0.0) for p in dated] for tag in tags}
    table = (["Period", "Docs", "Characters", *tags], rows, ["period", "docs", "chars", *tags])
    return table, dated, series


def keyness_table(result: Keyness, limit: int = 200) -> Table:
    rows = [
        Row(
            w.word,
            [
                (w.word, w.word),
                (w.observed, number(str(w.observed))),
                (w.expected, number(f"{w.expected:.2f}")),
                (w.reference, number(str(w.reference))),
                (w.g2, number(f"{w.g2:.2f}")),
                (w.log_ratio, number(f"{w.log_ratio:.2f}")),
                (w.p, number(f"{w.p:.1e}")),
            ],
        )
        for w in result.words[:limit]
    ]
    headers = ["Word", "Obs", "Exp", "Ref", "G²", "Log ratio", "p"]
    return headers, rows, ["word", "observed", "expected", "reference", "g2", "log_ratio", "p"]


def keyness_bars(result: Keyness, count: int = 20) -> list[tuple[str, float, str]]:
    return [(w.word, w.g2, f"{w.g2:.1f}") for w in result.words[:count]]


def passages_behind(
    coding: Coding,
    table: WordTable | None,
    params: tuple,
    row: str,
    column: str,
    units: Callable,
) -> tuple[list[Annotation], str] | None:
    """The passages behind cell (row, column) of the tab ``params[0]`` and a title for
    them; None if the cell stands for no passages (a group's size, the diagonal)."""
    tab, children = params[0], params[1]
    tags = coding.tag_names
    if tab == "freq":
        return coding.tagged(row, children), row
    if tab in ("crosstab", "trend"):
        if column not in tags:
            return None
        field = str(params[2])
        groups = an.group_documents(coding.documents, field)
        if tab == "trend":  # a trend's periods call the undated documents "undated"
            groups = {d: g or an.UNDATED for d, g in groups.items()}
        wanted = {d for d, g in groups.items() if g == row}
        anns = [a for a in coding.tagged(column, children) if a.doc_id in wanted]
        return anns, f"{column} · {field} {group_name(row)}"
    if tab == "cooccur":
        if column not in tags or column == row:
            return None
        within = str(params[2])
        anns = an.cooccurring(
            coding, row, column, within, children=children, units=units(coding, within)
        )
        return anns, f"{row} with {column} · {within}"
    _, _, tag, target, _ = params
    if target or table is None:
        return None
    return an.passages_with_word(coding, table, str(tag), row, children=children), (
        f"{tag} · with {row}"
    )
