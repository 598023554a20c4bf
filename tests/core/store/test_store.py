"""The annotation store's API on a real TinyDB-backed database folder."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from speechreader.core.errors import (
    InvalidInput,
    InvalidRange,
    StoreError,
    UnknownAnnotation,
)
from speechreader.core.store import Annotation, Store
from speechreader.core.store import _schema as s
from speechreader.core.store._store import NewAnnotation
from tests.core.store.conftest import DOC, QUOTE, add_quote


def raw(db: Path, coder: str, doc: str = DOC) -> str:
    return (db / "annotations" / coder / f"{doc}.json").read_text(encoding="utf-8")


# --- the folder -------------------------------------------------------------------


def test_opening_a_new_path_creates_the_database_folder_with_manifest_and_gitignore(db):
    Store(db, coder="alice").close()
    assert json.loads((db / "speechreader-db.json").read_text()) == {
        "format": "speechreader-annotations",
        "schema_version": 1,
    }
    assert (db / ".gitignore").read_text() == "local/\n"
    assert (db / "annotations").is_dir() and (db / "local").is_dir()


def test_a_regular_file_as_database_path_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(StoreError, match="is a file, but the database must be a folder"):
        Store(path)
    assert path.read_text() == "hello"


def test_a_non_empty_folder_without_manifest_is_refused_untouched(tmp_path):
    (tmp_path / "thesis.docx").write_text("x")
    with pytest.raises(StoreError, match="not a speechreader database"):
        Store(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["thesis.docx"]


def test_read_only_store_on_a_missing_database_is_empty_and_creates_nothing(db):
    with Store(db, readonly=True) as store:
        assert store.for_document(DOC) == []
        assert store.counts_by_document() == {}
        assert store.tags() == []
    assert not db.exists()


def test_read_only_store_refuses_changes(db, text):
    Store(db).close()
    with Store(db, readonly=True) as store, pytest.raises(StoreError, match="read-only"):
        add_quote(store, text)


def test_coder_defaults_to_the_configured_one(db):
    with Store(db) as store:  # conftest sets SPEECHREADER_CODER=tester
        assert store.coder == "tester"


# --- annotations --------------------------------------------------------------------


def test_add_records_quote_context_coder_hash_and_utc_times(store, text):
    start = text.index(QUOTE)
    ann = add_quote(store, text, tags=["党建"], note="信仰")
    assert re.fullmatch(r"[0-9a-f]{12}", ann.id)
    assert (ann.doc_id, ann.start, ann.end) == (DOC, start, start + len(QUOTE))
    assert ann.quote == QUOTE
    assert ann.prefix == text[start - 32 : start]
    assert ann.suffix == text[start + len(QUOTE) : start + len(QUOTE) + 32]
    assert (ann.coder, ann.doc_hash, ann.tags, ann.note) == ("alice", "sha:1", ["党建"], "信仰")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", ann.created)
    assert ann.updated == ann.created
    assert store.get(ann.id) == ann


def test_add_with_an_invalid_range_raises_and_writes_nothing(store, db, text):
    need = rf"need 0 <= start < end <= {len(text)} \(the document's length in characters\)"
    with pytest.raises(InvalidRange, match=rf"^invalid range 10\.\.10: {need}$"):
        store.add(DOC, 10, 10, text=text, doc_hash="h")
    with pytest.raises(InvalidRange, match=rf"^invalid range 0\.\.{len(text) + 1}: {need}$"):
        store.add(DOC, 0, len(text) + 1, text=text, doc_hash="h")
    assert not (db / "annotations" / "alice").exists()
    assert not store.can_undo()


def test_add_with_an_unknown_highlight_colour_is_invalid_input(store, text):
    with pytest.raises(InvalidInput, match="yellow, green, blue, pink, orange"):
        add_quote(store, text, highlight="purple")


def test_annotation_file_is_stable_json_with_one_record_per_line_keyed_by_id(store, db, text):
    first = add_quote(store, text)
    second = add_quote(store, text, quote="把稳思想之舵", highlight="yellow")
    lines = raw(db, "alice").splitlines()
    assert lines[0] == "{"
    assert lines[1] == '  "annotations": {'
    assert lines[-2:] == ["  }", "}"]
    records = lines[2:-2]
    assert len(records) == 2
    keys = [json.loads("{" + line.rstrip(",") + "}") for line in records]
    assert [next(iter(k)) for k in keys] == sorted([first.id, second.id])
    quotes = {first.id: QUOTE, second.id: "把稳思想之舵"}
    for line in records:
        key, body = line.strip().split(": ", 1)
        body = body.rstrip(",")
        assert list(json.loads(body)) == sorted(json.loads(body))  # sorted keys
        assert f'"quote":"{quotes[json.loads(key)]}"' in body  # not \\u-escaped
    data = json.loads(raw(db, "alice"))
    assert set(data["annotations"]) == {first.id, second.id}  # ids, not TinyDB's 1, 2


def test_for_document_returns_every_coders_annotations_by_position(db, text):
    with Store(db, coder="alice") as alice, Store(db, coder="bob") as bob:
        late = add_quote(alice, text, quote="把稳思想之舵")
        early = add_quote(bob, text, quote="不忘初心,方得始终")
        mid = add_quote(alice, text)
        assert [a.id for a in bob.for_document(DOC)] == [early.id, mid.id, late.id]
        assert [a.coder for a in alice.for_document(DOC)] == ["bob", "alice", "alice"]
    assert (db / "annotations" / "bob" / f"{DOC}.json").is_file()


def test_get_an_unknown_id_names_it(store):
    with pytest.raises(UnknownAnnotation, match="'nope'"):
        store.get("nope")


def test_update_changes_tags_note_and_highlight_and_keeps_the_rest(store, text):
    ann = add_quote(store, text, tags=["党建"])
    updated = store.update(ann.id, tags=["党建", "理想信念"], note="要点", highlight="green")
    assert (updated.tags, updated.note, updated.highlight) == (
        ["党建", "理想信念"],
        "要点",
        "green",
    )
    assert (updated.id, updated.start, updated.quote, updated.created) == (
        ann.id,
        ann.start,
        ann.quote,
        ann.created,
    )
    assert store.get(ann.id) == updated
    assert store.update(ann.id, highlight=None).highlight is None
    assert [t.name for t in store.tags()] == ["党建", "理想信念"]


def test_update_of_the_range_needs_the_text_and_re_anchors(store, text):
    ann = add_quote(store, text)
    with pytest.raises(InvalidInput, match="needs the document's text"):
        store.update(ann.id, end=ann.end + 1)
    moved = store.update(ann.id, end=ann.end + 7, text=text)
    assert moved.quote == text[ann.start : ann.end + 7] == QUOTE + "、把稳思想之舵"
    assert moved.suffix == text[ann.end + 7 : ann.end + 7 + 32]


def test_delete_with_an_unknown_id_deletes_nothing_and_names_every_unknown_id(store, text):
    ann = add_quote(store, text)
    with pytest.raises(UnknownAnnotation, match="'x1', 'x2'"):
        store.delete([ann.id, "x1", "x2"])
    assert store.get(ann.id) == ann


def test_deleting_the_last_annotation_of_a_document_removes_its_file(store, db, text):
    one, two = add_quote(store, text), add_quote(store, text, quote="把稳思想之舵")
    assert [a.id for a in store.delete([one.id, two.id])] == [one.id, two.id]
    assert not (db / "annotations" / "alice" / f"{DOC}.json").exists()
    assert store.for_document(DOC) == []
    assert store.counts_by_document() == {}


def test_counts_by_document_and_all_cover_every_document(store, text):
    add_quote(store, text)
    add_quote(store, text, quote="把稳思想之舵")
    other = store.add("2018/li-jun", 0, 4, text="敢于担当主动作为", doc_hash="h")
    assert store.counts_by_document() == {"2018/li-jun": 1, DOC: 2}
    assert [a.doc_id for a in store.all()] == ["2018/li-jun", DOC, DOC]
    assert store.get(other.id).quote == "敢于担当"


def test_add_many_validates_everything_first_and_is_one_undo_step(store, db, text):
    items = [NewAnnotation(DOC, i, i + 3, text, "h", tags=["自动"]) for i in range(0, 300, 10)]
    bad = [*items, NewAnnotation(DOC, 5, 2, text, "h")]
    with pytest.raises(InvalidRange, match=r"^invalid range 5\.\.2: need 0 <= start < end <= "):
        store.add_many(bad)
    assert store.for_document(DOC) == []
    added = store.add_many(
        [*items, {"doc_id": "other", "start": 0, "end": 2, "text": "你好", "doc_hash": ""}]
    )
    assert len(added) == 31
    assert store.counts_by_document() == {DOC: 30, "other": 1}
    assert store.undo().label == "add tag 自动 to 31 passages"
    assert store.counts_by_document() == {}


def test_import_annotation_adds_then_updates_keeping_id_and_created(store, text):
    ann = add_quote(store, text, tags=["党建"])
    copy = Annotation.from_json(
        ann.to_json() | {"id": "feedbeef0001", "created": "2020-01-01T00:00:00Z"}
    )
    assert store.import_annotation(copy) == "added"
    assert store.get("feedbeef0001").created == "2020-01-01T00:00:00Z"
    copy.note, copy.created = "来自CSV", ""
    assert store.import_annotation(copy) == "updated"
    again = store.get("feedbeef0001")
    assert (again.note, again.created) == ("来自CSV", "2020-01-01T00:00:00Z")


def test_import_annotations_checks_all_first_then_writes_each_file_once(store, db, text):
    ann = add_quote(store, text, tags=["党建"])
    rows = [
        Annotation.from_json(ann.to_json() | {"note": "edited"}),
        Annotation.from_json(
            ann.to_json() | {"id": "c0ffee000001", "doc_id": "d2", "tags": ["新"]}
        ),
        Annotation.from_json(ann.to_json() | {"id": "c0ffee000002", "doc_id": "d2"}),
    ]
    bad = Annotation.from_json(ann.to_json() | {"id": "c0ffee000003", "start": 9, "end": 3})
    with pytest.raises(InvalidInput, match="c0ffee000003"):
        store.import_annotations([*rows, bad])
    assert store.counts_by_document() == {DOC: 1}
    assert store.import_annotations(rows) == ["updated", "added", "added"]
    assert store.counts_by_document() == {DOC: 1, "d2": 2}
    assert store.get(ann.id).note == "edited"
    assert store.tag_counts() == {"党建": 2, "新": 1}
    assert store.undo().label == "import 3 passages"
    assert store.counts_by_document() == {DOC: 1}
    assert store.get(ann.id).note == ""


def test_import_annotation_moved_to_another_document_leaves_the_old_file(store, db, text):
    ann = add_quote(store, text)
    moved = Annotation.from_json(ann.to_json() | {"doc_id": "renamed"})
    assert store.import_annotation(moved) == "updated"
    assert store.counts_by_document() == {"renamed": 1}
    assert not (db / "annotations" / "alice" / f"{DOC}.json").exists()


def test_import_annotation_of_another_coder_goes_to_their_folder(store, db, text):
    ann = Annotation.from_json(
        add_quote(store, text).to_json() | {"id": "b0b000000001", "coder": "bob"}
    )
    store.import_annotation(ann)
    assert "b0b000000001" in raw(db, "bob")


# --- file names -----------------------------------------------------------------------


def test_document_ids_become_readable_injective_file_names(store, db):
    ids = ["a/b", "a%2Fb", "A/b", "讲话", ".hidden", "con", "x" * 300, "x" * 301, "tab\tname"]
    for doc_id in ids:
        store.add(doc_id, 0, 1, text="字", doc_hash="")
    names = [p.name for p in (db / "annotations" / "alice").iterdir()]
    assert len(names) == len(ids)
    assert len({n.lower() for n in names}) == len(ids)  # distinct on case-insensitive disks too
    assert {"a%2Fb.json", "讲话.json", "%2Ehidden.json", "%63on.json", "tab%09name.json"} < set(
        names
    )
    assert [n for n in names if n.startswith("A%2Fb~")]  # capitals: a hash tells it from a/b
    assert all(len(n.encode()) <= 125 and not n.startswith(".") for n in names)
    assert store.counts_by_document() == dict.fromkeys(sorted(ids), 1)


def test_manifest_constants_match_the_documented_layout():
    assert (s.MANIFEST, s.CODEBOOK, s.ANNOTATIONS, s.LOCAL) == (
        "speechreader-db.json",
        "codebook.json",
        "annotations",
        "local",
    )


def test_from_checked_gives_the_same_annotation_as_from_json():
    from speechreader.core.store import Annotation

    record = {
        "id": "a1", "doc_id": "d", "start": 1, "end": 5, "quote": "发展经济", "prefix": "要",
        "suffix": "。", "tags": ["economy"], "highlight": None, "note": "n", "coder": "amy",
        "created": "2026-01-01T00:00:00Z", "updated": "2026-01-02T00:00:00Z", "doc_hash": "h",
    }  # fmt: skip
    fast = Annotation.from_checked(record)
    assert fast == Annotation.from_json(record)
    fast.tags.append("x")
    assert record["tags"] == ["economy"]  # its own list, not the record's
    assert Annotation.from_checked({**record, "extra": 1}) == Annotation.from_json(record)
