"""Orphaned annotations in the reader: counted, listed with o, re-placed or deleted."""

from __future__ import annotations

from speechreader.core.store import Store
from speechreader.tui.dialogs.orphans import Orphans
from tests.tui.conftest import XICHANG, open_doc, stored, wait_until


def _orphan(corpus, db) -> str:
    """Code 敢于担当 in the Xichang speech, then reword it in the file (a re-scrape)."""
    path = corpus / f"{XICHANG}.txt"
    text = path.read_text(encoding="utf-8")
    start = text.index("敢于担当")
    with Store(db, coder="amy") as store:
        ann = store.add(XICHANG, start, start + 4, text=text, doc_hash="old", tags=["担当"],
                        note="[/] memo")  # fmt: skip
    path.write_text(text.replace("敢于担当", "勇于负责"), encoding="utf-8")
    return ann.id


async def test_an_orphan_is_counted_listed_and_re_placed_on_a_new_selection(
    make_app, sample_corpus, db_path
):
    ann_id = _orphan(sample_corpus, db_path)
    # amy re-places her own orphan (another coder's is left to her: test_ownership.py)
    async with make_app(coder="amy").run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert [a.id for a in reader.state.orphans] == [ann_id]
        assert "1 orphaned (o)" in str(reader.query_one("#status").render())
        assert all(p.annotation.id != ann_id for p in reader.state.placed)
        await pilot.press("o")
        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, Orphans),
            "isinstance(pilot.app.screen, Orphans)",
        )
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: reader.replacing is not None, "reader.replacing is not None"
        )
        new = reader.text.index("勇于负责")
        reader.reader.select(new, new + 4)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: reader.replacing is None and not reader.state.orphans,
            "reader.replacing is None and not reader.state.orphans",
        )
    (ann,), _ = stored(db_path, XICHANG)
    assert (ann.id, ann.start, ann.end, ann.quote) == (ann_id, new, new + 4, "勇于负责")
    assert ann.tags == ["担当"] and ann.note == "[/] memo" and ann.coder == "amy"


async def test_an_orphan_can_be_deleted_and_the_deletion_undone(make_app, sample_corpus, db_path):
    ann_id = _orphan(sample_corpus, db_path)
    # amy re-places her own orphan (another coder's is left to her: test_ownership.py)
    async with make_app(coder="amy").run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("o")
        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, Orphans),
            "isinstance(pilot.app.screen, Orphans)",
        )
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await wait_until(pilot, lambda: not reader.state.orphans, "not reader.state.orphans")
        assert stored(db_path, XICHANG)[0] == []
        await pilot.press("u")
        await wait_until(
            pilot, lambda: len(reader.state.orphans) == 1, "len(reader.state.orphans) == 1"
        )
    assert [a.id for a in stored(db_path, XICHANG)[0]] == [ann_id]


async def test_o_without_orphans_says_so(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        await pilot.press("o")
        await pilot.pause()
        assert pilot.app.screen is reader


async def test_an_orphan_taken_in_by_an_import_is_listed_and_re_placed(
    make_app, sample_corpus, db_path, tmp_path
):
    import csv

    from speechreader.core.corpus import Corpus
    from speechreader.core.exchange import import_csv

    source = tmp_path / "backup.csv"
    with open(source, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["annotation_id", "doc_id", "start", "end", "tag", "passage", "coder",
                         "anchor"])  # fmt: skip
        writer.writerow(["gone1", XICHANG, 10, 14, "担当", "已经删掉", "amy", "orphaned"])
    with Store(db_path, coder="amy") as store:
        assert import_csv(source, store, Corpus.load(sample_corpus)).orphaned == 1
    async with make_app(coder="amy").run_test(size=(120, 40)) as pilot:
        reader = await open_doc(pilot, XICHANG)
        assert [a.id for a in reader.state.orphans] == ["gone1"]
        assert all(p.annotation.id != "gone1" for p in reader.state.placed)
        await pilot.press("o")
        await wait_until(
            pilot,
            lambda: isinstance(pilot.app.screen, Orphans),
            "isinstance(pilot.app.screen, Orphans)",
        )
        await pilot.press("enter")
        await wait_until(
            pilot, lambda: reader.replacing is not None, "reader.replacing is not None"
        )
        reader.reader.select(20, 24)
        await pilot.press("enter")
        await wait_until(
            pilot,
            lambda: reader.replacing is None and not reader.state.orphans,
            "reader.replacing is None and not reader.state.orphans",
        )
        assert [p.status for p in reader.state.placed if p.annotation.id == "gone1"] == ["exact"]
    (ann,), _ = stored(db_path, XICHANG)
    assert (ann.start, ann.end, ann.tags) == (20, 24, ["担当"])
