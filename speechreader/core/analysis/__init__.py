"""Analysis of the coding: retrieval by code, frequencies, crosstabs, co-occurrence,
trends and keyness.

:func:`load_coding` reads the passages of the documents chosen by ``--where``
conditions (and coders) where they are now; every table is computed from that
:class:`Coding`: :func:`retrieve` (the coded segments of a tag), :func:`frequencies`,
:func:`crosstab` (tag × speaker, place, year …, per 10,000 characters of each
group), :func:`trend` (by year or month; undated documents counted and named),
:func:`cooccurrence` (overlap, sentence, paragraph, document; with Jaccard) and
keyness (:func:`tag_keyness`, :func:`document_keyness`: log-likelihood G² and log
ratio over jieba words in the simplified form, from the cached :class:`WordTable`).
Rows are dataclasses with a JSON form (a contract) and typed columns (for CSV and
Parquet).

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_coding": ["Coding", "load_coding"],
        "_cooccurrence": ["WITHIN", "cached_units", "cooccurrence", "cooccurring"],
        "_frequency": ["UNDATED", "Trend", "crosstab", "frequencies", "trend"],
        "_groups": ["PERIODS", "group_documents", "group_fields"],
        "_keyness": [
            "MIN_FREQ",
            "Keyness",
            "document_keyness",
            "g2",
            "log_ratio",
            "passages_with_word",
            "tag_keyness",
        ],
        "_retrieval": ["MATCHES", "passage_rows", "retrieve", "select_passages"],
        "_rows": [
            "CoOccurrence",
            "GroupCount",
            "KeyWord",
            "PassageRow",
            "TagFrequency",
            "TrendPoint",
        ],
        "_wordtable": ["WordTable"],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._coding import Coding, load_coding
    from ._cooccurrence import WITHIN, cached_units, cooccurrence, cooccurring
    from ._frequency import UNDATED, Trend, crosstab, frequencies, trend
    from ._groups import PERIODS, group_documents, group_fields
    from ._keyness import (
        MIN_FREQ,
        Keyness,
        document_keyness,
        g2,
        log_ratio,
        passages_with_word,
        tag_keyness,
    )
    from ._retrieval import MATCHES, passage_rows, retrieve, select_passages
    from ._rows import CoOccurrence, GroupCount, KeyWord, PassageRow, TagFrequency, TrendPoint
    from ._wordtable import WordTable
