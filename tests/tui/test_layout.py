"""Line layout: Chinese line-breaking rules, aligned panes, widths that fit the screen.

The marks that may not start or end a row are the tests' own (``tests/line_rules.py``,
from the W3C clreq list), never the layout's ``NO_START``/``NO_END``: a mark dropped
from the layout's set must make these tests fail, not change what they expect.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from rich.cells import cell_len

from speechreader.core.corpus import Corpus
from speechreader.core.text import pane_texts
from speechreader.tui.layout import (
    DocumentLayout,
    display_text,
    layout_document,
    split_lines,
    wrap_line,
)
from tests import line_rules
from tests.line_rules import CLOSING, OPENING

WIDTHS = [12, 20, 33, 37, 40, 53, 60, 77, 99]


@pytest.fixture(scope="module")
def sample_panes():
    from tests.conftest import SAMPLE_CORPUS

    corpus = Corpus.load(SAMPLE_CORPUS)
    return {doc.id: pane_texts(corpus.text(doc.id), doc.base_script) for doc in corpus.documents}


def _naive_wrap(line: str, width: int) -> list[tuple[int, int]]:
    """What TextArea-like wrapping does with Chinese: cut wherever the width runs out."""
    rows, start, used = [], 0, 0
    for i, ch in enumerate(line):
        w = cell_len(ch)
        if used + w > width:
            rows.append((start, i))
            start, used = i, 0
        used += w
    rows.append((start, len(line)))
    return rows


def test_naive_wrapping_would_start_rows_with_closing_punctuation(sample_panes):
    """The problem exists on this corpus, so the next test can fail."""
    text = sample_panes["undated_three-level-cadres-conference"].traditional.text
    bad = 0
    for line in split_lines(text):
        segment = text[line.start : line.end]
        bad += sum(1 for s, _ in _naive_wrap(segment, 53)[1:] if segment[s] in CLOSING)
    assert bad > 20


@pytest.mark.parametrize("width", WIDTHS)
def test_no_row_starts_with_closing_or_ends_with_opening_punctuation(sample_panes, width):
    for panes in sample_panes.values():
        layout = layout_document(panes.simplified.text, panes.traditional.text, width)
        assert bad_rows(layout) == []


def bad_rows(layout: DocumentLayout) -> list[str]:
    """Rows that continue a line with a closing mark, or end one mid-line with an opening
    mark (checked with the tests' own sets, not the layout's)."""
    bad = []
    for side in (0, 1):
        rows, text = layout.panes[side], layout.texts[side]
        for row in range(layout.height):
            start, end = rows.starts[row], rows.ends[row]
            if not rows.real[row] or start == end:
                continue
            if row and rows.ends[row - 1] == start and text[start] in CLOSING:
                bad.append(f"pane {side} row {row} starts with {text[start:end]!r}")
            if end < len(text) and text[end] != "\n" and text[end - 1] in OPENING:
                bad.append(f"pane {side} row {row} ends with {text[start:end]!r}")
    return bad


@pytest.mark.parametrize("mark", ["、", "。", "”", "）", "》"])
def test_a_closing_mark_at_the_row_boundary_takes_the_last_character_down_with_it(mark):
    # 10 full-width characters fill a 20-cell row: the mark would start the second row,
    # so the break moves back one character and the mark follows 好 onto the next row.
    line = "好" * 10 + mark + "好" * 5
    assert wrap_line(line, 20) == [(0, 9), (9, 16)]


@pytest.mark.parametrize("mark", ["、", "。", "）", "》"])
def test_a_closing_mark_that_fits_ends_its_row(mark):
    line = "好" * 9 + mark + "好" * 5  # 9 characters and the mark: exactly 20 cells
    assert wrap_line(line, 20) == [(0, 10), (10, 15)]


def test_two_closing_marks_at_the_boundary_move_down_together():
    line = "好" * 9 + "。”" + "好" * 5  # 。” would start the second row, or ” alone would
    assert wrap_line(line, 20) == [(0, 8), (8, 16)]


@pytest.mark.parametrize("width", WIDTHS)
def test_every_row_fits_and_the_panes_stay_aligned(sample_panes, width):
    for panes in sample_panes.values():
        layout = layout_document(panes.simplified.text, panes.traditional.text, width)
        for side in (0, 1):
            rows = layout.panes[side]
            assert len(rows.starts) == layout.height
            for row in range(layout.height):
                assert cell_len(display_text(layout.row_text(side, row))) <= width
        # The same line (paragraph) starts on the same row in both panes...
        lines = [split_lines(layout.texts[side]) for side in (0, 1)]
        assert len(lines[0]) == len(lines[1]) == len(layout.line_first_row)
        for index, first_row in enumerate(layout.line_first_row):
            for side in (0, 1):
                assert layout.panes[side].starts[first_row] == lines[side][index].start
        # ...and every character of each pane is shown exactly once, in order.
        for side in (0, 1):
            text = layout.texts[side]
            shown = "".join(layout.row_text(side, row) for row in range(layout.height))
            assert shown == text.replace("\n", "")


def test_ambiguous_width_punctuation_is_measured_as_drawn():
    line = "“排头兵”……——‘好’" * 6
    for width in (7, 10, 21):
        for start, end in wrap_line(line, width):
            assert cell_len(line[start:end]) <= width


def test_paired_ellipsis_and_dashes_are_not_split():
    line = "我们要" + "好" * 7 + "……继续" + "好" * 9 + "——前进"
    for width in range(6, 30):
        for start, _end in wrap_line(line, width)[1:]:
            assert not (line[start - 1] == line[start] and line[start] in "…—")


def test_ascii_words_and_numbers_are_kept_whole_when_they_fit():
    line = "全年生产总值221.8亿元增长10.4%,城乡居民收入28593元"
    for width in range(16, 40):
        for start, _end in wrap_line(line, width)[1:]:
            before, after = line[start - 1], line[start]
            assert not (
                before.isascii() and after.isascii() and before.isalnum() and after.isalnum()
            )


def test_opening_quote_moves_down_with_its_word():
    line = "好" * 9 + "“排头兵”"  # at width 20 the quote would end the first row
    rows = wrap_line(line, 20)
    assert rows == [(0, 9), (9, 14)]
    assert line[rows[1][0]] == "“"  # the quote starts the next row, with its word


def test_control_characters_and_markup_are_shown_literally():
    raw = "[bold]红[/] \x1b[31m危险\x07"
    shown = display_text(raw)
    assert "[bold]" in shown and "[/]" in shown
    assert "\x1b" not in shown and "\x07" not in shown
    assert shown.count("␛") == 1 and "␇" in shown
    assert len(shown) == len(raw)  # one character each: offsets stay the same


def test_a_45kb_speech_lays_out_with_empty_lines_kept():
    text = "第一段。\n\n第三段,很长" + "很长" * 50 + "。\n"
    layout = layout_document(text, text, 30)
    assert layout.row_text(0, 1) == ""
    assert layout.line_first_row[2] == 2


def test_the_marks_the_layout_is_checked_with_are_not_imported_from_speechreader():
    """tests/line_rules.py is the independent definition: it must stay independent."""
    source = Path(line_rules.__file__).read_text(encoding="utf-8")
    imported = [
        name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
        )
    ]
    assert imported == ["__future__", "re"]
