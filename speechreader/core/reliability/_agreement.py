"""Intercoder agreement of a coding study: the table a methods section reports.

:func:`measure_agreement` chooses the documents (``--where``), the coders and the
tags, builds the reliability data (:mod:`_study`) and computes, per tag and per group,
Krippendorff's α (with a bootstrap interval if asked), percent agreement and Cohen's
κ for every pair of coders (:mod:`_measures`). :class:`Agreement` is the result; its
JSON form is the contract of ``speechreader agreement --json``, its CSV rows a
methods table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.reliability._alpha import LEVELS
from speechreader.core.reliability._bootstrap import DEFAULT_SEED, bootstrap
from speechreader.core.reliability._measures import (
    GroupResult,
    TagResult,
    group_result,
    tag_results,
)
from speechreader.core.reliability._study import (
    Study,
    choose_coders,
    collect,
    group_values,
    read_coding,
    scope_tags,
)
from speechreader.core.reliability._units import check_unit

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus, DocumentInfo
    from speechreader.core.store import Store

Progress = Callable[[str, int, int], None]  # (stage, done, total)


@dataclass
class Agreement:
    unit: str
    coders: list[str]
    documents: int  # documents two or more of the coders coded
    units: int  # their units
    tags: list[TagResult]
    groups: list[GroupResult]
    left_out: list[str] = field(default_factory=list)  # chosen documents with one coder
    orphaned: int = 0
    bootstrap: int = 0
    seed: int = DEFAULT_SEED

    def to_json(self) -> dict:
        """The ``speechreader agreement --json`` contract."""
        return {
            "unit": self.unit,
            "coders": list(self.coders),
            "documents": self.documents,
            "units": self.units,
            "tags": [t.to_json() for t in self.tags],
            "groups": [g.to_json() for g in self.groups],
        }

    def notes(self) -> list[str]:
        """What a reader of the table must know: undefined αs, conflicts, left-out data."""
        out = [f"{t.tag}: {t.note}" for t in self.tags if t.note]
        if not self.tags and not self.groups:
            out.append(
                "no tags to measure: these coders have tagged nothing here and the codebook "
                "is empty (tag passages, or add the codebook's tags with `codebook add`)"
            )
        out += [f"{g.group}: {g.note}" for g in self.groups if g.note]
        for g in self.groups:
            if g.conflicts:
                out.append(
                    f"{g.group}: {len(g.conflicts)} conflict{'s' if len(g.conflicts) != 1 else ''}"
                    " (a coder applied two values to one unit; that value counts as missing)"
                )
        if self.left_out:
            n = len(self.left_out)
            out.append(
                f"{n} document{'s' if n != 1 else ''} left out: coded by only one of the "
                "coders (nothing to compare there)"
            )
        if self.orphaned:
            out.append(
                f"{self.orphaned} passage{'s' if self.orphaned != 1 else ''} left out: "
                "their text changed and they could not be found again"
            )
        return out

    def csv_rows(self) -> list[list[str]]:
        """A methods table: one row per tag and per group, header first.

        Cells are raw: whoever writes them to a file makes text cells safe from
        spreadsheet formulas (numbers such as -0.0234 must stay numbers).
        """
        pairs = list(self.tags[0].kappa) if self.tags else []
        header = [
            "variable", "kind", "level", "values", "alpha", "alpha_ci95_low", "alpha_ci95_high",
            "percent_agreement", *(f"kappa {p}" for p in pairs), "units", "units_tagged",
            "conflicts", "coders", "unit", "documents", "bootstrap_resamples", "seed", "note",
        ]  # fmt: skip
        common = [
            " ".join(self.coders), self.unit, str(self.documents),
            str(self.bootstrap or ""), str(self.seed) if self.bootstrap else "",
        ]  # fmt: skip
        rows = [header]
        for t in self.tags:
            low, high = t.alpha_ci95 or ("", "")
            rows.append([
                t.tag, "tag", "binary", "0 1", _cell(t.alpha), _cell(low), _cell(high),
                _cell(t.percent_agreement), *(_cell(t.kappa.get(p)) for p in pairs),
                str(t.units), str(t.units_tagged), "", *common, t.note,
            ])  # fmt: skip
        for g in self.groups:
            low, high = g.alpha_ci95 or ("", "")
            rows.append([
                g.group, "group", g.level, " | ".join(g.values), _cell(g.alpha), _cell(low),
                _cell(high), "", *("" for _ in pairs), str(g.units), "",
                str(len(g.conflicts)), *common, g.note,
            ])  # fmt: skip
        return rows


def _cell(value: object) -> str:
    if value is None or value == "":
        return ""
    return f"{float(value):.4f}"  # type: ignore[arg-type]


def compute(
    study: Study,
    tags: Sequence[str],
    groups: Sequence[tuple[str, list[str]]] = (),
    *,
    level: str = "nominal",
    absent_as_value: bool = False,
    resamples: int = 0,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> Agreement:
    """The agreement table of a study (see :func:`measure_agreement` for the options)."""
    tag_rows, tag_variable = tag_results(study, list(tags))
    group_rows, variables = [], [tag_variable]
    for parent, children in groups:
        row, variable = group_result(study, parent, children, level, absent_as_value)
        group_rows.append(row)
        variables.append(variable)
    if resamples > 0:

        def step(done: int, total: int) -> None:
            if progress is not None:
                progress("bootstrap", done, total)

        intervals = bootstrap(variables, study.units, resamples, seed=seed, progress=step)
        for row, interval in zip(tag_rows, intervals[0], strict=True):
            row.alpha_ci95 = interval if row.alpha is not None else None
        for row, found in zip(group_rows, intervals[1:], strict=True):
            row.alpha_ci95 = found[0] if row.alpha is not None else None
    return Agreement(
        unit=study.unit,
        coders=list(study.coders),
        documents=len(study.documents),
        units=study.units,
        tags=tag_rows,
        groups=group_rows,
        left_out=list(study.left_out),
        orphaned=study.orphaned,
        bootstrap=resamples,
        seed=seed,
    )


def select(corpus: Corpus, where: Sequence[str]) -> list[DocumentInfo]:
    """The documents ``--where`` conditions choose (all without conditions)."""
    from speechreader.core.corpus import parse_where, select_documents

    return select_documents(corpus, parse_where(where, corpus)) if where else list(corpus)


def check_options(level: str, absent_as_value: bool, resamples: int) -> None:
    if level not in LEVELS:
        raise InvalidInput(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    if absent_as_value and level == "ordinal":
        raise InvalidInput(
            "--absent-as-value cannot be used with --level ordinal: '(none)' has no place in "
            "the order of a group's values; use --level nominal, or code a child tag for it"
        )
    if resamples < 0:
        raise InvalidInput("--bootstrap needs a number of resamples of 0 or more")


def measure_agreement(
    store: Store,
    corpus: Corpus,
    *,
    coders: Sequence[str] | None = None,
    unit: str = "sentence",
    tags: Sequence[str] | None = None,
    groups: Sequence[str] = (),
    level: str = "nominal",
    absent_as_value: bool = False,
    where: Sequence[str] = (),
    documents: Sequence[str] | None = None,
    resamples: int = 0,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
) -> Agreement:
    """Agreement of ``coders`` (default: all who coded, but ``consensus``) on ``tags``.

    ``where``: conditions on the documents (``speaker=郭声琨``); ``documents``: ids to
    restrict to (the compare view measures one document). ``groups``: parent tags
    whose children are the values of one variable each.
    """
    check_unit(unit)
    check_options(level, absent_as_value, resamples)
    chosen_docs = select(corpus, where)
    if documents is not None:
        wanted = set(documents)
        chosen_docs = [d for d in chosen_docs if d.id in wanted]
    doc_ids = [d.id for d in chosen_docs]
    coding = read_coding(store, doc_ids)
    names = choose_coders(store, doc_ids, coders, coded_by=coding[1])
    scope, codebook = scope_tags(store, tags, coding[0])
    group_specs = [(parent, group_values(codebook, parent)) for parent in groups]
    needed = set(scope) | {c for _, children in group_specs for c in children}

    def loading(done: int, total: int) -> None:
        if progress is not None:
            progress("units", done, total)

    study = collect(
        store, corpus, chosen_docs, names, unit=unit, tags=needed, coding=coding, progress=loading
    )
    return compute(
        study,
        scope,
        group_specs,
        level=level,
        absent_as_value=absent_as_value,
        resamples=resamples,
        seed=seed,
        progress=progress,
    )
