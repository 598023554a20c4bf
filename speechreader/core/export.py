"""CSV export of coded passages, and import of that format back.

One row per (annotation, tag); columns in :data:`EXPORT_COLUMNS` order, then the
corpus's metadata columns. Cells starting with ``=``, ``+``, ``-`` or ``@`` get a
leading ``'`` against formula injection (import removes exactly that quote).
"""

from __future__ import annotations

EXPORT_COLUMNS: tuple[str, ...] = (
    "annotation_id", "doc_id", "doc_title", "start", "end", "tag",
    "passage", "passage_simplified", "passage_traditional",
    "note", "highlight", "coder", "created", "updated",
)  # fmt: skip
