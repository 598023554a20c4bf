"""A first load asked to work apart (the TUI's): a child process analyses the files and
writes the listing cache, the caller reads it; the caller does it itself if the child
fails, and a load with nothing to analyse starts no child."""

from __future__ import annotations

import sys

import pytest

from speechreader.core import apart
from speechreader.core.corpus import Corpus, _corpus
from tests.corpus_helpers import SAMPLE_IDS, count_decodes


@pytest.fixture
def apart_from_one(monkeypatch):
    """Every first load counts as big (the real threshold is 2,000 files)."""
    monkeypatch.setattr(_corpus, "APART_MIN_FILES", 1)


def listed(corpus: Corpus) -> list[dict]:
    return [d.to_json() for d in corpus]


def test_the_child_analyses_and_the_caller_reads_its_cache(
    sample_corpus, monkeypatch, apart_from_one
):
    decodes = count_decodes(monkeypatch)
    seen: list[tuple[int, int]] = []
    corpus = Corpus.load(sample_corpus, progress=lambda d, t: seen.append((d, t)), apart=True)
    assert not any(name.endswith(".txt") for name in decodes)  # no file decoded here
    total = len(SAMPLE_IDS)
    assert seen[0] == (0, total) and seen[-1] == (total, total)
    assert listed(corpus) == listed(Corpus.load(sample_corpus, use_cache=False))
    assert corpus.file_stats() is not None


def test_a_child_that_fails_leaves_the_load_to_the_caller(
    sample_corpus, monkeypatch, apart_from_one
):
    decodes = count_decodes(monkeypatch)
    monkeypatch.setattr(sys, "executable", sys.executable + "-not-there")
    corpus = Corpus.load(sample_corpus, apart=True)
    assert sorted(n for n in decodes if n.endswith(".txt")) == sorted(
        f"{i}.txt" for i in SAMPLE_IDS
    )
    assert listed(corpus) == listed(Corpus.load(sample_corpus, use_cache=False))


def test_nothing_to_analyse_starts_no_child(sample_corpus, monkeypatch, apart_from_one):
    Corpus.load(sample_corpus)

    def refuse(*args, **kwargs):
        raise AssertionError("a child was started for a warm load")

    monkeypatch.setattr(apart, "run_apart", refuse)
    assert len(Corpus.load(sample_corpus, apart=True)) == len(SAMPLE_IDS)
