"""REFI-QDA exchange with NVivo, MAXQDA, ATLAS.ti and QualCoder: export writers, import.

``speechreader export -o FILE.qdpx`` and ``-o FILE.qdc`` reach the writers here through
the export command's format registry (:data:`speechreader.cli.transfer_cmds.EXPORT_FORMATS`);
``speechreader import FILE.qdpx --to DIR`` is the project import.
"""

from __future__ import annotations

from pathlib import Path

import click

from speechreader.cli.common import db_option, db_path_for, load_corpus
from speechreader.cli.terminal import echo


def _readonly_store(corpus_dir: Path | None, db_path: Path | None):
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    return Store(db, readonly=True) if db.exists() else None


def export_qdpx_file(
    output: Path,
    corpus_dir: Path | None,
    db_path: Path | None,
    *,
    variant: str,
    script: str,
    coders: list[str] | None = None,
) -> None:
    """Write a REFI-QDA project: every document, the codebook, every coder's passages."""
    from speechreader.core.exchange import export_qdpx

    corpus = load_corpus(corpus_dir)
    store = _readonly_store(corpus_dir, db_path)
    try:
        report = export_qdpx(store, corpus, output, script=script, variant=variant, coders=coders)
    finally:
        if store is not None:
            store.close()
    for line in report.problems():
        echo(line, err=True)
    echo(f"wrote {report.summary()} to {output}", err=True)


def export_qdc_file(
    output: Path, corpus_dir: Path | None, db_path: Path | None, **_: object
) -> None:
    """Write the codebook as a REFI-QDA codebook (.qdc)."""
    from speechreader.core.exchange import write_qdc

    store = _readonly_store(corpus_dir, db_path)
    try:
        tags = store.tags() if store is not None else []
    finally:
        if store is not None:
            store.close()
    count = write_qdc(tags, output)
    echo(f"wrote {count} code{'s' if count != 1 else ''} to {output}", err=True)


@click.command("import")
@click.argument("project", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--to",
    "folder",
    required=True,
    type=click.Path(path_type=Path, file_okay=False),
    help="The corpus folder to make (new, or empty).",
)
@db_option
def import_project_cmd(project: Path, folder: Path, db_path: Path | None) -> None:
    """Import a REFI-QDA project (.qdpx from NVivo, MAXQDA, ATLAS.ti, QualCoder...).

    Makes FOLDER a corpus (one .txt per text source, metadata.csv from the variables)
    and fills the database (--db, else FOLDER's default) with the codebook and every
    coder's passages and memos. What cannot be carried over is listed here and in
    FOLDER/import-report.md. Then `speechreader open FOLDER` shows it all.
    """
    from speechreader.core.exchange import import_qdpx

    report = import_qdpx(project, folder, db_path_for(folder, db_path))
    for line in report.problems():
        echo(line, err=True)
    echo(report.summary())
    echo(f"the report is in {folder / 'import-report.md'}", err=True)
