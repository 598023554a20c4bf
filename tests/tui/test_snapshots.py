"""Snapshots of what a person sees: the library and the reader at 120×40, coded passages shown.

Regenerate after an intended change with ``pytest tests/tui/test_snapshots.py
--snapshot-update`` and look at the report before committing.
"""

from __future__ import annotations

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from tests.tui.conftest import (
    UNDATED,
    XICHANG,
    open_doc,
    settled,
    wait_for_library,
    wait_segmented,
)


@pytest.fixture
def coded_db(sample_corpus, db_path):
    """A database with overlapping tags, a highlight and a memo on the Xichang speech."""
    corpus = Corpus.load(sample_corpus)
    text = corpus.text(XICHANG)
    doc_hash = corpus.get(XICHANG).content_hash
    with Store(db_path, coder="tester") as store:
        store.add_tag("economy", description="经济发展")
        store.add_tag("party building", description="党的建设")
        store.add_tag("stability")
        store.add(XICHANG, 80, 145, text=text, doc_hash=doc_hash, tags=["economy"])
        start = text.index("乡镇、街道党员干部")
        store.add(
            XICHANG, start, start + 27, text=text, doc_hash=doc_hash,
            tags=["party building", "stability"], note="cadres as the main force",
        )  # fmt: skip
        store.add(XICHANG, 130, 150, text=text, doc_hash=doc_hash, highlight="yellow")
        undated = corpus.text(UNDATED)
        store.add(UNDATED, 0, 10, text=undated, doc_hash=corpus.get(UNDATED).content_hash,
                  tags=["party building"])  # fmt: skip
    return db_path


def test_library_snapshot(snap_compare, make_app, coded_db):
    async def ready(pilot):
        await wait_for_library(pilot)
        await settled(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=ready)


def test_reader_snapshot_with_annotations(snap_compare, make_app, coded_db):
    async def ready(pilot):
        reader = await open_doc(pilot, XICHANG)
        await wait_segmented(pilot, reader)
        reader.reader.move_to(150)  # inside the tagged, noted passage
        await settled(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=ready)


def test_reader_snapshot_traditional_original_with_list(snap_compare, make_app, coded_db):
    async def ready(pilot):
        reader = await open_doc(pilot, UNDATED)
        await wait_segmented(pilot, reader)
        await pilot.press("a")
        await settled(pilot)

    assert snap_compare(make_app(), terminal_size=(120, 40), run_before=ready)
