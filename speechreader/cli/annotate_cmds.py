"""Commands that change or list annotations: tag, delete, annotations."""

from __future__ import annotations

from pathlib import Path

import click

from speechreader.cli.common import corpus_option, db_option, echo_json, load_corpus, open_store


def _check_highlight(value: str | None) -> str | None:
    from speechreader.core.errors import InvalidInput
    from speechreader.core.store import HIGHLIGHTS

    if value is None:
        return None
    value = value.strip().lower()
    if value in HIGHLIGHTS:
        return value
    raise InvalidInput(f"unknown highlight colour {value!r}; use one of {', '.join(HIGHLIGHTS)}")


@click.command("tag")
@click.argument("doc_id")
@click.argument("start", type=int)
@click.argument("end", type=int)
@click.option("--tag", "tags", multiple=True, metavar="NAME", help="Code to apply (repeatable).")
@click.option("--note", default="", help="A note (memo) on the passage.")
@click.option("--highlight", default=None, metavar="COLOUR", help="Highlight colour.")
@click.option("--coder", default=None, help="Who coded it (default: configured coder).")
@corpus_option
@db_option
def tag_cmd(
    doc_id: str,
    start: int,
    end: int,
    tags: tuple[str, ...],
    note: str,
    highlight: str | None,
    coder: str | None,
    corpus_dir: Path | None,
    db_path: Path | None,
) -> None:
    """Annotate characters START..END (END exclusive) of a document; print the new id."""
    from speechreader.core.errors import InvalidInput

    highlight = _check_highlight(highlight)
    clean_tags = [t.strip() for t in tags if t.strip()]
    if not clean_tags and not note and not highlight:
        raise InvalidInput("nothing to record: give at least one --tag, --note or --highlight")
    corpus = load_corpus(corpus_dir)
    info = corpus.get(doc_id)
    text = corpus.text(doc_id)
    store = open_store(corpus_dir, db_path, coder=coder)
    try:
        ann = store.add(
            info.id,
            start,
            end,
            text=text,
            doc_hash=corpus.get(doc_id).content_hash,
            tags=clean_tags,
            note=note,
            highlight=highlight,
        )
    finally:
        store.close()
    click.echo(ann.id)


@click.command("delete")
@click.argument("annotation_ids", nargs=-1, required=True)
@corpus_option
@db_option
def delete_cmd(
    annotation_ids: tuple[str, ...], corpus_dir: Path | None, db_path: Path | None
) -> None:
    """Remove annotations by id. If any id is unknown, nothing is deleted."""
    store = open_store(corpus_dir, db_path)
    try:
        removed = store.delete(list(annotation_ids))
    finally:
        store.close()
    click.echo(f"deleted {len(removed)} annotation{'s' if len(removed) != 1 else ''}")


@click.command("annotations")
@click.option("--doc", "doc_id", default=None, help="Only this document.")
@click.option("--tag", "tag", default=None, help="Only annotations with this tag.")
@click.option("--coder", default=None, help="Only this coder's annotations.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@corpus_option
@db_option
def annotations_cmd(
    doc_id: str | None,
    tag: str | None,
    coder: str | None,
    as_json: bool,
    corpus_dir: Path | None,
    db_path: Path | None,
) -> None:
    """List annotations (all, or one document's)."""
    from speechreader.cli.common import db_path_for
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    if doc_id is not None:
        load_corpus(corpus_dir).get(doc_id)  # unknown document: clear error
    if not db.exists():
        items = []
    else:
        store = Store(db, readonly=True)
        try:
            items = (
                store.for_document(doc_id)
                if doc_id
                else sorted(store.all(), key=lambda a: (a.doc_id, a.start, a.end, a.id))
            )
        finally:
            store.close()
    items = [
        a for a in items if (tag is None or tag in a.tags) and (coder is None or a.coder == coder)
    ]
    if as_json:
        echo_json([a.to_json() for a in items])
        return
    for a in items:
        label = ", ".join(a.tags) or (f"highlight:{a.highlight}" if a.highlight else "")
        quote = a.quote if len(a.quote) <= 30 else a.quote[:29] + "…"
        quote = quote.replace("\n", " ")
        click.echo(f"{a.id}  {a.doc_id}  {a.start}-{a.end}  [{label}]  {quote}")
    click.echo(f"{len(items)} annotation{'s' if len(items) != 1 else ''}", err=not items)
