"""`speechreader search` (KWIC lines or JSON) and `speechreader autocode`."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from speechreader.cli.common import corpus_option, db_option, db_path_for
from speechreader.cli.terminal import echo, shown

NEWLINE_MARK = "⏎"
SHOWN_PASSAGES = 20  # a dry run lists this many passages
PROGRESS_AFTER = 0.5  # seconds of indexing before a progress line appears
HELD_BYTES = 16 << 20  # output held while the folder walk confirms the index is current


def _filter_options(tag_flag: str, tag_help: str) -> Callable[[Callable[..., Any]], Any]:
    """The query and document filters shared by search and autocode."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        options = [
            click.option("--regex", is_flag=True, help="QUERY is a Python regular expression."),
            click.option(
                "--whole-word", is_flag=True, help="Only hits that are whole words (jieba)."
            ),
            click.option("--speaker", default=None, help="Only speeches whose speaker contains S."),
            click.option("--place", default=None, help="Only speeches whose place contains P."),
            click.option("--date-from", default=None, metavar="DATE", help="From DATE (ISO)."),
            click.option("--date-to", default=None, metavar="DATE", help="Up to DATE (ISO)."),
            click.option(
                "--doc", "doc_ids", multiple=True, metavar="DOC_ID", help="Only this document."
            ),
            click.option(tag_flag, "filter_tag", default=None, metavar="NAME", help=tag_help),
        ]
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


def _make_filter(opts: dict[str, Any]):
    from speechreader.core.search import SearchFilter

    return SearchFilter(
        speaker=opts["speaker"],
        place=opts["place"],
        date_from=opts["date_from"],
        date_to=opts["date_to"],
        doc_ids=frozenset(opts["doc_ids"]) if opts["doc_ids"] else None,
        tag=opts["filter_tag"],
    )


def _progress() -> Callable[[int, int], None] | None:
    """A progress line on stderr while the corpus is indexed, if stderr is a terminal
    and it takes long enough to notice (loading a cached index takes a blink)."""
    if not sys.stderr.isatty():
        return None
    started = time.monotonic()
    shown = False

    def show(done: int, total: int) -> None:
        nonlocal shown
        if not shown and (done == total or time.monotonic() - started < PROGRESS_AFTER):
            return
        shown = True
        end = done == total
        click.echo(f"\rindexing the corpus for search: {done}/{total}", err=True, nl=end)

    return show


def _open_index(corpus_dir: Path | None, check=None):
    """The search index, checked against the folder (a walk and a stat per file): the
    listing is loaded only if something changed or a filter needs the metadata. With
    ``check`` the walk goes on meanwhile (see ``SearchIndex.open_folder``)."""
    from speechreader.cli.common import default_corpus, follow_links
    from speechreader.core.search import SearchIndex

    return SearchIndex.open_folder(
        corpus_dir or default_corpus(),
        follow_links=follow_links(),
        progress=_progress(),
        check=check,
    )


def _start_check(corpus_dir: Path | None):
    """The walk that proves the index current, started in a helper process now, so it
    runs while this one imports, opens the index and queries."""
    from speechreader.cli.common import default_corpus, follow_links
    from speechreader.core.search import FolderCheck

    return FolderCheck(corpus_dir or default_corpus(), follow_links())


def _read_store(corpus_dir: Path | None, db_path: Path | None, tag: str | None):
    """The database, read-only, if a tag filter needs it; UnknownTag if there is none."""
    if not tag:
        return None
    from speechreader.core.errors import UnknownTag
    from speechreader.core.store import Store

    db = db_path_for(corpus_dir, db_path)
    if not db.exists():
        raise UnknownTag(f"no tag {tag!r}: there is no annotation database at {db} yet")
    return Store(db, readonly=True)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _visible(text: str) -> str:
    return shown(text.replace("\r", "").replace("\n", NEWLINE_MARK).replace("\t", " "))


def kwic_lines(hits: list, *, style: bool = False) -> list[str]:
    """Aligned KWIC lines: left context right-aligned by terminal cells, the match, the
    right context, then ``doc_id:start`` (what ``speechreader tag`` needs)."""
    from rich.cells import cell_len

    rows = [(_visible(h.left), _visible(h.match), _visible(h.right), h) for h in hits]
    left_w = max((cell_len(r[0]) for r in rows), default=0)
    match_w = max((cell_len(r[1]) for r in rows), default=0)
    right_w = max((cell_len(r[2]) for r in rows), default=0)
    lines = []
    for left, match, right, hit in rows:
        pad_match = match + " " * (match_w - cell_len(match))
        shown = click.style(pad_match, bold=True, fg="red") if style else pad_match
        lines.append(
            " " * (left_w - cell_len(left))
            + f"{left} {shown} {right}"
            + " " * (right_w - cell_len(right))
            + f"  {hit.doc_id}:{hit.start}"
        )
    return lines


def _hit(row: tuple[str, int, int, str, str, str]) -> dict:
    """A hit as ``search --json`` writes it (the contract: these keys, in this order;
    written out again inline below, where a call per hit would cost a fifth)."""
    doc_id, start, end, left, match, right = row
    return {"doc_id": doc_id, "start": start, "end": end, "left": left, "match": match,
            "right": right}  # fmt: skip


def _dumps(value: Any, *, indent: bool = False) -> bytes:
    """JSON bytes with orjson (5x the standard library's speed); a lone surrogate, which
    orjson refuses, goes through the standard library, escaped."""
    import orjson

    try:
        return orjson.dumps(value, option=orjson.OPT_INDENT_2 if indent else 0)
    except orjson.JSONEncodeError:
        return json.dumps(value, indent=2 if indent else None).encode("ascii")


def _stdout() -> Any:
    """Where JSON bytes go: stdout's binary stream (a test runner's too)."""
    sys.stdout.flush()
    return sys.stdout.buffer


def _write_json(data: list[dict]) -> None:
    """The hits as JSON on stdout: indented at a terminal, compact through a pipe."""
    out = _stdout()
    out.write(_dumps(data, indent=sys.stdout.isatty()) + b"\n")
    out.flush()


class _Held:
    """Output held back until the index is confirmed current (then written as it comes):
    past ``limit`` bytes it asks at once, so a common word's 400 MB never wait here."""

    def __init__(self, out: Any, confirm: Callable[[], None], limit: int = HELD_BYTES) -> None:
        self.out = out
        self.confirm = confirm
        self.limit = limit
        self.held: list[bytes] | None = []
        self.size = 0

    def write(self, data: bytes) -> None:
        if self.held is None:
            self.out.write(data)
            return
        self.held.append(data)
        self.size += len(data)
        if self.size > self.limit:
            self.release()

    def release(self) -> None:
        """Confirm (``StaleIndex``: nothing was written), then write what was held."""
        if self.held is None:
            return
        self.confirm()
        held, self.held = self.held, None
        for chunk in held:
            self.out.write(chunk)


def _write_json_rows(index, query: str, where, store, context: int, opts: dict) -> None:
    """``search --json`` in document order, written a document at a time: 2 million hits
    of a common word in 100,000 speeches never sit in memory together."""
    from speechreader.core.gcpause import paused_gc
    from speechreader.core.search import search_rows

    rows = search_rows(index, query, regex=opts["regex"], whole_word=opts["whole_word"],
                       where=where, store=store, context=context)  # fmt: skip
    if sys.stdout.isatty():  # a person reads it: indented, all at once
        with paused_gc():
            hits = [_hit(row) for doc in rows for row in doc]
        index.confirm()
        _write_json(hits)
        return
    out = _Held(_stdout(), index.confirm)
    out.write(b"[")
    first = True
    with paused_gc():
        for doc in rows:
            chunk = _dumps([{"doc_id": r[0], "start": r[1], "end": r[2], "left": r[3],
                             "match": r[4], "right": r[5]} for r in doc])  # fmt: skip
            out.write(chunk[1:-1] if first else b"," + chunk[1:-1])
            first = False
    out.write(b"]\n")
    out.release()
    out.out.flush()


def _search(index, query: str, where, store, context: int, sort: str, as_json: bool,
            opts: dict) -> None:  # fmt: skip
    """Find and show: nothing is shown before ``index.confirm()`` says it is current."""
    from speechreader.core.search import search

    if as_json and sort == "doc":
        _write_json_rows(index, query, where, store, context, opts)
        return
    hits = search(index, query, regex=opts["regex"], whole_word=opts["whole_word"],
                  where=where, store=store, context=context, sort=sort)  # fmt: skip
    index.confirm()
    if as_json:
        _write_json([h.to_json() for h in hits])
        return
    if not hits:
        click.echo("0 hits")
        return
    click.echo("\n".join(kwic_lines(hits, style=sys.stdout.isatty())))
    docs = len({h.doc_id for h in hits})
    click.echo(f"{_plural(len(hits), 'hit')} in {_plural(docs, 'document')}")


@click.command("search")
@click.argument("query")
@_filter_options("--tag", "Only hits inside passages coded with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option(
    "--context", default=20, show_default=True, type=click.IntRange(min=0), metavar="N",
    help="Characters of context each side.",
)  # fmt: skip
@click.option(
    "--sort", type=click.Choice(["doc", "left", "right"]), default="doc", show_default=True,
    help="Order: by document, or concordance-style by the left or right context.",
)  # fmt: skip
@corpus_option
@db_option
def search_cmd(
    query: str,
    as_json: bool,
    context: int,
    sort: str,
    corpus_dir: Path | None,
    db_path: Path | None,
    **opts: Any,
) -> None:
    """Find QUERY in every speech, in either script (发展 finds 發展), with context."""
    from speechreader.core.search import StaleIndex

    check = _start_check(corpus_dir)
    where = _make_filter(opts)
    index = store = None
    try:
        index = _open_index(corpus_dir, check)
        store = _read_store(corpus_dir, db_path, where.tag)
        try:
            _search(index, query, where, store, context, sort, as_json, opts)
        except StaleIndex:  # changed since it was made: nothing was shown; update, again
            index.close()
            index = _open_index(corpus_dir)
            _search(index, query, where, store, context, sort, as_json, opts)
    finally:
        if store is not None:
            store.close()
        if index is not None:
            index.close()
        check.close()


@click.command("autocode")
@click.argument("query")
@click.option("--tag", "tag", required=True, metavar="NAME", help="The tag to apply.")
@click.option(
    "--unit", type=click.Choice(["hit", "sentence", "paragraph"]), default="sentence",
    show_default=True, help="Code the hit itself, or the sentence or paragraph around it.",
)  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Only show what would be coded.")
@_filter_options("--in-tag", "Only hits inside passages already coded with this tag.")
@click.option("--coder", default=None, help="Who codes (default: configured coder).")
@corpus_option
@db_option
def autocode_cmd(
    query: str,
    tag: str,
    unit: str,
    dry_run: bool,
    coder: str | None,
    corpus_dir: Path | None,
    db_path: Path | None,
    **opts: Any,
) -> None:
    """Tag every passage where QUERY occurs, as one step that `speechreader undo` reverts."""
    from speechreader.core.search import apply_autocode, plan_autocode
    from speechreader.core.store import Store

    where = _make_filter(opts)
    index = _open_index(corpus_dir)
    db = db_path_for(corpus_dir, db_path)
    store = None
    if not dry_run or db.exists():
        store = Store(db, coder=coder, readonly=dry_run)
    elif where.tag:
        from speechreader.core.errors import UnknownTag

        raise UnknownTag(f"no tag {where.tag!r}: there is no annotation database at {db} yet")
    try:
        plan = plan_autocode(
            index,
            store,
            query,
            tag,
            unit=unit,
            regex=opts["regex"],
            whole_word=opts["whole_word"],
            where=where,
            coder=coder,
        )
        new_tag = "" if plan.tag_exists else " (a new tag)"
        click.echo(f"autocode {query} → tag {plan.tag!r}{new_tag}, by {unit}, coder {plan.coder}")
        click.echo(plan.summary())
        if dry_run or store is None:
            for p in plan.passages[:SHOWN_PASSAGES]:
                quote = _visible(p.text if len(p.text) <= 40 else p.text[:39] + "…")
                echo(f"  {p.status:<8} {p.doc_id}:{p.start}-{p.end}  {quote}")
            if len(plan.passages) > SHOWN_PASSAGES:
                click.echo(f"  … and {len(plan.passages) - SHOWN_PASSAGES} more")
            click.echo("dry run: nothing was written")
            return
        result = apply_autocode(index, store, plan)
    finally:
        if store is not None:
            store.close()
    if result.created + result.tagged == 0:
        click.echo("nothing to do: every passage is already coded")
        return
    click.echo(
        f"coded {_plural(result.created + result.tagged, 'passage')}: "
        f"{result.created} new, {result.tagged} existing; `speechreader undo` takes them all back"
    )
