"""The database files: corruption, doctor, backups, schema versions, legacy files, git merges."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from tinydb import TinyDB

from speechreader.core.errors import DatabaseCorrupt, StoreError
from speechreader.core.store import Store, check_database, repair_database
from speechreader.core.store import _migrate as migrate_mod
from speechreader.core.store._storage import Backups

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 10


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "db"


def fill(db: Path, coder: str = "alice", doc: str = "doc", n: int = 3) -> list[str]:
    with Store(db, coder=coder) as store:
        return [
            store.add(doc, i, i + 4, text=TEXT, doc_hash="h", tags=["经济"]).id for i in range(n)
        ]


def ann_file(db: Path, coder: str = "alice", doc: str = "doc") -> Path:
    return db / "annotations" / coder / f"{doc}.json"


# --- corrupt files ----------------------------------------------------------------------


def test_truncated_file_is_reported_by_name_and_left_untouched(db):
    fill(db)
    fill(db, doc="other")
    path = ann_file(db)
    broken = path.read_bytes()[:-40]
    path.write_bytes(broken)
    with Store(db, coder="alice") as store:
        with pytest.raises(
            DatabaseCorrupt, match=rf"{path}: is not valid JSON .*speechreader doctor"
        ):
            store.for_document("doc")
        with pytest.raises(DatabaseCorrupt, match=rf"{path}: is not valid JSON .*left untouched"):
            store.add("doc", 0, 2, text=TEXT, doc_hash="h")
        assert len(store.for_document("other")) == 3  # the rest of the database still works
    assert path.read_bytes() == broken


def test_hand_edited_wrong_type_names_the_record_and_the_field(db):
    ids = fill(db)
    path = ann_file(db)
    edited = path.read_text(encoding="utf-8").replace('"start":0,', '"start":"0",')
    path.write_text(edited, encoding="utf-8")
    with Store(db, coder="alice") as store, pytest.raises(DatabaseCorrupt) as err:
        store.for_document("doc")
    assert f"record '{ids[0]}'" in str(err.value)
    assert "'start' must be a whole number, not str" in str(err.value)
    assert path.read_text(encoding="utf-8") == edited


def test_one_damaged_file_leaves_the_rest_of_the_database_readable_and_writable(db):
    fill(db)
    fill(db, doc="other")
    fill(db, coder="bob", doc="other", n=2)
    path = ann_file(db, doc="other")
    broken = path.read_text().replace('"tags":["经济"]', '"tags":"经济"', 1)
    path.write_text(broken)
    with Store(db, coder="alice") as store:
        assert store.counts_by_document() == {"doc": 3, "other": 2}  # bob's file still counts
        [damaged] = store.damaged_documents()
        assert (damaged.path, damaged.coder, damaged.doc_id) == (
            "annotations/alice/other.json", "alice", "other",
        )  # fmt: skip
        assert "other.json: record" in damaged.reason and "'tags' must be a list" in damaged.reason
        assert store.tag_counts() == {"经济": 5}
        store.add("doc", 20, 24, text=TEXT, doc_hash="h", tags=["新"])  # the rest: writable
        assert len(store.for_document("doc")) == 4
        with pytest.raises(DatabaseCorrupt, match=r"other\.json: record .*'tags' must be a list"):
            store.for_document("other")
        with pytest.raises(DatabaseCorrupt, match=r"other\.json"):
            store.add("other", 20, 24, text=TEXT, doc_hash="h", tags=["新"])
    assert path.read_text() == broken  # left for doctor, untouched


def test_a_damaged_file_is_named_by_its_document_even_without_an_earlier_summary(db):
    fill(db, doc="2018/li jun")
    path = next((db / "annotations" / "alice").glob("*.json"))
    path.write_text("")
    (db / "local" / "summary.json").unlink(missing_ok=True)  # no summary to name it
    with Store(db, coder="alice") as store:
        assert [(d.coder, d.doc_id) for d in store.damaged_documents()] == [
            ("alice", "2018/li jun")
        ]
        assert store.counts_by_document() == {}


def test_a_record_in_the_wrong_file_is_corrupt_until_doctor_moves_it(db):
    fill(db)
    path = ann_file(db)
    path.write_text(
        path.read_text(encoding="utf-8").replace('"doc_id":"doc"', '"doc_id":"other"', 1)
    )
    with (
        Store(db, coder="alice") as store,
        pytest.raises(DatabaseCorrupt, match=r"belongs in annotations/alice/other\.json"),
    ):
        store.for_document("doc")
    report = repair_database(db)
    assert (
        "moved 1 annotations into annotations/alice/other.json, where they belong" in report.actions
    )
    with Store(db, coder="alice") as store:
        assert store.counts_by_document() == {"doc": 2, "other": 1}


def test_an_empty_codebook_file_is_corrupt_not_empty(db):
    fill(db)
    (db / "codebook.json").write_text("")
    with (
        Store(db, coder="alice") as store,
        pytest.raises(DatabaseCorrupt, match=r"codebook\.json: is empty"),
    ):
        store.tags()


# --- schema versions -------------------------------------------------------------------


def test_a_newer_schema_version_is_refused_untouched(db):
    fill(db)
    manifest = db / "speechreader-db.json"
    manifest.write_text('{"format": "speechreader-annotations", "schema_version": 7}')
    before = sorted((p, p.read_bytes()) for p in db.rglob("*") if p.is_file())
    with pytest.raises(
        DatabaseCorrupt, match="schema version 7 was written by a newer speechreader"
    ):
        Store(db)
    assert sorted((p, p.read_bytes()) for p in db.rglob("*") if p.is_file()) == before


def test_a_manifest_of_another_format_is_corrupt(db):
    fill(db)
    (db / "speechreader-db.json").write_text('{"format": "zotero", "schema_version": 1}')
    with pytest.raises(DatabaseCorrupt, match="'format' is 'zotero'"):
        Store(db)


def test_an_older_schema_is_backed_up_then_migrated(db, monkeypatch):
    fill(db)
    (db / "speechreader-db.json").write_text(
        '{"format": "speechreader-annotations", "schema_version": 0}'
    )
    seen = []

    def upgrade(root: Path) -> None:
        seen.append(sorted(p.name for p in (root / "local" / "backups").iterdir()))
        (root / "upgraded").write_text("yes")

    monkeypatch.setitem(migrate_mod.MIGRATIONS, 0, upgrade)
    with Store(db, coder="alice") as store:
        assert store.counts_by_document() == {"doc": 3}
    assert json.loads((db / "speechreader-db.json").read_text())["schema_version"] == 1
    assert (db / "upgraded").read_text() == "yes"
    backup = next(
        p for p in (db / "local" / "backups").iterdir() if p.name.startswith("migration-v0-")
    )
    assert backup.name in seen[0]  # the backup was made before the migration ran
    assert json.loads((backup / "speechreader-db.json").read_text())["schema_version"] == 0
    assert (backup / "annotations" / "alice" / "doc.json").read_bytes() == ann_file(db).read_bytes()


def test_a_legacy_single_file_database_is_migrated_into_a_folder(tmp_path):
    legacy = tmp_path / "old.json"
    with TinyDB(legacy) as old:  # TinyDB's own format: integer keys
        old.table("codebook").insert_multiple(
            [{"name": "经济", "colour": "#e6194b"}, {"name": "党建", "colour": "#3cb44b"}]
        )
        old.table("annotations").insert_multiple(
            [
                {
                    "id": "aaaaaaaaaaaa",
                    "doc_id": "d1",
                    "start": 0,
                    "end": 4,
                    "quote": TEXT[:4],
                    "tags": ["经济"],
                    "coder": "bob",
                },
                {"doc_id": "d2", "start": 2, "end": 5, "quote": TEXT[2:5], "tags": ["新"]},
                {"doc_id": "d3", "start": "x", "end": 5},
            ]
        )
    original = legacy.read_bytes()
    with pytest.raises(StoreError, match=r"single-file database.*Store\.migrate_legacy_file"):
        Store(legacy)
    report = Store.migrate_legacy_file(legacy, tmp_path / "new", coder="alice")
    assert (report.tags, report.annotations, len(report.skipped)) == (3, 2, 1)
    assert legacy.read_bytes() == original
    with Store(tmp_path / "new", coder="alice") as store:
        assert [t.name for t in store.tags()] == ["经济", "党建", "新"]
        assert store.get("aaaaaaaaaaaa").coder == "bob"
        assert [a.coder for a in store.for_document("d2")] == ["alice"]
        assert store.counts_by_document() == {"d1": 1, "d2": 1}
    assert (tmp_path / "new" / "local" / "backups" / "legacy" / "old.json").read_bytes() == original


# --- backups and doctor ------------------------------------------------------------------


def test_a_file_is_backed_up_before_it_is_overwritten_at_most_once_per_interval(db):
    fill(db, n=1)
    with Store(db, coder="alice") as store:
        store.backups.interval = 3600
        store.add("doc", 5, 8, text=TEXT, doc_hash="h")
        store.add("doc", 6, 8, text=TEXT, doc_hash="h")
        copies = store.backups.list(ann_file(db))
        assert len(copies) == 1
        assert len(json.loads(copies[0].read_text())["annotations"]) == 1
        store.backups.interval = 0
        for i in range(8):
            store.add("doc", i, 9, text=TEXT, doc_hash="h")
        assert len(store.backups.list(ann_file(db))) == 5  # only the newest five kept


def test_every_run_backs_a_file_up_at_its_first_write_however_recent_the_last_copy(db):
    fill(db, n=1)
    for run in range(3):  # three commands, seconds apart
        with Store(db, coder="alice") as store:
            store.add("doc", 10 + run, 14 + run, text=TEXT, doc_hash="h")
            store.add("doc", 20 + run, 24 + run, text=TEXT, doc_hash="h")  # no second copy
    copies = Backups(db, db / "local" / "backups").list(ann_file(db))
    sizes = [len(json.loads(c.read_text())["annotations"]) for c in copies]
    assert sizes == [5, 3, 1]  # newest first: the file as each run found it


def test_a_damaged_undo_history_is_reported_not_reset(db):
    ids = fill(db, n=2)
    index = db / "local" / "history" / "alice" / "index.json"
    index.write_text('{"undo": ["trunc')
    with Store(db, coder="alice") as store:
        with pytest.raises(StoreError, match=r"undo history .*index\.json is damaged.*doctor"):
            store.undo()
        third = store.add("doc", 9, 12, text=TEXT, doc_hash="h")  # saving goes on
        assert {a.id for a in store.for_document("doc")} == {*ids, third.id}
    assert index.read_text() == '{"undo": ["trunc'  # left for doctor, not started afresh
    steps = list((db / "local" / "history" / "alice" / "steps").glob("*.json"))
    assert len(steps) == 3  # the new step is kept too, for doctor to put back in order


def test_doctor_finds_nothing_wrong_with_a_healthy_database(db):
    fill(db)
    assert check_database(db) == []


def test_doctor_repairs_a_truncated_file_from_backup_history_and_its_readable_lines(db):
    ids = fill(db, n=2)
    with Store(db, coder="alice") as store:
        third = store.add("doc", 9, 12, text=TEXT, doc_hash="h").id  # backup now holds ids[:2]
        store.delete(ids[0])  # not backed up again: the backup still has it
        fourth = store.add("doc", 12, 15, text=TEXT, doc_hash="h", note="late").id
    path = ann_file(db)
    lines = path.read_text(encoding="utf-8").splitlines()
    cut = "\n".join(lines[:-3])[:-20]  # the last complete records are lost, one is cut
    path.write_text(cut, encoding="utf-8")
    findings = check_database(db)
    assert [(f.path, f.severity, f.repairable) for f in findings] == [
        ("annotations/alice/doc.json", "error", True)
    ]
    report = repair_database(db)
    assert (report.ok, report.unresolved, report.lost) == (True, [], [])
    assert report.lines()[0].startswith("repaired: rebuilt annotations/alice/doc.json with 3 ")
    with Store(db, coder="alice") as store:
        found = {a.id: a for a in store.for_document("doc")}
    assert set(found) == {ids[1], third, fourth}  # the deleted one stays deleted
    assert found[fourth].note == "late"
    kept = list((db / "local" / "broken" / "annotations" / "alice").iterdir())
    assert [p.read_text(encoding="utf-8") for p in kept] == [cut]
    assert check_database(db) == []


def test_doctor_brings_back_every_acknowledged_record_of_an_emptied_file(db):
    made = []
    for i in range(19):  # nineteen commands, a few seconds apart: one backup, 19 steps
        with Store(db, coder="alice") as store:
            made.append(store.add("doc", i, i + 4, text=TEXT, doc_hash="h", tags=["经济"]).id)
    for emptied in ("", '{"annotations": {\n'):
        ann_file(db).write_text(emptied, encoding="utf-8")
        report = repair_database(db)
        assert (report.ok, report.lost) == (True, [])
        with Store(db, coder="alice") as store:
            assert sorted(a.id for a in store.for_document("doc")) == sorted(made)


def test_doctor_names_exactly_the_records_it_could_not_recover(db):
    ids = fill(db, n=4)
    with Store(db, coder="alice") as store:
        store.counts_by_document()  # the summary cache now lists the file's four ids
    shutil.rmtree(db / "local" / "backups")
    shutil.rmtree(db / "local" / "history")
    path = ann_file(db)
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(lines[:4]), encoding="utf-8")  # the first two records remain
    kept = [i for i in ids if any(i in line for line in lines[:4])]
    assert len(kept) == 2
    report = repair_database(db)
    assert not report.ok
    lost = sorted(set(ids) - set(kept))
    assert report.lost == [
        f"annotations/alice/doc.json: 2 records could not be recovered (not in the file, its "
        f"backups or the undo history): {', '.join(lost)}"
    ]
    assert f"lost: {report.lost[0]}" in report.lines()
    with Store(db, coder="alice") as store:
        assert sorted(a.id for a in store.for_document("doc")) == sorted(kept)


def test_doctor_reports_a_damaged_history_and_rebuilds_it_from_its_steps(db):
    ids = fill(db, n=3)
    index = db / "local" / "history" / "alice" / "index.json"
    index.write_text("{not json")
    findings = [(f.path, f.severity) for f in check_database(db)]
    assert findings == [("local/history/alice/index.json", "warning")]
    report = repair_database(db)
    assert any("rebuilt the undo history of alice from its 3 steps" in a for a in report.actions)
    assert check_database(db) == []
    with Store(db, coder="alice") as store:
        store.undo()
        assert {a.id for a in store.for_document("doc")} == set(ids[:2])
    assert list((db / "local" / "broken" / "local" / "history" / "alice").iterdir())


def test_doctor_salvages_complete_lines_when_there_is_no_backup(db):
    fill(db, n=4)
    shutil.rmtree(db / "local" / "backups")
    shutil.rmtree(db / "local" / "history")
    path = ann_file(db)
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) - 60], encoding="utf-8")  # cuts the last record
    repair_database(db)
    with Store(db, coder="alice") as store:
        assert len(store.for_document("doc")) == 3


def test_doctor_adds_tags_missing_from_the_codebook_and_removes_temp_files(db):
    fill(db)
    (db / "codebook.json").write_text('{"codebook": {}}')
    (db / "annotations" / "alice" / ".sr-tmp-abc").write_text("half")
    found = check_database(db)
    assert [f.message for f in found] == [
        "tag '经济' is used by 3 annotations but missing",
        "temporary file left by an interrupted save",
    ]
    repair_database(db)
    assert check_database(db) == []
    with Store(db, coder="alice") as store:
        assert store.tag_counts() == {"经济": 3}


def test_doctor_does_not_touch_a_newer_database(db):
    fill(db)
    (db / "speechreader-db.json").write_text(
        '{"format": "speechreader-annotations", "schema_version": 9}'
    )
    report = repair_database(db)
    assert (report.actions, report.ok) == ([], False)
    assert "newer" in report.unresolved[0].message


# --- git -----------------------------------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@x",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@x",
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin:/usr/local/bin",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_coders_on_the_same_document_merge_in_git_without_conflict(tmp_path):
    repo = tmp_path / "study"
    db = repo / "annotations.srdb"
    with Store(db, coder="alice") as store:
        for name in ("a-economy", "m-party", "z-security"):
            store.add_tag(name)
        store.add("speech-1", 0, 4, text=TEXT, doc_hash="h", tags=["m-party"])
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    assert "local/" not in git(repo, "ls-files")  # machine-local state stays out of git

    git(repo, "checkout", "-q", "-b", "bob")
    with Store(db, coder="bob") as store:
        for i in range(5):
            store.add("speech-1", i * 3, i * 3 + 2, text=TEXT, doc_hash="h", tags=["n-welfare"])
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "bob codes speech-1")

    git(repo, "checkout", "-q", "main")
    with Store(db, coder="alice") as store:
        for i in range(4):
            store.add("speech-1", 40 + i, 45 + i, text=TEXT, doc_hash="h", tags=["b-growth"])
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "alice codes speech-1")

    git(repo, "merge", "-q", "--no-edit", "bob")  # fails the test on any conflict
    assert "<<<<<<<" not in (db / "codebook.json").read_text()
    with Store(db, coder="carol") as store:
        coders = [a.coder for a in store.for_document("speech-1")]
        assert sorted(coders) == ["alice"] * 5 + ["bob"] * 5
        assert store.tag_counts() == {
            "a-economy": 0,
            "m-party": 1,
            "z-security": 0,
            "n-welfare": 5,
            "b-growth": 4,
        }


def test_doctor_refuses_to_repair_a_folder_that_is_not_a_database(tmp_path):
    folder = tmp_path / "thesis"
    folder.mkdir()
    (folder / "chapter1.txt").write_text("我的论文", encoding="utf-8")
    (folder / "local").mkdir()  # even with a local/ folder, like a database's
    before = sorted(p.relative_to(folder) for p in folder.rglob("*"))
    findings = check_database(folder)
    assert [(f.path, f.severity, f.repairable) for f in findings] == [("", "error", False)]
    assert "is not a speechreader database" in findings[0].message
    report = repair_database(folder)
    assert (report.ok, report.actions) == (False, [])
    assert sorted(p.relative_to(folder) for p in folder.rglob("*")) == before


def test_doctor_still_rewrites_the_lost_manifest_of_a_real_database(db):
    fill(db)
    (db / "speechreader-db.json").unlink()
    assert [f.message for f in check_database(db)] == ["the manifest is missing"]
    assert repair_database(db).ok
    assert check_database(db) == []
