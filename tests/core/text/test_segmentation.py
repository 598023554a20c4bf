"""Word boundaries: jieba's dictionary via rjieba, political word list, simplified form, cache."""

from __future__ import annotations

import itertools
import subprocess
import sys

import pytest

from speechreader.core.paths import cache_dir, config_dir
from speechreader.core.text import _segmentation as sg
from speechreader.core.text._conversion import plain_opencc

SHIPPED = sg.shipped_words()


def _tokens(text: str) -> list[str]:
    b = sg.word_boundaries(text)
    return [text[x:y] for x, y in itertools.pairwise(b)]


def test_word_list_has_political_formulations_missing_from_jieba():
    words = [w for w, _ in SHIPPED]
    assert len(words) >= 40
    for w in ("富民强桂", "两个维护", "四个意识", "四个自信", "两个确立", "放管服", "新征程"):
        assert w in words


@pytest.mark.parametrize("word", [w for w, _ in SHIPPED])
def test_each_listed_word_is_one_token_in_a_sentence(word):
    for sentence in (f"全区上下认真落实{word}的各项要求。", f"我们要坚持{word},推动工作落实。"):
        assert word in sg.cut(sentence)
        assert word in _tokens(sentence)


def test_real_sentence_segments_into_these_words():
    text = "不断增强“四个意识”、坚定“四个自信”、做到“两个维护”,奋力开启建设壮美广西新征程。"
    assert _tokens(text) == [
        "不断", "增强", "“", "四个意识", "”", "、", "坚定", "“", "四个自信", "”", "、",
        "做到", "“", "两个维护", "”", ",", "奋力", "开启", "建设", "壮美广西", "新征程", "。",
    ]  # fmt: skip


def test_traditional_text_is_segmented_on_its_simplified_form():
    text = "實現富民強桂新跨越,黨員幹部要帶頭。"
    assert _tokens(text) == [
        "實現", "富民強桂", "新", "跨越", ",", "黨員幹部", "要帶頭", "。",
    ]  # fmt: skip
    assert sg.word_boundaries(text) == sg.word_boundaries(plain_opencc("t2s").convert(text))
    assert sg.cut(text)[:3] == ["實", "現", "富民"]  # why: jieba's dictionary is simplified


def test_sample_traditional_document_gets_its_simplified_boundaries(sample_texts):
    text = sample_texts["undated_three-level-cadres-conference"]
    # its simplified form, written out by hand: t2s, and 着 for every 著 but 顯著's
    simplified = plain_opencc("t2s").convert(text).replace("著", "着").replace("显着", "显著")
    assert sg.word_boundaries(text) == sg.word_boundaries(simplified)
    assert sg.word_boundaries(text) != sg.word_boundaries(plain_opencc("t2s").convert(text))


def test_whitespace_and_punctuation_are_tokens_of_their_own():
    assert _tokens("我们  要,,2018年\n\n好") == [
        "我们", " ", " ", "要", ",", ",", "2018", "年", "\n", "\n", "好",
    ]  # fmt: skip


def test_empty_text_has_one_boundary():
    assert sg.word_boundaries("") == [0]
    assert sg.word_spans("") == []


def test_word_spans_are_consecutive_boundaries():
    assert sg.word_spans("开启新征程。") == [(0, 2), (2, 5), (5, 6)]


@pytest.mark.slow
def test_rjieba_and_jieba_give_identical_boundaries_on_every_sample(sample_texts):
    for name, text in sample_texts.items():
        simplified = plain_opencc("t2s").convert(text)
        assert sg.cut(simplified, "rjieba") == sg.cut(simplified, "jieba"), name


def test_boundaries_are_cached_on_disk_and_reused(monkeypatch):
    text = "坚持以人民为中心的发展思想。"
    first = sg.word_boundaries(text)
    files = list((cache_dir() / "segments").rglob("*.bin"))
    assert len(files) == 1
    sg._memory.clear()

    def no_segmenting(*args, **kwargs):
        raise AssertionError("segmented again")

    monkeypatch.setattr(sg, "compute_word_boundaries", no_segmenting)
    assert sg.cached_word_boundaries(text) == first
    assert sg.word_boundaries(text) == first


def test_cached_boundaries_are_none_before_segmenting():
    assert sg.cached_word_boundaries("从未分过词的一句话。") is None


def test_corrupt_cache_file_is_ignored_and_replaced():
    text = "推动高质量发展。"
    good = sg.word_boundaries(text)
    (path,) = (cache_dir() / "segments").rglob("*.bin")
    path.write_bytes(b"SRWB1\n\x00\x00")
    sg._memory.clear()
    assert sg.cached_word_boundaries(text) is None
    assert sg.word_boundaries(text) == good
    assert path.read_bytes() != b"SRWB1\n\x00\x00"


def test_user_words_join_tokens_and_change_the_cache_key():
    text = "西郊片区工作汇报会。"
    before = _tokens(text)
    assert "西郊片区" not in before
    (config_dir() / "words.txt").write_text("# local names\n西郊片区 3000\n", "utf-8")
    assert _tokens(text)[0] == "西郊片区"
    assert len(list((cache_dir() / "segments").rglob("*.bin"))) == 2


def test_malformed_user_word_lines_are_reported():
    (config_dir() / "words.txt").write_text("好词 x\n太多 1 n extra\n一把手工程\n", "utf-8")
    words = sg.load_words()
    assert [(p.line, p.message.split(" ")[0]) for p in words.problems] == [
        (1, "frequency"),
        (2, "expected:"),
    ]
    assert ("一把手工程", 2000) in words.words  # a word without a frequency gets 2000


def test_importing_segment_loads_no_segmenter():
    code = (
        "import sys, speechreader.core.text._segmentation, speechreader.core.text._units\n"
        "print(sorted(m for m in sys.modules if 'jieba' in m))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.slow
def test_jieba_fallback_writes_nothing_to_stderr(tmp_path):
    code = (
        "from speechreader.core.text import _segmentation as segment\n"
        "print('/'.join(segment.cut('实现富民强桂新跨越', 'jieba')))"
    )
    env = {"SPEECHREADER_CACHE_DIR": str(tmp_path), "SPEECHREADER_CONFIG_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "实现/富民强桂/新/跨越"
    assert out.stderr == ""


def test_warm_up_builds_the_segmenter_in_the_background():
    thread = sg.warm_up()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert (sg.available_backend(), sg.load_words().digest) in sg._segmenters
