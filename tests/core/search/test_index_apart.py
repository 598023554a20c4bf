"""A big corpus's index brought up to date by a child process (what the TUI asks for):
the same index, the progress seen, and the caller's own update if the child fails."""

from __future__ import annotations

import random
import sys

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex, _build, _index, find
from tests.core.search.test_index_scan import make_corpus, scanner
from tests.corpus_helpers import bump_mtime


@pytest.fixture
def apart_from_one(monkeypatch):
    """Every corpus counts as big (the real threshold is 5,000 documents)."""
    monkeypatch.setattr(_index, "APART_MIN_DOCUMENTS", 1)


def refuse_building_here(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the index was built in the calling process")

    monkeypatch.setattr(_build, "forms", refuse)


def test_the_child_builds_the_index_the_caller_then_queries(
    tmp_path, sample_texts, monkeypatch, apart_from_one
):
    make_corpus(tmp_path, random.Random(41), sample_texts, docs=30)
    corpus = Corpus.load(tmp_path)
    refuse_building_here(monkeypatch)
    seen: list[tuple[int, int]] = []
    index = SearchIndex.open(corpus, progress=lambda d, t: seen.append((d, t)), apart=True)
    total = len(corpus.documents)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    for query in ("两个维护", "发展", "區域發展"):
        assert find(index, query) == scanner(corpus)(query)


def test_a_changed_file_is_indexed_by_the_child_too(
    tmp_path, sample_texts, monkeypatch, apart_from_one
):
    make_corpus(tmp_path, random.Random(42), sample_texts, docs=30)
    SearchIndex.open(Corpus.load(tmp_path), apart=True).close()
    changed = tmp_path / "cut/007.txt"
    changed.write_text("新的一句:两个维护。", "utf-8")
    bump_mtime(changed)
    corpus = Corpus.load(tmp_path)
    refuse_building_here(monkeypatch)
    index = SearchIndex.open(corpus, apart=True)
    assert ("cut/007", 5, 9) in find(index, "两个维护")
    assert find(index, "两个维护") == scanner(corpus)("两个维护")


def test_a_child_that_fails_leaves_the_update_to_the_caller(
    tmp_path, sample_texts, monkeypatch, apart_from_one
):
    make_corpus(tmp_path, random.Random(43), sample_texts, docs=10)
    corpus = Corpus.load(tmp_path)
    monkeypatch.setattr(sys, "executable", sys.executable + "-not-there")
    index = SearchIndex.open(corpus, apart=True)
    assert index.built == len(corpus.documents)  # built here, after all
    assert find(index, "发展") == scanner(corpus)("发展")


def test_a_small_corpus_is_indexed_in_the_calling_process(tmp_path, sample_texts):
    make_corpus(tmp_path, random.Random(44), sample_texts, docs=5)
    corpus = Corpus.load(tmp_path)
    index = SearchIndex.open(corpus, apart=True)
    assert index.built == len(corpus.documents)
