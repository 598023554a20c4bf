"""Moving coded passages in and out: export (CSV, Parquet, REFI-QDA), import a CSV back."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from pathlib import Path

import click

from speechreader.cli.common import (
    corpus_option,
    db_option,
    db_path_for,
    load_corpus,
    variant_option,
)
from speechreader.cli.refi_cmds import export_qdc_file, export_qdpx_file
from speechreader.cli.terminal import echo

#: Export formats written by a writer of their own, by name (= file extension):
#: writer(output, corpus_dir, db_path, *, variant, script, coders). ``-o FILE.EXT``
#: picks one; ``--format`` overrides the extension.
EXPORT_FORMATS: dict[str, Callable[..., None]] = {
    "qdpx": export_qdpx_file,
    "qdc": export_qdc_file,
}


@click.command("export")
@click.option(
    "-o",
    "--output",
    "output",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write ('-' for standard output); FILE.parquet writes Parquet.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "parquet", *EXPORT_FORMATS]),
    default=None,
    help="csv, parquet, qdpx (a REFI-QDA project for NVivo, MAXQDA, ATLAS.ti, QualCoder) "
    "or qdc (the codebook); default: from the file name, else csv.",
)
@click.option("--excel", is_flag=True, help="Write a UTF-8 BOM so Excel shows Chinese correctly.")
@click.option(
    "--documents",
    "documents",
    default=None,
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write the documents with their metadata (FILE.parquet or FILE.csv).",
)
@click.option(
    "--coders",
    "coders",
    multiple=True,
    metavar="A,B,...",
    help="Only these coders' passages (e.g. consensus, the adjudicated coding).",
)
@click.option(
    "--script",
    type=click.Choice(["original", "simplified", "traditional"]),
    default=None,
    help=".qdpx: the sources' text, the documents' own or converted with --variant "
    "(offsets follow the conversion). Default: original.",
)
@corpus_option
@db_option
@variant_option
def export_cmd(
    output: Path | None,
    fmt: str | None,
    excel: bool,
    documents: Path | None,
    coders: tuple[str, ...],
    script: str | None,
    corpus_dir: Path | None,
    db_path: Path | None,
    variant: str | None,
) -> None:
    """Export coded passages: one row per (annotation, tag), with document metadata.

    With -o FILE.qdpx, the whole project for NVivo, MAXQDA, ATLAS.ti or QualCoder;
    with -o FILE.qdc, the codebook.
    """
    from speechreader.core.config import load_settings
    from speechreader.core.exchange import export_csv
    from speechreader.core.store import Store

    own = fmt or (output.suffix.lower().lstrip(".") if output is not None else "")
    if output is not None and own in EXPORT_FORMATS:
        if str(output) == "-" or documents is not None:
            raise click.UsageError(f"a {own} export needs -o FILE.{own} (and no --documents)")
        EXPORT_FORMATS[own](
            output, corpus_dir, db_path, variant=variant or load_settings().variant,
            script=script or "original", coders=_chosen_coders(corpus_dir, db_path, coders),
        )  # fmt: skip
        return
    if script is not None:
        raise click.UsageError("--script applies to .qdpx exports only")

    corpus = load_corpus(corpus_dir)
    chosen = _chosen_coders(corpus_dir, db_path, coders)
    if _export_other(output, fmt, documents, corpus, corpus_dir, db_path, variant, chosen):
        return
    db = db_path_for(corpus_dir, db_path)
    store = Store(db, readonly=True) if db.exists() else None
    try:
        out = sys.stdout if str(output) == "-" else output
        variant = variant or load_settings().variant
        rows = export_csv(store, corpus, out, excel=excel, variant=variant, coders=chosen)
    finally:
        if store is not None:
            store.close()
    if str(output) != "-":
        click.echo(f"wrote {rows} row{'s' if rows != 1 else ''} to {output}", err=True)


def _chosen_coders(corpus_dir, db_path, values: tuple[str, ...]) -> list[str] | None:
    """``--coders`` checked against the database (None: every coder)."""
    from speechreader.cli.study_cmds import split_names
    from speechreader.core.errors import InvalidInput
    from speechreader.core.store import Store

    names = split_names(values)
    if not names:
        return None
    db = db_path_for(corpus_dir, db_path)
    known = []
    if db.exists():
        with Store(db, readonly=True) as store:
            known = store.coders()
    unknown = [n for n in names if n not in known]
    if unknown:
        raise InvalidInput(
            f"no passages of {', '.join(map(repr, unknown))}; "
            f"coders in this database: {', '.join(known) or 'none yet'}"
        )
    return names


def _export_other(output, fmt, documents, corpus, corpus_dir, db_path, variant, coders) -> bool:
    """The documents table and the Parquet export; True if nothing is left for the CSV."""
    from speechreader.core.config import load_settings
    from speechreader.core.errors import InvalidInput
    from speechreader.core.exchange import export_documents, export_parquet, is_parquet
    from speechreader.core.store import Store

    if output is None and documents is None:
        raise InvalidInput("give -o FILE for the coded passages, or --documents FILE")
    if documents is not None:
        rows = export_documents(corpus, documents)
        click.echo(f"wrote {rows} document{'s' if rows != 1 else ''} to {documents}", err=True)
    if output is None:
        return True
    if (fmt or ("parquet" if is_parquet(output) else "csv")) != "parquet":
        return False
    db = db_path_for(corpus_dir, db_path)
    with contextlib.ExitStack() as stack:
        store = stack.enter_context(Store(db, readonly=True)) if db.exists() else None
        rows = export_parquet(
            store, corpus, output, variant=variant or load_settings().variant, coders=coders
        )
    if str(output) != "-":
        click.echo(f"wrote {rows} row{'s' if rows != 1 else ''} to {output}", err=True)
    return True


@click.command("import-annotations")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@corpus_option
@db_option
def import_cmd(csv_file: Path, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Read an export CSV back (a backup, or a colleague's work), checking each row.

    Only the columns the file has are imported: without a note column, notes stay.
    Rows the export marked anchor=orphaned are kept as orphans (to re-place or delete).
    """
    from speechreader.core.errors import InvalidInput
    from speechreader.core.exchange import import_csv
    from speechreader.core.store import Store

    if not csv_file.is_file():
        raise InvalidInput(f"no such file: {csv_file}")
    corpus = load_corpus(corpus_dir)
    store = Store(db_path_for(corpus_dir, db_path))
    try:
        report = import_csv(csv_file, store, corpus)
    finally:
        store.close()
    for problem in report.rejected:
        echo(f"row {problem.row}: {problem.reason}", err=True)
    unchanged = f" ({report.unchanged} unchanged)" if report.unchanged else ""
    orphans = (
        f"; kept {report.orphaned} orphaned passage{'s' if report.orphaned != 1 else ''} "
        "(no longer in the text: `speechreader annotations --anchor orphaned`)"
        if report.orphaned
        else ""
    )
    click.echo(
        f"imported {report.added} new, updated {report.updated}{unchanged}, "
        f"rejected {len(report.rejected)} row{'s' if len(report.rejected) != 1 else ''}{orphans}"
    )
    if report.rejected:
        sys.exit(2 if not (report.added or report.updated) else 1)
