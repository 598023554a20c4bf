"""`speechreader stats freq|crosstab|trend|cooccur|keyness`: the tables of the coding."""

from __future__ import annotations

import click

from speechreader.cli.analysis_cmds import coding_options, load_coding_for
from speechreader.cli.tables import Column, note, output, print_table, progress
from speechreader.core.words import plural


def _rate(value: float) -> str:
    return f"{value:.2f}"


@click.group("stats")
def stats_group() -> None:
    """Frequencies, crosstabs, trends, co-occurrence and keyness of the coding."""


_tag_option = click.option(
    "--tag", "tags", multiple=True, metavar="T", help="Only this tag (repeat; default: all)."
)


@stats_group.command("freq")
@_tag_option
@click.option(
    "--by",
    "by",
    default=None,
    metavar="FIELD",
    help="A tag × group table instead (as `stats crosstab --by FIELD`).",
)
@coding_options
def freq_cmd(
    tags, by, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
) -> None:
    """Per tag: passages, documents, coded characters and their share of the corpus."""
    if by:
        _crosstab(
            tags, by, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
        )
        return
    from speechreader.core.analysis import TagFrequency, frequencies

    coding = load_coding_for(corpus_dir, db_path, where, coders, text=False)
    rows = frequencies(coding, tags, children=children)

    def show() -> None:
        if not rows:
            click.echo("no tags yet: code some passages first")
            return
        print_table(
            [
                Column("TAG", lambda r: r.tag),
                Column("PASSAGES", lambda r: str(r.passages), right=True),
                Column("DOCUMENTS", lambda r: str(r.documents), right=True),
                Column("CHARACTERS", lambda r: str(r.characters), right=True),
                Column("SHARE", lambda r: f"{r.share:.2%}", right=True),
            ],
            rows,
        )
        chars = "character" if coding.characters == 1 else "characters"
        click.echo(f"{plural(len(coding.documents), 'document')}, {coding.characters:,} {chars}")

    output(
        rows, TagFrequency, as_json=as_json, csv_file=csv_file, parquet_file=parquet_file, show=show
    )


@stats_group.command("crosstab")
@_tag_option
@click.option(
    "--by",
    "by",
    required=True,
    metavar="FIELD",
    help="speaker, place, office, year, month, document, or any metadata column.",
)
@coding_options
def crosstab_cmd(
    tags, by, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
) -> None:
    """Tag × group: passages, and passages per 10,000 characters of the group's text."""
    _crosstab(
        tags, by, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
    )


def _crosstab(
    tags, by, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
) -> None:
    from speechreader.core.analysis import GroupCount, crosstab

    coding = load_coding_for(corpus_dir, db_path, where, coders, text=False)
    rows = crosstab(coding, by, tags, children=children)

    def show() -> None:
        if not rows:
            click.echo("no tags yet: code some passages first")
            return
        ranked = sorted(rows, key=lambda r: (coding.tag_names.index(r.tag), -r.per_10k, r.group))
        print_table(
            [
                Column("TAG", lambda r: r.tag),
                Column(by.upper(), lambda r: r.group or "(none)"),
                Column("PASSAGES", lambda r: str(r.passages), right=True),
                Column("DOCS", lambda r: f"{r.documents}/{r.group_documents}", right=True),
                Column("CHARACTERS", lambda r: str(r.group_characters), right=True),
                Column("PER 10K", lambda r: _rate(r.per_10k), right=True),
            ],
            ranked,
        )

    output(
        rows, GroupCount, as_json=as_json, csv_file=csv_file, parquet_file=parquet_file, show=show
    )


@stats_group.command("trend")
@_tag_option
@click.option(
    "--period",
    type=click.Choice(["year", "month"]),
    default="year",
    show_default=True,
    help="Periods of the metadata's date column.",
)
@coding_options
def trend_cmd(
    tags, period, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
) -> None:
    """Per tag and period: passages per 10,000 characters of that period's text."""
    from speechreader.core.analysis import TrendPoint, trend

    coding = load_coding_for(corpus_dir, db_path, where, coders, text=False)
    result = trend(coding, period, tags, children=children)
    if result.undated:
        names = ", ".join(info.id for info in result.undated[:10])
        more = f" and {len(result.undated) - 10} more" if len(result.undated) > 10 else ""
        why = "without a date" if period == "year" else "without a date or month"
        note(
            f"{len(result.undated)} document{'s' if len(result.undated) != 1 else ''} {why}, "
            f"counted as 'undated': {names}{more}"
        )

    def show() -> None:
        if not result.points:
            click.echo("no tags yet: code some passages first")
            return
        print_table(
            [
                Column("TAG", lambda r: r.tag),
                Column(period.upper(), lambda r: r.period),
                Column("PASSAGES", lambda r: str(r.passages), right=True),
                Column("DOCUMENTS", lambda r: str(r.period_documents), right=True),
                Column("CHARACTERS", lambda r: str(r.period_characters), right=True),
                Column("PER 10K", lambda r: _rate(r.per_10k), right=True),
            ],
            result.points,
        )

    output(
        result.points,
        TrendPoint,
        as_json=as_json,
        csv_file=csv_file,
        parquet_file=parquet_file,
        show=show,
    )


@stats_group.command("cooccur")
@_tag_option
@click.option(
    "--within",
    type=click.Choice(["overlap", "sentence", "paragraph", "document"]),
    default="overlap",
    show_default=True,
    help="Pairs of passages that overlap, or share a sentence, paragraph or document.",
)
@coding_options
def cooccur_cmd(
    tags, within, where, coders, children, as_json, csv_file, parquet_file, corpus_dir, db_path
) -> None:
    """Tag × tag: how many pairs of their passages go together, and the Jaccard index."""
    from speechreader.core.analysis import CoOccurrence, WordTable, cached_units, cooccurrence

    coding = load_coding_for(corpus_dir, db_path, where, coders, text=False)
    units = None
    if within in ("sentence", "paragraph"):
        units = cached_units(coding, WordTable.cached(coding.corpus))
    rows = cooccurrence(coding, within, tags, children=children, units=units)

    def show() -> None:
        if not rows:
            click.echo("fewer than two tags: nothing goes together yet")
            return
        print_table(
            [
                Column("TAG A", lambda r: r.tag_a),
                Column("TAG B", lambda r: r.tag_b),
                Column("PAIRS", lambda r: str(r.count), right=True),
                Column("JACCARD", lambda r: f"{r.jaccard:.3f}", right=True),
            ],
            sorted(rows, key=lambda r: (-r.count, -r.jaccard)),
        )
        click.echo(
            f"passages counted together when they share a {within}"
            if within != "overlap"
            else "passages counted together when they overlap"
        )

    output(
        rows, CoOccurrence, as_json=as_json, csv_file=csv_file, parquet_file=parquet_file, show=show
    )


@stats_group.command("keyness")
@click.option(
    "--tag",
    "tag",
    default=None,
    metavar="T",
    help="Key words of the passages coded T against the rest of the corpus.",
)
@click.option(
    "--target",
    "target",
    multiple=True,
    metavar="COND",
    help="Key words of the documents where COND holds (speaker=郭声琨, year=2018) "
    "against the rest.",
)
@click.option(
    "--min-freq",
    default=3,
    show_default=True,
    type=click.IntRange(min=1),
    help="Only words seen at least this often in the target.",
)
@click.option(
    "--top",
    default=50,
    show_default=True,
    type=click.IntRange(min=0),
    help="How many words (0: all).",
)
@coding_options
def keyness_cmd(
    tag,
    target,
    min_freq,
    top,
    where,
    coders,
    children,
    as_json,
    csv_file,
    parquet_file,
    corpus_dir,
    db_path,
) -> None:
    """Words over-represented in a tag's passages (or some documents): G² and log ratio."""
    from speechreader.core.analysis import KeyWord, WordTable, document_keyness, tag_keyness
    from speechreader.core.corpus import parse_where, select_documents
    from speechreader.core.errors import InvalidInput

    if bool(tag) == bool(target):
        raise InvalidInput("give --tag T (a tag's passages) or --target COND (some documents)")
    coding = load_coding_for(corpus_dir, db_path, where, coders, text=False)
    table = WordTable.open(
        coding.corpus, coding.documents, progress=progress("reading the words of the corpus")
    )
    if tag:
        result = tag_keyness(coding, table, tag, children=children, min_freq=min_freq)
    else:
        conditions = parse_where(target, coding.corpus)
        label = " and ".join(map(str, conditions))
        chosen = {info.id for info in select_documents(coding.corpus, conditions)}
        result = document_keyness(coding, table, chosen, label=label, min_freq=min_freq)
    rows = result.words[:top] if top else result.words
    note(
        f"key words of {result.target}: {result.target_words:,} words against "
        f"{result.reference_words:,} in the rest"
    )

    def show() -> None:
        if not rows:
            click.echo(f"no word is key at --min-freq {min_freq}")
            return
        print_table(
            [
                Column("WORD", lambda r: r.word),
                Column("OBSERVED", lambda r: str(r.observed), right=True),
                Column("EXPECTED", lambda r: f"{r.expected:.2f}", right=True),
                Column("REFERENCE", lambda r: str(r.reference), right=True),
                Column("G2", lambda r: f"{r.g2:.2f}", right=True),
                Column("LOG RATIO", lambda r: f"{r.log_ratio:.2f}", right=True),
                Column("P", lambda r: f"{r.p:.2g}", right=True),
            ],
            rows,
        )

    output(rows, KeyWord, as_json=as_json, csv_file=csv_file, parquet_file=parquet_file, show=show)
