"""Reading every annotation document by document: the order of a full sort, one
document's passages in memory at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from speechreader.core.errors import DatabaseCorrupt
from speechreader.core.store import Store, _stream

TEXT = "敢于担当主动作为，把稳思想之舵，筑牢信仰之基、补足精神之钙。" * 4

#: Ids whose file names do not sort as the ids do (an escaped space or slash, a capital
#: letter that adds a hash, Chinese, a long id cut short), so that the order has to come
#: from the ids, not from the folder listing.
DOC_IDS = [
    "a b",  # a%20b
    "a-b",
    "a.b",
    "ab/c",  # ab%2Fc
    "Zeta",  # zeta~<hash>: read for its id
    "zeta",
    "中文/讲话",
    "x" * 60 + "/" + "y" * 60,  # longer than a file name allows: cut, ~<hash>
]


def _records_on_disk(db: Path) -> list[dict]:
    """Every annotation record, read straight from the JSON files (not through the store)."""
    found = []
    for path in sorted((db / "annotations").glob("*/*.json")):
        found.extend(json.loads(path.read_text(encoding="utf-8"))["annotations"].values())
    return found


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "team.srdb"
    for coder in ("alice", "Bob"):  # Bob's folder name is hashed too
        with Store(path, coder=coder) as store:
            for i, doc_id in enumerate(DOC_IDS):
                for start in (9 - i % 3, 2, 2, 20 + i):  # same (start, end) twice: ids decide
                    store.add(doc_id, start, start + 5, text=TEXT, doc_hash="h", tags=[coder])
    return path


def test_all_comes_in_the_order_of_a_full_sort_by_document_start_end_id(db):
    expected = sorted(
        _records_on_disk(db), key=lambda r: (r["doc_id"], r["start"], r["end"], r["id"])
    )
    assert len(expected) == 2 * len(DOC_IDS) * 4
    with Store(db, readonly=True) as store:
        assert [a.id for a in store.all()] == [r["id"] for r in expected]
        groups = list(store.by_document())
    assert [doc_id for doc_id, _ in groups] == sorted(DOC_IDS)
    assert all({a.doc_id for a in annotations} == {doc_id} for doc_id, annotations in groups)


def test_only_the_coders_asked_for(db):
    on_disk = [r for r in _records_on_disk(db) if r["coder"] == "Bob"]
    expected = sorted(on_disk, key=lambda r: (r["doc_id"], r["start"], r["end"], r["id"]))
    with Store(db, readonly=True) as store:
        chosen = store.by_document(["Bob"])
        assert len(chosen) == len(DOC_IDS)
        assert [a.id for _, group in chosen for a in group] == [r["id"] for r in expected]
        assert list(store.by_document(["nobody"])) == []


def test_each_document_is_read_when_its_turn_comes(db, monkeypatch):
    reads: list[int] = []
    real = _stream.read_document
    monkeypatch.setattr(_stream, "read_document", lambda *args: reads.append(1) or real(*args))
    with Store(db, readonly=True) as store:
        passages = store.all()
        next(passages)
        assert len(reads) == 1  # one document's files, not the whole database
        rest = list(passages)
    assert len(reads) == len(DOC_IDS) and len(rest) == 2 * len(DOC_IDS) * 4 - 1


def test_a_file_without_records_is_left_out(db):
    (db / "annotations" / "alice" / "ghost.json").write_text('{"annotations": {}}\n')
    with Store(db, readonly=True) as store:
        assert "ghost" not in [doc_id for doc_id, _ in store.by_document()]


def test_a_damaged_file_stops_the_reading_with_its_name(db):
    (db / "annotations" / "alice" / "zeta.json").write_text("{not json")
    with Store(db, readonly=True) as store, pytest.raises(DatabaseCorrupt, match=r"/zeta\.json"):
        list(store.all())
