"""In the reader a coder changes only their own coding (two coders, one database).

bo reads a speech amy has coded. A digit, ``t``, ``h`` or ``m`` on amy's passage acts
on bo's own annotation of the same span, making it if need be, and says so; ``x``
says the passage is amy's; the panel says whose passage is under the cursor. amy's
annotations, and the bytes of her files (``annotations/amy/``), never change.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.dialogs.note_editor import NoteEditor
from speechreader.tui.dialogs.orphans import Orphans
from speechreader.tui.dialogs.tag_picker import TagPicker
from speechreader.tui.widgets.annotation_panels import AnnotationInfo, AnnotationList
from tests.tui.conftest import XICHANG, open_doc, screen_text, stored, wait_until

FIRST = (0, 39)  # the speech's first sentence (the reader's s selects it; see test_empty…)


def amys_files(db: Path) -> dict[str, bytes]:
    folder = db / "annotations" / "amy"
    return {p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))}


@pytest.fixture
def team_db(sample_corpus, db_path) -> Path:
    """Codebook economy, stability, growth; amy tagged the first sentence economy."""
    corpus = Corpus.load(sample_corpus)
    text, info = corpus.text(XICHANG), corpus.get(XICHANG)
    with Store(db_path, coder="amy") as amy:
        for name in ("economy", "stability", "growth"):
            amy.add_tag(name)
        amy.add(XICHANG, *FIRST, text=text, doc_hash=info.content_hash, tags=["economy"])
    return db_path


def said(app) -> list[str]:
    """What the app said since the last toast a test waited for."""
    return app.said[getattr(app, "heard", 0) :]


async def toast(pilot, text: str) -> None:
    """Wait for a toast saying ``text``, said after the last one waited for."""
    app = pilot.app
    await wait_until(
        pilot,
        lambda: any(text in m for m in said(app)),
        lambda: (
            f"a toast {text!r}; said instead: {said(app)!r}, "
            f"focus on {app.focused!r}, screen {app.screen!r}"
        ),
    )
    app.heard = len(app.said) - next(i for i, m in enumerate(reversed(app.said)) if text in m)


def mine_and_amys(db: Path):
    items, _ = stored(db, XICHANG)
    return (
        [(a.start, a.end, a.tags, a.highlight, a.note) for a in items if a.coder == "bo"],
        [(a.start, a.end, a.tags) for a in items if a.coder == "amy"],
    )


async def test_digit_keys_on_amys_passage_code_bos_own_copy(make_app, team_db):
    before = amys_files(team_db)
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        reader.reader.move_to(10)  # inside amy's sentence; no selection
        await pilot.pause()
        info = str(reader.query_one(AnnotationInfo).render())
        assert "amy's passage: your keys code your own copy" in info
        # 1 is economy, which amy's annotation has: before, it removed it from hers
        await pilot.press("1")
        await toast(
            pilot, "Tagged economy on your own copy of amy's passage (amy's stays as it is)"
        )
        assert mine_and_amys(team_db) == ([(0, 39, ["economy"], None, "")], [(0, 39, ["economy"])])
        # Now bo has his own annotation of the span: the keys act on it, as usual.
        await pilot.press("2")
        await toast(pilot, "Tagged stability")
        await pilot.press("1")
        await toast(pilot, "Removed economy")
        assert mine_and_amys(team_db)[0] == [(0, 39, ["stability"], None, "")]
        info = str(reader.query_one(AnnotationInfo).render())
        assert "your keys code your own copy" not in info  # bo's own comes first now
        assert "· bo" in info and "· amy" in info
        await pilot.press("2")  # his last tag: his annotation goes, amy's stays
        await toast(pilot, "nothing else was left, so the annotation was deleted")
        assert mine_and_amys(team_db) == ([], [(0, 39, ["economy"])])
        await pilot.press("u")
        await toast(pilot, "Undone")
        assert mine_and_amys(team_db)[0] == [(0, 39, ["stability"], None, "")]
    assert amys_files(team_db) == before


async def test_x_on_amys_passage_says_it_is_hers_and_deletes_only_bos_own(make_app, team_db):
    before = amys_files(team_db)
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        reader.reader.move_to(10)
        await pilot.pause()
        await pilot.press("x")
        await toast(pilot, "This passage is amy's: x deletes only your own annotations")
        assert not isinstance(pilot.app.screen, Confirm)
        assert mine_and_amys(team_db) == ([], [(0, 39, ["economy"])])
        await pilot.press("3", "x")  # bo's own copy first, then x: asks about bo's
        dialog = await _dialog(pilot, Confirm)
        assert "[growth]" in dialog.detail
        await pilot.press("y")
        await toast(pilot, "Annotation deleted")
        assert mine_and_amys(team_db) == ([], [(0, 39, ["economy"])])
    assert amys_files(team_db) == before


async def test_tag_picker_highlight_and_memo_on_amys_passage(make_app, team_db):
    before = amys_files(team_db)
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        reader.reader.move_to(10)
        await pilot.pause()
        await pilot.press("m")
        editor = await _dialog(pilot, NoteEditor)
        assert editor.title_text == "Your own memo on amy's passage"
        await pilot.press(*"mine", "ctrl+s")
        await toast(pilot, "Memo saved on your own copy of amy's passage")
        await pilot.press("h")  # bo's own copy now exists: h highlights it
        await toast(pilot, "Highlight: yellow")
        await pilot.press("t")
        picker = await _dialog(pilot, TagPicker)
        assert picker.title_text == "Add a tag to this annotation"
        await pilot.press(*"growth", "enter")
        await toast(pilot, "Tagged growth")
        assert mine_and_amys(team_db) == (
            [(0, 39, ["growth"], "yellow", "mine")],
            [(0, 39, ["economy"])],
        )
    assert amys_files(team_db) == before


async def test_a_highlight_and_a_tag_picked_on_amys_passage_make_bos_own(make_app, team_db):
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        reader.reader.move_to(10)
        await pilot.pause()
        await pilot.press("h")
        await toast(pilot, "Highlighted on your own copy of amy's passage")
        await pilot.press("x", "y")
        await toast(pilot, "Annotation deleted")
        await pilot.press("t")
        picker = await _dialog(pilot, TagPicker)
        assert picker.title_text == "Tag your own copy of amy's passage"
        await pilot.press(*"stability", "enter")
        await toast(pilot, "Tagged stability on your own copy of amy's passage")
    assert mine_and_amys(team_db) == ([(0, 39, ["stability"], None, "")], [(0, 39, ["economy"])])


async def test_the_list_names_amy_and_a_jump_to_her_passage_codes_bos_copy(make_app, team_db):
    before = amys_files(team_db)
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("a")
        await wait_until(
            pilot, lambda: "amy: 敢于担当" in screen_text(pilot.app), "the list names amy"
        )
        await pilot.press("enter")  # jump: amy's passage is selected
        # the jump selects at once and moves the focus to the text later (Textual's
        # focus() is a call_later): the digit key is the text's, so wait for both
        await wait_until(
            pilot,
            lambda: reader.state.selection == FIRST and reader.reader.has_focus,
            "the jump, and the focus back on the text",
        )
        await pilot.press("1")
        await toast(pilot, "Tagged economy on your own copy of amy's passage")
        rows = reader.query_one(AnnotationList)
        await wait_until(pilot, lambda: rows.option_count == 2, "bo's row beside amy's")
        prompts = [str(rows.get_option_at_index(i).prompt) for i in range(2)]
        assert sorted("amy: " in p for p in prompts) == [False, True]
    assert mine_and_amys(team_db) == ([(0, 39, ["economy"], None, "")], [(0, 39, ["economy"])])
    assert amys_files(team_db) == before


async def test_amys_orphan_is_listed_but_left_to_amy(make_app, team_db):
    with Store(team_db, coder="amy") as amy:  # a passage no longer in the speech
        amy.add(XICHANG, 0, 8, text="这段文字早已不在讲话里", doc_hash="old", tags=["growth"])
    before = amys_files(team_db)
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        await open_doc(pilot, XICHANG)
        for key in ("x", "enter"):  # delete, then re-place: both refused
            await pilot.press("o")
            await _dialog(pilot, Orphans)
            await pilot.press(key)
            await toast(pilot, "This orphaned annotation is amy's: only amy can re-place")
            pilot.app.clear_notifications()
        assert pilot.app.screen.replacing is None
    assert amys_files(team_db) == before


async def test_another_coders_name_is_shown_literally(make_app, sample_corpus, db_path):
    name = "[@click=app.quit]amy[/]"
    corpus = Corpus.load(sample_corpus)
    with Store(db_path, coder=name) as other:
        other.add(XICHANG, *FIRST, text=corpus.text(XICHANG), doc_hash="", tags=["economy"])
    async with make_app(coder="bo").run_test(size=(120, 40), notifications=True) as pilot:
        reader = await open_doc(pilot, XICHANG)
        reader.reader.move_to(10)
        await pilot.pause()
        await pilot.press("x")
        await toast(pilot, f"This passage is {name}'s")
        await wait_until(pilot, lambda: f"{name}'s passage" in screen_text(pilot.app), "the panel")
        assert pilot.app.is_running


async def _dialog(pilot, kind: type):
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), f"{kind.__name__} open")
    await pilot.pause()
    return pilot.app.screen
