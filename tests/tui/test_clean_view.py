"""The reader's clean view (z) and problem marks (e / E): what is drawn changes, offsets do not.

The cursor tests run on ReaderState (plain Python, real OpenCC); the coding test drives
the app with Pilot and compares what two databases hold after the same passage is
tagged in the raw view and in the clean view.
"""

from __future__ import annotations

import os
from pathlib import Path

from speechreader.core.text import clean_view, find_problems, pane_texts
from speechreader.tui.state import ReaderState
from speechreader.tui.widgets.annotation_panels import AnnotationInfo
from speechreader.tui.widgets.pane import PaneView
from tests.tui.conftest import open_doc, sample_text, stored

GUO = "2011-12-06_guo-shengkun_guangxi"
WANG = "2024-01-05_wang-ning_yunnan"


def make_state(text: str, *, clean: bool, width: int = 30) -> ReaderState:
    problems = find_problems(text)
    view = clean_view(text, problems) if clean else None
    panes = pane_texts(view.text if view else text, "traditional")
    state = ReaderState(text, panes, view=view, problems=problems)
    state.relayout(width)
    return state


# --- the cursor in the clean view ---------------------------------------------------


def test_the_cursor_steps_over_a_hidden_gloss():
    state = make_state("自治區(qū)黨委,,書記", clean=True)
    assert state.texts == ("自治区党委,书记", "自治區黨委,書記")
    seen = []
    for _ in range(8):
        state.move(state.char_right())
        seen.append(state.cursor)
    assert seen == [1, 2, 7, 8, 9, 11, 12, 13]  # 區(qū) is one step, so is ,,
    back = []
    for _ in range(4):
        state.move(state.char_left())
        back.append(state.cursor)
    assert back == [12, 11, 9, 8]


def test_a_selection_starting_inside_a_gloss_snaps_to_its_character():
    raw = make_state("自治區(qū)黨委", clean=False)
    raw.move(4)  # on the q of (qū), possible in the raw view
    raw.move(9, extend=True)
    clean = make_state("自治區(qū)黨委", clean=True)
    clean.anchor, clean.cursor = raw.anchor, raw.cursor
    clean.snap_to_view()  # what z does to the cursor and selection
    assert clean.selection == (2, 9)
    clean.clear_selection()
    clean.move(0)
    clean.move(4, extend=True)  # a jump into the gloss, going right: past it
    assert clean.selection == (0, 7)
    clean.select(3, 5, snap=True)  # a unit the user selects (s, p): whole
    assert clean.selection == (2, 7)
    clean.select(3, 5)  # a stored span (a hit, an annotation): exactly as stored
    assert clean.selection == (3, 5)


def test_pane_offsets_go_through_the_view():
    state = make_state("自治區(qū)黨委", clean=True)
    assert [state.to_pane(1, o) for o in range(10)] == [0, 1, 2, 2, 2, 2, 2, 3, 4, 5]
    assert [state.from_pane(0, o) for o in range(6)] == [0, 1, 2, 7, 8, 9]
    assert state.span_to_pane(0, 2, 7) == (2, 3)
    assert state.offset_at(1, 0, 4) == 2  # cells 4-5 show 區


def test_marks_leave_out_what_the_clean_view_hides(sample_texts):
    text = sample_texts[WANG]
    raw, clean = make_state(text, clean=False), make_state(text, clean=True)
    kinds = [m.kind for m in raw.marks]
    assert (kinds.count("pinyin_gloss"), kinds.count("doubled_punctuation")) == (41, 93)
    lost = [(m.kind, m.text) for m in clean.marks if m.kind == "lost_characters"]
    assert lost == [("lost_characters", "?")] * 2
    # what is left besides: the 25 simplified residues (tests/core/text/test_residue.py)
    assert len(clean.marks) == 2 + 25
    assert {m.kind for m in clean.marks} == {"lost_characters", "simplified_residue"}
    first = text.index("、?;?、") + 1
    assert clean.next_mark(1).start == text.index("第一周") + 2  # the first residue
    clean.move(first)
    assert clean.mark_at(first).start == first
    assert clean.next_mark(1).start == first + 2
    assert clean.next_mark(-1).start == text.index("防范應對") + 1  # the residue before
    clean.move(text.index("干好的濃厚"))  # the last mark: 干 of 要把事干好
    assert clean.next_mark(1).start == text.index("第一周") + 2  # wraps round to the first


def test_marks_on_a_row_are_found_as_by_looking_at_every_mark(sample_texts):
    state = make_state(sample_texts[WANG], clean=False, width=24)
    layout = state.layout
    for side in (0, 1):
        rows = layout.panes[side]
        for row in range(layout.height):
            start, end = rows.starts[row], rows.ends[row]
            every = []
            for mark in state.marks:
                a, b = state.span_to_pane(side, mark.start, mark.end)
                if a < end and b > start:
                    every.append((a, b, mark))
            assert state.marks_in(side, start, end) == every


# --- the app ------------------------------------------------------------------------


async def tag_first_secretary(pilot, reader, keys: int) -> None:
    """Select from 自治區 (the second one) with ``keys`` shift+→ and apply tag 1."""
    start = reader.text.index("自治區(qū)黨委書記")
    reader.reader.move_to(start)
    await pilot.press(*["shift+right"] * keys)
    await pilot.press("1")
    await pilot.pause()


async def test_tagging_in_the_clean_view_stores_what_the_raw_view_stores(make_app, tmp_path):
    from speechreader.core.store import Store

    dbs = []
    for clean in (False, True):
        db = tmp_path / f"clean-{clean}.srdb"
        with Store(db, coder="tester") as store:
            store.add_tag("leaders")
        async with make_app(db=db, clean_view=clean).run_test(size=(100, 30)) as pilot:
            reader = await open_doc(pilot, GUO)
            assert reader.state.clean is clean
            # 自治區(qū)黨委書記: eleven characters as scraped, seven in the clean view
            await tag_first_secretary(pilot, reader, 7 if clean else 11)
        dbs.append(db)
    raw, cleaned = (stored(db, GUO)[0] for db in dbs)
    assert len(raw) == len(cleaned) == 1
    assert (cleaned[0].start, cleaned[0].end) == (raw[0].start, raw[0].end)
    assert cleaned[0].quote == raw[0].quote == "自治區(qū)黨委書記"
    assert cleaned[0].tags == raw[0].tags == ["leaders"]


async def test_z_cleans_the_panes_and_says_so(make_app, sample_corpus):
    async with make_app().run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, WANG)
        text = sample_text(sample_corpus, WANG)
        hit = text.index("發(fā)揮")
        reader.session.set_hits([(WANG, hit, hit + 6)], 0)
        await pilot.press("z")
        await pilot.pause()
        state = reader.state
        assert state.clean and "(fā)" not in state.texts[1] and ",," not in state.texts[1]
        assert "切實發揮好" in state.texts[1] and "切实发挥好" in state.texts[0]
        status = str(reader.query_one("#status").render())
        assert "CLEANED" in status
        titles = [str(label.render()) for label in reader.query(".pane-title")]
        assert all("cleaned" in title for title in titles)
        await pilot.press("N")  # the search hit: selected as stored, drawn on 發揮
        assert state.selection == (hit, hit + 6)
        assert state.span_to_pane(1, hit, hit + 6) == (
            state.texts[1].index("發揮"),
            state.texts[1].index("發揮") + 2,
        )
        await pilot.press("z")
        await pilot.pause()
        assert not reader.state.clean and reader.state.texts[1] == text
        assert "CLEANED" not in str(reader.query_one("#status").render())
        assert reader.state.selection == (hit, hit + 6)


async def test_e_jumps_to_each_problem_and_explains_it(make_app, sample_corpus):
    async with make_app(clean_view=True).run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, GUO)
        text = sample_text(sample_corpus, GUO)
        await pilot.press("e")
        assert reader.state.cursor == text.index("??h級")
        info = str(reader.query_one(AnnotationInfo).render())
        # 4 mojibake and 19 simplified residues (the clean view hides the glosses)
        assert info.startswith("! M 1/23 ??h: text decoded with the wrong encoding")
        assert "do not quote" in info
        await pilot.press("E")  # from the first, back round to the last: 最后 (residue)
        assert reader.state.cursor == text.index("最后沖刺") + 1
        info = str(reader.query_one(AnnotationInfo).render())
        assert info.startswith("! R 23/23 后: OpenCC reads it 後 (simplified character")
        await pilot.press("z", "g", "e")  # the raw view marks the glosses too
        await pilot.pause()
        assert reader.state.cursor == text.index("區(qū)")
        info = str(reader.query_one(AnnotationInfo).render())
        assert info.startswith("! G 1/120 區(qū): a pinyin reading")


async def test_marks_are_underlined_where_they_are(make_app, sample_corpus):
    async with make_app().run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, GUO)
        pane = reader.query(PaneView)[1]
        segments = list(pane.render_line(0))
        underlined = "".join(s.text for s in segments if s.style and s.style.underline)
        plain = "".join(s.text for s in segments if not (s.style and s.style.underline))
        assert underlined == "區(qū)"  # the first row's only problem: a gloss
        assert "廣西縣" in plain


async def test_the_setting_opens_documents_clean(make_app):
    config = Path(os.environ["SPEECHREADER_CONFIG_DIR"]) / "config.toml"
    config.write_text("clean_view = true\n", encoding="utf-8")
    async with make_app().run_test(size=(100, 30)) as pilot:
        reader = await open_doc(pilot, GUO)
        assert reader.state.clean and "(qū)" not in reader.state.texts[1]
