"""A search index just built from a loaded corpus records itself current for what the
load found (``Corpus.file_stats``) instead of walking the folder a second time, and
that record is exactly what a walk of the unchanged folder gives."""

from __future__ import annotations

import os

from speechreader.core.corpus import Corpus, _files, scan_files
from speechreader.core.search import SearchIndex, find
from speechreader.core.search._folder_walk import files_digest, folder_digest
from tests.corpus_helpers import bump_mtime, put


def awkward_corpus(root):
    """Documents in folders, and files the load skips: binary, blank, an id twice."""
    put(root, "a/one.txt", "发展是硬道理。")
    put(root, "a/two.txt", "兩個維護,發(fā)展。")
    put(root, "a-b/three.txt", "隨著經濟發展。")
    put(root, "b.txt", "两个维护")
    put(root, "dup.txt", "重复")
    put(root, "dup.TXT", "重複")  # the same document id as dup.txt
    put(root, "junk/binary.txt", "x").write_bytes(b"\x00\x01" * 40)
    put(root, "junk/blank.txt", "   \n")
    put(root, "notes.md", "not a speech")


def walked(root, follow_links=False) -> list[tuple[str, int, int]]:
    files, _ = scan_files(root, follow_links=follow_links)
    return [(f.rel, f.size, f.mtime_ns) for f in files]


def test_file_stats_are_what_a_walk_of_the_unchanged_folder_finds(tmp_path):
    awkward_corpus(tmp_path)
    for use_cache in (False, True):  # a first load, then one from the listing cache
        corpus = Corpus.load(tmp_path, use_cache=use_cache)
        assert len(corpus.skipped) == 3
        assert sorted(corpus.file_stats()) == walked(tmp_path)


def test_file_stats_follow_a_document_read_again_after_it_changed(tmp_path):
    awkward_corpus(tmp_path)
    corpus = Corpus.load(tmp_path)
    changed = tmp_path / "b.txt"
    changed.write_text("两个维护,两个确立", "utf-8")
    bump_mtime(changed)
    assert sorted(corpus.file_stats()) != walked(tmp_path)
    assert corpus.text("b") == "两个维护,两个确立"  # read again: the document follows
    assert sorted(corpus.file_stats()) == walked(tmp_path)


def test_a_built_index_records_the_walk_digest_without_walking_again(tmp_path, monkeypatch):
    awkward_corpus(tmp_path)
    corpus = Corpus.load(tmp_path)
    walks = []
    real = _files.scan_files

    def counted(*args, **kwargs):
        walks.append(args)
        return real(*args, **kwargs)

    import speechreader.core.corpus as part  # counted wherever it is looked up

    monkeypatch.setattr(_files, "scan_files", counted)
    monkeypatch.setattr(part, "scan_files", counted)
    index = SearchIndex.open(corpus)
    assert walks == []  # the load's walk was enough
    expected = files_digest(walked(tmp_path), False)
    assert index.db.meta()["files"] == expected == folder_digest(tmp_path)[0]
    index.close()
    again = SearchIndex.open_folder(tmp_path)
    assert again._corpus is None and again.built == 0  # current: no listing loaded
    assert [hit[:2] for hit in find(again, "两个维护")] == [("a/two", 0), ("b", 0)]


def test_a_file_changed_between_the_load_and_the_build_is_seen_by_the_next_search(tmp_path):
    awkward_corpus(tmp_path)
    corpus = Corpus.load(tmp_path)
    changed = tmp_path / "a/one.txt"
    changed.write_text("发展是硬道理,两个维护。", "utf-8")
    bump_mtime(changed)
    SearchIndex.open(corpus).close()  # made from the corpus as loaded, or the file as read
    added = put(tmp_path, "c/new.txt", "两个维护")
    os.utime(added, ns=(added.stat().st_atime_ns, added.stat().st_mtime_ns))
    again = SearchIndex.open_folder(tmp_path)
    found = {hit[0] for hit in find(again, "两个维护")}
    assert found == {"a/one", "a/two", "b", "c/new"}
