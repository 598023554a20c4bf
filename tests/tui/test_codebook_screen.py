"""The codebook screen, driven by keys; each test checks what the store holds afterwards.

Regenerate the snapshot after an intended change with ``pytest
tests/tui/test_codebook_screen.py --snapshot-update`` and look at it before committing.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from speechreader.tui.dialogs.colour_picker import ColourPicker
from speechreader.tui.dialogs.confirm import Confirm
from speechreader.tui.dialogs.prompt import TextPrompt
from speechreader.tui.dialogs.tag_chooser import TagChooser
from speechreader.tui.dialogs.tag_form import TagForm
from speechreader.tui.screens.codebook import CodebookScreen
from speechreader.tui.widgets.tag_rows import tree_guides
from tests.tui.conftest import (
    UNDATED,
    XICHANG,
    settled,
    type_ahead,
    wait_for_library,
    wait_until,
)


@pytest.fixture
def coded_db(sample_corpus, db_path) -> Path:
    """economy (2 passages) ⊃ growth (1); party building (2); stability (1); unused (0)."""
    corpus = Corpus.load(sample_corpus)
    text = corpus.text(XICHANG)
    doc_hash = corpus.get(XICHANG).content_hash
    undated = corpus.text(UNDATED)
    with Store(db_path, coder="tester") as store:
        store.add_tag("economy", description="经济发展")
        store.add_tag("party building", description="党的建设")
        store.add_tag("stability")
        store.add_tag("growth", parent="economy", description="GDP, 增长")
        store.add_tag("unused")
        store.add(XICHANG, 80, 145, text=text, doc_hash=doc_hash, tags=["economy", "growth"])
        store.add(XICHANG, 200, 230, text=text, doc_hash=doc_hash, tags=["economy", "stability"])
        store.add(XICHANG, 300, 320, text=text, doc_hash=doc_hash, tags=["party building"])
        store.add(
            UNDATED, 0, 10, text=undated, doc_hash=corpus.get(UNDATED).content_hash,
            tags=["party building"], note="cadres",
        )  # fmt: skip
    return db_path


def book(db: Path) -> dict:
    """The codebook and the tags of every annotation, read by a fresh Store."""
    with Store(db, readonly=True) as store:
        return {
            "tags": {t.name: t for t in store.tags()},
            "annotations": sorted((a.start, tuple(a.tags), a.note) for a in store.all()),
            "counts": store.tag_counts(),
        }


async def open_codebook(pilot, select: str | None = None) -> CodebookScreen:
    await wait_for_library(pilot)
    screen = CodebookScreen(pilot.app.session)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    if select is not None:
        screen.table.highlighted = [r.tag.name for r in screen.rows].index(select)
        await pilot.pause()
    return screen


async def wait_for(pilot, kind: type):
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, kind), f"{kind.__name__} open")
    return pilot.app.screen


async def answer(pilot, kind: type, text: str | None = None, *keys: str) -> None:
    """Wait for a dialog, replace the text of its field (if any), press keys."""
    dialog = await wait_for(pilot, kind)
    if text is not None:
        from textual.widgets import Input

        dialog.query_one(Input).value = text
        await pilot.pause()
    await pilot.press(*keys)
    await pilot.pause()


def notifications(app) -> list[str]:
    return app.said


async def test_tree_order_children_indented_under_parent(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot)
        names = [r.tag.name for r in screen.rows]
        assert names == ["economy", "growth", "party building", "stability", "unused"]
        lines = [str(opt.prompt) for opt in screen.table.options]
        assert "└─ growth" in lines[1]
        assert lines[0].index("economy") < lines[1].index("growth")
        # shortcut digits by codebook order (growth was the fourth tag created)
        assert [r.shortcut for r in screen.rows] == [1, 4, 2, 3, 5]
        assert [r.count for r in screen.rows] == [2, 1, 2, 1, 0]
        status = str(screen.query_one("#codebook-status").render())
        assert "5 tags" in status and "4 annotations" in status


def test_tree_guides_for_nested_rows():
    assert tree_guides([0, 1, 2, 2, 1, 0, 1]) == ["", "├─ ", "│  ├─ ", "│  └─ ", "└─ ", "", "└─ "]


async def test_add_tag_with_description(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot)
        await pilot.press("a")
        await answer(pilot, TagForm, "stability", "enter")  # taken: the dialog stays
        assert isinstance(pilot.app.screen, TagForm)
        assert "already exists" in str(pilot.app.screen.query_one("#tag-name-error").render())
        await answer(pilot, TagForm, "  民生  ", "tab", *"livelihood", "enter")
        assert isinstance(pilot.app.screen, CodebookScreen)
        assert pilot.app.screen.current_name == "民生"
    tags = book(coded_db)["tags"]
    assert tags["民生"].description == "livelihood"
    assert tags["民生"].colour not in {t.colour for n, t in tags.items() if n != "民生"}


async def test_rename_moves_annotations_and_children(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="economy")
        await pilot.press("r")
        await answer(pilot, TextPrompt, "development", "enter")
    data = book(coded_db)
    assert "economy" not in data["tags"]
    assert data["tags"]["growth"].parent == "development"
    assert data["counts"]["development"] == 2
    assert (80, ("development", "growth"), "") in data["annotations"]


async def test_recolour_from_palette_and_typed(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="stability")
        await pilot.press("c")
        await answer(pilot, ColourPicker, "not a colour", "enter")  # refused, stays open
        assert isinstance(pilot.app.screen, ColourPicker)
        assert "invalid colour" in str(pilot.app.screen.query_one("#colour-feedback").render())
        await answer(pilot, ColourPicker, "#ABC", "enter")
        assert book(coded_db)["tags"]["stability"].colour == "#aabbcc"
        await pilot.press("c")
        await answer(pilot, ColourPicker, None, "down", "enter")  # the palette entry below
    colour = book(coded_db)["tags"]["stability"].colour
    assert colour.startswith("#") and colour != "#aabbcc"


async def test_describe(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="stability")
        await pilot.press("e")
        await answer(pilot, TextPrompt, "社会稳定 and order", "enter")
        detail = str(pilot.app.screen.query_one("#codebook-detail").render())
        assert "社会稳定 and order" in detail
    assert book(coded_db)["tags"]["stability"].description == "社会稳定 and order"


async def test_move_under_parent_and_back_to_top(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot, select="stability")
        await pilot.press("m")
        await answer(pilot, TagChooser, "party", "enter")
        assert book(coded_db)["tags"]["stability"].parent == "party building"
        names = [r.tag.name for r in screen.rows]
        assert names.index("stability") == names.index("party building") + 1
        assert "└─ stability" in str(screen.table.options[names.index("stability")].prompt)
        await pilot.press("m")
        await answer(pilot, TagChooser, "", "enter")  # the first choice: (top level)
    assert book(coded_db)["tags"]["stability"].parent is None


async def test_move_refuses_a_cycle(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="economy")
        await pilot.press("m")
        await answer(pilot, TagChooser, "growth", "enter")
        assert any("loop" in m for m in notifications(pilot.app))
        assert isinstance(pilot.app.screen, CodebookScreen)
    tags = book(coded_db)["tags"]
    assert tags["economy"].parent is None and tags["growth"].parent == "economy"


async def test_merge_moves_annotations_to_the_survivor(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot, select="stability")
        await pilot.press("M")
        await answer(pilot, TagChooser, "economy", "enter")
        confirm = await wait_for(pilot, Confirm)
        assert "1 annotation tagged “stability” will be tagged “economy”" in confirm.detail
        await pilot.press("y")
        await pilot.pause()
        assert screen.current_name == "economy"
        assert next(r.count for r in screen.rows if r.tag.name == "economy") == 2
    data = book(coded_db)
    assert "stability" not in data["tags"]
    assert data["counts"]["economy"] == 2  # the passage had both: one annotation, not two
    assert (200, ("economy",), "") in data["annotations"]


async def test_delete_asks_and_keeps_annotations(make_app, coded_db):
    """stability sits beside economy on its only passage: the annotation stays."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="stability")
        await pilot.press("x")
        confirm = await wait_for(pilot, Confirm)
        assert "1 annotation carries it" in confirm.detail
        assert "annotations stay" in confirm.detail
        await pilot.press("n")
        await pilot.pause()
        assert "stability" in book(coded_db)["tags"]
        await pilot.press("delete")
        await wait_for(pilot, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert "Deleted “stability”; removed from 1 annotation (u to undo)" in notifications(
            pilot.app
        )
    data = book(coded_db)
    assert "stability" not in data["tags"]
    assert len(data["annotations"]) == 4
    assert (200, ("economy",), "") in data["annotations"]


async def test_delete_also_deletes_what_it_leaves_empty_and_says_so(make_app, coded_db):
    """party building is on two passages: one has a memo (stays), one nothing else (goes)."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="party building")
        await pilot.press("x")
        confirm = await wait_for(pilot, Confirm)
        assert confirm.detail == (
            "2 passages lose the tag; 1 annotation had nothing else and is deleted. "
            "The reader's keys of the tags after it move down by one: "
            "“stability” 3→2, “growth” 4→3, “unused” 5→4. (u undoes)"
        )
        await pilot.press("y")
        await pilot.pause()
        assert (
            "Deleted “party building”: 2 passages lost the tag; 1 annotation had nothing else "
            "and was deleted (u to undo)"
        ) in notifications(pilot.app)
        data = book(coded_db)
        assert "party building" not in data["tags"]
        assert len(data["annotations"]) == 3
        assert (0, (), "cadres") in data["annotations"]  # kept, memo and all
        assert all(tags or note for _, tags, note in data["annotations"])
        await pilot.press("u")
        await pilot.pause()
    data = book(coded_db)
    assert (300, ("party building",), "") in data["annotations"]
    assert (0, ("party building",), "cadres") in data["annotations"]


async def test_delete_parent_lifts_children(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="economy")
        await pilot.press("x")
        confirm = await wait_for(pilot, Confirm)
        assert "Its child tag moves up to the top level" in confirm.detail
        await pilot.press("y")
        await pilot.pause()
    assert book(coded_db)["tags"]["growth"].parent is None


async def test_undo_and_redo_a_change(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot, select="economy")
        await pilot.press("r")
        await answer(pilot, TextPrompt, "development", "enter")
        await pilot.press("u")
        await pilot.pause()
        assert "economy" in book(coded_db)["tags"]
        assert any(m.startswith("Undone: rename tag economy") for m in notifications(pilot.app))
        assert "economy" in [r.tag.name for r in screen.rows]
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert any(m.startswith("Redone: rename tag economy") for m in notifications(pilot.app))
    data = book(coded_db)
    assert "development" in data["tags"] and "economy" not in data["tags"]
    assert data["counts"]["development"] == 2


async def test_read_only_database_refuses_with_a_message(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await wait_for_library(pilot)
        session = pilot.app.session
        session.store.close()
        session.store = Store(coded_db, readonly=True)
        screen = await open_codebook(pilot, select="economy")
        assert "read-only" in str(screen.query_one("#codebook-status").render())
        for key in ("a", "r", "x", "M", "u"):
            await pilot.press(key)
            await pilot.pause()
            assert isinstance(pilot.app.screen, CodebookScreen)  # no dialog opened
        assert any(m.startswith("Cannot change the codebook") for m in notifications(pilot.app))
    assert list(book(coded_db)["tags"]) == [
        "economy", "party building", "stability", "growth", "unused",
    ]  # fmt: skip


async def test_broken_database_refuses_with_its_reason(make_app, coded_db):
    (coded_db / "codebook.json").write_text("{ not json", encoding="utf-8")
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot)
        assert screen.rows == []
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(pilot.app.screen, CodebookScreen)
        assert any("codebook.json" in m for m in notifications(pilot.app))
    assert (coded_db / "codebook.json").read_text(encoding="utf-8") == "{ not json"


async def test_an_empty_codebook_says_how_to_start(make_app, db_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot)
        assert "press a to add a tag" in str(screen.table.options[0].prompt)
        await pilot.press("r")  # nothing to rename: a hint, no dialog
        await pilot.pause()
        assert isinstance(pilot.app.screen, CodebookScreen)
        await pilot.press("a")
        await answer(pilot, TagForm, "first", "enter")
        assert [r.tag.name for r in screen.rows] == ["first"]
    assert list(book(db_path)["tags"]) == ["first"]


async def test_the_tag_itself_is_shown_but_not_offered(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="growth")
        await pilot.press("M")
        chooser = await wait_for(pilot, TagChooser)
        from textual.widgets import OptionList

        options = chooser.query_one(OptionList)
        growth = options.get_option("growth")
        assert growth.disabled and "(this tag)" in str(growth.prompt)
        await answer(pilot, TagChooser, "growth", "enter")  # the only match: not chosen
        assert pilot.app.screen is chooser
        await pilot.press("escape")
        await pilot.pause()
    assert "growth" in book(coded_db)["tags"]


async def test_keys_fit_the_key_bar_and_the_palette_names_them(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot)
        bar = str(screen.query_one("CompactKeyBar").render())
        for hint in ("a Add", "M Merge", "x Delete", "^r Redo", "esc Back", "^p more"):
            assert hint in bar
        assert len(bar) <= 118  # the app's own keys are left out when there is no room
        titles = [c.title for c in pilot.app.get_system_commands(screen)]
        assert "Merge the tag into another" in titles
        assert "Change the tag's colour" in titles


async def test_escape_goes_back(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, CodebookScreen)


def test_codebook_snapshot(snap_compare, make_app, coded_db):
    async def ready(pilot):
        await open_codebook(pilot, select="growth")
        await settled(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=ready)


async def test_add_typed_ahead_lands_in_its_own_field(make_app, coded_db):
    """A coder types the name, Tab, the description, Enter and goes on typing, all
    before the app has caught up: each field gets exactly what was typed for it."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot)
        await pilot.press("a")
        form = await wait_for(pilot, TagForm)
        assert "Enter add the tag" in str(form.query_one(".dialog-hint").render())
        type_ahead(pilot.app, *"民生", "tab", *"livelihood", "enter", *"ok")
        await wait_until(pilot, lambda: "民生" in book(coded_db)["tags"], "the tag added")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CodebookScreen), "closed")
    tags = book(coded_db)["tags"]
    assert (tags["民生"].name, tags["民生"].description) == ("民生", "livelihood")
    assert len(tags) == 6


async def test_enter_after_the_name_adds_it_and_text_after_goes_nowhere_near_it(make_app, coded_db):
    """The old dialog asked for the description after Enter: what was typed next became
    the description. Now Enter adds the tag; nothing typed after it reaches a field."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot)
        await pilot.press("a")
        await wait_for(pilot, TagForm)
        type_ahead(pilot.app, *"民生", "enter", *"ok")
        await wait_until(pilot, lambda: "民生" in book(coded_db)["tags"], "the tag added")
        await wait_until(pilot, lambda: isinstance(pilot.app.screen, CodebookScreen), "closed")
    tags = book(coded_db)["tags"]
    assert (tags["民生"].name, tags["民生"].description) == ("民生", "")
    assert len(tags) == 6


async def test_a_name_like_an_existing_tag_is_asked_about(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot)
        await pilot.press("a")
        await answer(pilot, TagForm, "ＥＣＯＮＯＭＹ", "enter")
        question = await wait_for(pilot, Confirm)
        said = str(question.query_one(".dialog-detail").render())
        assert "“economy”" in said and "width and case" in said
        await pilot.press("n")  # back to the form, the name as typed
        form = await wait_for(pilot, TagForm)
        assert form.query_one("#tag-name").value == "ＥＣＯＮＯＭＹ"
        await pilot.press("enter")
        await wait_for(pilot, Confirm)
        await pilot.press("y")
        await wait_for(pilot, CodebookScreen)
    assert {"ＥＣＯＮＯＭＹ", "economy"} <= set(book(coded_db)["tags"])


async def test_deleting_says_which_reader_keys_move_down(make_app, coded_db):
    """Keys 1-9 follow the order tags were created (economy 1, party building 2,
    stability 3, growth 4, unused 5): deleting party building moves the later ones."""
    async with make_app().run_test(size=(120, 40)) as pilot:
        screen = await open_codebook(pilot, select="party building")
        await pilot.press("x")
        question = await wait_for(pilot, Confirm)
        said = str(question.query_one(".dialog-detail").render())
        assert "keys of the tags after it move down by one" in said
        assert "“stability” 3→2, “growth” 4→3, “unused” 5→4" in said
        await pilot.press("escape")
        await wait_for(pilot, CodebookScreen)
        screen.table.highlighted = [r.tag.name for r in screen.rows].index("unused")
        await pilot.pause()
        await pilot.press("x")
        question = await wait_for(pilot, Confirm)
        assert "move down" not in str(question.query_one(".dialog-detail").render())


async def test_renaming_to_a_near_duplicate_asks_first(make_app, coded_db):
    async with make_app().run_test(size=(120, 40)) as pilot:
        await open_codebook(pilot, select="unused")
        await pilot.press("r")
        await answer(pilot, TextPrompt, "Economy", "enter")
        question = await wait_for(pilot, Confirm)
        assert question.question == "Rename “unused” to “Economy”?"
        assert "“economy”" in question.detail and "only in case" in question.detail
        await pilot.press("n")
        await wait_for(pilot, CodebookScreen)
        assert "unused" in book(coded_db)["tags"]
        await pilot.press("r")
        await answer(pilot, TextPrompt, "Economy", "enter")
        await wait_for(pilot, Confirm)
        await pilot.press("y")
        await wait_until(pilot, lambda: "Economy" in book(coded_db)["tags"], "renamed")
    assert "unused" not in book(coded_db)["tags"]
