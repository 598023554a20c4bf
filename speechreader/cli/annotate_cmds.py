"""Commands that change or list annotations: tag, delete, annotations."""

from __future__ import annotations

from pathlib import Path

import click

from speechreader.cli.common import corpus_option, db_option, echo_json, load_corpus, open_store
from speechreader.cli.terminal import echo


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
    """Remove annotations by id, whoever coded them. If any id is unknown, nothing is deleted."""
    store = open_store(corpus_dir, db_path)
    try:  # ids given on purpose: any coder's (the reader changes only the coder's own)
        removed = store.delete(list(annotation_ids), any_coder=True)
    finally:
        store.close()
    click.echo(f"deleted {len(removed)} annotation{'s' if len(removed) != 1 else ''}")


@click.command("annotations")
@click.option("--doc", "doc_id", default=None, help="Only this document.")
@click.option("--tag", "tag", default=None, help="Only annotations with this tag.")
@click.option("--coder", default=None, help="Only this coder's annotations.")
@click.option(
    "--anchor",
    type=click.Choice(["exact", "moved", "orphaned"]),
    default=None,
    help="Only annotations whose passage is where it was coded, was found elsewhere after "
    "the document changed, or is no longer in it.",
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@corpus_option
@db_option
def annotations_cmd(
    doc_id: str | None,
    tag: str | None,
    coder: str | None,
    anchor: str | None,
    as_json: bool,
    corpus_dir: Path | None,
    db_path: Path | None,
) -> None:
    """List annotations (all, or one document's), with where each passage is now."""
    from speechreader.cli.common import db_path_for
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    corpus = load_corpus(corpus_dir)
    if doc_id is not None:
        corpus.get(doc_id)  # unknown document: clear error
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
    where = _placer(corpus)
    placed = [(a, where(a)) for a in items]
    if anchor is not None:
        placed = [(a, found) for a, found in placed if found.status == anchor]
    if as_json:
        echo_json([_json(a, found) for a, found in placed])
        return
    for a, found in placed:
        label = ", ".join(a.tags) or (f"highlight:{a.highlight}" if a.highlight else "")
        quote = a.quote if len(a.quote) <= 30 else a.quote[:29] + "…"
        quote = quote.replace("\n", " ")
        status = {"exact": "", "moved": f"  (moved to {found.start}-{found.end})"}.get(
            found.status, "  (orphaned: passage no longer in the document)"
        )
        echo(f"{a.id}  {a.doc_id}  {a.start}-{a.end}  [{label}]  {quote}{status}")
    click.echo(f"{len(placed)} annotation{'s' if len(placed) != 1 else ''}", err=not placed)


def _placer(corpus):
    """A function giving where an annotation's passage is now; a document's text is read
    once, and only when it changed since the annotation was made."""
    from speechreader.core.errors import UnreadableFile
    from speechreader.core.store import Located, place_annotation

    texts: dict[str, str | None] = {}

    def where(ann):
        info = corpus.get(ann.doc_id) if ann.doc_id in corpus else None
        if info is not None and ann.doc_hash and ann.doc_hash == info.content_hash:
            return Located(ann.start, ann.end, "exact")
        if info is not None and ann.doc_id not in texts:
            try:
                texts[ann.doc_id] = corpus.text(ann.doc_id)
            except UnreadableFile:
                texts[ann.doc_id] = None
        text = texts.get(ann.doc_id)
        return place_annotation(ann, text, info.content_hash if info else "")

    return where


def _json(ann, where) -> dict:
    """An annotation's JSON, with its anchor status and where its passage is now."""
    found = where.status != "orphaned"
    return {
        **ann.to_json(),
        "anchor": where.status,
        "current_start": where.start if found else None,
        "current_end": where.end if found else None,
    }
