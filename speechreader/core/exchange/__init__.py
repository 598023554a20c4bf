"""Exchange with other tools: CSV, and REFI-QDA projects and codebooks.

What leaves speechreader for R, Stata, pandas or a spreadsheet, and what comes back
in: :func:`export_csv` / :func:`import_csv` (one row per annotation and tag, safe from
spreadsheet formulas), the codebook as CSV (:func:`write_codebook_csv`,
:func:`import_codebook`), the passages and documents as Parquet
(:func:`export_parquet`, :func:`export_documents`), and any typed table (the analysis
tables) as CSV or Parquet (:func:`write_table`). For the other QDA tools (NVivo,
MAXQDA, ATLAS.ti, QualCoder): REFI-QDA projects (:func:`export_qdpx`,
:func:`import_qdpx`) and codebooks (:func:`write_qdc`, :func:`import_qdc`).

The names below are the part's public surface: other parts, the CLI and the TUI import
only these (an import-linter contract checks it). They load on first use, so importing
the part costs nothing until a name is needed (cold start of the command line).
"""

from typing import TYPE_CHECKING

import lazy_loader

__getattr__, __dir__, __all__ = lazy_loader.attach(
    __name__,
    submod_attrs={
        "_cells": ["neutralise"],
        "_codebook_csv": ["import_codebook", "write_codebook_csv"],
        "_csv_export": ["export_csv"],
        "_csv_import": ["import_csv"],
        "_parquet_export": ["export_documents", "export_parquet"],
        "_qdc": ["import_qdc", "read_qdc", "write_qdc"],
        "_qdpx_export": ["SCRIPTS", "ExportReport", "build_project", "export_qdpx"],
        "_qdpx_import": ["ImportReport", "import_qdpx"],
        "_qdpx_read": ["read_project"],
        "_tables": ["is_parquet", "require_pyarrow", "write_table"],
    },
)

if TYPE_CHECKING:  # for type checkers and readers; at run time the names load lazily
    from ._cells import neutralise
    from ._codebook_csv import import_codebook, write_codebook_csv
    from ._csv_export import export_csv
    from ._csv_import import import_csv
    from ._parquet_export import export_documents, export_parquet
    from ._qdc import import_qdc, read_qdc, write_qdc
    from ._qdpx_export import SCRIPTS, ExportReport, build_project, export_qdpx
    from ._qdpx_import import ImportReport, import_qdpx
    from ._qdpx_read import read_project
    from ._tables import is_parquet, require_pyarrow, write_table
