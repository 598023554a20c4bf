"""`speechreader passages`, and what every analysis command shares (`stats` is in stats_cmds).

Each reads the coding of the documents chosen with ``--where`` (and ``--coder``),
and prints a table, or with ``--json`` the rows (a contract), or writes them with
``--csv FILE`` / ``--parquet FILE``. The figures come from
:mod:`speechreader.core.analysis`; this module only presents them.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from speechreader.cli.common import corpus_option, db_option, db_path_for, load_corpus
from speechreader.cli.tables import Column, note, output, print_table
from speechreader.core.words import plural


def coding_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every analysis command shares: which coding, and where the rows go."""
    options = [
        click.option(
            "--where",
            "where",
            multiple=True,
            metavar="COND",
            help="Only documents where COND holds: speaker=郭声琨, date>=2015, place~广西 "
            "(FIELD = != ~ >= <= > < VALUE; repeat for and).",
        ),
        click.option(
            "--coder",
            "coders",
            multiple=True,
            metavar="NAME",
            help="Only this coder's passages (repeat for several; default: everyone's).",
        ),
        click.option(
            "--children",
            is_flag=True,
            help="A tag counts the passages of the tags under it in the codebook too.",
        ),
        click.option("--json", "as_json", is_flag=True, help="Machine-readable output."),
        click.option(
            "--csv",
            "csv_file",
            type=click.Path(path_type=Path, dir_okay=False),
            default=None,
            metavar="FILE",
            help="Write the table as CSV.",
        ),
        click.option(
            "--parquet",
            "parquet_file",
            type=click.Path(path_type=Path, dir_okay=False),
            default=None,
            metavar="FILE",
            help="Write the table as Parquet (needs speechreader[parquet]).",
        ),
        corpus_option,
        db_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


def load_coding_for(
    corpus_dir: Path | None, db_path: Path | None, where: tuple, coders: tuple, text: bool = True
):
    """The coding of the chosen documents; notes on stderr about passages left out.

    ``text=False`` (the tables): passages without quote and context, from the store's
    span cache, in a fraction of the time."""
    from speechreader.core.analysis import load_coding
    from speechreader.core.corpus import parse_where
    from speechreader.core.gcpause import paused_gc
    from speechreader.core.store import Store

    with paused_gc():  # 10,000 documents and their passages: no cycles, many objects
        corpus = load_corpus(corpus_dir)
        conditions = parse_where(where, corpus)
        db = db_path_for(corpus_dir, db_path)
        store = Store(db, readonly=True) if db.exists() else None
        try:
            coding = load_coding(corpus, store, conditions=conditions, coders=coders, text=text)
        finally:
            if store is not None:
                store.close()
    if conditions and not coding.documents:
        note(f"no document meets {' and '.join(map(str, conditions))}")
    if coding.orphaned:
        n = len(coding.orphaned)
        note(
            f"{plural(n, 'passage')} left out: their text is no longer in "
            "their document (see the reader's list of annotations)"
        )
    if coding.missing:
        note(f"{plural(coding.missing, 'passage')} left out: their document is not in the corpus")
    return coding


# --- passages ----------------------------------------------------------------------------


@click.command("passages")
@click.option("--tag", "tags", multiple=True, metavar="T", help="Passages with this tag (repeat).")
@click.option(
    "--match",
    type=click.Choice(["any", "all"]),
    default="any",
    show_default=True,
    help="With several tags: passages with any of them, or with all.",
)
@coding_options
def passages_cmd(
    tags, match, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
) -> None:
    """Every passage coded with a tag (the coded segments), with a line of context."""
    from speechreader.core.analysis import PassageRow, retrieve

    coding = load_coding_for(corpus_dir, db_path, where, coders)
    rows = retrieve(coding, tags, match=match, children=children)

    def show() -> None:
        if not rows:
            click.echo("0 passages")
            return
        print_table(
            [
                Column("DOCUMENT", lambda r: r.doc_id, max_width=28),
                Column("AT", lambda r: f"{r.start}-{r.end}", right=True),
                Column("TAGS", lambda r: ", ".join(r.tags), max_width=20),
                Column("CODER", lambda r: r.coder, max_width=12),
                Column(
                    "PASSAGE", lambda r: f"{r.left[-8:]}【{r.passage}】{r.right[:8]}", max_width=70
                ),
            ],
            rows,
        )
        docs = len({r.doc_id for r in rows})
        click.echo(
            f"{len(rows)} passage{'s' if len(rows) != 1 else ''} in {docs} "
            f"document{'s' if docs != 1 else ''}"
        )

    output(
        rows, PassageRow, as_json=as_json, csv_file=csv_file, parquet_file=parquet_file, show=show
    )
