"""CSV import: only the columns a file has, exact notes, huge cells, streaming, the lock."""

from __future__ import annotations

import csv
import operator
from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import DatabaseCorrupt
from speechreader.core.exchange import export_csv, import_csv
from speechreader.core.store import Store
from speechreader.core.store import _bulk_files as bulk_mod

XICHANG = "2018-06-07_li-jun_xichang"
GUANGXI = "2019-06-27_lu-xinshe_guangxi"
REQUIRED = ["annotation_id", "doc_id", "start", "end", "tag", "passage"]


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


def add(store: Store, corpus: Corpus, doc_id: str, start: int, end: int, **fields):
    text = corpus.text(doc_id)
    return store.add(
        doc_id, start, end, text=text, doc_hash=corpus.get(doc_id).content_hash, **fields
    )


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_a_file_with_only_the_required_columns_keeps_notes_highlights_and_coders(corpus, tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        ann = add(store, corpus, XICHANG, 0, 4, tags=["经济"], note="amy's memo", highlight="pink")
    text = corpus.text(XICHANG)
    source = write_csv(
        tmp_path / "tags.csv", REQUIRED, [[ann.id, XICHANG, 0, 4, "党建", text[0:4]]]
    )
    with Store(db, coder="bo") as store:  # bo imports a re-tagging done in a spreadsheet
        report = import_csv(source, store, corpus)
        assert (report.added, report.updated, report.rejected) == (0, 1, [])
        again = store.get(ann.id)
    assert again.tags == ["党建"]
    assert (again.note, again.highlight, again.coder) == ("amy's memo", "pink", "amy")
    assert again.created == ann.created


def test_an_empty_note_cell_does_clear_the_note(corpus, tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        ann = add(store, corpus, XICHANG, 0, 4, tags=["经济"], note="old")
        text = corpus.text(XICHANG)
        source = write_csv(
            tmp_path / "n.csv", [*REQUIRED, "note"], [[ann.id, XICHANG, 0, 4, "经济", text[:4], ""]]
        )
        import_csv(source, store, corpus)
        assert store.get(ann.id).note == ""


NOTES = [
    "line one\r\nline two",  # CRLF inside a note
    "carriage\rreturn",
    "\rstarts with CR",
    "\tstarts with TAB",
    "'\tquoted already",
    "=1+1",
    "末尾\r",
]


def test_notes_round_trip_exactly_through_export_and_import(corpus, tmp_path):
    source_db, target_db = tmp_path / "a", tmp_path / "b"
    with Store(source_db, coder="amy") as store:
        made = [
            add(store, corpus, XICHANG, i * 5, i * 5 + 3, tags=["t"], note=note)
            for i, note in enumerate(NOTES)
        ]
    out = tmp_path / "e.csv"
    export_csv(Store(source_db, readonly=True), corpus, out)
    with Store(target_db, coder="amy") as store:
        report = import_csv(out, store, corpus)
        assert (report.added, report.rejected) == (len(NOTES), [])
        assert [store.get(a.id).note for a in made] == NOTES


def read_rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_column_round_trips_through_export_import_and_export_again(corpus, tmp_path):
    """No field left at its default, created and updated apart: a column read from its
    neighbour's cell (created from updated, coder from note...) shows up as a difference."""
    with Store(tmp_path / "a", coder="amy") as store:
        plain = add(store, corpus, XICHANG, 10, 14)
        ann = add(
            store, corpus, XICHANG, 0, 4, tags=["经济", "党建"], note="第一行\n第二行",
            highlight="pink",
        )  # fmt: skip
    first = tmp_path / "first.csv"
    export_csv(Store(tmp_path / "a", readonly=True), corpus, first)
    rows = read_rows(first)
    header = list(rows[0])
    # Times written by hand, created before updated, so that no clock makes them equal.
    times = {ann.id: ("2020-01-02T03:04:05Z", "2021-02-03T04:05:06Z"),
             plain.id: ("2019-05-06T07:08:09Z", "2019-05-06T07:08:10Z")}  # fmt: skip
    for row in rows:
        row["created"], row["updated"] = times[row["annotation_id"]]
    write_csv(first, header, [[row[c] for c in header] for row in rows])

    with Store(tmp_path / "b", coder="bo") as store:  # bo imports amy's work
        report = import_csv(first, store, corpus)
        assert (report.added, report.rejected) == (2, [])
        got = store.get(ann.id)
    assert (got.created, got.updated) == ("2020-01-02T03:04:05Z", "2021-02-03T04:05:06Z")
    assert (got.coder, got.note, got.highlight) == ("amy", "第一行\n第二行", "pink")
    assert sorted(got.tags) == ["党建", "经济"]
    assert (got.start, got.end) == (0, 4)
    second = tmp_path / "second.csv"
    export_csv(Store(tmp_path / "b", readonly=True), corpus, second)
    again = read_rows(second)
    assert list(again[0]) == header
    key = operator.itemgetter("annotation_id", "tag")
    assert sorted(again, key=key) == sorted(rows, key=key)
    mine = {row["tag"]: row for row in again if row["annotation_id"] == ann.id}
    assert set(mine) == {"经济", "党建"}
    for row in mine.values():
        assert (row["created"], row["updated"], row["coder"], row["highlight"]) == (
            "2020-01-02T03:04:05Z", "2021-02-03T04:05:06Z", "amy", "pink",
        )  # fmt: skip
        assert (row["note"], row["start"], row["end"]) == ("第一行\n第二行", "0", "4")


def test_a_one_megabyte_note_round_trips(corpus, tmp_path):
    note = ("很长的备注," * 100_000)[: 1 << 20] + "\r\n结束"
    with Store(tmp_path / "a", coder="amy") as store:
        ann = add(store, corpus, XICHANG, 0, 4, tags=["t"], note=note)
    out = tmp_path / "e.csv"
    export_csv(Store(tmp_path / "a", readonly=True), corpus, out)
    with Store(tmp_path / "b", coder="amy") as store:
        report = import_csv(out, store, corpus)
        assert report.rejected == []
        assert store.get(ann.id).note == note


def test_rows_of_one_annotation_apart_in_the_file_are_joined_or_refused(corpus, tmp_path):
    text = corpus.text(XICHANG)
    header = [*REQUIRED, "note"]
    rows = [  # sorted by tag, as a spreadsheet user might leave it
        ["a1", XICHANG, 0, 4, "党建", text[0:4], "same"],
        ["b2", XICHANG, 5, 9, "党建", text[5:9], "first"],
        ["c3", XICHANG, 10, 14, "党建", "WRONG", ""],
        ["a1", XICHANG, 0, 4, "经济", text[0:4], "same"],
        ["b2", XICHANG, 5, 9, "经济", text[5:9], "different"],
        ["c3", XICHANG, 10, 14, "经济", text[10:14], ""],
    ]
    source = write_csv(tmp_path / "sorted.csv", header, rows)
    with Store(tmp_path / "db", coder="amy") as store:
        report = import_csv(source, store, corpus)
        assert store.get("a1").tags == ["党建", "经济"]
        assert [a.id for a in store.all()] == ["a1"]
    assert [(p.row, p.reason) for p in report.rejected] == [
        (3, "rows of annotation b2 disagree on note"),
        (4, f"passage does not match the text of {XICHANG} at 10..14"),
        (6, "rows of annotation b2 disagree on note"),
        (7, f"passage does not match the text of {XICHANG} at 10..14"),
    ]


def test_reimporting_an_unchanged_export_writes_nothing_and_adds_no_undo_step(corpus, tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        add(store, corpus, XICHANG, 0, 4, tags=["经济"])
        add(store, corpus, GUANGXI, 0, 4, tags=["党建"], note="n")
    out = tmp_path / "e.csv"
    export_csv(Store(db, readonly=True), corpus, out)
    files = {p: p.read_bytes() for p in (db / "annotations").rglob("*.json")}
    with Store(db, coder="amy") as store:
        steps = store.history.labels()[0]
        report = import_csv(out, store, corpus)
        assert (report.added, report.updated, report.unchanged) == (0, 2, 2)
        assert store.history.labels()[0] == steps
    assert {p: p.read_bytes() for p in (db / "annotations").rglob("*.json")} == files


def test_the_import_prepares_without_the_lock_and_keeps_changes_made_meanwhile(
    corpus, tmp_path, monkeypatch
):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        ann = add(store, corpus, XICHANG, 0, 4, tags=["经济"])
        other = add(store, corpus, GUANGXI, 0, 4, tags=["经济"])
    source = write_csv(
        tmp_path / "t.csv",
        REQUIRED,
        [
            [ann.id, XICHANG, 0, 4, "党建", corpus.text(XICHANG)[:4]],
            ["new1", XICHANG, 5, 9, "党建", corpus.text(XICHANG)[5:9]],
            [other.id, GUANGXI, 0, 4, "民生", corpus.text(GUANGXI)[:4]],
        ],
    )
    events = []
    prepare, commit = bulk_mod.BulkFiles._prepare, bulk_mod.BulkFiles.commit

    def bo(**change):  # another coder's instance, which will not wait for the lock
        with Store(db, coder="bo", lock_timeout=0.5) as other_store:
            other_store.update(ann.id, any_coder=True, **change)  # a tool's change
        events.append(change)

    def during_prepare(self, rel, folder, out):
        if not events:
            bo(note="bo, while the import prepared")  # before the file is read
        return prepare(self, rel, folder, out)

    def before_commit(self, folder):
        bo(highlight="pink")  # after the file was prepared: it is prepared again, locked
        return commit(self, folder)

    monkeypatch.setattr(bulk_mod.BulkFiles, "_prepare", during_prepare)
    monkeypatch.setattr(bulk_mod.BulkFiles, "commit", before_commit)
    with Store(db, coder="amy") as store:
        report = import_csv(source, store, corpus)
    assert len(events) == 2  # bo never waited more than 0.5 s for the lock
    assert (report.added, report.updated, report.rejected) == (1, 2, [])
    with Store(db, coder="amy") as store:
        again = store.get(ann.id)
        assert again.tags == ["党建"]
        assert (again.note, again.highlight) == ("bo, while the import prepared", "pink")
        assert store.get("new1").tags == ["党建"]
        assert store.get(other.id).tags == ["民生"]
        assert store.undo().label == "import 3 passages"
        undone = store.get(ann.id)
        assert (undone.tags, undone.note, undone.highlight) == (
            ["经济"], "bo, while the import prepared", "pink",
        )  # fmt: skip
        assert store.get(other.id).tags == ["经济"]
        assert [a.id for a in store.for_document(XICHANG)] == [ann.id]


def test_rows_for_a_damaged_file_are_refused_and_the_rest_is_imported(corpus, tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        add(store, corpus, XICHANG, 0, 4, tags=["经济"])
        add(store, corpus, GUANGXI, 0, 4, tags=["经济"])
    out = tmp_path / "e.csv"
    export_csv(Store(db, readonly=True), corpus, out)
    damaged = db / "annotations" / "amy" / f"{GUANGXI}.json"
    damaged.write_text('{"annotations": {', encoding="utf-8")
    with Store(db, coder="amy") as store:
        report = import_csv(out, store, corpus)
    assert (report.added, report.updated) == (0, 1)
    [problem] = report.rejected
    assert problem.reason.startswith(f"not imported: {damaged}: is not valid JSON")
    assert damaged.read_text(encoding="utf-8") == '{"annotations": {'


def test_a_file_damaged_while_the_import_prepares_stops_it_with_nothing_written(
    corpus, tmp_path, monkeypatch
):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        first = add(store, corpus, XICHANG, 0, 4, tags=["经济"])
        add(store, corpus, GUANGXI, 0, 4, tags=["经济"])
    out = tmp_path / "e.csv"
    export_csv(Store(db, readonly=True), corpus, out)
    out.write_text(out.read_text(encoding="utf-8").replace(first.id, "f00000000001"))
    damaged = db / "annotations" / "amy" / f"{GUANGXI}.json"
    prepare_all = bulk_mod.BulkFiles.prepare_all

    def damage_first(self, folder):
        damaged.write_text('{"annotations": {', encoding="utf-8")  # e.g. a bad git merge
        return prepare_all(self, folder)

    monkeypatch.setattr(bulk_mod.BulkFiles, "prepare_all", damage_first)
    before_damage = {
        p: p.read_bytes() for p in db.rglob("*") if p.is_file() and "local" not in p.parts
    }
    with Store(db, coder="amy") as store, pytest.raises(DatabaseCorrupt, match=GUANGXI):
        import_csv(out, store, corpus)
    after = {p: p.read_bytes() for p in db.rglob("*") if p.is_file() and "local" not in p.parts}
    assert after == before_damage | {damaged: b'{"annotations": {'}  # XICHANG not written
    assert not list((db / "local").rglob("staging/*"))


def test_doctor_repair_during_an_import_leaves_its_prepared_files_alone(
    corpus, tmp_path, monkeypatch
):
    from speechreader.core.store import repair_database

    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        add(store, corpus, XICHANG, 0, 4, tags=["经济"])
    source = write_csv(
        tmp_path / "t.csv", REQUIRED, [["new1", XICHANG, 5, 9, "党建", corpus.text(XICHANG)[5:9]]]
    )
    commit = bulk_mod.BulkFiles.commit
    repaired = []

    def doctor_first(self, folder):
        repaired.append(repair_database(db))  # someone runs doctor --repair meanwhile
        return commit(self, folder)

    monkeypatch.setattr(bulk_mod.BulkFiles, "commit", doctor_first)
    with Store(db, coder="amy") as store:
        assert import_csv(source, store, corpus).added == 1
        assert [a.id for a in store.for_document(XICHANG)][-1] == "new1"
    assert not any("temporary file" in a for a in repaired[0].actions)
