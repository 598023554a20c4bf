"""Symbolic links: those that lead out of the corpus folder are listed, not followed."""

from __future__ import annotations

import os

from speechreader.core.corpus import Corpus
from tests.corpus_helpers import put


def _corpus(tmp_path):
    root = tmp_path / "corpus"
    put(root, "a.txt", "各位代表：\n发展是第一要务。\n")
    outside = put(tmp_path / "elsewhere", "secret.txt", "外面的文件。\n")
    os.symlink(outside, root / "out.txt")
    os.symlink(outside.parent, root / "outdir")
    os.symlink(root / "a.txt", root / "alias.txt")  # inside: followed
    (root / "sub").mkdir()
    os.symlink("..", root / "sub" / "up")  # a loop inside the folder
    return root


def test_links_out_of_the_folder_are_skipped_with_the_reason(tmp_path):
    corpus = Corpus.load(_corpus(tmp_path))
    assert [d.id for d in corpus] == ["a", "alias"]
    reasons = {s.path: s.reason for s in corpus.skipped}
    assert set(reasons) == {"out.txt", "outdir"}
    assert all("outside the corpus folder" in r for r in reasons.values())
    assert str(tmp_path / "elsewhere") in reasons["outdir"]


def test_follow_links_reads_them(tmp_path):
    corpus = Corpus.load(_corpus(tmp_path), follow_links=True)
    assert [d.id for d in corpus] == ["a", "alias", "out", "outdir/secret"]
    assert corpus.skipped == []


def test_a_link_to_the_root_of_the_disk_is_not_walked(tmp_path):
    root = tmp_path / "corpus"
    put(root, "a.txt", "同志们：\n")
    os.symlink("/", root / "r")
    corpus = Corpus.load(root)
    assert [d.id for d in corpus] == ["a"]
    assert [s.path for s in corpus.skipped] == ["r"]
