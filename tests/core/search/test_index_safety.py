"""The index file survives a builder killed half-way, and two builders at once."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex, find
from speechreader.core.search._index import cache_path
from tests.corpus_helpers import bump_mtime, put

REPO = Path(__file__).resolve().parents[3]

#: index the corpus at argv[1] in 32-document segments; with argv[2], die (no cleanup,
#: as a kill would) once that many documents are done
BUILDER = textwrap.dedent(
    """
    import os, sys
    from speechreader.core.corpus import Corpus
    from speechreader.core.search import SearchIndex, _index_db
    _index_db.SEGMENT_BITS = 5
    stop = int(sys.argv[2]) if len(sys.argv) > 2 else None
    def progress(done, total):
        if stop is not None and done >= stop:
            os._exit(9)
    SearchIndex.open(Corpus.load(sys.argv[1]), progress=progress)
    """
)


def run_builder(root: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", BUILDER, str(root), *extra], cwd=REPO, env=dict(os.environ)
    )


def make(root: Path, docs: int = 100) -> None:
    for i in range(docs):
        put(root, f"d/{i:03d}.txt", f"第{i}篇。两个维护,發展经济。" + "干部队伍建设。" * (i % 7))


def test_a_builder_killed_half_way_leaves_a_usable_index_that_the_next_one_finishes(tmp_path):
    make(tmp_path)
    assert run_builder(tmp_path, "70").wait() == 9  # two segments were committed
    partial = SearchIndex.open_folder(tmp_path)  # not current: the listing is loaded
    assert partial.built == 100 - 64
    assert len(find(partial, "两个维护")) == 100
    fast = SearchIndex.open_folder(tmp_path)
    assert fast._corpus is None and len(find(fast, "發展")) == 100


def test_an_update_killed_half_way_leaves_an_index_the_next_update_completes(tmp_path):
    make(tmp_path)
    assert run_builder(tmp_path).wait() == 0
    for i in range(0, 100, 2):  # change half the documents
        path = tmp_path / f"d/{i:03d}.txt"
        path.write_text(f"第{i}篇改了。一把手。", "utf-8")
        bump_mtime(path)
    assert run_builder(tmp_path, "60").wait() == 9
    index = SearchIndex.open(Corpus.load(tmp_path))
    assert len(find(index, "一把手")) == 50
    assert len(find(index, "两个维护")) == 50


def test_two_builders_at_once_both_finish_and_agree(tmp_path):
    make(tmp_path)
    first, second = run_builder(tmp_path), run_builder(tmp_path)
    assert (first.wait(), second.wait()) == (0, 0)
    assert cache_path(tmp_path).is_file()
    index = SearchIndex.open_folder(tmp_path)
    assert index._corpus is None and index.built == 0
    assert len(index) == 100
    assert len(find(index, "两个维护")) == 100
