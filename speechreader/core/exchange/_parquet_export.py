"""The coded passages and the documents as Parquet (or CSV), for pandas, R, DuckDB, Spark.

``speechreader export -o coded.parquet`` writes the same columns as the CSV export
(:data:`EXPORT_COLUMNS`, then the corpus's metadata columns) with proper types:
offsets are integers, ``created``/``updated`` UTC timestamps, and an empty tag,
highlight or metadata value is missing (null), not an empty string. Values are
written exactly (no formula guard: Parquet is not a spreadsheet).

``--documents FILE`` writes one row per document with its metadata, so a table of
passages can be joined to its documents by ``doc_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.exchange._csv_export import export_rows, stored_annotations
from speechreader.core.exchange._tables import write_table

if TYPE_CHECKING:
    from speechreader.core.corpus import Corpus
    from speechreader.core.store import Store

TYPED = {"start": "int", "end": "int", "created": "timestamp", "updated": "timestamp"}
NULLABLE = ("tag", "highlight")
DOCUMENT_COLUMNS = (
    ("doc_id", "str"), ("title", "str"), ("path", "str"), ("encoding", "str"),
    ("script", "str"), ("chars", "int"), ("problems", "strs"),
)  # fmt: skip


def export_parquet(
    store: Store | None,
    corpus: Corpus,
    path: Path | str,
    *,
    variant: str = "standard",
    coders: Iterable[str] | None = None,
) -> int:
    """Write the coded passages (of ``coders``, if given) as Parquet; return the number of rows."""
    annotations = stored_annotations(store, coders)  # read as they are written
    rows = iter(export_rows(annotations, corpus, variant=variant, cell=str))
    header = next(rows)
    columns = [(name, TYPED.get(name, "str")) for name in header]
    metadata = header[len(header) - len(corpus.metadata_columns) :]
    return write_table(path, columns, rows, nullable=[*NULLABLE, *metadata], parquet=True)


def document_columns(corpus: Corpus) -> list[tuple[str, str]]:
    own = {name for name, _ in DOCUMENT_COLUMNS}
    meta = [(f"meta_{key}" if key in own else key, "str") for key in corpus.metadata_columns]
    return [*DOCUMENT_COLUMNS, *meta]


def export_documents(corpus: Corpus, path: Path | str) -> int:
    """Write every document with its metadata (Parquet or CSV by the file name)."""
    columns = document_columns(corpus)
    rows = (  # a generator: written as they come
        [
            info.id,
            info.title,
            info.path,
            info.encoding,
            info.script,
            info.chars,
            [p.kind for p in info.problems],
            *(info.metadata.get(key, "") for key in corpus.metadata_columns),
        ]
        for info in corpus
    )
    metadata = [name for name, _ in columns[len(DOCUMENT_COLUMNS) :]]
    return write_table(path, columns, rows, nullable=metadata)
