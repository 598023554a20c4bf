"""Done marks: who coded what, per coder, through the store's transactions."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from speechreader.core.errors import DatabaseCorrupt, InvalidInput
from speechreader.core.store import Store, check_database, repair_database

TEXT = "我们要坚持以经济建设为中心。要加强党的建设。要维护社会稳定。"


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "study.srdb"


def test_marking_done_is_stored_per_coder_and_read_back(db):
    with Store(db, coder="amy") as store:
        assert store.set_done("speech-1") is True
        assert store.set_done("speech-1") is False  # already marked: nothing written
        assert store.set_done("speech-2", coder="bo") is True
        assert store.done_marks() == {"speech-1": ["amy"], "speech-2": ["bo"]}
    files = sorted(p.name for p in (db / "done").iterdir())
    assert files == ["amy.json", "bo.json"]
    record = json.loads((db / "done" / "amy.json").read_text())["done"]["speech-1"]
    assert record["doc_id"] == "speech-1"
    assert record["coder"] == "amy"
    assert record["time"].endswith("Z")
    with Store(db, coder="cy", readonly=True) as other:  # another process sees them
        assert other.done_marks() == {"speech-1": ["amy"], "speech-2": ["bo"]}


def test_unmarking_removes_the_mark_and_the_empty_file(db):
    with Store(db, coder="amy") as store:
        store.set_done("speech-1")
        assert store.set_done("speech-1", False) is True
        assert store.set_done("speech-1", False) is False
        assert store.done_marks() == {}
    assert not (db / "done" / "amy.json").exists()


def test_a_mark_is_one_undo_step(db):
    with Store(db, coder="amy") as store:
        store.set_done("speech-1")
        change = store.undo()
        assert change is not None and change.label == "mark speech-1 done (amy)"
        assert store.done_marks() == {}
        store.redo()
        assert store.done_marks() == {"speech-1": ["amy"]}


def test_a_coder_with_annotations_but_no_mark_counts_as_having_coded(db):
    with Store(db, coder="amy") as store:
        store.add("speech-1", 0, 4, text=TEXT, doc_hash="h", tags=["economy"])
        store.set_done("speech-2", coder="bo")  # bo coded speech-2 and found nothing
        store.set_done("speech-1", coder="bo")
        assert store.coded_by() == {"speech-1": ["amy", "bo"], "speech-2": ["bo"]}
        assert store.coders() == ["amy", "bo"]


def test_bad_names_are_refused(db):
    with Store(db, coder="amy") as store:
        with pytest.raises(InvalidInput, match=r"^a document id is needed$"):
            store.set_done("")
        with pytest.raises(InvalidInput, match=r"^invalid coder name 'a\\tb'$"):
            store.set_done("speech-1", coder="a\tb")


def test_a_hand_edited_mark_is_corrupt_named_and_doctor_moves_it_where_it_belongs(db):
    with Store(db, coder="amy") as store:
        store.set_done("speech-1")
        store.set_done("speech-2")
    path = db / "done" / "amy.json"
    path.write_text(path.read_text().replace('"coder":"amy"', '"coder":"bo"', 1))
    with Store(db, coder="amy") as store, pytest.raises(DatabaseCorrupt, match=r"done/bo\.json"):
        store.done_marks()
    findings = check_database(db)
    assert any(f.path == "done/amy.json" and f.severity == "error" for f in findings)
    report = repair_database(db)
    assert report.ok, report.lines()
    assert "moved 1 done marks into done/bo.json, where they belong" in report.actions
    with Store(db, coder="amy") as store:
        assert store.done_marks() == {"speech-1": ["bo"], "speech-2": ["amy"]}


def test_doctor_finds_a_mark_with_a_wrong_type(db):
    with Store(db, coder="amy") as store:
        store.set_done("speech-1")
    path = db / "done" / "amy.json"
    data = json.loads(path.read_text())
    data["done"]["speech-1"]["time"] = 5
    path.write_text(json.dumps(data))
    assert any("'time' must be a string" in f.message for f in check_database(db))


def git(repo: Path, *args: str) -> str:
    repo.mkdir(parents=True, exist_ok=True)
    env = {
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
        "HOME": str(repo),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_two_coders_marking_the_same_document_merge_in_git_without_conflict(tmp_path):
    repo = tmp_path / "study"
    db = repo / "annotations.srdb"
    with Store(db, coder="amy") as store:
        store.add_tag("economy")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "base")
    git(repo, "checkout", "-q", "-b", "bo")
    with Store(db, coder="bo") as store:
        store.set_done("speech-1")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "bo is done")
    git(repo, "checkout", "-q", "main")
    with Store(db, coder="amy") as store:
        store.set_done("speech-1")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "amy is done")
    git(repo, "merge", "-q", "--no-edit", "bo")  # fails the test on any conflict
    with Store(db, coder="cy") as store:
        assert store.done_marks() == {"speech-1": ["amy", "bo"]}
