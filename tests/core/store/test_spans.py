"""Store.spans: every annotation as columns, cached per file by stat key, never trusted over
the files. Expected rows come from Store.all (the validated read that keeps no cache)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from speechreader.core.errors import DatabaseCorrupt
from speechreader.core.paths import database_cache_dir
from speechreader.core.store import Store
from speechreader.core.store import _spans as spans_mod

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 10


@pytest.fixture
def db(tmp_path) -> Path:
    root = tmp_path / "db"
    files = [("alice", "a", ["经济"]), ("alice", "b", ["民生", "经济"]), ("bob", "a", ["民生"]),
             ("bob", "c", []), ("bob", "d", ["经济"])]  # fmt: skip
    for coder, doc, tags in files:
        with Store(root, coder=coder) as store:
            for i in range(3):
                store.add(doc, i, i + 4 + len(doc), text=TEXT, doc_hash=f"h-{doc}", tags=tags)
    return root


@pytest.fixture
def trusting(monkeypatch):
    """Files written a moment ago are remembered too (by default they are read again next
    time, since a second change within the clock's granularity would keep the stat key)."""
    monkeypatch.setattr(spans_mod, "RACY_NS", 0)


@pytest.fixture
def reads(monkeypatch) -> list[Path]:
    """The annotation files Store.spans reads in full (the real load_file, watched)."""
    seen: list[Path] = []
    real = spans_mod.load_file

    def watched(path, check):
        seen.append(Path(path))
        return real(path, check)

    monkeypatch.setattr(spans_mod, "load_file", watched)
    return seen


def rows(table) -> list[tuple]:
    files = table.file.tolist()
    assert len(files) == len(table) == len(table.start) == len(table.end) == len(table.tagset)
    return sorted(
        (table.ids[i], table.coders[f], table.doc_ids[f], int(table.start[i]), int(table.end[i]),
         table.tagsets[table.tagset[i]], table.hashes[table.doc_hash[i]])
        for i, f in enumerate(files)
    )  # fmt: skip


def expected(root: Path) -> list[tuple]:
    with Store(root, readonly=True) as store:
        return sorted(
            (a.id, a.coder, a.doc_id, a.start, a.end, tuple(a.tags), a.doc_hash)
            for a in store.all()
        )


def spans(root: Path, **kwargs):
    with Store(root, readonly=True) as store:
        return store.spans(**kwargs)


def cache_file(root: Path) -> Path:
    return database_cache_dir(root) / spans_mod.CACHE_NAME


def test_columns_are_every_annotation_with_its_coder_document_place_tags_and_hash(db):
    want = expected(db)
    assert len(want) == 15 and ("民生", "经济") in {r[5] for r in want}
    assert rows(spans(db, cached=False)) == want
    assert not cache_file(db).exists()  # cached=False leaves the cache alone
    assert rows(spans(db)) == want
    assert cache_file(db).exists()
    assert rows(spans(db)) == want  # from the cache


def test_a_warm_read_opens_no_annotation_file(db, trusting, reads):
    spans(db)
    assert len(reads) == 5
    reads.clear()
    assert rows(spans(db)) == expected(db)
    assert reads == []


def test_files_changed_a_moment_ago_are_read_again_next_time(db, reads):
    spans(db)  # every file of the fixture was written within RACY_NS
    reads.clear()
    spans(db)
    assert len(reads) == 5


def test_a_store_edit_is_seen(db, trusting, reads):
    spans(db)
    with Store(db, coder="alice") as store:
        first = next(a for a in store.for_document("a") if a.coder == "alice")
        store.update(first.id, tags=["改革"])
        store.delete(store.for_document("b")[0].id)
        store.add("e", 1, 3, text=TEXT, doc_hash="h-e", tags=["新"])
    reads.clear()
    got = rows(spans(db))
    assert got == expected(db)
    assert {r[0]: r[5] for r in got}[first.id] == ("改革",)
    assert len(got) == 15 and ("新",) in {r[5] for r in got}
    assert sorted(p.stem for p in reads) == ["a", "b", "e"]  # only the changed files


def test_an_undo_is_seen(db, trusting):
    spans(db)
    with Store(db, coder="alice") as store:
        store.add("a", 10, 20, text=TEXT, doc_hash="h-a", tags=["撤销"])
    assert len(rows(spans(db))) == 16
    with Store(db, coder="alice") as store:
        store.undo()
    got = rows(spans(db))
    assert got == expected(db) and len(got) == 15
    assert ("撤销",) not in {r[5] for r in got}


def test_a_file_replaced_by_hand_with_the_same_size_is_seen(db, trusting):
    spans(db)
    path = db / "annotations" / "bob" / "a.json"
    raw = path.read_bytes()
    changed = raw.replace("民生".encode(), "稳定".encode())
    assert changed != raw and len(changed) == len(raw)
    path.write_bytes(changed)
    got = rows(spans(db))
    assert got == expected(db)
    assert [r[5] for r in got if r[1] == "bob" and r[2] == "a"] == [("稳定",)] * 3


def test_a_file_replaced_by_a_copy_with_old_times_is_seen(db, trusting, tmp_path):
    """cp -p / git checkout of an older version: same size, older mtime, new inode."""
    path = db / "annotations" / "bob" / "a.json"
    old = tmp_path / "old.json"
    shutil.copy2(path, old)
    spans(db)
    with Store(db, coder="bob") as store:
        mine = next(a for a in store.for_document("a") if a.coder == "bob")
        store.update(mine.id, tags=["稳定"])
    spans(db)
    os.replace(old, path)  # back to the old content, with the old times
    assert rows(spans(db)) == expected(db)
    assert ("稳定",) not in {r[5] for r in rows(spans(db))}


def test_a_damaged_file_is_named_and_never_cached(db, trusting):
    spans(db)
    before = cache_file(db).read_bytes()
    path = db / "annotations" / "alice" / "b.json"
    good = path.read_bytes()
    path.write_bytes(good[:-30])
    for _ in range(2):
        with pytest.raises(DatabaseCorrupt, match=rf"{path}: is not valid JSON"):
            spans(db)
    assert cache_file(db).read_bytes() == before
    wrong = good.replace(b'"start":0', b'"start":"x"')
    assert wrong != good
    path.write_bytes(wrong)
    with pytest.raises(DatabaseCorrupt, match=str(path)):
        spans(db)
    path.write_bytes(good)
    assert rows(spans(db)) == expected(db)


def test_a_removed_file_is_dropped(db, trusting):
    spans(db)
    (db / "annotations" / "bob" / "c.json").unlink()
    got = rows(spans(db))
    assert got == expected(db) and len(got) == 12
    assert "c" not in {r[2] for r in got}


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: b"",
        lambda raw: b"not a cache at all",
        lambda raw: raw[:-7],
        lambda raw: raw[:-5] + bytes([raw[-5] ^ 0xFF]) + raw[-4:],  # an array byte flipped
        lambda raw: raw.replace(b'"format":1', b'"format":99'),
    ],
    ids=["empty", "foreign", "truncated", "flipped", "other-version"],
)
def test_a_damaged_cache_is_rebuilt(db, trusting, reads, damage):
    spans(db)
    path = cache_file(db)
    path.write_bytes(damage(path.read_bytes()))
    reads.clear()
    assert rows(spans(db)) == expected(db)
    assert len(reads) == 5  # nothing believed
    reads.clear()
    assert rows(spans(db)) == expected(db)
    assert reads == []  # and it is whole again


def test_another_databases_cache_is_not_believed(db, trusting, tmp_path):
    other = tmp_path / "other"
    shutil.copytree(db, other)
    with Store(other, coder="alice") as store:
        store.add("z", 0, 2, text=TEXT, doc_hash="h-z", tags=["别的"])
    spans(other)
    cache_file(db).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(cache_file(other), cache_file(db))
    assert rows(spans(db)) == expected(db)
    assert "z" not in {r[2] for r in rows(spans(db))}


def test_an_empty_database_has_no_rows(tmp_path):
    root = tmp_path / "empty"
    Store(root).close()
    assert len(spans(root)) == 0 and len(spans(root)) == 0
