"""Keyness: G² against a hand computation, scipy and a published worked example; key
words of hand-built texts whose every word is counted here."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import chi2, chi2_contingency, power_divergence

from speechreader.core.analysis import (
    WordTable,
    document_keyness,
    g2,
    load_coding,
    log_ratio,
    passages_with_word,
    tag_keyness,
)
from speechreader.core.analysis._keyness import p_value
from speechreader.core.analysis._wordtable import document_tokens
from speechreader.core.corpus import Corpus
from speechreader.core.errors import InvalidInput
from tests.analysis_helpers import Built, write_corpus


def test_g2_by_hand():
    # a = 10 of c = 1000 target words, b = 20 of d = 5000 reference words; N = 6000.
    # Expected counts: the word's row (30) -> 5 and 25; other words (5970) -> 995 and 4975.
    # 10 ln 2 = 6.93147; 990 ln(990/995) = -4.98740; 20 ln 0.8 = -4.46287;
    # 4980 ln(4980/4975) = 5.00251; sum 2.48371, times 2:
    assert g2(10, 20, 1000, 5000) == pytest.approx(4.96742, abs=1e-4)


@pytest.mark.parametrize(
    ("a", "b", "c", "d"),
    [(10, 20, 1000, 5000), (1, 0, 50, 12000), (300, 2, 1200, 900), (7, 7, 7000, 7000)],
)
def test_g2_agrees_with_scipy_on_the_2x2_table(a, b, c, d):
    table = np.array([[a, b], [c - a, d - b]])
    value = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    expected = chi2_contingency(table, correction=False)[3]
    cells = power_divergence(table.ravel(), expected.ravel(), lambda_="log-likelihood")[0]
    assert g2(a, b, c, d) == pytest.approx(value)
    assert g2(a, b, c, d) == pytest.approx(cells)
    assert p_value(g2(a, b, c, d)) == pytest.approx(chi2.sf(value, 1))


@pytest.mark.parametrize(
    ("word", "learner", "native", "published"),
    [
        ("keep", 348, 99, 147),
        ("keeps", 15, 14, 0),
        ("keeping", 9, 32, 14),
        ("kept", 21, 25, 0),
        ("KEEP (lemma)", 392, 170, 90),
    ],
)
def test_g2_matches_raysons_published_example(word, learner, native, published):
    """Paul Rayson's answer on the Corpora list (18 January 2002, "statistics in learner
    English"): two corpora of a million words each, LL rounded to whole numbers."""
    assert round(g2(learner, native, 1_000_000, 1_000_000)) == published


def test_log_ratio_is_hardies_with_half_for_a_zero():
    assert log_ratio(10, 20, 1000, 5000) == pytest.approx(math.log2(2.5))
    assert log_ratio(4, 0, 100, 100) == pytest.approx(math.log2(4 / 0.5))


KEY_DOCS = {
    "k1": ("我们，稳定，稳定，稳定，发展，改革。", {"date": "2018", "speaker": "甲", "place": ""}),
    "k2": ("穩定，發展，發展，發展，改革，改革。", {"date": "2019", "speaker": "乙", "place": ""}),
}


@pytest.fixture
def keyed(tmp_path):
    from speechreader.core.store import Store

    corpus = Corpus.load(write_corpus(tmp_path / "corpus", KEY_DOCS))
    with Store(tmp_path / "db.srdb", coder="amy") as store:
        built = Built(corpus, store)
        built.code_many(("k1", 0, 12, ["稳定"]))  # 我们，稳定，稳定，稳定，
        yield built


def test_tag_keyness_counts_both_scripts_as_one_and_leaves_out_stop_words(keyed):
    coding = load_coding(keyed.corpus, keyed.store)
    table = WordTable.open(keyed.corpus)
    result = tag_keyness(coding, table, "稳定", min_freq=1)
    # target: 我们 稳定 稳定 稳定 (4 words; punctuation is not a word)
    # reference: 发展 改革 (k1) + 穩定 發展×3 改革×2 (k2) = 8 words; 稳定 once
    assert (result.target_words, result.reference_words) == (4, 8)
    assert [w.word for w in result.words] == ["稳定"]  # 我们 is a stop word
    (word,) = result.words
    assert (word.observed, word.reference) == (3, 1)
    assert word.expected == pytest.approx(4 * 4 / 12)
    # G2 of the 2x2 table (3 of 4 words here, 1 of 8 there), as scipy computes it
    table = np.array([[3, 1], [4 - 3, 8 - 1]])
    scipy_g2 = chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
    assert word.g2 == pytest.approx(scipy_g2)
    assert word.log_ratio == pytest.approx(math.log2((3 / 4) / (1 / 8)))


def test_minimum_frequency(keyed):
    coding = load_coding(keyed.corpus, keyed.store)
    table = WordTable.open(keyed.corpus)
    assert tag_keyness(coding, table, "稳定", min_freq=4).words == []
    with pytest.raises(InvalidInput, match=r"^the minimum frequency must be at least 1$"):
        tag_keyness(coding, table, "稳定", min_freq=0)


def test_document_keyness_against_the_rest(keyed):
    coding = load_coding(keyed.corpus, keyed.store)
    result = document_keyness(coding, WordTable.open(keyed.corpus), ["k2"], min_freq=1)
    # k2: 稳定 1, 发展 3, 改革 2 (6 words); k1: 我们 1, 稳定 3, 发展 1, 改革 1 (6 words)
    assert (result.target_words, result.reference_words) == (6, 6)
    assert [(w.word, w.observed, w.reference) for w in result.words] == [
        ("发展", 3, 1), ("改革", 2, 1),
    ]  # fmt: skip
    with pytest.raises(InvalidInput, match="nothing to compare"):
        document_keyness(coding, WordTable.open(keyed.corpus), ["k1", "k2"])


def test_passages_with_a_word(keyed):
    coding = load_coding(keyed.corpus, keyed.store)
    table = WordTable.open(keyed.corpus)
    (found,) = passages_with_word(coding, table, "稳定", "稳定")
    assert (found.doc_id, found.start) == ("k1", 0)
    assert passages_with_word(coding, table, "稳定", "发展") == []


def test_a_pinyin_gloss_is_not_a_word_and_does_not_split_one():
    tokens = document_tokens("發(fā)展，穩定")
    assert tokens == ["發展", "\x00" * 4, "，", "穩定"]  # 發展 whole; the gloss a filler
    assert sum(map(len, tokens)) == len("發(fā)展，穩定")


def test_the_word_table_is_cached_and_rebuilt_when_its_inputs_change(keyed, monkeypatch):
    first = WordTable.open(keyed.corpus)
    assert first.path.is_file()
    again = WordTable.cached(keyed.corpus)
    assert again.vocab == first.vocab
    assert again.tokens.tolist() == first.tokens.tolist()
    info = keyed.corpus.get("k2")
    assert [again.vocab[i] for i in again.tokens_of(info)][:3] == ["稳定", "，", "发展"]
    assert again.units_of(info, "sentence").tolist() == [[0, 18]]
    first.path.write_bytes(b"garbage")  # damaged: rebuilt, silently
    assert WordTable.open(keyed.corpus).vocab == first.vocab
    # a new word list changes the boundaries: the table is stale
    from speechreader.core.paths import config_dir

    (config_dir() / "words.txt").write_text("稳定发展 9000\n", encoding="utf-8")
    assert WordTable.cached(keyed.corpus).entries == {}
