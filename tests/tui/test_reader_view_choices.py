"""The reader's view choices are remembered per corpus across restarts, and the
annotation list lies over the panes at narrow widths instead of squeezing them.

Before, the conversion standard (``c``), the clean view (``z``) and the open list
(``a``) were forgotten at every start, and at 80 columns the list left each pane 6
characters wide.
"""

from __future__ import annotations

import shutil

from speechreader.core.paths import state_dir
from speechreader.tui.widgets.annotation_panels import AnnotationList
from tests.tui.conftest import XICHANG, open_doc


def status(reader) -> str:
    return str(reader.query_one("#status").render())


async def test_standard_clean_view_and_list_survive_a_restart(make_app, sample_corpus, tmp_path):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert "standard" in status(reader) and "CLEANED" not in status(reader)
        await pilot.press("c", "z", "a")  # taiwan, the clean view, the list open
        await pilot.pause()
        assert reader.session.variant == "taiwan"
        assert "CLEANED" in status(reader)
    async with make_app().run_test(size=(120, 40)) as pilot:  # a new start
        reader = await open_doc(pilot, XICHANG)
        assert reader.session.variant == "taiwan"
        assert "taiwan" in status(reader) and "CLEANED" in status(reader)
        assert "s2tw" in str(reader.query_one("#title-1").render())
        assert not reader.query_one(AnnotationList).has_class("hidden")
        assert reader.reader.has_focus  # open, but the text has the keys
        await pilot.press("a")  # closed: remembered too
        await pilot.pause()
    # per corpus: another corpus starts with the settings' choices
    other = tmp_path / "other-corpus"
    shutil.copytree(sample_corpus, other)
    async with make_app(corpus=other).run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert reader.session.variant == "standard" and "CLEANED" not in status(reader)
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert reader.session.variant == "taiwan"
        assert reader.query_one(AnnotationList).has_class("hidden"), "closed last time"
    # the command line's --variant wins; an unreadable file is ignored
    async with make_app(variant="hongkong").run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert reader.session.variant == "hongkong"
    for path in (state_dir() / "views").glob("*.json"):
        path.write_text("{not json", encoding="utf-8")
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert reader.session.variant == "standard"


async def test_the_list_lies_over_the_panes_at_80_columns_and_beside_them_at_160(make_app):
    for width in (80, 160):
        async with make_app().run_test(size=(width, 30)) as pilot:
            reader = await open_doc(pilot, XICHANG)
            left, right = reader.reader.panes
            panel = reader.query_one(AnnotationList)
            if width == 160:  # left open at 80 columns: remembered; closed for a look
                assert not panel.has_class("hidden")
                await pilot.press("a")
                await pilot.pause()
            before = (left.region, right.region)
            await pilot.press("a")
            await pilot.pause()
            assert panel.region.width >= 30 and panel.region.height >= 20
            if width == 80:
                # the panes keep their width; the list covers the right one
                assert (left.region, right.region) == before
                assert panel.region.overlaps(right.region)
                assert left.size.width >= 30
            else:
                # docked beside: nothing covered, each pane still wide
                assert not panel.region.overlaps(left.region)
                assert not panel.region.overlaps(right.region)
                assert min(left.size.width, right.size.width) >= 50
