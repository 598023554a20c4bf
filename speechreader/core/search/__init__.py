"""Script-insensitive search: the search form, its index and cache, KWIC, auto-coding.

发展 finds 發展 because queries and documents are compared in a *search form* (t2s,
full-width and case folded, one character for one, so offsets carry over).
:class:`SearchIndex` holds every document's form (cached on disk);
:func:`search` / :func:`find` return hits with filters (a :class:`HitList` holds
millions of them as arrays), :func:`kwic` their context lines, and
:func:`plan_autocode` / :func:`apply_autocode` tag every hit as one undo step.
:class:`TagMatcher` finds a codebook tag the same way (組 finds 组织; zz, its pinyin
initials, too) and :func:`near_duplicates` the tags a new name would repeat.

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_autocode": ["AutocodePlan", "UNITS", "apply_autocode", "plan_autocode"],
        "_find": [
            "Hit",
            "SORTS",
            "Span",
            "find",
            "found_by_document",
            "kwic",
            "search",
            "search_rows",
            "sort_spans",
        ],
        "_filter": ["SearchFilter"],
        "_folder_walk": ["FolderCheck"],
        "_hits": ["HitList"],
        "_index": ["SearchIndex", "StaleIndex"],
        "_tag_match": [
            "NearDuplicate",
            "TagMatcher",
            "near_duplicates",
            "pinyin_initials",
            "tag_key",
        ],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._autocode import UNITS, AutocodePlan, apply_autocode, plan_autocode
    from ._filter import SearchFilter
    from ._find import (
        SORTS,
        Hit,
        Span,
        find,
        found_by_document,
        kwic,
        search,
        search_rows,
        sort_spans,
    )
    from ._folder_walk import FolderCheck
    from ._hits import HitList
    from ._index import SearchIndex, StaleIndex
    from ._tag_match import (
        NearDuplicate,
        TagMatcher,
        near_duplicates,
        pinyin_initials,
        tag_key,
    )
