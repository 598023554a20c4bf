"""Where a corpus's search index lives, and the key of its forms (what makes it stale
whatever the files: the form's version, OpenCC's, the phrase overrides, the code).

Whether it is current for the files on disk is :mod:`_folder_walk`'s question.
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from speechreader.core import paths
from speechreader.core.search._form import FORM_VERSION, SEARCH_CONFIG

#: the code that decides a document's text and form (besides OpenCC and the phrases)
_FORM_SOURCES = ("search/_form.py", "corpus/_files.py", "text")


def cache_path(root: Path, config: str = SEARCH_CONFIG) -> Path:
    """Where the search index of the corpus at ``root`` is kept."""
    return paths.corpus_cache_dir(root) / "search" / f"index-{config}.sqlite"


@functools.cache
def _opencc_version() -> str:
    import opencc

    return str(getattr(opencc, "__version__", "unknown"))


@functools.cache
def _code_digest() -> str:
    """A hash of the decoding and folding code: an edited module never leaves stale forms."""
    core = Path(__file__).resolve().parent.parent
    digest = hashlib.blake2b(digest_size=8)
    for name in _FORM_SOURCES:
        where = core / name
        files = sorted(where.rglob("*")) if where.is_dir() else [where]
        for file in files:
            if file.is_file() and file.suffix in (".py", ".tsv", ".txt", ".json"):
                digest.update(file.read_bytes())
    return digest.hexdigest()


def form_key(config: str = SEARCH_CONFIG) -> str:
    """What a cached search form depends on: form version, OpenCC, the phrase overrides
    and the code that decodes and folds."""
    from speechreader.core.text import load_phrases

    return (
        f"v{FORM_VERSION}|{config}|opencc {_opencc_version()}|phrases {load_phrases().digest}"
        f"|code {_code_digest()}"
    )
