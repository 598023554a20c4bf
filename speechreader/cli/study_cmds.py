"""A coding study with several coders: done marks, agreement, disagreements."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import click

from speechreader.cli.common import (
    corpus_option,
    db_option,
    db_path_for,
    echo_json,
    load_corpus,
    open_store,
)
from speechreader.cli.terminal import echo as _echo

PROGRESS_AFTER = 0.5  # seconds before a progress line appears on a terminal


def split_names(values: Sequence[str]) -> list[str]:
    """``--coders A,B --coders C`` -> ``[A, B, C]`` (empty pieces dropped)."""
    return [name.strip() for value in values for name in value.split(",") if name.strip()]


def _mark(doc_id: str, coder: str | None, corpus_dir, db_path, done: bool) -> None:
    corpus = load_corpus(corpus_dir)
    info = corpus.get(doc_id)  # an unknown document: a clear error, with close matches
    store = open_store(corpus_dir, db_path, coder=coder)
    try:
        changed = store.set_done(info.id, done)
        who = store.coder
    finally:
        store.close()
    state = "done" if done else "not done"
    if changed:
        _echo(f"{info.id}: marked {state} for {who}")
    else:
        _echo(f"{info.id}: already {state} for {who}", err=True)


@click.command("done")
@click.argument("doc_id")
@click.option("--coder", default=None, help="Whose mark (default: the configured coder).")
@corpus_option
@db_option
def done_cmd(doc_id: str, coder: str | None, corpus_dir: Path | None, db_path: Path | None):
    """Mark a document as coded: where you tagged nothing, you found nothing (not missing)."""
    _mark(doc_id, coder, corpus_dir, db_path, True)


@click.command("undone")
@click.argument("doc_id")
@click.option("--coder", default=None, help="Whose mark (default: the configured coder).")
@corpus_option
@db_option
def undone_cmd(doc_id: str, coder: str | None, corpus_dir: Path | None, db_path: Path | None):
    """Remove a document's done mark (a coder with annotations there still counts as coding it)."""
    _mark(doc_id, coder, corpus_dir, db_path, False)


def _progress() -> Callable[[str, int, int], None] | None:
    """A progress line on stderr for the bootstrap, on a terminal, once it takes a while."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()

    def show(stage: str, done: int, total: int) -> None:
        if stage != "bootstrap" or time.monotonic() - started < PROGRESS_AFTER:
            return
        click.echo(f"\rbootstrap: {done}/{total} resamples", err=True, nl=done == total)

    return show


def _readonly_store(corpus_dir: Path | None, db_path: Path | None):
    from speechreader.core.errors import InvalidInput
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    if not db.exists():
        raise InvalidInput(f"no annotations yet: the database {db} does not exist")
    return Store(db, readonly=True)


def _study_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options shared by agreement and disagreements."""
    options = [
        click.option(
            "--coders",
            "coders",
            multiple=True,
            metavar="A,B,...",
            help="Coders to compare (default: all who coded, but consensus).",
        ),
        click.option(
            "--unit",
            type=click.Choice(["sentence", "paragraph", "character"]),
            default="sentence",
            show_default=True,
            help="Unit of analysis.",
        ),
        click.option(
            "--where",
            "where",
            multiple=True,
            metavar="FIELD=VALUE",
            help="Only documents matching (repeatable): speaker=郭声琨, date>=2015, ...",
        ),
        click.option("--json", "as_json", is_flag=True, help="Machine-readable output."),
        corpus_option,
        db_option,
    ]
    for option in reversed(options):
        func = option(func)
    return func


@click.command("agreement")
@_study_options
@click.option(
    "--tags",
    "--tag",
    "tags",
    multiple=True,
    metavar="T,...",
    help="Only these tags (--tag T, repeated, as in disagreements and stats, works too).",
)
@click.option(
    "--group",
    "groups",
    multiple=True,
    metavar="PARENT",
    help="The children of PARENT as the values of one variable (repeatable).",
)
@click.option(
    "--level",
    type=click.Choice(["nominal", "ordinal"]),
    default="nominal",
    show_default=True,
    help="Level of the groups' values (ordinal: in codebook order).",
)
@click.option(
    "--absent-as-value",
    is_flag=True,
    help="In a group, a unit a coder left without any of its tags has the value '(none)'.",
)
@click.option(
    "--bootstrap",
    "resamples",
    type=int,
    default=0,
    metavar="N",
    help="A 95 % interval for alpha from N bootstrap resamples of the units.",
)
@click.option("--seed", type=int, default=None, help="Seed of the bootstrap (default 2007).")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the table to FILE (one row per tag and group, for a methods section).",
)
def agreement_cmd(
    coders: tuple[str, ...],
    unit: str,
    where: tuple[str, ...],
    as_json: bool,
    corpus_dir: Path | None,
    db_path: Path | None,
    tags: tuple[str, ...],
    groups: tuple[str, ...],
    level: str,
    absent_as_value: bool,
    resamples: int,
    seed: int | None,
    csv_path: Path | None,
) -> None:
    """Intercoder agreement per tag and group: Krippendorff's alpha, % agreement, Cohen's kappa."""
    from speechreader.cli.agreement_table import table_lines, write_csv
    from speechreader.core.reliability import DEFAULT_SEED, measure_agreement

    corpus = load_corpus(corpus_dir)
    store = _readonly_store(corpus_dir, db_path)
    try:
        result = measure_agreement(
            store,
            corpus,
            coders=split_names(coders) or None,
            unit=unit,
            tags=split_names(tags) or None,
            groups=[g.strip() for g in groups if g.strip()],
            level=level,
            absent_as_value=absent_as_value,
            where=list(where),
            resamples=resamples,
            seed=DEFAULT_SEED if seed is None else seed,
            progress=_progress(),
        )
    finally:
        store.close()
    if csv_path is not None:
        write_csv(result, csv_path)
    if as_json:
        echo_json(result.to_json())
        for note in result.notes():
            _echo(f"note: {note}", err=True)
    else:
        for line in table_lines(result):
            _echo(line)
    if csv_path is not None:
        rows = len(result.tags) + len(result.groups)
        click.echo(f"wrote {rows} row{'s' if rows != 1 else ''} to {csv_path}", err=True)


@click.command("disagreements")
@_study_options
@click.option("--tag", "tags", multiple=True, metavar="T", help="Only this tag (repeatable).")
def disagreements_cmd(
    coders: tuple[str, ...],
    unit: str,
    where: tuple[str, ...],
    as_json: bool,
    corpus_dir: Path | None,
    db_path: Path | None,
    tags: tuple[str, ...],
) -> None:
    """The units where coders differ: document, offsets, text, and who applied what."""
    from speechreader.core.reliability import (
        choose_coders,
        collect,
        find_disagreements,
        read_coding,
        scope_tags,
        select,
    )

    corpus = load_corpus(corpus_dir)
    store = _readonly_store(corpus_dir, db_path)
    try:
        documents = select(corpus, list(where))
        doc_ids = [d.id for d in documents]
        coding = read_coding(store, doc_ids)
        names = choose_coders(store, doc_ids, split_names(coders) or None, coded_by=coding[1])
        scope, _ = scope_tags(store, split_names(tags) or None, coding[0])
        study = collect(store, corpus, documents, names, unit=unit, tags=scope, coding=coding)
    finally:
        store.close()
    found = find_disagreements(study, scope)
    if as_json:
        echo_json([d.to_json() for d in found])
        return
    for d in found:
        text = d.text.replace("\n", " ")
        text = text if len(text) <= 40 else text[:39] + "…"
        who = "; ".join(f"{c}: {', '.join(t) or '—'}" for c, t in d.codes.items())
        _echo(f"{d.doc_id}  {d.start}-{d.end}  [{', '.join(d.tags)}]  {who}  {text}")
    count = len(found)
    _echo(f"{count} disagreement{'s' if count != 1 else ''} ({', '.join(names)})", err=not found)
