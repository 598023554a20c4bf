"""The search form of a text, and the search index: built once, cached on disk, kept current."""

from __future__ import annotations

import re
from array import array

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex, find, search
from speechreader.core.search._form import IndexedDoc, fold, index_text, normalise
from speechreader.core.search._index import cache_path, form_key
from tests.corpus_helpers import CADRES, GUO, LI, SAMPLE_IDS, WANG, bump_mtime, put

#: A pinyin gloss after a character, as the scraped speeches have them: 發(fā)展, 區(qū).
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")

# --- the search form -------------------------------------------------------------------


def test_normalise_converts_to_simplified_and_folds_width_and_case():
    assert normalise("發展ＧＤＰ與Ａｂｃ，Xi") == "发展gdp与abc,xi"
    assert fold("ＡＢＣ１２３（）") == "abc123()"


def test_simplified_text_without_capitals_is_its_own_search_form():
    doc = index_text("加强干部队伍建设")
    assert doc == IndexedDoc("加强干部队伍建设")
    assert doc.text() == "加强干部队伍建设"


def test_a_few_changed_characters_are_kept_as_differences():
    doc = index_text("今年GDP增长了百分之五的干部")
    assert doc.norm == "今年gdp增长了百分之五的干部"
    assert doc.orig is None
    assert doc.diff_pos == array("I", [2, 3, 4])
    assert doc.diff_chars == "GDP"
    assert doc.original(1, 4) == "年GD"
    assert doc.original(5, 7) == "增长"
    assert doc.text() == "今年GDP增长了百分之五的干部"


def test_a_short_text_with_many_changed_characters_is_kept_whole():
    doc = index_text("增长GDP的干部")
    assert (doc.norm, doc.orig, len(doc.diff_pos)) == ("增长gdp的干部", "增长GDP的干部", 0)


def test_a_traditional_text_keeps_its_whole_text():
    doc = index_text("加強幹部隊伍建設")
    assert doc.norm == "加强干部队伍建设"
    assert doc.orig == "加強幹部隊伍建設"
    assert doc.original(2, 4) == "幹部"


def test_every_sample_text_comes_back_exactly_from_the_index(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    index = SearchIndex.open(corpus)
    for doc_id in SAMPLE_IDS:
        entry = index.entry(doc_id)
        text = corpus.text(doc_id)
        assert entry.text() == text
        # pinyin glosses, 發(fā)展, are left out of the form, and mapped back
        glosses = list(GLOSS.finditer(text))
        assert len(entry.norm) == len(text) - sum(len(g.group()) for g in glosses)
        if not glosses:
            assert entry.mapping is None
            continue
        assert (entry.mapping.src_len, entry.mapping.dst_len) == (len(text), len(entry.norm))
        for gloss in glosses:  # 區(qū): one character of the form, 区
            start, end = entry.mapping.span_to_dst(gloss.start() - 1, gloss.end())
            assert end - start == 1, gloss
    glossed = {d for d in SAMPLE_IDS if GLOSS.search(corpus.text(d))}
    assert glossed == {GUO, WANG}  # the two texts scraped with pinyin glosses


def test_a_length_changing_form_maps_hits_back_to_the_original_text(tmp_path):
    # tw2sp changes length (全域性 -> 全局): the fallback t2s would need after an OpenCC update
    put(tmp_path, "tw.txt", "這是全域性的軟體問題。")
    corpus = Corpus.load(tmp_path)
    index = SearchIndex.open(corpus, config="tw2sp")
    entry = index.entry("tw")
    assert entry.norm == "这是全局的软件问题。"
    # 全局 (2..4 of the form) is 全域性 (2..5 of the text); after it, one character less
    assert (entry.mapping.src_len, entry.mapping.dst_len) == (11, 10)
    assert entry.mapping.span_to_src(2, 4) == (2, 5)
    assert entry.mapping.span_to_src(5, 7) == (6, 8)  # 软件: 軟體
    assert entry.mapping.span_to_src(9, 10) == (10, 11)  # 。
    assert find(index, "全局") == [("tw", 2, 5)]
    hits = search(index, "软件", context=2)
    assert [(h.start, h.end, h.left, h.match, h.right) for h in hits] == [
        (6, 8, "性的", "軟體", "問題")
    ]
    again = SearchIndex.open(Corpus.load(tmp_path), config="tw2sp")
    assert again.built == 0
    assert again.entry("tw").text() == "這是全域性的軟體問題。"
    assert find(again, "全局") == [("tw", 2, 5)]


# --- the cache ------------------------------------------------------------------------


def test_second_open_loads_the_cache_instead_of_reading_the_files(sample_corpus):
    first = SearchIndex.open(Corpus.load(sample_corpus))
    assert first.built == 5
    assert cache_path(sample_corpus).is_file()
    second = SearchIndex.open(Corpus.load(sample_corpus))
    assert second.built == 0
    assert find(second, "发展") == find(first, "发展")
    assert second.entry(CADRES).text() == first.entry(CADRES).text()


def test_a_changed_file_is_indexed_again_and_the_rest_reused(sample_corpus):
    SearchIndex.open(Corpus.load(sample_corpus))
    path = sample_corpus / f"{LI}.txt"
    old = path.read_text(encoding="utf-8")
    assert "两个维护" not in old
    path.write_text(old + "新增一句话:两个维护。\n", "utf-8")
    bump_mtime(path)
    corpus = Corpus.load(sample_corpus)
    index = SearchIndex.open(corpus)
    assert index.built == 1
    at = corpus.text(LI).index("两个维护")
    assert [s for s in find(index, "兩個維護") if s[0] == LI] == [(LI, at, at + 4)]
    assert SearchIndex.open(Corpus.load(sample_corpus)).built == 0


def test_refresh_follows_a_reloaded_corpus_in_memory(sample_corpus):
    index = SearchIndex.open(Corpus.load(sample_corpus))
    put(sample_corpus, "new.txt", "全新的講話:脫貧攻堅戰役。")
    assert index.refresh(Corpus.load(sample_corpus)) == 1
    assert find(index, "脱贫攻坚战役") == [("new", 6, 12)]


def test_a_corrupt_cache_is_rebuilt_without_a_word(sample_corpus):
    SearchIndex.open(Corpus.load(sample_corpus)).close()
    path = cache_path(sample_corpus)
    path.write_bytes(path.read_bytes()[:1500])  # cut short: SQLite calls it malformed
    index = SearchIndex.open(Corpus.load(sample_corpus))
    assert index.built == 5
    assert len(find(index, "发展")) == 237
    path.write_bytes(b"not an index")
    assert SearchIndex.open(Corpus.load(sample_corpus)).built == 5
    assert SearchIndex.open(Corpus.load(sample_corpus)).built == 0


def test_an_index_made_for_another_key_is_rebuilt(sample_corpus):
    import sqlite3

    SearchIndex.open(Corpus.load(sample_corpus)).close()
    with sqlite3.connect(cache_path(sample_corpus)) as conn:
        conn.execute("UPDATE meta SET value = 'v0|t2s' WHERE key = 'key'")
    conn.close()
    assert SearchIndex.open(Corpus.load(sample_corpus)).built == 5


def test_the_cache_key_names_opencc_and_the_phrase_overrides():
    key = form_key()
    assert key.startswith("v3|t2s|opencc ")  # v3: 著 read as tw2s reads it
    assert "|phrases " in key


def test_progress_counts_every_document_from_zero_to_total(sample_corpus):
    calls: list[tuple[int, int]] = []
    SearchIndex.open(Corpus.load(sample_corpus), progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_a_file_removed_after_listing_is_left_out(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    (sample_corpus / f"{LI}.txt").unlink()
    index = SearchIndex.open(corpus)
    assert index.missing == [LI]
    assert len(index) == 4
    assert all(doc_id != LI for doc_id, _, _ in find(index, "发展"))


@pytest.mark.parametrize("query", ["干部", "幹部"])
def test_search_results_do_not_depend_on_the_cache(sample_corpus, query):
    fresh = SearchIndex.open(Corpus.load(sample_corpus), use_cache=False)
    SearchIndex.open(Corpus.load(sample_corpus))
    cached = SearchIndex.open(Corpus.load(sample_corpus))
    assert cached.built == 0
    assert search(cached, query) == search(fresh, query)


def test_hits_name_documents_with_the_listing_s_own_id_strings(sample_corpus):
    """Not copies read from the index: 2 million hits of 发展 at 100,000 speeches kept
    a copy of every id for as long as the results were shown."""
    corpus = Corpus.load(sample_corpus)
    index = SearchIndex.open(corpus)
    hits = find(index, "发展")
    assert hits
    assert all(doc_id is corpus.get(doc_id).id for doc_id, _, _ in hits)
