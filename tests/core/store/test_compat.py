"""A database written by speechreader before the commit journal, bulk import and
conflict-checked undo (commit 71ec03c) opens, reads, writes and undoes as it did.

``data/db-written-by-71ec03c`` was made by that version's code: amy added three
passages (one in a document whose id needs escaping), edited a note, recoloured a tag,
deleted a passage and undid the deletion (a step on her redo stack); Bo (a name that
needs a hashed folder) added one. Its ``local/`` holds that version's history, backups
and summary cache.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from speechreader.core.store import Store, check_database, repair_database

DATA = Path(__file__).parent / "data" / "db-written-by-71ec03c"
TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 4


@pytest.fixture
def db(tmp_path) -> Path:
    target = tmp_path / "old.srdb"
    shutil.copytree(DATA, target)
    return target


def test_it_reads_as_it_was_written(db):
    assert check_database(db) == []
    with Store(db, coder="amy") as store:
        assert store.counts_by_document() == {"speech-1": 3, "speech/2": 1}
        assert store.damaged_documents() == []
        notes = sorted((a.coder, a.note, a.highlight) for a in store.for_document("speech-1"))
        assert notes == [
            ("Bo", "", None), ("amy", "amy's note", None), ("amy", "second thoughts", "yellow"),
        ]  # fmt: skip
        assert [(t.name, t.colour) for t in store.tags()][2] == ("民生", "#123456")
        assert store.can_undo() and store.can_redo()


def test_its_history_undoes_and_redoes_with_the_new_checks(db):
    with Store(db, coder="amy") as store:
        assert store.redo().label == "delete 1 passage"  # the step left on the redo stack
        assert store.counts_by_document() == {"speech-1": 2, "speech/2": 1}
        assert store.undo().label == "delete 1 passage"
        assert store.undo().label == "edit tag 民生"
        assert store.get_tag("民生").colour != "#123456"
        assert store.undo().label == "edit note"
    with Store(db, coder="Bo") as store:
        assert store.undo().label == "add tag 经济 to 1 passage"
        assert store.counts_by_document() == {"speech-1": 2, "speech/2": 1}


def test_it_takes_new_writes_imports_and_repairs(db):
    with Store(db, coder="amy") as store:
        added = store.add("speech/2", 20, 24, text=TEXT, doc_hash="h2", tags=["新"])
        with store.bulk_import(["note"]) as bulk:
            record = added.to_json() | {"id": "c0ffee000001", "note": "imported"}
            bulk.add(record, [2])
            assert bulk.commit().added == 1
        assert store.counts_by_document() == {"speech-1": 3, "speech/2": 3}
    (db / "annotations" / "amy" / "speech-1.json").write_text("")
    report = repair_database(db)
    assert (report.ok, report.lost) == (True, [])
    with Store(db, coder="amy") as store:
        assert store.counts_by_document() == {"speech-1": 3, "speech/2": 3}
