"""bench/find_phrase_fixes.py: where whole-text and word-by-word conversion disagree."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "bench" / "find_phrase_fixes.py"


@pytest.fixture(scope="module")
def finder():
    spec = importlib.util.spec_from_file_location("find_phrase_fixes", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


@pytest.fixture
def corpus(tmp_path) -> Path:
    texts = {
        "a.txt": "我们要做好干部工作，深刻把握发展阶段性特征。",
        "b.txt": "进行具有许多新的历史特点的伟大斗争。",
        "c.txt": "這是一篇繁體文章，要做好幹部工作。",  # traditional: its simplified form is read
    }
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _found(proposals) -> set[tuple[str, str, str]]:
    return {(p.window, p.whole, p.tokenwise) for p in proposals}


def test_plain_opencc_mistakes_are_proposed_with_the_window_it_misreads(finder, corpus):
    proposals, files = finder.find_proposals([corpus], ["s2t"], plain=True)
    assert files == 3
    found = _found(proposals)
    assert ("好干部", "好乾部", "好幹部") in found  # the shipped override's very window
    assert ("握发展", "握髮展", "握發展") in found
    places = {p.window: p.places for p in proposals}
    assert sorted(doc.rsplit("/", 1)[-1] for doc, _, _ in places["好干部"]) == ["a.txt", "c.txt"]
    assert any("[好干部]" in shown for _, _, shown in places["好干部"])


def test_a_jieba_word_holding_the_mistake_needs_the_fine_cut(finder, corpus):
    coarse = _found(finder.find_proposals([corpus], ["s2t"], plain=True)[0])
    fine = _found(finder.find_proposals([corpus], ["s2t"], plain=True, fine=True)[0])
    wrong = ("大斗争", "大斗爭", "大鬥爭")
    assert not any(w[1] == wrong[1] for w in coarse)  # 伟大斗争 is one jieba word
    assert any(window.endswith("大斗争") and whole.endswith("大斗爭") for window, whole, _ in fine)


def test_with_the_shipped_overrides_these_places_are_fixed(finder, corpus):
    proposals, _ = finder.find_proposals([corpus], ["s2t", "s2tw", "s2hk"], fine=True)
    assert proposals == []


def test_the_script_runs_and_writes_a_phrase_file(corpus, tmp_path):
    out = tmp_path / "proposals.tsv"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), str(corpus), "--plain", "--config", "s2t", "--tsv", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.startswith("3 files, ")
    lines = out.read_text("utf-8").splitlines()
    assert "好干部\t好幹部\tfinder (s2t, 2x): OpenCC 好乾部" in lines
