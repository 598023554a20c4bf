"""`speechreader open`: the reader TUI."""

from __future__ import annotations

from pathlib import Path

import click

from speechreader.cli.common import (
    db_path_for,
    default_corpus,
    follow_links,
    follow_links_option,
    variant_option,
)


@click.command("open")
@click.argument("corpus_dir", required=False, type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Annotation database folder (default: one per corpus; see `speechreader info`).",
)
@variant_option
@follow_links_option
@click.option("--coder", default=None, help="Who is coding (default: configured coder).")
def open_cmd(
    corpus_dir: Path | None = None,
    db_path: Path | None = None,
    variant: str | None = None,
    coder: str | None = None,
) -> None:
    """Open the reader on a corpus folder (default: the bundled sample corpus)."""
    from speechreader.core.errors import CorpusNotFound

    root = corpus_dir or default_corpus()
    if not root.is_dir():
        raise CorpusNotFound(f"corpus folder not found: {root}")
    from speechreader.tui.app import run_app

    run_app(
        root, db_path_for(root, db_path), variant=variant, coder=coder, follow_links=follow_links()
    )
