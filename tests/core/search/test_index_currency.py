"""An index opened for a loaded corpus trusts the load's own walk, and only when sound.

The TUI loads the corpus (a walk and a stat of every file) and then opens its index.
When the index was made current for exactly the files the load found, nothing is
compared and the folder is not walked again; when the files differ in any way, the
index is compared and brought up to date as before. The digests here are checked
against the quick walk of the folder (``folder_digest``), which shares no code with
the corpus's load.
"""

from __future__ import annotations

import random

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex, find
from speechreader.core.search._folder_walk import files_digest, folder_digest
from tests.core.search.test_index_scan import make_corpus, scanner
from tests.corpus_helpers import bump_mtime, put


def awkward_corpus(root, sample_texts):
    """The sample speeches and extras, plus files that are found but are no document."""
    make_corpus(root, random.Random(31), sample_texts, docs=12)
    (root / "binary.txt").write_bytes(bytes(range(256)) * 8)  # found, not readable
    put(root, "deep/twice.txt", "一份讲话")
    put(root, "deep/twice.TXT", "同名的另一份")  # same document id: skipped
    put(root, "notes.md", "not a speech")  # not found at all


@pytest.mark.parametrize("load", ["cold", "warm"])
def test_a_loaded_corpus_describes_every_file_its_folder_walk_finds(tmp_path, sample_texts, load):
    awkward_corpus(tmp_path, sample_texts)
    corpus = Corpus.load(tmp_path)
    if load == "warm":
        corpus = Corpus.load(tmp_path)
    skipped = {s.path for s in corpus.skipped}
    assert {"binary.txt"} <= skipped and len(skipped) == 2  # one of the twins
    stats = corpus.file_stats()
    assert stats is not None
    assert len(stats) == len(corpus.documents) + 2
    assert files_digest(stats, False) == folder_digest(tmp_path)[0]


def test_a_corpus_made_by_hand_does_not_claim_to_describe_its_folder(tmp_path, sample_texts):
    awkward_corpus(tmp_path, sample_texts)
    loaded = Corpus.load(tmp_path)
    by_hand = Corpus(tmp_path, loaded.documents, loaded.skipped, loaded.metadata_columns)
    assert by_hand.file_stats() is None


def test_an_unchanged_corpus_opens_its_index_without_walking_or_comparing(
    tmp_path, sample_texts, monkeypatch
):
    awkward_corpus(tmp_path, sample_texts)
    built = SearchIndex.open(Corpus.load(tmp_path))
    expected = find(built, "两个维护")
    built.close()
    corpus = Corpus.load(tmp_path)

    def refuse(*args, **kwargs):
        raise AssertionError("the folder was walked or the index compared again")

    import speechreader.core.corpus as corpus_package
    from speechreader.core.search import _index_db

    monkeypatch.setattr(corpus_package, "scan_files", refuse)
    monkeypatch.setattr(_index_db.IndexDB, "rows", refuse)
    index = SearchIndex.open(corpus)
    assert index.built == 0 and index.missing == []
    assert find(index, "两个维护") == expected != []


def test_a_corpus_loaded_before_a_change_is_compared_not_trusted(tmp_path, sample_texts):
    """The index was made current by another process after a file changed; the corpus in
    hand still describes the file as it was: its digest differs, the index is compared,
    and the changed document is read again."""
    awkward_corpus(tmp_path, sample_texts)
    old = Corpus.load(tmp_path)
    SearchIndex.open(old).close()
    changed = tmp_path / "cut/003.txt"
    changed.write_text("加了一句:两个维护。", "utf-8")
    bump_mtime(changed)
    SearchIndex.open(Corpus.load(tmp_path)).close()  # another process: current for the new
    index = SearchIndex.open(old)
    assert find(index, "两个维护") == scanner(Corpus.load(tmp_path))("两个维护")
    assert ("cut/003", 5, 9) in find(index, "两个维护")


@pytest.mark.parametrize("change", ["touched", "added", "removed"])
def test_any_change_since_the_index_was_made_is_compared_and_indexed(
    tmp_path, sample_texts, change
):
    awkward_corpus(tmp_path, sample_texts)
    SearchIndex.open(Corpus.load(tmp_path)).close()
    target = tmp_path / "cut/004.txt"
    if change == "touched":
        target.write_text("两个维护", "utf-8")
        bump_mtime(target)
    elif change == "added":
        put(tmp_path, "cut/new.txt", "两个维护")
    else:
        target.unlink()
    corpus = Corpus.load(tmp_path)
    index = SearchIndex.open(corpus)
    assert index.built == (0 if change == "removed" else 1)
    assert find(index, "两个维护") == scanner(corpus)("两个维护")
