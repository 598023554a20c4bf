"""The on-disk index gives exactly what a plain scan gives: random queries, every offset.

The scan below is independent of the index: it reads every file through the corpus,
makes its search form (``index_text``, what the search form *is*), and runs the
query's pattern over it, mapping hits back through the form's own offset map. The
index must agree on 1-, 2-, 3- and 5-character queries cut from the texts, their
search forms (pinyin glosses dropped: 发展 must find 發(fā)展) and their traditional
conversions, with punctuation and line ends, after a build, after incremental
updates, and across many small segments (so lists and bitmaps both occur).
"""

from __future__ import annotations

import os
import random
import re

import numpy as np
import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex, _index_db, _postings, find, search, search_rows
from speechreader.core.search._form import index_text, literal_pattern
from speechreader.core.text import convert
from tests.corpus_helpers import LI, bump_mtime, put

EXTRA = {
    "extra/glossed.txt": "發(fā)展是硬道理。區(qū)域發(fā)展要協調,發(fā)展\n",
    "extra/fullwidth.txt": "今年ＧＤＰ增長了，GDP與gdp都是ＧＤＰ。\n隨著改革,著名的著作。",
    "extra/short.txt": "发",
    "extra/zhe.txt": "隨著經濟發展,顯著的變化;著手工作,随着发展。",
}


def scanner(corpus: Corpus):
    """A plain scan of ``corpus``: every document read in full and made into its search
    form once; the returned function finds a literal query in all of them."""
    forms = [
        (info.id, index_text(corpus.text(info.id), "t2s", info.base_script))
        for info in corpus.documents
    ]

    def scan(query: str) -> list[tuple[str, int, int]]:
        return plain_scan(forms, query)

    return scan


def plain_scan(forms, query: str) -> list[tuple[str, int, int]]:
    """Every hit of a literal query in every document's search form."""
    pattern = re.compile(literal_pattern(query))
    out = []
    for doc_id, entry in forms:
        for m in pattern.finditer(entry.norm):
            a, b = entry.to_original(*m.span())
            out.append((doc_id, a, b))
    return out


def make_corpus(root, rng: random.Random, sample_texts: dict[str, str], docs: int = 70):
    """The sample speeches, the tricky extras, and ``docs`` small documents cut from them."""
    for name, text in sample_texts.items():
        put(root, f"{name}.txt", text)
    for rel, text in EXTRA.items():
        put(root, rel, text)
    pool = [t for t in sample_texts.values()]
    for i in range(docs):
        text = rng.choice(pool)
        start = rng.randrange(len(text) - 400)
        put(root, f"cut/{i:03d}.txt", text[start : start + rng.randrange(20, 400)])


def random_queries(corpus: Corpus, rng: random.Random, count: int) -> list[str]:
    """Substrings of the texts, of their search forms and of those in traditional."""
    texts = [corpus.text(info.id) for info in corpus.documents]
    queries = []
    while len(queries) < count:
        text = rng.choice(texts)
        length = rng.choice((1, 2, 2, 3, 5))
        kind = rng.randrange(3)
        source = text if kind == 0 else index_text(text).norm
        if len(source) <= length:
            continue
        start = rng.randrange(len(source) - length)
        query = source[start : start + length]
        if kind == 2:
            query = convert(query, "s2t")
        if query.strip():
            queries.append(query)
    return queries


@pytest.fixture
def small_segments(monkeypatch):
    """32 documents per segment: a corpus of ~80 documents spans three segments."""
    monkeypatch.setattr(_index_db, "SEGMENT_BITS", 5)


def test_random_queries_find_exactly_what_a_scan_finds(tmp_path, sample_texts, small_segments):
    rng = random.Random(15)
    make_corpus(tmp_path, rng, sample_texts)
    corpus = Corpus.load(tmp_path)
    index = SearchIndex.open(corpus)
    assert index.db.bits == 5 and len(index) == len(corpus.documents) > 64
    fixed = [
        "发展",
        "發展",
        "的",
        "著",
        "隨著",
        "随着",
        "著名",
        "gdp",
        "ＧＤＰ",
        "，",
        "。\n",
        "展，",
    ]
    queries = fixed + random_queries(corpus, rng, 300)
    scan = scanner(corpus)
    for query in queries:
        assert find(index, query) == scan(query), query
    # and the KWIC lines, written a document at a time, are those of search()
    for query in fixed + queries[-40:]:
        rows = [row for doc in search_rows(index, query, context=7) for row in doc]
        hits = search(index, query, context=7)
        assert rows == [(h.doc_id, h.start, h.end, h.left, h.match, h.right) for h in hits]


def test_a_folder_opened_again_answers_like_a_fresh_build(tmp_path, sample_texts, small_segments):
    rng = random.Random(16)
    make_corpus(tmp_path, rng, sample_texts, docs=40)
    SearchIndex.open(Corpus.load(tmp_path)).close()
    fast = SearchIndex.open_folder(tmp_path)
    assert fast._corpus is None  # current: the listing was not loaded
    fresh = SearchIndex.open(Corpus.load(tmp_path), use_cache=False)
    for query in random_queries(fresh.corpus, rng, 60):
        assert find(fast, query) == find(fresh, query), query


def test_updates_keep_the_index_equal_to_a_scan(tmp_path, sample_texts, small_segments):
    rng = random.Random(17)
    make_corpus(tmp_path, rng, sample_texts)
    index = SearchIndex.open(Corpus.load(tmp_path))
    # change one file, remove one, add two (one in the partly filled last segment)
    path = tmp_path / f"{LI}.txt"
    path.write_text(path.read_text("utf-8") + "\n新增:两个维护,發(fā)展。\n", "utf-8")
    bump_mtime(path)
    (tmp_path / "cut/005.txt").unlink()
    put(tmp_path, "cut/new-a.txt", "两个维护是根本政治要求。")
    put(tmp_path, "cut/new-b.txt", "兩個維護,兩個確立。")
    corpus = Corpus.load(tmp_path)
    assert index.refresh(corpus) == 3
    scan = scanner(corpus)
    for query in ["两个维护", "兩個維護", "发展", "维", "确立", *random_queries(corpus, rng, 80)]:
        assert find(index, query) == scan(query), query
    again = SearchIndex.open_folder(tmp_path)
    assert again._corpus is None and again.built == 0
    assert find(again, "两个维护") == scan("两个维护")


@pytest.mark.parametrize("block", [4096, 3])  # bitmaps made in one block, or in many
def test_segments_keep_lists_and_bitmaps_exactly(block, monkeypatch):
    monkeypatch.setattr(_postings, "BITMAP_BLOCK", block)
    rng = np.random.default_rng(3)
    bits = 6  # 64 documents: a code in 4 or more documents is a bitmap
    docs = [rng.integers(1 << 22, (1 << 22) + 40, size=rng.integers(0, 30)).astype(np.uint64)
            for _ in range(64)]  # fmt: skip
    docs[7] = np.append(docs[7], np.uint64(1 << 30))  # in one document only: a list
    docs[9] = np.append(docs[9], np.uint64(1 << 30))
    rows = list(_postings.encode_segment(docs, 128, bits))
    expected: dict[int, set[int]] = {}
    for i, codes in enumerate(docs):
        for code in codes.tolist():
            expected.setdefault(code, set()).add(128 + i)
    got = {
        code: _postings.decode_blob(segment, blob, bits).tolist() for code, segment, blob in rows
    }
    assert {code: sorted(v) for code, v in expected.items()} == got
    assert {len(blob) for _, _, blob in rows} >= {8, 4}  # a bitmap, a list of two
    assert all(segment == 2 for _, segment, _ in rows)


def corpus_walk_digest(root) -> tuple[str, int]:
    """The digest of what the corpus's own walk finds (what the index records)."""
    from speechreader.core.corpus import scan_files
    from speechreader.core.search._folder_walk import files_digest

    found, _ = scan_files(root)
    return files_digest([(f.rel, f.size, f.mtime_ns) for f in found], False), len(found)


def test_the_quick_walk_finds_what_the_corpus_walk_finds(tmp_path, sample_texts):
    from speechreader.core.search._folder_walk import folder_digest

    make_corpus(tmp_path, random.Random(18), sample_texts, docs=10)
    put(tmp_path, "notes.md", "not a speech")
    put(tmp_path, ".hidden/x.txt", "hidden")
    put(tmp_path, ".dot.txt", "hidden")
    put(tmp_path, "UPPER/CASE.TXT", "大写")
    # names whose order differs between whole paths and folder by folder
    put(tmp_path, "a/x.txt", "甲")
    put(tmp_path, "a-b/x.txt", "乙")
    put(tmp_path, "a.txt", "丙")
    put(tmp_path, "folder.txt/inside.txt", "a folder named like a speech")
    put(tmp_path, "deep/er/still/深.txt", "丁")
    (tmp_path / "empty").mkdir()
    os.mkfifo(tmp_path / "pipe.txt")  # neither walk lists it
    expected = corpus_walk_digest(tmp_path)
    assert expected[1] == len(sample_texts) + len(EXTRA) + 10 + 6
    assert folder_digest(tmp_path) == expected
    assert folder_digest(tmp_path, follow_links=True)[0] != expected[0]
    (tmp_path / "link.txt").symlink_to(tmp_path / "extra/short.txt")
    assert folder_digest(tmp_path) is None  # links: the corpus's own walk decides


@pytest.mark.parametrize(
    "change",
    ["same size", "touched", "appended", "added", "added in a new folder", "removed",
     "renamed", "moved to another folder", "folder renamed"],
)  # fmt: skip
def test_every_change_on_disk_changes_the_digest(tmp_path, sample_texts, change):
    from speechreader.core.search._folder_walk import folder_digest

    make_corpus(tmp_path, random.Random(20), sample_texts, docs=5)
    before = folder_digest(tmp_path)
    assert before == corpus_walk_digest(tmp_path)
    path = tmp_path / "extra/zhe.txt"
    if change == "same size":
        data = path.read_bytes()
        path.write_bytes(data[3:] + data[:3])
        bump_mtime(path)
    elif change == "touched":
        bump_mtime(path)
    elif change == "appended":
        path.write_bytes(path.read_bytes() + "两个维护".encode())
    elif change == "added":
        put(tmp_path, "extra/new.txt", "两个维护")
    elif change == "added in a new folder":
        put(tmp_path, "new/new.txt", "两个维护")
    elif change == "removed":
        path.unlink()
    elif change == "renamed":
        path.rename(tmp_path / "extra/zhe2.txt")
    elif change == "moved to another folder":
        path.rename(tmp_path / "cut/zhe.txt")
    else:
        (tmp_path / "extra").rename(tmp_path / "extra2")
    after = folder_digest(tmp_path)
    assert after == corpus_walk_digest(tmp_path)
    assert after[0] != before[0]


def test_a_search_from_the_folder_sees_every_change_made_on_disk(
    tmp_path, sample_texts, small_segments
):
    """What the command line does: open from the folder (a walk, no listing) after files
    were changed, added and removed behind the index's back, and search."""
    rng = random.Random(21)
    make_corpus(tmp_path, rng, sample_texts, docs=40)
    SearchIndex.open(Corpus.load(tmp_path)).close()
    same = tmp_path / "cut/002.txt"
    data = same.read_bytes()
    same.write_bytes(data.replace("的".encode(), "两".encode(), 1))  # same size, new content
    bump_mtime(same)
    grown = tmp_path / "extra/short.txt"
    grown.write_text("发两个维护", "utf-8")
    (tmp_path / "cut/007.txt").unlink()
    put(tmp_path, "later/new.txt", "兩個維護,發(fā)展。")
    index = SearchIndex.open_folder(tmp_path)
    assert index.built >= 3  # the changes were seen and indexed
    scan = scanner(Corpus.load(tmp_path))
    for query in ["两个维护", "发展", "两", "的", *random_queries(index.corpus, rng, 40)]:
        assert find(index, query) == scan(query), query
    index.close()
    again = SearchIndex.open_folder(tmp_path)
    assert again._corpus is None and again.built == 0  # current again: no listing loaded
    assert find(again, "两个维护") == scan("两个维护")


def test_forms_made_by_workers_are_the_same(tmp_path, sample_texts, monkeypatch):
    from speechreader.core.search import _build

    make_corpus(tmp_path, random.Random(19), sample_texts, docs=30)
    corpus = Corpus.load(tmp_path)
    serial = SearchIndex.open(corpus, use_cache=False)
    monkeypatch.setattr(_build, "PARALLEL_MIN", 1)  # spawned workers (pytest may run threads)
    monkeypatch.setattr(_build, "PARALLEL_MIN_FORKED", 1)  # or forked ones
    changed = tmp_path / "cut/003.txt"  # changed after listing: read by the main process
    changed.write_text("发展两个维护", "utf-8")
    bump_mtime(changed)
    parallel = SearchIndex.open(corpus)
    assert parallel.built == len(corpus.documents)
    for doc_id in [info.id for info in corpus.documents if info.id != "cut/003"]:
        assert parallel.entry(doc_id) == serial.entry(doc_id), doc_id
    assert parallel.entry("cut/003").text() == "发展两个维护"


def test_the_walk_in_a_helper_process_gives_the_same_digest(tmp_path, sample_texts, monkeypatch):
    from speechreader.core.search._folder_walk import FolderCheck, folder_digest

    make_corpus(tmp_path, random.Random(22), sample_texts, docs=10)
    expected = corpus_walk_digest(tmp_path)
    check = FolderCheck(tmp_path)
    assert check._pid != 0  # a helper process walks
    assert check.result() == expected == folder_digest(tmp_path)
    check.close()

    def no_spawn(*args, **kwargs):
        raise OSError("no processes here")

    monkeypatch.setattr(os, "posix_spawn", no_spawn)
    check = FolderCheck(tmp_path)
    assert check._pid == 0 and check.result() == expected  # walked here instead
    monkeypatch.undo()
    monkeypatch.setattr("sys.executable", str(tmp_path / "no-python"))
    assert FolderCheck(tmp_path).result() == expected  # a helper that cannot start
    monkeypatch.undo()
    (tmp_path / "link.txt").symlink_to(tmp_path / "extra/short.txt")
    assert FolderCheck(tmp_path).result() is None  # links: the corpus's own walk decides


def test_an_index_opened_unconfirmed_is_stale_if_the_folder_changed(
    tmp_path, sample_texts, small_segments
):
    """What the command line does: the walk runs in a helper while the index is queried;
    nothing the query found may be shown unless the walk confirms the index current."""
    from speechreader.core.search import FolderCheck, StaleIndex

    rng = random.Random(23)
    make_corpus(tmp_path, rng, sample_texts, docs=40)
    SearchIndex.open(Corpus.load(tmp_path)).close()
    current = SearchIndex.open_folder(tmp_path, check=FolderCheck(tmp_path))
    assert current._corpus is None and current._check is not None
    find(current, "两个维护")
    current.confirm()  # nothing changed: confirmed
    current.close()

    changed = tmp_path / "cut/011.txt"
    changed.write_text("两个维护", "utf-8")
    bump_mtime(changed)
    stale = SearchIndex.open_folder(tmp_path, check=FolderCheck(tmp_path))
    assert stale.built == 0  # returned at once, as it was
    found = find(stale, "两个维护")
    with pytest.raises(StaleIndex):
        stale.confirm()
    stale.close()
    fresh = SearchIndex.open_folder(tmp_path)  # without a check: brought up to date
    scan = scanner(Corpus.load(tmp_path))
    assert find(fresh, "两个维护") == scan("两个维护") != found
