"""著 in traditional documents: the particle reads 着 in the simplified form (as in tw2s),
zhù stays 著, simplified documents are left alone, offsets never move."""

from __future__ import annotations

import pytest

from speechreader.core.text import (
    VARIANTS,
    fold_zhe,
    other_pane,
    pane_texts,
    reads_traditional,
    simplified_form,
    word_boundaries,
    zhe_particle_positions,
)
from speechreader.core.text._conversion import plain_opencc
from speechreader.core.text._segmentation import cut

#: traditional sentences and their simplified form, written by hand (the issue's words:
#: 随着, 沿着, 意味着, 标志着, 着力, 着手, 着眼, 着重, 执着; and zhù words that stay)
SENTENCES = [
    ("隨著經濟社會的發展", "随着经济社会的发展"),
    ("沿著中國特色社會主義道路前進", "沿着中国特色社会主义道路前进"),
    ("這意味著改革進入深水區", "这意味着改革进入深水区"),
    ("標誌著脫貧攻堅取得全面勝利", "标志着脱贫攻坚取得全面胜利"),
    ("著力解決群眾急難愁盼問題", "着力解决群众急难愁盼问题"),
    ("從大處著眼，從小處著手", "从大处着眼，从小处着手"),
    ("著重抓好三件事", "着重抓好三件事"),
    ("始終執著於理想信念", "始终执着于理想信念"),
    ("體現著作風和擔當", "体现着作风和担当"),  # tw2s reads 著作 here; seed 002
    ("成效非常顯著", "成效非常显著"),
    ("著名作家的著作", "著名作家的著作"),
    ("功勳卓著的老同志", "功勋卓著的老同志"),  # tw2s: 卓着
    ("當地土著居民", "当地土著居民"),  # tw2s: 土着
    ("出版學術專著", "出版学术专著"),  # tw2s: 专着
    ("惡名昭著", "恶名昭著"),
]


@pytest.mark.parametrize(("traditional", "simplified"), SENTENCES)
@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_simplified_pane_of_a_traditional_document_reads_zhe(traditional, simplified, variant):
    panes = pane_texts(traditional, "traditional", variant)
    assert panes.simplified.text == simplified
    assert panes.traditional.text == traditional
    assert len(panes.simplified.text) == len(traditional)  # one character for one


@pytest.mark.parametrize(("traditional", "simplified"), SENTENCES)
def test_simplified_form_and_other_pane_agree_with_the_pane(traditional, simplified):
    assert simplified_form(traditional, "traditional") == simplified
    assert other_pane(traditional, "traditional").text == simplified


@pytest.mark.parametrize(
    "text",
    ["成效显著，著名作家的著作", "显著提高", "著作权保护", "卓著", "一部著作"],
)
def test_simplified_documents_are_left_alone(text):
    assert pane_texts(text, "simplified").simplified.text is text
    assert simplified_form(text) == text  # script detected: simplified
    assert simplified_form(text, "simplified") == text


def test_script_is_detected_only_when_it_matters():
    assert reads_traditional("隨著發展", None)
    assert not reads_traditional("显著提高", None)
    assert not reads_traditional("隨后發展", None)  # no 著: nothing to fold either way
    assert reads_traditional("anything", "traditional")
    assert not reads_traditional("隨著發展", "simplified")


def test_residue_beside_zhe_in_a_mixed_text_is_read_as_its_traditional_twin():
    # 显 is simplified residue in a traditional text: 显著 is still zhù, 隨著 the particle
    text = "隨著改革深入，成效显著。"
    assert simplified_form(text, "traditional") == "随着改革深入，成效显著。"
    assert zhe_particle_positions(text) == [1]


def test_fold_changes_nothing_but_zhe():
    text = "隨著經濟發展，群眾生活顯著改善，著力點在基層。"
    converted = plain_opencc("t2s").convert(text)
    folded = fold_zhe(text, converted)
    changed = [
        (text[i], converted[i], folded[i]) for i in range(len(text)) if converted[i] != folded[i]
    ]
    assert changed == [("著", "著", "着"), ("著", "著", "着")]
    assert fold_zhe("no zhe here", "no zhe here") == "no zhe here"
    assert fold_zhe("隨著", "随") == "随"  # another length: left alone


def test_phrase_level_pane_maps_each_zhe_through_its_offset_map():
    text = "隨著軟體發展，著力優化。"
    panes = pane_texts(text, "traditional", "taiwan-phrases")
    assert panes.simplified.text == "随着软件发展，着力优化。"
    start, end = panes.simplified.map.span_to_dst(1, 2)
    assert panes.simplified.text[start:end] == "着"


def test_segmentation_keeps_the_words_together():
    assert cut(simplified_form("隨著經濟社會的發展", "traditional"))[0] == "随着"
    assert cut(plain_opencc("t2s").convert("隨著經濟社會的發展"))[:2] == ["随", "著"]  # before
    bounds = word_boundaries("從小處著手，著力發展")
    assert 4 not in bounds  # 著 and 手 in one word (着手)
    assert {6, 8} <= set(bounds)  # 着力 is a word


def test_the_sample_corpus_zhe_by_hand(sample_texts):
    # every 著 of the three traditional speeches, judged by hand: all particles but 顯著
    particles = {}
    for name, text in sample_texts.items():
        if "著" in text:
            particles[name] = (text.count("著"), len(zhe_particle_positions(text)))
    assert particles == {
        "2011-12-06_guo-shengkun_guangxi": (5, 5),  # 擔負著, 隨著, 帶著 x3
        "undated_three-level-cadres-conference": (23, 22),  # all but 顯著
    }


# --- reading only the clauses that hold a 著 ------------------------------------------------


def _whole_text_positions(text: str) -> list[int]:
    """The particle 著 read by converting the whole text (s2t, then tw2s), the words
    tw2s misreads put right: what reading only the clauses with a 著 must give."""
    from speechreader.core.text._zhe import PARTICLE_WORDS, ZHU_WORDS

    read = plain_opencc("tw2s").convert(plain_opencc("s2t").convert(text))
    assert len(read) == len(text)
    kept, added = set(), set()
    for word in ZHU_WORDS:
        kept.update(i + word.index("着") for i in _all(read, word))
    for word in PARTICLE_WORDS:
        added.update(i + word.index("著") for i in _all(read, word))
    return [
        i
        for i, ch in enumerate(text)
        if ch == "著" and ((read[i] == "着" and i not in kept) or i in added)
    ]


def _all(text: str, word: str) -> list[int]:
    found, at = [], text.find(word)
    while at >= 0:
        found.append(at)
        at = text.find(word, at + len(word))
    return found


def test_reading_the_clauses_with_a_zhe_reads_it_as_the_whole_text_does(sample_texts):
    import random

    rng = random.Random(8)
    pieces = [t for t, _ in SENTENCES] + [
        "著", "著著", "隨著", "顯著", "著作", "体现著作风", "执著于", "卓著",
        "，", "。", "\n", " ", "、", "；", "abc", "2024年", "（", "）", "…",
    ]  # fmt: skip
    texts = [t for t in sample_texts.values() if "著" in t]
    texts += ["隨著" * 40 + "發展", "著" + "發展" * 50 + "著", "，著，", "著"]
    for _ in range(400):
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(1, 30))))
    for text in texts:
        assert zhe_particle_positions(text) == _whole_text_positions(text), text


def _dictionaries(config: str) -> list[str]:
    """The .ocd2 files an OpenCC config converts (and segments) with."""
    import json
    from pathlib import Path

    import opencc

    share = Path(opencc.__file__).parent / "clib" / "share" / "opencc"
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "ocd2":
                found.append(str(share / node["file"]))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads((share / f"{config}.json").read_text("utf-8")))
    return sorted(set(found))


def test_the_dictionaries_read_for_zhe_hold_no_separator_and_keep_lengths(tmp_path):
    # what reading clause by clause rests on (see zhe_particle_positions)
    import subprocess
    from pathlib import Path

    import opencc

    from speechreader.core.text._offsets import SEPARATORS

    program = Path(opencc.__file__).parent / "clib" / "bin" / "opencc_dict"
    if not program.exists():
        pytest.skip("no opencc_dict to read the dictionaries with")
    files = _dictionaries("s2t") + _dictionaries("tw2s")
    assert any(f.endswith("STPhrases.ocd2") for f in files)
    for source in files:
        out = tmp_path / (Path(source).stem + ".txt")
        subprocess.run(
            [str(program), "-i", source, "-o", str(out), "-f", "ocd2", "-t", "text"],
            check=True,
            capture_output=True,
        )
        entries = 0
        for line in out.read_text("utf-8").splitlines():
            key, _, values = line.partition("\t")
            entries += 1
            for value in values.split(" "):
                assert not SEPARATORS.search(key + value), (source, line)
                assert len(value) == len(key), (source, line)
        assert entries, source
