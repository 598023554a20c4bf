"""Intercoder reliability: agreement (Krippendorff's α, Cohen's κ), disagreements, adjudication.

A coding study has several coders code the same documents; before its findings count
it reports, per code, how far the coders agreed. Here: units from the core's own
rules (sentences, paragraphs, characters) and a coding rule that turns passages into
"applied this tag to this unit" (:func:`unit_spans`, :class:`UnitIndex`); reliability
data that keeps a coder who did not code a document *missing* (:func:`collect`);
Krippendorff's α at the nominal and ordinal levels, percent agreement and pairwise
Cohen's κ (:func:`alpha`, :func:`cohen_kappa`), a bootstrap interval
(:func:`bootstrap`), the whole table (:func:`measure_agreement`), and the units where
coders differ (:func:`find_disagreements`), which the compare view settles into a
consensus coding (:func:`compare`, :func:`settle`, :func:`accept_agreements`).

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_adjudicate": ["Comparison", "accept_agreements", "compare", "settle"],
        "_agreement": ["Agreement", "compute", "measure_agreement", "select"],
        "_alpha": ["LEVELS", "alpha", "cohen_kappa", "pairwise_agreement"],
        "_bootstrap": ["DEFAULT_SEED", "bootstrap"],
        "_disagreements": ["Disagreement", "find_disagreements"],
        "_measures": ["Conflict", "GroupResult", "NONE_VALUE", "TagResult"],
        "_study": [
            "CONSENSUS",
            "Passage",
            "Study",
            "choose_coders",
            "collect",
            "group_values",
            "read_coding",
            "scope_tags",
        ],
        "_units": ["UNITS", "UnitIndex", "applies", "unit_spans"],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._adjudicate import Comparison, accept_agreements, compare, settle
    from ._agreement import Agreement, compute, measure_agreement, select
    from ._alpha import LEVELS, alpha, cohen_kappa, pairwise_agreement
    from ._bootstrap import DEFAULT_SEED, bootstrap
    from ._disagreements import Disagreement, find_disagreements
    from ._measures import NONE_VALUE, Conflict, GroupResult, TagResult
    from ._study import (
        CONSENSUS,
        Passage,
        Study,
        choose_coders,
        collect,
        group_values,
        read_coding,
        scope_tags,
    )
    from ._units import UNITS, UnitIndex, applies, unit_spans
