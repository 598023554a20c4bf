"""The units where coders differ: what an adjudicator walks through.

A unit is a disagreement when, for some tag in scope, some of the coders who coded
its document applied the tag (by the coding rule) and others did not. Each one says
who applied what, so it can be settled: take one coder's coding, several, or none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from speechreader.core.reliability._study import Study


@dataclass
class Disagreement:
    doc_id: str
    start: int
    end: int
    text: str
    tags: list[str]  # the tags the coders differ on here
    codes: dict[str, list[str]]  # coder -> the tags in scope they applied here
    unit: int  # index of the unit in its document

    def to_json(self) -> dict:
        return {
            "doc_id": self.doc_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "tags": list(self.tags),
            "coders": {c: list(t) for c, t in self.codes.items()},
        }


def find_disagreements(study: Study, tags: Sequence[str]) -> list[Disagreement]:
    """Every unit where the coders who coded it differ on one of ``tags``, in text order."""
    present = study.present
    m = present.sum(axis=0)
    applied = {t: study.tag_array(t) & present for t in tags}
    differs = {}
    for tag, array in applied.items():
        n1 = array.sum(axis=0)
        differs[tag] = (n1 > 0) & (n1 < m) & (m >= 2)
    if not differs:
        return []
    any_differs = np.logical_or.reduce(list(differs.values()))
    out = []
    for unit in np.nonzero(any_differs)[0]:
        doc, local = study.locate_unit(int(unit))
        start, end = doc.spans[local]
        codes = {study.coders[c]: [t for t in tags if applied[t][c, unit]] for c in doc.coders}
        out.append(
            Disagreement(
                doc.doc_id,
                start,
                end,
                doc.text[start:end],
                [t for t in tags if differs[t][unit]],
                codes,
                local,
            )
        )
    return out
