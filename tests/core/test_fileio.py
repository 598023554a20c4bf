"""Atomic writes: the files we leave behind have the mode the user's umask asks for."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from speechreader.core import fileio
from speechreader.core.corpus import Corpus
from speechreader.core.exchange import export_csv
from speechreader.core.store import Store

XICHANG = "2018-06-07_li-jun_xichang"


@pytest.fixture(params=[0o002, 0o077])
def umask(request):
    old = os.umask(request.param)
    fileio.current_umask.cache_clear()
    try:
        yield request.param
    finally:
        os.umask(old)
        fileio.current_umask.cache_clear()


def modes(folder: Path) -> dict[str, int]:
    return {
        str(p.relative_to(folder)): stat.S_IMODE(p.stat().st_mode)
        for p in folder.rglob("*")
        if p.is_file()
    }


def test_the_umask_is_read_as_set(umask):
    assert fileio.current_umask() == umask


def test_database_files_exports_and_caches_follow_the_umask(umask, sample_corpus, tmp_path):
    expected = 0o666 & ~umask  # what open() gives a new file: 0664 for 002, 0600 for 077
    corpus = Corpus.load(sample_corpus)  # writes the listing cache
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        text = corpus.text(XICHANG)
        first = store.add(XICHANG, 0, 4, text=text, doc_hash="h", tags=["经济"])
        store.update(first.id, note="a second write, which takes a backup first")
    out = tmp_path / "out" / "export.csv"
    export_csv(Store(db, readonly=True), corpus, out)
    written = modes(db)
    for name in (
        "speechreader-db.json",
        "codebook.json",
        ".gitignore",
        f"annotations/amy/{XICHANG}.json",
        "local/lock",
    ):
        assert written.pop(name) == expected, name
    assert any(name.startswith("local/backups/") for name in written)
    assert set(written.values()) == {expected}  # backups, history, summary: all of them
    assert stat.S_IMODE(out.stat().st_mode) == expected
    cache = Path(os.environ["SPEECHREADER_CACHE_DIR"])
    cached = modes(cache)
    assert cached and set(cached.values()) == {expected}
