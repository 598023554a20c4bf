"""Simplified residue in the reader and the library, told in the core's words.

On the two real mixed speeches of the sample (郭聲琨's and 王寧's, traditional with
simplified characters left in: tests/core/text/test_residue.py lists them by hand), the
library flags ``R``, ``e``/``E`` reach each residue, its character is underlined in both
panes, and the line under the panes says what `speechreader show --problems` says about
the same span, after the flag and the mark's place.
"""

from __future__ import annotations

import re

from speechreader.tui.widgets.annotation_panels import AnnotationInfo
from speechreader.tui.widgets.pane import PaneView
from tests.cli_helpers import invoke
from tests.tui.conftest import open_doc, sample_text, wait_for_library

GUO = "2011-12-06_guo-shengkun_guangxi"
WANG = "2024-01-05_wang-ning_yunnan"
RESIDUE = "(simplified character in a traditional text)"


def info_line(reader) -> str:
    return str(reader.query_one(AnnotationInfo).render()).splitlines()[0]


def cli_explanations(capsys, corpus, doc_id: str) -> dict[tuple[int, int], str]:
    """What `speechreader show DOC --problems --json` says about each span."""
    result = invoke(capsys, "show", doc_id, "--corpus", corpus, "--problems", "--json")
    assert result.code == 0
    return {(p["start"], p["end"]): p["explanation"] for p in result.json["problems"]}


def cells(pane: PaneView, y: int) -> list[tuple[str, object]]:
    """Each character drawn on row ``y`` of a pane, with its style."""
    return [(ch, seg.style) for seg in pane.render_line(y) for ch in seg.text]


def styled(pane: PaneView, words: str, index: int):
    """The style of character ``index`` of ``words`` wherever the pane shows them."""
    for y in range(pane.size.height):
        row = cells(pane, y)
        at = "".join(ch for ch, _ in row).find(words)
        if at >= 0:
            return row[at + index][1], row[at][1]
    raise AssertionError(f"{words} is not on the screen")


async def test_guo_s_residue_is_flagged_reached_underlined_and_explained(
    make_app, sample_corpus, capsys
):
    text = sample_text(sample_corpus, GUO)
    said = cli_explanations(capsys, sample_corpus, GUO)
    async with make_app(clean_view=True).run_test(size=(100, 30)) as pilot:
        library = await wait_for_library(pilot)
        assert "R" in library.table.get_row(GUO)[-1]  # the distrust column: M R G
        reader = await open_doc(pilot, GUO)
        first = text.index("神圣使命") + 1  # the first residue: 圣 for 聖 (by hand)
        presses = 0
        while reader.state.cursor != first and presses < 30:
            await pilot.press("e")
            presses += 1
        assert reader.state.cursor == first
        line = info_line(reader)
        # 4 mojibake and 19 residues are marked in the clean view; the residue comes
        # after the mojibake before it, and the line counts the press that reached it
        assert re.fullmatch(
            rf"! R {presses}/23 圣: OpenCC reads it 聖 {re.escape(RESIDUE)}", line
        ), line
        assert line.endswith(said[(first, first + 1)])  # the CLI's very words
        await pilot.press("right", "right")  # the cursor off the mark, onto 命
        for pane in reader.query(PaneView):
            mark, before = styled(pane, "神圣使命", 1)
            assert mark.underline and mark.italic  # a wording problem
            assert not (before and before.underline)  # 神 is not marked


async def test_wang_s_last_residue_is_reached_backwards_in_the_raw_view(
    make_app, sample_corpus, capsys
):
    text = sample_text(sample_corpus, WANG)
    said = cli_explanations(capsys, sample_corpus, WANG)
    async with make_app().run_test(size=(80, 24)) as pilot:
        library = await wait_for_library(pilot)
        assert "R" in library.table.get_row(WANG)[-1]
        reader = await open_doc(pilot, WANG)
        await pilot.press("E")  # from the start back round to the last mark
        last = text.index("要把事干好") + 3  # 干 for 幹 (by hand)
        assert reader.state.cursor == last
        marks = len(reader.state.marks)  # 41 glosses, 93 doubled, 2 lost, 25 residues
        assert marks == 41 + 93 + 2 + 25
        line = info_line(reader)
        assert line == f"! R {marks}/{marks} 干: OpenCC reads it 幹 {RESIDUE}"
        assert line.endswith(said[(last, last + 1)])
        await pilot.press("E", "E")  # 快干: OpenCC reads "quick-drying" (see the note)
        assert reader.state.cursor == text.index("要快干") + 2
        assert info_line(reader).startswith(f"! R {marks - 2}/{marks} 干: OpenCC reads it ")
        await pilot.press("left", "left", "left")  # the cursor off the mark, onto 、
        for pane in reader.query(PaneView):
            mark, before = styled(pane, "要快干", 2)
            assert mark.underline and mark.italic
            assert not (before and before.underline)


async def test_every_kind_s_line_is_the_cli_s_explanation(make_app, sample_corpus, capsys):
    said = cli_explanations(capsys, sample_corpus, WANG)
    async with make_app().run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, WANG)
        seen = set()
        for mark in reader.state.marks:
            if mark.kind in seen:
                continue
            seen.add(mark.kind)
            reader.reader.move_to(mark.start)
            await pilot.pause()
            line = info_line(reader)
            head = re.match(r"! ([A-Z]) \d+/\d+ ", line)
            assert head, line
            assert said[(mark.start, mark.end)] in line
        assert seen == {
            "lost_characters",
            "simplified_residue",
            "doubled_punctuation",
            "pinyin_gloss",
        }
