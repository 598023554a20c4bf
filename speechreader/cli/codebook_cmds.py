"""`speechreader codebook ...`: the tags, as a research team sets them up and shares them.

Every change is one step of the store's undo history (`speechreader undo`).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from speechreader.cli.common import corpus_option, db_option, db_path_for, echo_json, open_store
from speechreader.cli.terminal import shown


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _interactive() -> bool:
    """Whether a person can answer a question (stdin and stdout are terminals)."""
    return sys.stdin.isatty() and sys.stdout.isatty()


def _colour(value: str | None) -> str | None:
    from speechreader.core.store import check_colour

    return None if value is None else check_colour(value)


def _swatch(colour: str) -> str:
    """Two cells of the colour (dropped by click when stdout is not a terminal)."""
    try:
        rgb = tuple(int(colour[i : i + 2], 16) for i in (1, 3, 5))
    except ValueError:
        return "  "
    return click.style("  ", bg=rgb)


@click.group("codebook")
def codebook_group() -> None:
    """List and edit the codebook (tags), or share it as CSV or REFI-QDA (.qdc)."""


@codebook_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@corpus_option
@db_option
def list_tags(as_json: bool, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Tags in tree order, with their key (1-9), colour, passages and description."""
    from rich.cells import cell_len

    from speechreader.core.store import Store, tree_rows

    db = db_path_for(corpus_dir, db_path)
    rows = []
    if db.exists():
        with Store(db, readonly=True) as store:
            rows = tree_rows(store.tags(), store.tag_counts())
    if as_json:
        echo_json([r.to_json() for r in rows])
        return
    if not rows:
        click.echo("the codebook is empty (add a tag with `speechreader codebook add NAME`)")
        return
    labels = ["  " * r.depth + shown(r.tag.name) for r in rows]
    width = max(4, *(cell_len(label) for label in labels))
    click.echo(f"KEY    {'TAG'.ljust(width)}  COLOUR   PASSAGES  DESCRIPTION")
    for row, label in zip(rows, labels, strict=True):
        key = str(row.shortcut) if row.shortcut else " "
        pad = " " * (width - cell_len(label))
        click.echo(
            f"{key:<3} {_swatch(row.tag.colour)} {label}{pad}  {row.tag.colour:<8} "
            f"{row.count:>8}  {shown(row.tag.description)}".rstrip()
        )


@codebook_group.command("add")
@click.argument("name")
@click.option("--colour", "--color", "colour", default=None, help="#rrggbb or a colour name.")
@click.option("--description", default="", help="What the tag means (the coding rule).")
@click.option("--parent", default=None, metavar="TAG", help="Make it a child of TAG.")
@corpus_option
@db_option
def add_tag(
    name: str,
    colour: str | None,
    description: str,
    parent: str | None,
    corpus_dir: Path | None,
    db_path: Path | None,
) -> None:
    """Create a tag (its colour defaults to the first unused palette colour)."""
    colour = _colour(colour)
    with open_store(corpus_dir, db_path) as store:
        tag = store.add_tag(name, colour=colour, description=description, parent=parent)
    click.echo(f"added tag {tag.name!r} ({tag.colour})")


@codebook_group.command("rename")
@click.argument("old")
@click.argument("new")
@corpus_option
@db_option
def rename_tag(old: str, new: str, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Rename a tag, in the codebook and on every passage that carries it."""
    with open_store(corpus_dir, db_path) as store:
        count = store.tag_counts().get(old, 0)
        tag = store.update_tag(old, new_name=new)
    click.echo(f"renamed tag {old!r} to {tag.name!r} ({_plural(count, 'passage')})")


@codebook_group.command("recolour")
@click.argument("name")
@click.argument("colour")
@corpus_option
@db_option
def recolour_tag(name: str, colour: str, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Give a tag another colour (#rrggbb or a colour name)."""
    value = _colour(colour)
    with open_store(corpus_dir, db_path) as store:
        tag = store.update_tag(name, colour=value)
    click.echo(f"tag {tag.name!r} is now {tag.colour}")


@codebook_group.command("describe")
@click.argument("name")
@click.argument("text")
@corpus_option
@db_option
def describe_tag(name: str, text: str, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Set a tag's description (the coding rule coders follow)."""
    with open_store(corpus_dir, db_path) as store:
        tag = store.update_tag(name, description=text)
    click.echo(f"described tag {tag.name!r}")


@codebook_group.command("move")
@click.argument("name")
@click.option("--parent", default=None, metavar="TAG", help="The new parent.")
@click.option("--root", is_flag=True, help="Move it to the top level.")
@corpus_option
@db_option
def move_tag(
    name: str, parent: str | None, root: bool, corpus_dir: Path | None, db_path: Path | None
) -> None:
    """Put a tag under another one (--parent TAG), or at the top level (--root)."""
    if (parent is None) == (not root):
        raise click.UsageError("give exactly one of --parent TAG or --root")
    with open_store(corpus_dir, db_path) as store:
        tag = store.update_tag(name, parent=None if root else parent)
    where = f"under {tag.parent!r}" if tag.parent else "at the top level"
    click.echo(f"tag {tag.name!r} is now {where}")


@codebook_group.command("merge")
@click.argument("source")
@click.argument("target")
@corpus_option
@db_option
def merge_tags(source: str, target: str, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Move every passage of SOURCE to TARGET and remove SOURCE from the codebook."""
    with open_store(corpus_dir, db_path) as store:
        count = store.merge_tags(source, target)
    click.echo(f"merged {source!r} into {target!r}: {_plural(count, 'passage')} moved")


@codebook_group.command("delete")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask.")
@corpus_option
@db_option
def delete_tag(name: str, yes: bool, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Remove a tag from the codebook and from its passages.

    The passages stay, with their other tags, highlights and notes; a passage that had
    nothing but this tag is deleted with it (it would mark nothing). `undo` undoes both.
    """
    from speechreader.core.errors import InvalidInput

    with open_store(corpus_dir, db_path) as store:
        preview = store.tag_deletion(name)  # unknown: a clear error, with close names
        effect = f"tag {name!r} is on {_plural(preview.passages, 'passage')}; deleting it "
        if preview.deleted:
            one = preview.deleted == 1
            effect += (
                f"removes the tag from them; {preview.deleted} of them "
                f"{'has' if one else 'have'} nothing else (no other tag, highlight or note) "
                f"and {'is' if one else 'are'} deleted"
            )
        else:
            effect += "removes the tag from them (the passages, their other tags and notes stay)"
        if not yes:
            if not _interactive():
                raise InvalidInput(f"{effect}. Not deleted: add --yes to delete it")
            if not click.confirm(f"{effect}. Delete it?", default=False):
                click.echo("not deleted")
                return
        done = store.delete_tag(name)
    gone = (
        f"; {_plural(done.deleted, 'annotation')} had nothing else and "
        f"{'was' if done.deleted == 1 else 'were'} deleted (speechreader undo brings "
        f"{'it' if done.deleted == 1 else 'them'} back)"
        if done.deleted
        else ""
    )
    click.echo(f"deleted tag {name!r}; removed it from {_plural(done.passages, 'passage')}{gone}")


@codebook_group.command("import")
@click.argument("csv_file", type=click.Path(path_type=Path, dir_okay=False))
@corpus_option
@db_option
def import_tags(csv_file: Path, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Add and update tags from a CSV with columns name,parent,colour,description.

    A REFI-QDA codebook (.qdc, from NVivo, MAXQDA, ATLAS.ti, QualCoder...) works too.
    """
    from speechreader.core.errors import InvalidInput
    from speechreader.core.exchange import import_codebook, import_qdc

    if not csv_file.is_file():
        raise InvalidInput(f"no such file: {csv_file}")
    reader = import_qdc if csv_file.suffix.lower() == ".qdc" else import_codebook
    with open_store(corpus_dir, db_path) as store:
        report = reader(store, csv_file)
    for problem in report.rejected:
        click.echo(str(problem), err=True)
    for note in report.notes:
        click.echo(note, err=True)
    click.echo(f"codebook import: {report.summary()}")
    if report.rejected:
        sys.exit(1 if report.added or report.updated or report.unchanged else 2)


@codebook_group.command("export")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    help="File to write ('-' for standard output).",
)
@corpus_option
@db_option
def export_tags(output: Path, corpus_dir: Path | None, db_path: Path | None) -> None:
    """Write the codebook as CSV (name,parent,colour,description), parents first.

    With -o FILE.qdc, as a REFI-QDA codebook for NVivo, MAXQDA, ATLAS.ti, QualCoder...
    """
    import io

    from speechreader.core.exchange import write_codebook_csv, write_qdc
    from speechreader.core.fileio import atomic_write_text
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    tags = []
    if db.exists():
        with Store(db, readonly=True) as store:
            tags = store.tags()
    if output.suffix.lower() == ".qdc":
        count = write_qdc(tags, output)
        click.echo(f"wrote {_plural(count, 'code')} to {output}", err=True)
        return
    buffer = io.StringIO()
    count = write_codebook_csv(tags, buffer)
    if str(output) == "-":
        click.echo(buffer.getvalue(), nl=False)
        return
    atomic_write_text(output, buffer.getvalue())
    click.echo(f"wrote {_plural(count, 'tag')} to {output}", err=True)
