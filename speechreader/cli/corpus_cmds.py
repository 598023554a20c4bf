"""Commands about the corpus itself: info, list, show, convert."""

from __future__ import annotations

import bisect
from pathlib import Path

import click

from speechreader.cli.common import (
    corpus_option,
    db_option,
    db_path_for,
    default_corpus,
    echo_json,
    echo_json_fast,
    load_corpus,
    variant_option,
)
from speechreader.cli.terminal import echo
from speechreader.core.words import plural


def _pad(text: str, width: int) -> str:
    """Pad to ``width`` terminal cells (Chinese characters take two)."""
    if text.isascii() and text.isprintable():  # a cell a character (what rich counts)
        return text[:width].ljust(width)
    from rich.cells import cell_len, set_cell_size

    return (
        set_cell_size(text, width)
        if cell_len(text) > width
        else text + " " * (width - cell_len(text))
    )


@click.command("info")
@corpus_option
@db_option
def info_cmd(corpus_dir: Path | None, db_path: Path | None) -> None:
    """Where things are: corpus, database, caches, configuration; and who is coding."""
    import opencc

    from speechreader import __version__
    from speechreader.core import paths
    from speechreader.core.config import load_settings

    settings = load_settings()
    corpus = load_corpus(corpus_dir)
    db = db_path_for(corpus_dir, db_path)
    rows = [
        ("speechreader", __version__),
        ("corpus", str(corpus.root)),
        ("documents", f"{len(corpus)} ({plural(len(corpus.skipped), 'file')} skipped)"),
        (
            "metadata.csv",
            f"{len(corpus.warnings)} problem(s)" if corpus.warnings else "no problems",
        ),
        ("database", str(db) + ("" if db.exists() else "  (not created yet)")),
        ("default database", str(paths.default_db_path(corpus.root))),
        ("coder", settings.coder),
        ("variant", settings.variant),
        ("cache folder", str(paths.cache_dir())),
        ("config folder", str(paths.config_dir())),
        ("log folder", str(paths.log_dir())),
        ("opencc", opencc.__version__),
    ]
    if db.exists():
        from speechreader.core.store import Store

        store = Store(db, readonly=True)
        try:
            rows.insert(4, ("annotations", f"{sum(store.counts_by_document().values())}"))
            rows.insert(5, ("tags", f"{len(store.tags())}"))
        finally:
            store.close()
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        echo(f"{key.ljust(width)}  {value}")
    _echo_warnings(corpus.warnings)
    for warning in settings.warnings:
        click.echo(f"warning: {warning}", err=True)


@click.command("list")
@corpus_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(corpus_dir: Path | None, as_json: bool) -> None:
    """The documents of the corpus, and the files that could not be read."""
    corpus = load_corpus(corpus_dir)
    if as_json:
        from speechreader.core.corpus import listing_json

        def listing(documents: list) -> dict:
            return {
                "documents": documents,
                "skipped": [s.to_json() for s in corpus.skipped],
                "warnings": list(corpus.warnings),
            }

        echo_json_fast(
            listing(listing_json(corpus.documents)),
            plain=lambda: listing([d.to_json() for d in corpus.documents]),
        )
        return
    id_width = min(48, max((len(d.id) for d in corpus.documents), default=2))
    click.echo(f"{_pad('ID', id_width)}  {'SCRIPT':<11} {'CHARS':>7}  TITLE")
    lines = []
    for doc in corpus.documents:
        problems = ", ".join(f"{p.kind} {p.count}" for p in doc.problems)
        line = f"{_pad(doc.id, id_width)}  {doc.script:<11} {doc.chars:>7}  {doc.title}"
        lines.append(line + (f"  [{problems}]" if problems else ""))
    if lines:  # one write, not one a document (escaped as each line would be)
        echo("\n".join(lines))
    echo(f"\n{plural(len(corpus), 'document')} in {corpus.root}")
    if corpus.skipped:
        click.echo(f"{plural(len(corpus.skipped), 'file')} skipped:")
        for skipped in corpus.skipped:
            echo(f"  {skipped.path}: {skipped.reason}")
    _echo_warnings(corpus.warnings)


def _echo_warnings(warnings: list[str]) -> None:
    """metadata.csv's problems (duplicate rows, unknown files, an open quote...)."""
    if warnings:
        count = len(warnings)
        click.echo(f"{count} problem{'s' if count != 1 else ''} in metadata.csv:")
        for warning in warnings:
            echo(f"  {warning.removeprefix('metadata.csv: ')}")


@click.command("show")
@click.argument("doc_id")
@corpus_option
@click.option(
    "--script",
    type=click.Choice(["original", "simplified", "traditional"]),
    default="original",
    show_default=True,
    help="Print the text as it is, or converted.",
)
@variant_option
@click.option(
    "--clean",
    is_flag=True,
    help="Hide pinyin glosses (發(fā)展 → 發展) and show doubled punctuation once (,, → ,): "
    "for reading; offsets still count characters of the original.",
)
@click.option(
    "--problems",
    is_flag=True,
    help="List what to distrust in the text (glosses, mojibake, residue ...) and where.",
)
@click.option("--json", "as_json", is_flag=True, help="With --problems: machine-readable.")
def show_cmd(
    doc_id: str,
    corpus_dir: Path | None,
    script: str,
    variant: str | None,
    clean: bool,
    problems: bool,
    as_json: bool,
) -> None:
    """Print a document's text (offsets in `tag` count characters of the original)."""
    from speechreader.core.config import load_settings
    from speechreader.core.errors import InvalidInput
    from speechreader.core.text import clean_view, pane_texts

    if as_json and not problems:
        raise InvalidInput("--json goes with --problems (the text itself is printed as it is)")
    corpus = load_corpus(corpus_dir)
    doc = corpus.document(doc_id)
    if problems:
        _show_problems(doc.id, doc.text, doc.info.base_script, as_json=as_json)
        return
    text = clean_view(doc.text).text if clean else doc.text
    if script != "original":
        panes = pane_texts(text, doc.info.base_script, variant or load_settings().variant)
        text = panes.pane(script).text
    echo(text, nl=not text.endswith("\n"))


def _show_problems(doc_id: str, text: str, base_script: str, *, as_json: bool) -> None:
    """Each problem of a document with its line, column and offsets (all counted in
    characters of the text as loaded, like annotation offsets)."""
    from speechreader.core.text import find_problems

    spans = find_problems(text, base_script)
    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    rows = []
    for span in spans:
        line = bisect.bisect_right(line_starts, span.start)
        rows.append((span, line, span.start - line_starts[line - 1] + 1))
    if as_json:
        echo_json(
            {
                "id": doc_id,
                "problems": [
                    {
                        "kind": span.kind,
                        "start": span.start,
                        "end": span.end,
                        "line": line,
                        "column": column,
                        "text": span.text,
                        "right": span.right,
                        "explanation": span.explanation,
                    }
                    for span, line, column in rows
                ],
            }
        )
        return
    if not rows:
        echo(f"no problems found in {doc_id}")
        return
    kind_width = max(len(span.kind) for span in spans)
    for span, line, column in rows:
        where, kind = f"{line}:{column}", f"{span.kind:<{kind_width}}"
        echo(f"{where:<9} {span.start:>7}-{span.end:<7} {kind}  {span.explanation}")
    echo(f"\n{plural(len(rows), 'problem')} in {doc_id}")


@click.command("convert")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--to", "target", type=click.Choice(["simplified", "traditional"]), required=True)
@variant_option
def convert_cmd(file: Path, target: str, variant: str | None) -> None:
    """Print the converted text of any file (any supported encoding)."""
    from speechreader.core.config import load_settings
    from speechreader.core.errors import InvalidInput
    from speechreader.core.text import convert as run_convert
    from speechreader.core.text import get_variant, read_text_file

    if not file.exists():
        raise InvalidInput(f"no such file: {file}")
    decoded = read_text_file(file, name=str(file))
    config = get_variant(variant or load_settings().variant).config_to(target)
    text = run_convert(decoded.text, config)
    click.echo(text, nl=not text.endswith("\n"))


__all__ = ["convert_cmd", "default_corpus", "info_cmd", "list_cmd", "show_cmd"]
