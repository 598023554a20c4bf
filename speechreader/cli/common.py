"""Options and helpers shared by the commands: where the corpus and database are."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from speechreader.core.paths import resolve_db_path, sample_corpus_path


def default_corpus() -> Path:
    """``SPEECHREADER_CORPUS`` if set, else the bundled sample corpus."""
    env = os.environ.get("SPEECHREADER_CORPUS")
    return Path(env).expanduser() if env else sample_corpus_path()


def corpus_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--corpus",
        "corpus_dir",
        type=click.Path(path_type=Path, file_okay=True, dir_okay=True),
        default=None,
        help="Corpus folder (default: $SPEECHREADER_CORPUS, else the bundled sample corpus).",
    )(func)


def db_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(path_type=Path),
        default=None,
        help="Annotation database folder (default: $SPEECHREADER_DB, else one per corpus; "
        "see `speechreader info`). Created if it does not exist.",
    )(func)


def variant_option(func: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--variant",
        default=None,
        metavar="NAME",
        help="Conversion standard: standard (s2t/t2s), taiwan (s2tw), hongkong (s2hk) "
        "or taiwan-phrases (s2twp, changes wording).",
    )(func)


def load_corpus(corpus_dir: Path | None):
    """Load the corpus (cached listing), reporting skipped files on stderr only when asked."""
    from speechreader.core.corpus import Corpus

    return Corpus.load(corpus_dir or default_corpus())


def db_path_for(corpus_dir: Path | None, db_path: Path | None) -> Path:
    return resolve_db_path(corpus_dir or default_corpus(), db_path)


def open_store(corpus_dir: Path | None, db_path: Path | None, *, coder: str | None = None):
    from speechreader.core.store import Store

    return Store(db_path_for(corpus_dir, db_path), coder=coder)


def echo_json(data: Any) -> None:
    """JSON on stdout: UTF-8, Chinese unescaped, stable key order as built.

    Indented for a person at a terminal; compact when piped to a program (indenting
    the listing of a 10,000-document corpus took longer than loading it).
    """
    indent = 2 if sys.stdout.isatty() else None
    click.echo(json.dumps(data, ensure_ascii=False, indent=indent))
