"""A change touching several files lands completely or not at all: failures and kills."""

from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from speechreader.core.errors import InvalidInput, StoreError
from speechreader.core.store import Store, check_database
from speechreader.core.store._records import Annotation

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 10
REPO = Path(__file__).resolve().parents[3]


def files_of(db: Path) -> dict[str, bytes]:
    """Every file of the database outside local/, and the undo history's index."""
    found = {
        str(p.relative_to(db)): p.read_bytes()
        for p in db.rglob("*")
        if p.is_file() and p.relative_to(db).parts[0] != "local"
    }
    index = db / "local" / "history" / "amy" / "index.json"
    found["history"] = index.read_bytes() if index.exists() else b""
    return found


def test_a_failure_serialising_the_second_file_leaves_nothing_half_applied(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        good = store.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        before = files_of(db)
        # A record whose note cannot be written as UTF-8 (a lone surrogate, what a
        # non-UTF-8 argument becomes), for a change that also adds a tag: the codebook
        # is the first file, the annotation file the second.
        bad = Annotation.from_json(good.to_json() | {"id": "0badbadbad00", "note": "\udcff"})
        with (
            pytest.raises(InvalidInput, match=r"record '0badbadbad00' of annotations/amy/doc"),
            store._mutate() as tx,
        ):
            store._ensure_tags_tx(tx, ["新标签"])
            tx.put(store._rel("amy", "doc"), bad.id, bad.to_json())
        assert files_of(db) == before  # the codebook did not gain the tag
        assert [t.name for t in store.tags()] == ["经济"]
        undone = store.undo()  # takes back the last change that happened: the good one
        assert undone is not None and undone.label == "add tag 经济 to 1 passage"
        assert store.for_document("doc") == []
    assert not list(db.rglob(".sr-tmp-*"))


def test_a_note_or_tag_that_is_not_valid_unicode_is_refused_before_anything_is_written(
    tmp_path,
):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        store.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        before = files_of(db)
        with pytest.raises(InvalidInput, match="the note holds bytes that are not valid UTF-8"):
            store.add("doc", 5, 9, text=TEXT, doc_hash="h", tags=["新"], note="caf\udce9")
        with pytest.raises(InvalidInput, match="the tag name holds bytes"):
            store.add("doc", 5, 9, text=TEXT, doc_hash="h", tags=["\udce9"])
        assert files_of(db) == before


@pytest.fixture
def file_size_limit():
    """Files over the limit cannot be written (EFBIG), as on a full disk; root too."""
    old_handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    old_limit = resource.getrlimit(resource.RLIMIT_FSIZE)

    def limit(size: int) -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, old_limit[1]))

    yield limit
    resource.setrlimit(resource.RLIMIT_FSIZE, old_limit)
    signal.signal(signal.SIGXFSZ, old_handler)


def test_a_write_error_on_the_second_file_leaves_nothing_half_applied(tmp_path, file_size_limit):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        store.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        before = files_of(db)
        file_size_limit(50_000)  # the codebook fits, the annotation file with its note not
        with pytest.raises(StoreError, match="nothing was changed"):
            store.add("doc", 5, 9, text=TEXT, doc_hash="h", tags=["新标签"], note="长" * 30_000)
        file_size_limit(resource.RLIM_INFINITY)
        assert files_of(db) == before
        assert [t.name for t in store.tags()] == ["经济"]
    assert not list(db.rglob(".sr-tmp-*"))


KILL_BETWEEN_RENAMES = """
    import os, signal, sys
    from speechreader.core.store import Store
    renamed = []
    real_replace = os.replace
    def replace(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        if "/local/" not in str(dst):
            renamed.append(dst)
            if len(renamed) == 2 and sys.argv[2] == "kill":
                os.kill(os.getpid(), signal.SIGKILL)  # after the 1st data file of the change
    os.replace = replace
    with Store(sys.argv[1], coder="amy") as store:
        store.add("doc", 5, 9, text="我们要坚持以人民为中心的发展思想" * 4, doc_hash="h",
                  tags=["新标签"], note="in flight")
"""


def test_a_kill_between_two_renames_is_finished_by_the_next_writer(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        store.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
    env = dict(os.environ, PYTHONPATH=str(REPO))
    code = textwrap.dedent(KILL_BETWEEN_RENAMES)
    done = subprocess.run([sys.executable, "-c", code, str(db), "kill"], env=env, timeout=60)
    assert done.returncode == -9
    assert (db / "local" / "journal.json").exists()
    # The codebook was renamed, the annotation file not yet: half a change on disk...
    with Store(db, coder="bo") as other:  # ...until the next writer opens the database
        assert [t.name for t in other.tags()] == ["经济", "新标签"]
        notes = sorted(a.note for a in other.for_document("doc"))
        assert notes == ["", "in flight"]
    assert not (db / "local" / "journal.json").exists()
    assert [f for f in check_database(db) if f.severity == "error"] == []
    with Store(db, coder="amy") as store:  # and the step is amy's to undo, whole
        assert store.undo().label == "add tag 新标签 to 1 passage"
        assert [t.name for t in store.tags()] == ["经济"]
        assert [a.note for a in store.for_document("doc")] == [""]


def test_without_a_kill_no_journal_is_left(tmp_path):
    db = tmp_path / "db"
    Store(db, coder="amy").close()
    env = dict(os.environ, PYTHONPATH=str(REPO))
    code = textwrap.dedent(KILL_BETWEEN_RENAMES)
    done = subprocess.run([sys.executable, "-c", code, str(db), "live"], env=env, timeout=60)
    assert done.returncode == 0
    assert not (db / "local" / "journal.json").exists()


KILL_IMPORT = """
    import os, signal, sys
    from speechreader.core.store import Store
    real_replace, renamed = os.replace, []
    def replace(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        if "/annotations/" in str(dst):
            renamed.append(dst)
            if len(renamed) == 2:
                os.kill(os.getpid(), signal.SIGKILL)  # two of the import's files are in
    os.replace = replace
    text = "我们要坚持以人民为中心的发展思想" * 4
    with Store(sys.argv[1], coder="amy") as store, store.bulk_import([]) as bulk:
        for i in range(30):
            doc = f"doc-{i % 5}"
            bulk.add({"id": f"imp{i:09d}", "doc_id": doc, "start": i, "end": i + 3,
                      "quote": text[i:i + 3], "prefix": "", "suffix": "", "tags": ["导入"],
                      "highlight": None, "note": "", "coder": "", "created": "",
                      "updated": "", "doc_hash": "h"}, [i + 2])
        bulk.commit()
"""


def test_an_import_killed_while_renaming_its_files_is_finished_whole(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="amy") as store:
        store.add("doc-0", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
    env = dict(os.environ, PYTHONPATH=str(REPO))
    code = textwrap.dedent(KILL_IMPORT)
    done = subprocess.run([sys.executable, "-c", code, str(db)], env=env, timeout=60)
    assert done.returncode == -9
    assert (db / "local" / "journal.json").exists()
    with Store(db, coder="bo") as other:  # the next writer finishes the renames
        assert other.counts_by_document() == {f"doc-{i}": 6 + (i == 0) for i in range(5)}
        assert other.tag_counts() == {"经济": 1, "导入": 30}
    assert [f for f in check_database(db) if f.severity == "error"] == []
    assert not list((db / "local" / "staging").iterdir())  # the dead import's folder is gone
    with Store(db, coder="amy") as store:  # and the import is one step amy can undo
        assert store.undo().label == "import 30 passages"
        assert store.counts_by_document() == {"doc-0": 1}


def test_a_database_given_by_a_relative_path_takes_a_change_to_several_files(tmp_path, monkeypatch):
    # `speechreader tag ... --db db`: the journal named the temporary files relative to a
    # relative root, and a new tag (codebook + annotation file) ended in a traceback
    monkeypatch.chdir(tmp_path)
    with Store(Path("db"), coder="amy") as store:
        ann = store.add("doc", 0, 4, text=TEXT, doc_hash="h", tags=["经济"])
        store.add("doc", 4, 8, text=TEXT, doc_hash="h", tags=["党建"])
    with Store(tmp_path / "db", coder="amy") as store:
        assert store.get(ann.id).tags == ["经济"]
        assert [t.name for t in store.tags()] == ["经济", "党建"]
