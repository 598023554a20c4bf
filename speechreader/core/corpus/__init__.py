"""A corpus: a folder of speeches, its files, its metadata.csv, and the listing cache.

:class:`Corpus` loads a folder (any encoding, subfolders too), skips what cannot be
read with a reason (:class:`Skipped`), reads ``metadata.csv`` beside the texts, and
keeps a listing cache so a 10,000-speech corpus lists in a fraction of a second.
:func:`parse_where` / :func:`select_documents` choose documents by their metadata
(``speaker=郭声琨``, ``date>=2015``), the same way for every command.
:func:`pinyin_sort_key` is the order titles, speakers and places sort in (by pinyin,
郭聲琨 and 郭声琨 together). The speech files are only ever read; the one write is
:func:`edit_document_metadata`: a document's title, date, speaker or place into
``metadata.csv`` (a backup kept, never over a change it did not see).

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_collation": ["pinyin_sort_key", "pinyin_syllables"],
        "_corpus": ["Corpus", "ProgressCallback"],
        "_document": ["DocumentInfo", "listing_json"],
        "_files": ["CorpusFile", "Skipped", "content_hash", "scan_files"],
        "_metadata_write": [
            "EDITABLE_FIELDS",
            "MetadataChanged",
            "MetadataWrite",
            "edit_document_metadata",
            "metadata_stamp",
            "set_metadata",
        ],
        "_where": [
            "Condition",
            "field_value",
            "known_fields",
            "parse_date",
            "parse_where",
            "select_documents",
            "undated",
        ],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._collation import pinyin_sort_key, pinyin_syllables
    from ._corpus import Corpus, ProgressCallback
    from ._document import DocumentInfo, listing_json
    from ._files import CorpusFile, Skipped, content_hash, scan_files
    from ._metadata_write import (
        EDITABLE_FIELDS,
        MetadataChanged,
        MetadataWrite,
        edit_document_metadata,
        metadata_stamp,
        set_metadata,
    )
    from ._where import (
        Condition,
        field_value,
        known_fields,
        parse_date,
        parse_where,
        select_documents,
        undated,
    )
