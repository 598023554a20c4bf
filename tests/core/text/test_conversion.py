"""Conversion: overrides win, everything else is exactly OpenCC, panes keep the original."""

from __future__ import annotations

import threading

import pytest

from speechreader.core.errors import InvalidInput
from speechreader.core.paths import config_dir
from speechreader.core.text import _conversion as cv
from speechreader.core.text import load_phrases
from speechreader.core.text._offsets import SEPARATORS

CHAR_LEVEL_TO_TRADITIONAL = ["s2t", "s2tw", "s2hk"]
CHAR_LEVEL_TO_SIMPLIFIED = ["t2s", "tw2s", "hk2s"]
CHAR_LEVEL = CHAR_LEVEL_TO_TRADITIONAL + CHAR_LEVEL_TO_SIMPLIFIED
UNDATED = "undated_three-level-cadres-conference"


def _inputs(sample_texts: dict[str, str], config: str) -> dict[str, str]:
    """Every sample, plus every sample in the script the config reads, so that each
    config sees the whole corpus in its own input script."""
    out = dict(sample_texts)
    if config.startswith("s2"):
        out |= {f"{k}/t2s": cv.plain_opencc("t2s").convert(t) for k, t in sample_texts.items()}
    else:
        maker = {"t2s": "s2t", "tw2s": "s2tw", "hk2s": "s2hk", "tw2sp": "s2tw"}[config]
        out |= {f"{k}/{maker}": cv.plain_opencc(maker).convert(t) for k, t in sample_texts.items()}
    return out


@pytest.mark.parametrize(
    ("simplified", "expected"),
    [
        ("我们要做好干部", "我們要做好幹部"),
        ("开启新征程", "開啓新征程"),
        ("被发明", "被發明"),
        ("接受中文采访", "接受中文採訪"),
        ("深刻把握发展阶段性特征", "深刻把握發展階段性特徵"),
    ],
)
def test_override_wins_over_opencc_phrase(simplified, expected):
    assert cv.convert(simplified, "s2t") == expected
    assert cv.plain_opencc("s2t").convert(simplified) != expected  # why the override exists


def test_text_without_override_phrases_converts_as_plain_opencc():
    text = "干部队伍建设要坚持党管干部原则，群众路线，发展才是硬道理。"
    for config in [*CHAR_LEVEL, "s2twp", "tw2sp"]:
        assert cv.convert(text, config) == cv.plain_opencc(config).convert(text), config


@pytest.mark.parametrize("config", CHAR_LEVEL)
def test_overrides_change_only_characters_inside_override_phrases(config, sample_texts):
    table = load_phrases()
    if config.startswith("s2"):
        keys = {p.simplified for p in table.phrases}
    else:  # the reverse dictionary holds every traditional form
        regional = [cv.plain_opencc(c) for c in ("t2tw", "t2hk")]
        keys = {r.convert(p.traditional) for p in table.phrases for r in regional}
        keys |= {p.traditional for p in table.phrases}
    for name, text in _inputs(sample_texts, config).items():
        ours, plain = cv.convert(text, config), cv.plain_opencc(config).convert(text)
        assert len(ours) == len(plain) == len(text), name
        covered = [False] * len(text)
        for key in keys:
            start = text.find(key)
            while start >= 0:
                covered[start : start + len(key)] = [True] * len(key)
                start = text.find(key, start + 1)
        pairs = enumerate(zip(ours, plain, strict=True))
        stray = [i for i, (a, b) in pairs if a != b and not covered[i]]
        assert stray == [], (name, [text[max(0, i - 3) : i + 3] for i in stray])


def test_overrides_fix_exactly_these_places_in_the_sample_corpus(sample_texts):
    fixed = []
    for name, text in sorted(sample_texts.items()):
        simplified = cv.plain_opencc("t2s").convert(text)
        ours, plain = cv.convert(simplified, "s2t"), cv.plain_opencc("s2t").convert(simplified)
        i = 0
        while i < len(ours):
            if ours[i] != plain[i]:
                j = i
                while j < len(ours) and ours[j] != plain[j]:
                    j += 1
                fixed.append((name[:10], plain[i - 1 : j + 1], ours[i - 1 : j + 1]))
                i = j
            i += 1
    assert fixed == [
        ("2011-12-06", "長餘遠", "長余遠"),  # 秘书长余远辉: a surname after a title
        ("2018-06-07", "好乾部", "好幹部"),
        ("2019-06-27", "新徵程", "新征程"),
        ("undated_th", "是隻能", "是只能"),
        ("undated_th", "更復雜", "更複雜"),
        ("undated_th", "握髮展", "握發展"),
        ("undated_th", "和麪子", "和面子"),
        ("undated_th", "好乾部", "好幹部"),
        ("undated_th", "好乾部", "好幹部"),
    ]


@pytest.mark.parametrize("config", CHAR_LEVEL)
def test_character_level_configs_map_positions_one_to_one_on_the_corpus(config, sample_texts):
    for name, text in _inputs(sample_texts, config).items():
        converted = cv.convert_mapped(text, config)
        assert len(converted.text) == len(text), name
        assert converted.map.is_identity, name
        assert converted.text == cv.convert(text, config)


def test_length_changing_character_config_falls_back_to_aligned_map(monkeypatch):
    """Should an OpenCC update bring a length-changing entry into s2t, the map follows."""

    class Stretching:
        def convert(self, text: str) -> str:
            return text.replace("国", "国家")

    monkeypatch.setitem(cv._converters, ("s2t", load_phrases().digest), Stretching())
    monkeypatch.setitem(cv._char_memos, ("s2t", load_phrases().digest), {})
    monkeypatch.setattr(cv, "_mapped", type(cv._mapped)())
    result = cv.convert_mapped("中国人，国。", "s2t")
    assert result.text == "中国家人，国家。"
    assert not result.map.is_identity
    assert [result.map.to_dst(i) for i in range(7)] == [0, 1, 3, 4, 5, 7, 8]
    assert result.map.span_to_dst(1, 2) == (1, 3)


def test_taiwan_phrases_change_length_and_map_exactly_at_punctuation():
    text = "坚持全局观念，优化营商环境。"
    result = cv.convert_mapped(text, "s2twp")
    assert result.text == "堅持全域性觀念，最佳化營商環境。"
    m = result.map
    assert m.to_dst(text.index("，")) == result.text.index("，")
    assert m.to_dst(text.index("优")) == result.text.index("最")
    assert m.span_to_dst(text.index("全"), text.index("全") + 2) == (2, 5)  # 全局 -> 全域性
    assert m.span_to_dst(text.index("优"), text.index("优") + 1) == (8, 11)  # inside 优化
    assert m.to_src(len(result.text)) == len(text)
    assert [(p.src_start, p.src_end, p.dst_start, p.dst_end) for p in m.pieces] == [
        (2, 4, 2, 5),
        (7, 9, 8, 11),
    ]


@pytest.mark.parametrize("config", ["s2twp", "tw2sp"])
def test_phrase_level_map_is_exact_outside_replaced_phrases_on_the_corpus(config, sample_texts):
    one = cv._char_converter(config)
    for name, text in _inputs(sample_texts, config).items():
        result = cv.convert_mapped(text, config)
        m, dst = result.map, result.text
        pieces = iter(m.pieces)
        piece = next(pieces, None)
        i = 0
        while i < len(text):
            if piece is not None and i == piece.src_start:
                i, piece = piece.src_end, next(pieces, None)
                continue
            d = m.to_dst(i)
            assert dst[d : d + 1] == one(text[i]), (name, i, text[i])
            if SEPARATORS.fullmatch(text[i]):
                assert dst[d] == text[i]
            i += 1


def test_taiwan_phrases_map_of_the_45kb_seed_maps_every_lengthened_phrase(sample_texts):
    """(Its speed is measured in bench/bench_convert.py, not asserted here.)"""
    text = sample_texts[UNDATED]
    simplified = cv.convert(text, "t2s")
    result = cv.convert_mapped(simplified, "s2twp")
    assert len(result.text) - len(simplified) == 11  # 优化 -> 最佳化 eleven times
    first = simplified.index("优化")
    assert result.text[result.map.to_dst(first) :].startswith("最佳化")


def test_traditional_document_keeps_its_own_text_in_its_pane(sample_texts):
    text = sample_texts[UNDATED]
    panes = cv.pane_texts(text, "traditional")
    assert panes.original == "traditional"
    assert panes.traditional.text is text and panes.traditional.map.is_identity
    assert panes.simplified.text.startswith("三级干部大会发言大纲")
    # t2s, except each particle 著 (帶著, 著力, 體現著作風 ...) reads 着: all 23 著 of
    # the speech but 顯著 (checked by hand, see tests/core/text/test_zhe.py)
    t2s = cv.convert(text, "t2s")
    pairs = enumerate(zip(t2s, panes.simplified.text, strict=True))
    differ = [(i, a, b) for i, (a, b) in pairs if a != b]
    assert {(a, b) for _, a, b in differ} == {("著", "着")}
    assert len(differ) == text.count("著") - 1 == 22
    assert text[581 - 1 : 581 + 1] == "顯著" and panes.simplified.text[581] == "著"
    # what a round trip through s2t would do to it: 群 -> 羣 and 76 more
    changed = [(a, b) for a, b in zip(text, cv.convert(text, "s2t"), strict=True) if a != b]
    assert len(changed) == 77 and ("群", "羣") in changed


def test_simplified_document_gets_a_converted_traditional_pane(sample_texts):
    text = sample_texts["2019-06-27_lu-xinshe_guangxi"]
    panes = cv.pane_texts(text, "simplified", "taiwan")
    assert panes.simplified.text is text
    assert panes.pane("traditional").text == cv.convert(text, "s2tw")
    assert "奮力開啟建設壯美廣西新征程" in panes.traditional.text
    phrases = cv.pane_texts(text, "simplified", "taiwan-phrases")
    assert phrases.traditional.text == cv.convert(text, "s2twp")


def test_pane_texts_rejects_mixed_as_base_script():
    with pytest.raises(
        InvalidInput, match=r"^base script must be simplified or traditional, not 'mixed'$"
    ):
        cv.pane_texts("文字", "mixed")


def test_unknown_config_is_an_input_error():
    with pytest.raises(InvalidInput, match="unknown OpenCC config"):
        cv.convert("文字", "s2x")


def test_variant_aliases_resolve():
    assert cv.get_variant("tw").to_traditional == "s2tw"
    assert cv.get_variant("s2twp").phrase_level
    choices = "standard, taiwan, hongkong, taiwan-phrases"  # the four variants, by hand
    with pytest.raises(
        InvalidInput, match=f"^unknown variant 'klingon'; choose one of: {choices}$"
    ):
        cv.get_variant("klingon")


def test_converters_are_built_once_under_concurrent_use():
    # an entry of its own, so that no earlier test has built this converter yet
    (config_dir() / "phrases.tsv").write_text("意见征集\t意見征集\n线程测试\t線程測試\n", "utf-8")
    results, made = [], set()

    def work():
        results.append(cv.convert("开展意见征集，做好干部工作", "s2tw"))
        made.add(id(cv.converter("s2tw")))

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == ["開展意見征集，做好幹部工作"] * 8
    assert len(made) == 1


@pytest.mark.parametrize(
    ("name", "script"),
    [
        ("2011-12-06_guo-shengkun_guangxi", "mixed"),
        ("2018-06-07_li-jun_xichang", "simplified"),
        ("2019-06-27_lu-xinshe_guangxi", "simplified"),
        ("2024-01-05_wang-ning_yunnan", "mixed"),
        (UNDATED, "traditional"),
    ],
)
def test_detect_script_on_the_samples(sample_texts, name, script):
    assert cv.detect_script(sample_texts[name]).script == script
