"""Line breaking around Latin words, numbers and tabs, checked as properties.

The checks have their own definitions (regular expressions and sets written here,
not the layout's): a row may not start with a closing mark nor end with an opening
one unless the row offers no other place to end; a Latin word (or a number) is not
split when it fits on a row with the marks clinging to it; every row fits its width,
a tab counting as the spaces to the next tab stop. They run over the sample corpus
(the seed corpus holds the same five texts: each distinct text is checked once) at
every width from 10 to 200, and over random lines built from real troublemakers.
"""

from __future__ import annotations

import functools
from bisect import bisect_right
from itertools import accumulate

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from speechreader.core.corpus import Corpus
from speechreader.core.text import pane_texts
from speechreader.tui.layout import display_row, wrap_line
from tests.conftest import SAMPLE_CORPUS, SEED_CORPUS
from tests.line_rules import (
    CLING_AFTER,
    CLING_BEFORE,
    CLOSING,
    HAS_LETTER,
    OPENING,
    RUN,
)

TAB = 4


def cells(text: str, width: int) -> int:
    """Cells of a row's text, a tab reaching the next multiple of TAB (not past the end)."""
    column = 0
    for ch in text:
        if ch == "\t":
            column += max(1, min(TAB - column % TAB, width - column))
        else:
            column += cell_len(ch) if ch.isprintable() else 1
    return column


def punctuation_allows(line: str, k: int) -> bool:
    a, b = line[k - 1], line[k]
    return b not in CLOSING and a not in OPENING and not (a == b and a in "…—")


@functools.lru_cache(maxsize=4096)
def prefix_cells(line: str) -> list[int]:
    """``cum[k]``: cells of ``line[:k]`` without tabs, from Rich's width of each character."""
    return [0, *accumulate(cell_len(ch) if ch.isprintable() else 1 for ch in line)]


@functools.lru_cache(maxsize=4096)
def tokens(line: str) -> list[tuple[int, int, float, str]]:
    """Words and numbers of ``line``: (start, end, cells with their clinging marks, text)."""
    found: list[tuple[int, int, float, str]] = []
    for m in RUN.finditer(line):
        before = CLING_BEFORE.search(line, 0, m.start())
        after = CLING_AFTER.match(line, m.end())
        unit = line[before.start() if before else m.start() : after.end()]
        width = float("inf") if "\t" in unit else cell_len(unit)
        found.append((m.start(), m.end(), width, m.group()))
    return found


def problems(line: str, rows: list[tuple[int, int]], width: int) -> list[str]:
    """Everything wrong with ``rows`` as a layout of ``line`` at ``width``."""
    starts, ends = [r[0] for r in rows], [r[1] for r in rows]
    if starts[0] != 0 or ends[-1] != len(line) or starts[1:] != ends[:-1]:
        return [f"rows do not cover the line in order: {rows}"]
    found = []
    cum = prefix_cells(line)
    for start, end in rows:
        row = line[start:end]
        too_wide = (cells(row, width) if "\t" in row else cum[end] - cum[start]) > width
        if too_wide and end - start > 1:
            found.append(f"row too wide: {row!r}")
    for start, end in rows[:-1]:
        bad = not punctuation_allows(line, end)
        if bad and any(punctuation_allows(line, j) for j in range(start + 1, end)):
            found.append(f"bad break: {line[start:end]!r} | {line[end : end + 3]!r}")
    breaks = ends[:-1]
    for start, end, unit_cells, text in tokens(line):
        if unit_cells <= width:
            k = bisect_right(breaks, start)
            if k < len(breaks) and breaks[k] < end:
                found.append(f"split although it fits: {text!r} at {breaks[k] - start}")
    return found


# --- the corpora ---------------------------------------------------------------------


@functools.cache
def corpus_lines() -> list[str]:
    """Every distinct line of both panes of the sample and seed corpora."""
    lines: set[str] = set()
    for root in (SAMPLE_CORPUS, SEED_CORPUS):
        if not root.is_dir():
            continue
        corpus = Corpus.load(root)
        for doc in corpus.documents:
            panes = pane_texts(corpus.text(doc.id), doc.base_script)
            for text in (panes.simplified.text, panes.traditional.text):
                lines.update(text.split("\n"))
    return sorted(lines)


@pytest.mark.parametrize("widths", [range(10, 30), range(30, 70), range(70, 201)])
def test_corpus_lines_break_by_the_rules_at_every_width(widths):
    bad = []
    for width in widths:
        for line in corpus_lines():
            if cell_len(line) > width:
                bad += problems(line, wrap_line(line, width), width)
    assert bad == []


def test_the_corpus_has_what_these_rules_are_about():
    """Glosses (fā), numbers with % and separators, dates: so the test above can fail."""
    runs = RUN.findall("\n".join(corpus_lines()))
    assert len([run for run in runs if HAS_LETTER.search(run)]) > 300
    assert {"10.4", "09:45", "2018-06-07", "221.8", "2+6"} <= set(runs)


# --- the cases of the issue ----------------------------------------------------------


def test_a_closing_mark_after_a_long_latin_word_moves_down_with_it():
    line = "香港特區政府" * 3 + "取消議員資格（disqualified），因為"
    for width in range(20, 60):
        rows = wrap_line(line, width)
        assert problems(line, rows, width) == []
        assert all(line[start] not in CLOSING for start, _ in rows[1:])


@pytest.mark.parametrize(
    "line",
    [
        "國內生產總值增長７．３％，城鄉居民收入增長８．１％，物價上漲２．５％。" * 3,
        "全年生产总值221.8亿元增长10.4%,城乡居民收入28,593元,下降-5%" * 3,
        "西昌都市报 2018-06-07 09:45 大字，“2+6”产业平台，￥100元" * 3,
    ],
)
def test_numbers_stay_whole(line):
    for width in range(10, 80):
        assert problems(line, wrap_line(line, width), width) == []


def test_a_word_wider_than_the_pane_is_split_and_fills_its_rows():
    line = "我们" + "Internationalization" * 3 + "。"
    rows = wrap_line(line, 12)
    assert all(cells(line[a:b], 12) <= 12 for a, b in rows)
    assert [b - a for a, b in rows[1:-1]] == [12] * (len(rows) - 2)
    assert line[rows[-1][0]] != "。"


def test_pinyin_glosses_stay_whole():
    line = "自治區黨委書記在開班儀式上強調(diào),實現(xiàn)加快發(fā)展" * 4
    for width in range(10, 60):
        rows = wrap_line(line, width)
        assert problems(line, rows, width) == []


# --- tabs ----------------------------------------------------------------------------


def test_tabs_show_as_spaces_to_the_next_tab_stop():
    assert display_row("\t好", 0, 20) == ("    好", 6)
    assert display_row("ab\tc", 0, 20) == ("ab  c", 5)
    assert display_row("\t", 3, 20) == (" ", 4)
    assert display_row("\t", 18, 20) == ("  ", 20)  # never past the row's end
    shown, _ = display_row("a\tb\x1b", 0, 20)
    assert "␉" not in shown and "\t" not in shown and shown.endswith("␛")


def test_a_line_with_tabs_wraps_within_the_width():
    line = "\t\t各位代表：\t现在，我代表国务院，向大会报告政府工作。\tGDP增长5.2%。" * 3
    for width in range(10, 50):
        rows = wrap_line(line, width)
        assert problems(line, rows, width) == []
        for a, b in rows:
            shown, end = display_row(line[a:b], 0, width)
            assert end == cell_len(shown) and (end <= width or b - a == 1)


# --- random lines --------------------------------------------------------------------

PIECES = [
    "发展", "我们", "香港", "議員", "，", "。", "、", "：", "！", "？", "（", "）", "“", "”",
    "《", "》", "……", "——", " ", "\t", "citizenship", "Johnston", "disqualified", "fā",
    "diào", "COVID-19", "GDP", "a", "I", "e\u0301t\u00e9", "７．３％", "10.4%", "2018-06-07",
    "09:45", "28,593", "-5%", "￥100", "2+6", "100km", "ＡＰＥＣ", "Ｘｉ", "x" * 30,
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=60), st.integers(10, 200))
def test_random_lines_break_by_the_rules(pieces, width):
    line = "".join(pieces)
    assert problems(line, wrap_line(line, width), width) == []


def test_the_cursor_and_the_mouse_count_a_tab_as_its_cells():
    from speechreader.tui.state import ReaderState

    text = "\t好的\tab\n第二行"
    state = ReaderState(text, pane_texts(text, "simplified"))
    state.relayout(20)
    # cells: tab 0-3, 好 4-5, 的 6-7, tab 8-11, a 12, b 13
    assert [state.offset_at(0, 0, x) for x in (0, 3, 4, 5, 6, 8, 11, 12, 13)] == [
        0, 0, 1, 1, 2, 3, 3, 4, 5,
    ]  # fmt: skip
    assert [state._x_of(0, offset) for offset in range(6)] == [0, 4, 6, 8, 12, 13]
    state.move(4)  # on "a", at cell 12: down keeps the column, up comes back to it
    state.move(state.row_delta(1), keep_goal=True)
    assert state.cursor == len(text)  # the short row below ends before cell 12
    state.move(state.row_delta(-1), keep_goal=True)
    assert state.cursor == 4
