"""`speechreader undo` and `speechreader redo`: the store's per-coder history.

The history is the same one the reader's ``u`` and ctrl+r walk, kept in the database,
so a change made from the command line (an auto-coding run, a codebook merge) can be
taken back from the command line or in the reader, and the reverse.
"""

from __future__ import annotations

from pathlib import Path

import click

from speechreader.cli.common import corpus_option, db_option, db_path_for
from speechreader.cli.terminal import echo


def _step(stack: str, corpus_dir: Path | None, db_path: Path | None, coder: str | None) -> None:
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    if not db.exists():
        click.echo(f"nothing to {stack}")
        return
    with Store(db, coder=coder) as store:
        change = store.undo() if stack == "undo" else store.redo()
    if change is None:
        click.echo(f"nothing to {stack}")
    else:
        echo(f"{'undid' if stack == 'undo' else 'redid'}: {change.label}")


@click.command("undo")
@click.option("--coder", default=None, help="Whose history (default: configured coder).")
@corpus_option
@db_option
def undo_cmd(coder: str | None, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Undo your last change to the annotations or the codebook."""
    _step("undo", corpus_dir, db_path, coder)


@click.command("redo")
@click.option("--coder", default=None, help="Whose history (default: configured coder).")
@corpus_option
@db_option
def redo_cmd(coder: str | None, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Redo the change you last undid."""
    _step("redo", corpus_dir, db_path, coder)
