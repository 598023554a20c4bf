"""The measures of one study: per tag (binary) and per group of a parent's children.

Per tag, each unit is a binary variable: 1 where a coder applied the tag, 0 where the
coder coded the document but did not, missing where the coder did not code it.

Per group, the children of a parent tag are the values of one variable. A coder who
applied none of them to a unit is missing there (or, with ``absent_as_value``, gave
the value "(none)"); a coder who applied two or more is in *conflict*: that coder's
value for that unit is missing too, and every conflict is listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from speechreader.core.reliability._alpha import alpha_from_coincidences, binary_kappa
from speechreader.core.reliability._bootstrap import Variable
from speechreader.core.reliability._study import Study

NONE_VALUE = "(none)"


@dataclass
class TagResult:
    tag: str
    alpha: float | None
    percent_agreement: float | None
    kappa: dict[str, float | None]
    units: int  # pairable units (two or more coders coded them)
    units_tagged: int  # of those, units any coder applied the tag to
    note: str = ""  # why alpha is undefined, "" when it is defined
    alpha_ci95: tuple[float, float] | None = None

    def to_json(self) -> dict:
        return {
            "tag": self.tag,
            "alpha": _round(self.alpha),
            "alpha_ci95": _interval(self.alpha_ci95),
            "percent_agreement": _round(self.percent_agreement),
            "kappa": {pair: _round(k) for pair, k in self.kappa.items()},
            "units": self.units,
            "units_tagged": self.units_tagged,
        }


@dataclass
class Conflict:
    """A unit where one coder applied two or more values of one group."""

    doc_id: str
    start: int
    end: int
    coder: str
    values: list[str]

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "coder": self.coder,
            "values": list(self.values),
        }


@dataclass
class GroupResult:
    group: str
    level: str
    values: list[str]
    alpha: float | None
    units: int  # units with values from two or more coders
    conflicts: list[Conflict] = field(default_factory=list)
    note: str = ""
    alpha_ci95: tuple[float, float] | None = None

    def to_json(self) -> dict:
        return {
            "group": self.group,
            "level": self.level,
            "values": list(self.values),
            "alpha": _round(self.alpha),
            "alpha_ci95": _interval(self.alpha_ci95),
            "units": self.units,
            "conflicts": [c.to_json() for c in self.conflicts],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(float(value), 6)


def _interval(value: tuple[float, float] | None) -> list[float] | None:
    return None if value is None else [round(value[0], 6), round(value[1], 6)]


def _defined(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def tag_contributions(study: Study, tags: list[str]) -> np.ndarray:
    """Each unit's binary coincidences per tag: ``[units, tags, 2, 2]`` (value 0, value 1)."""
    present = study.present
    m = present.sum(axis=0).astype(float)
    weight = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
    out = np.zeros((study.units, len(tags), 2, 2))
    for i, tag in enumerate(tags):
        n1 = (study.tag_array(tag) & present).sum(axis=0).astype(float)
        n0 = m - n1
        out[:, i, 0, 0] = n0 * (n0 - 1) * weight
        out[:, i, 0, 1] = out[:, i, 1, 0] = n0 * n1 * weight
        out[:, i, 1, 1] = n1 * (n1 - 1) * weight
    return out


def tag_results(study: Study, tags: list[str]) -> tuple[list[TagResult], Variable]:
    """α, percent agreement, κ for every pair, unit counts: one row per tag."""
    present = study.present
    m = present.sum(axis=0)
    pairable = m >= 2
    units = int(pairable.sum())
    pairs_total = float((m * (m - 1) / 2)[pairable].sum())
    contributions = tag_contributions(study, tags)
    alphas = alpha_from_coincidences(contributions.sum(axis=0), "nominal")
    pairs = list(combinations(range(len(study.coders)), 2))
    both = {(i, j): present[i] & present[j] for i, j in pairs}
    results = []
    for t, tag in enumerate(tags):
        applied = study.tag_array(tag) & present
        n1 = applied.sum(axis=0)
        n0 = m - n1
        agreeing = ((n0 * (n0 - 1) + n1 * (n1 - 1)) / 2)[pairable].sum()
        kappa = {
            f"{study.coders[i]}|{study.coders[j]}": binary_kappa(
                applied[i, both[i, j]], applied[j, both[i, j]]
            )
            for i, j in pairs
        }
        tagged = int(((n1 > 0) & pairable).sum())
        alpha = _defined(alphas[t])
        results.append(
            TagResult(
                tag,
                alpha,
                float(agreeing / pairs_total) if pairs_total else None,
                kappa,
                units,
                tagged,
                _tag_note(alpha, units, tagged, int(((n1 == m) & pairable).sum())),
            )
        )
    return results, Variable(contributions, "nominal")


def _tag_note(alpha: float | None, units: int, tagged: int, everyone: int) -> str:
    if alpha is not None:
        return ""
    if units == 0:
        return "α undefined: no unit was coded by two of these coders"
    if tagged == 0:
        return "α undefined: no coder applied this tag to these units"
    if everyone == units:
        return "α undefined: every coder applied this tag to every unit"
    return "α undefined: every unit has the same value"


def group_result(
    study: Study, parent: str, children: list[str], level: str, absent_as_value: bool
) -> tuple[GroupResult, Variable]:
    """α of the variable whose values are ``children`` (plus "(none)" if asked)."""
    present = study.present
    chosen = np.stack([study.tag_array(c) & present for c in children])  # [V, C, U]
    how_many = chosen.sum(axis=0)  # [C, U]
    single = how_many == 1
    counts = [(chosen[v] & single).sum(axis=0) for v in range(len(children))]
    values = list(children)
    if absent_as_value:
        counts.append((present & (how_many == 0)).sum(axis=0))
        values.append(NONE_VALUE)
    count_matrix = np.stack(counts, axis=1).astype(float)  # [U, V]
    m = count_matrix.sum(axis=1)
    weight = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
    outer = count_matrix[:, :, None] * count_matrix[:, None, :]
    idx = np.arange(len(values))
    outer[:, idx, idx] -= count_matrix
    contributions = (outer * weight[:, None, None])[:, None, :, :]
    alpha = _defined(alpha_from_coincidences(contributions.sum(axis=0)[0], level))
    conflicts = []
    for coder, unit in zip(*np.nonzero(how_many >= 2), strict=True):
        doc, local = study.locate_unit(int(unit))
        start, end = doc.spans[local]
        names = [children[v] for v in range(len(children)) if chosen[v, coder, unit]]
        conflicts.append(Conflict(doc.doc_id, start, end, study.coders[coder], names))
    conflicts.sort(key=lambda c: (c.doc_id, c.start, c.coder))
    units = int((m >= 2).sum())
    note = ""
    if alpha is None:
        note = (
            "α undefined: no unit has values from two coders"
            if units == 0
            else "α undefined: every unit has the same value"
        )
    result = GroupResult(parent, level, values, alpha, units, conflicts, note)
    return result, Variable(contributions, level)
