"""Undo and redo on a shared database never overwrite a change they did not make."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.exchange import export_csv
from speechreader.core.store import Store
from speechreader.core.store._undo import UndoConflict

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 10
REPO = Path(__file__).resolve().parents[3]
XICHANG = "2018-06-07_li-jun_xichang"


def cli(coder: str, *args: object) -> subprocess.CompletedProcess:
    """``speechreader ARGS`` in its own process, as ``coder``."""
    env = dict(os.environ, PYTHONPATH=str(REPO), SPEECHREADER_CODER=coder)
    code = "import sys; from speechreader.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def python(coder: str, code: str, *args: object) -> None:
    """A snippet with ``store`` open as ``coder`` on ``args[0]``, in its own process."""
    env = dict(os.environ, PYTHONPATH=str(REPO))
    head = (
        "import sys\nfrom speechreader.core.store import Store\n"
        f"store = Store(sys.argv[1], coder={coder!r})\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", head + code + "\nstore.close()", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr


def test_amy_cannot_undo_her_import_over_the_note_bo_added_since(sample_corpus, tmp_path):
    corpus = Corpus.load(sample_corpus)
    source = tmp_path / "source"
    with Store(source, coder="amy") as store:
        text = corpus.text(XICHANG)
        for start in (0, 10, 20):
            store.add(XICHANG, start, start + 4, text=text, doc_hash="h", tags=["经济"])
    export = tmp_path / "amy.csv"
    export_csv(Store(source, readonly=True), corpus, export)
    db = tmp_path / "team"
    imported = cli("amy", "import-annotations", export, "--corpus", sample_corpus, "--db", db)
    assert imported.returncode == 0, imported.stderr
    with open(export, encoding="utf-8", newline="") as handle:
        target = next(csv.DictReader(handle))["annotation_id"]
    # any_coder: bo's change to amy's annotation comes from a tool (an import, say), never
    # from the reader, which changes only the coder's own annotations
    python("bo", f'store.update({target!r}, note="bo\'s note", any_coder=True)', db)
    files = {p: p.read_bytes() for p in (db / "annotations").rglob("*.json")}

    undo = cli("amy", "undo", "--db", db)

    assert undo.returncode == 2
    assert undo.stderr.strip().splitlines() == [
        f"speechreader: error: cannot undo 'import 3 passages': annotation {target} (document "
        f"{XICHANG}) was changed since ({Store(db, readonly=True).get(target).updated}), by "
        "another coder or instance; nothing was undone"
    ]
    assert {p: p.read_bytes() for p in (db / "annotations").rglob("*.json")} == files
    with Store(db, coder="bo") as store:
        assert store.get(target).note == "bo's note"
    with Store(db, coder="amy") as store:
        assert store.can_undo()  # the step is still there, for when bo's change is undone
    python("bo", "store.undo()", db)  # bo takes his note back: now amy's undo applies
    again = cli("amy", "undo", "--db", db)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "undid: import 3 passages"
    with Store(db, coder="amy", readonly=True) as store:
        assert store.counts_by_document() == {}


def test_redo_is_refused_when_the_record_changed_after_the_undo(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy, Store(db, coder="bo") as bo:
        ann = amy.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        amy.delete(ann.id)
        amy.undo()  # the annotation is back
        bo.update(ann.id, note="bo was here", any_coder=True)
        with pytest.raises(
            UndoConflict, match=rf"cannot redo 'delete 1 passage': annotation {ann.id}"
        ):
            amy.redo()
        assert bo.get(ann.id).note == "bo was here"
        assert amy.can_redo()


def test_a_record_deleted_since_is_named_too(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy, Store(db, coder="bo") as bo:
        ann = amy.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        amy.update(ann.id, note="first thoughts")
        bo.delete(ann.id, any_coder=True)
        with pytest.raises(UndoConflict, match=rf"annotation {ann.id} .* was deleted since"):
            amy.undo()
        assert bo.for_document("doc") == []


def test_changes_to_other_records_do_not_stop_an_undo(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy, Store(db, coder="bo") as bo:
        mine = amy.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        theirs = bo.add("doc", 5, 9, text=TEXT, doc_hash="h", tags=["经济"])
        amy.update(mine.id, note="mine")
        bo.update(theirs.id, note="theirs")  # same file, same tag: another record
        assert amy.undo().label == "edit note"
        assert amy.get(mine.id).note == ""
        assert bo.get(theirs.id).note == "theirs"
        assert amy.redo().label == "edit note"
        assert amy.get(mine.id).note == "mine"


def test_undoing_the_step_that_created_a_tag_keeps_the_tag_while_others_use_it(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy, Store(db, coder="bo") as bo:
        first = amy.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["民生"])  # creates 民生
        bo.add("doc", 5, 9, text=TEXT, doc_hash="h", tags=["民生"])
        amy.undo()
        assert [a.tags for a in bo.for_document("doc")] == [["民生"]]
        assert [t.name for t in bo.tags()] == ["民生"]  # bo's annotation keeps its tag
        amy.redo()  # the tag exists: kept as it is, the annotation comes back
        assert amy.get(first.id).tags == ["民生"]
        assert [t.name for t in amy.tags()] == ["民生"]


def test_undoing_a_tag_no_one_else_uses_removes_it_as_before(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy:
        amy.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["民生"])
        amy.undo()
        assert amy.tags() == []


@pytest.fixture(params=["whole", "file by file"])
def big_steps(request, monkeypatch):
    """Run a test with every step undone as a big one (file by file), and as usual."""
    if request.param == "file by file":
        monkeypatch.setattr("speechreader.core.store._undo.BIG_STEP", -1)
    return request.param


def import_records(store: Store, n: int, docs: int = 3) -> None:
    with store.bulk_import(["note"]) as bulk:
        for i in range(n):
            bulk.add({
                "id": f"imp{i:09d}", "doc_id": f"doc-{i % docs}", "start": i, "end": i + 3,
                "quote": TEXT[i : i + 3], "prefix": "", "suffix": "", "tags": ["导入"],
                "highlight": None, "note": f"n{i}", "coder": "", "created": "", "updated": "",
                "doc_hash": "h",
            }, [i + 2])  # fmt: skip
        bulk.commit()


def test_an_import_undoes_and_redoes_whole_either_way(tmp_path, big_steps):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy:
        kept = amy.add("doc-0", 40, 44, text=TEXT, doc_hash="h", tags=["经济"])
        import_records(amy, 30)
        assert amy.counts_by_document() == {"doc-0": 11, "doc-1": 10, "doc-2": 10}
        assert amy.undo().label == "import 30 passages"
        assert amy.counts_by_document() == {"doc-0": 1}
        assert [t.name for t in amy.tags()] == ["经济"]  # the tag the import made went too
        assert amy.redo().label == "import 30 passages"
        assert amy.counts_by_document() == {"doc-0": 11, "doc-1": 10, "doc-2": 10}
        assert amy.get("imp000000007").note == "n7"
        assert amy.get(kept.id).tags == ["经济"]


def test_an_import_undo_is_refused_whole_over_a_change_made_since(tmp_path, big_steps):
    db = tmp_path / "db"
    with Store(db, coder="amy") as amy, Store(db, coder="bo") as bo:
        import_records(amy, 30)
        bo.add("doc-1", 50, 54, text=TEXT, doc_hash="h", tags=["导入"])  # uses amy's tag
        bo.update("imp000000029", note="bo's", any_coder=True)  # as a tool would
        files = {p: p.read_bytes() for p in (db / "annotations").rglob("*.json")}
        with pytest.raises(UndoConflict, match=r"annotation imp000000029 \(document doc-2\)"):
            amy.undo()
        assert {p: p.read_bytes() for p in (db / "annotations").rglob("*.json")} == files
        bo.undo()  # bo takes his note back: the passage is as the import left it
        amy.undo()
        assert bo.counts_by_document() == {"doc-1": 1}
        assert [t.name for t in bo.tags()] == ["导入"]  # bo's passage still uses it
