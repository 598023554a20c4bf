"""meta set: a document's title, date, speaker or place, written to metadata.csv."""

from __future__ import annotations

from pathlib import Path

import click

from speechreader.cli.common import corpus_option, load_corpus
from speechreader.cli.terminal import echo


@click.group("meta")
def meta_group() -> None:
    """A document's metadata (title, date, speaker, place) in the corpus's metadata.csv."""


@meta_group.command("set")
@click.argument("document")
@click.option("--title", default=None, help="The title ('' clears it: read from the text).")
@click.option("--date", default=None, help="The date, e.g. 2011-12-06 ('' clears it).")
@click.option("--speaker", default=None, help="The speaker ('' clears it).")
@click.option("--place", default=None, help="The place ('' clears it).")
@corpus_option
def meta_set_cmd(
    document: str,
    title: str | None,
    date: str | None,
    speaker: str | None,
    place: str | None,
    corpus_dir: Path | None,
) -> None:
    """Set DOCUMENT's metadata (its id, or its file name) in metadata.csv.

    Only that row changes; the previous file is kept as metadata.csv.bak, and the
    speech itself is never written. metadata.csv is created if the corpus has none.
    """
    from speechreader.core.corpus import edit_document_metadata
    from speechreader.core.errors import InvalidInput

    values = {
        name: value
        for name, value in (
            ("title", title),
            ("date", date),
            ("speaker", speaker),
            ("place", place),
        )
        if value is not None
    }
    if not values:
        raise InvalidInput("nothing to set: give --title, --date, --speaker or --place")
    corpus = load_corpus(corpus_dir)
    doc_id = document.replace("\\", "/")
    if doc_id not in corpus and doc_id.lower().endswith(".txt"):
        doc_id = doc_id[:-4]
    done = edit_document_metadata(corpus, corpus.get(doc_id).id, values)
    if not done.changed:
        echo(f"{doc_id}: nothing changed")
        return
    for name, (_, after) in done.changed.items():
        echo(f"{doc_id}: {name} {'cleared' if not after else 'set to ' + after}")
    where = corpus.root / "metadata.csv"
    echo(
        f"written to {where}"
        + (f" (the previous file is {done.backup.name})" if done.backup else " (new file)")
    )
