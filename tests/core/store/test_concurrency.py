"""Two instances on one database (the TUI and a CLI command): no lost update, no stuck lock."""

from __future__ import annotations

import fcntl
import os
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from speechreader.core.errors import DatabaseLocked
from speechreader.core.fileio import TEMP_PREFIX
from speechreader.core.store import Store
from speechreader.core.store._storage import stat_key

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 10
REPO = Path(__file__).resolve().parents[3]


def python(code: str, *args: str) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_instances_adding_to_the_same_file_keep_both_changes(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="alice") as tui, Store(db, coder="alice") as cli:
        a = tui.add("doc", 0, 4, text=TEXT, doc_hash="h")
        b = cli.add("doc", 5, 9, text=TEXT, doc_hash="h")
        c = tui.add("doc", 10, 14, text=TEXT, doc_hash="h")  # tui's cached file is stale here
        cli.update(a.id, note="from the cli")
        assert {x.id for x in tui.for_document("doc")} == {a.id, b.id, c.id}
        assert tui.get(a.id).note == "from the cli"


def test_a_change_re_reads_its_file_under_the_lock_even_when_the_cache_looks_fresh(tmp_path):
    """The store's design: under the lock a change reads its files again, whatever their
    stat says (``Transaction.records``: ``fresh=True``). A cache can look fresh when it is
    not: a coarse clock, an equal size and a reused inode make two versions alike. Here
    the cache is made to look fresh while another process has written the file."""
    db = tmp_path / "db"
    with Store(db, coder="alice") as tui:
        mine = tui.add("doc", 0, 4, text=TEXT, doc_hash="h")
        theirs = tui.add("doc", 5, 9, text=TEXT, doc_hash="h")
        path = db / "annotations" / "alice" / "doc.json"
        file = tui._file("annotations/alice/doc.json")
        assert file.records()[theirs.id]["note"] == ""  # read and cached
        other = python(
            """
            import sys
            from speechreader.core.store import Store
            with Store(sys.argv[1], coder="alice") as store:
                store.update(sys.argv[2], note="from the other process")
            """,
            str(db),
            theirs.id,
        )
        _, err = other.communicate(timeout=600)
        assert other.returncode == 0, err
        file.storage.key = stat_key(os.stat(path))  # the stale cache now looks fresh
        assert file.records()[theirs.id]["note"] == ""  # stale indeed: the test can fail
        tui.update(mine.id, note="from the tui")
    with Store(db, coder="alice", readonly=True) as check:
        assert check.get(theirs.id).note == "from the other process"
        assert check.get(mine.id).note == "from the tui"


#: A writer waits for the lock as long as the others work: the lock is fair (its turn
#: comes after the others' current changes), but on a loaded machine their changes can
#: take longer than the 10 s default, and slowness is not what this test checks. A hang is what
#: the watchdog below catches: no writer adding anything for this long.
WRITER_LOCK_TIMEOUT = 3600
STALL = 300


def test_two_processes_adding_at_once_lose_no_update(tmp_path):
    db = tmp_path / "db"
    Store(db, coder="alice").close()
    code = f"""
        import sys
        from speechreader.core.store._store import Store
        text = "我们要坚持以人民为中心的发展思想" * 10
        with Store(sys.argv[1], coder="alice", lock_timeout={WRITER_LOCK_TIMEOUT}) as store:
            print("ready", flush=True)
            sys.stdin.readline()  # all three start adding together
            for i in range(100):
                tag = f"t{{sys.argv[2]}}{{i % 3}}"
                store.add("shared", i, i + 3, text=text, doc_hash="h", tags=[tag])
                print(i, flush=True)
    """
    procs = [python(code, str(db), str(k)) for k in range(3)]
    try:
        lines = wait_for_work(procs, lines_each=1)
        assert lines == [["ready"]] * 3, [proc.stderr.read() for proc in procs if proc.poll()]
        for proc in procs:
            proc.stdin.write("go\n")
            proc.stdin.close()
        lines = wait_for_work(procs)  # to the end of their output
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    for proc, said in zip(procs, lines, strict=True):
        proc.wait()
        assert proc.returncode == 0, proc.stderr.read()
        assert said == [str(i) for i in range(100)]
    with Store(db, coder="alice") as store:
        assert store.counts_by_document() == {"shared": 300}
        assert len(store.for_document("shared")) == 300
        assert sorted(store.tag_counts().values()) == [33] * 6 + [34] * 3
        assert len(store.history.labels()[0]) == 300  # every step of every process kept


def wait_for_work(procs, lines_each: int | None = None) -> list[list[str]]:
    """The lines each process prints, read until each has printed ``lines_each`` (or
    ended), by default to the end of all their output; fails only when none of them
    prints anything for :data:`STALL` seconds (stuck), however long the work takes."""
    lines: list[list[str]] = [[] for _ in procs]
    partial = [b""] * len(procs)
    with selectors.DefaultSelector() as selector:
        for k, proc in enumerate(procs):
            selector.register(proc.stdout, selectors.EVENT_READ, k)

        def waiting() -> bool:
            reading = {key.data for key in selector.get_map().values()}
            return any(lines_each is None or len(lines[k]) < lines_each for k in reading)

        while waiting():
            ready = selector.select(timeout=STALL)
            assert ready, f"no writer made progress for {STALL} s: {lines}"
            for key, _ in ready:
                k = key.data
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                *done, partial[k] = (partial[k] + chunk).split(b"\n")
                lines[k] += [line.decode() for line in done]
    return lines


def test_a_lock_held_too_long_raises_database_locked_with_a_clear_message(tmp_path):
    db = tmp_path / "db"
    Store(db).close()
    with open(db / "local" / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with Store(db, coder="alice", lock_timeout=0.2) as store:
            started = time.monotonic()
            with pytest.raises(
                DatabaseLocked,
                match=r"could not get the lock on the database .* within 0.2 s: another program "
                r"is writing",
            ):
                store.add("doc", 0, 3, text=TEXT, doc_hash="h")
            assert 0.2 <= time.monotonic() - started < 2
            assert store.for_document("doc") == []  # reading needs no lock


def test_a_lock_left_by_a_killed_process_does_not_block(tmp_path):
    db = tmp_path / "db"
    Store(db).close()
    holder = python(
        """
        import fcntl, sys, time
        handle = open(sys.argv[1], "a+")
        fcntl.flock(handle, fcntl.LOCK_EX)
        print("locked", flush=True)
        time.sleep(60)
        """,
        str(db / "local" / "lock"),
    )
    assert holder.stdout.readline().strip() == "locked"
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    with Store(db, coder="alice", lock_timeout=0.5) as store:
        assert store.add("doc", 0, 3, text=TEXT, doc_hash="h").quote == TEXT[:3]


def test_temp_files_are_removed_only_when_no_other_writer_holds_the_lock(tmp_path):
    db = tmp_path / "db"
    Store(db).close()
    folder = db / "annotations" / "alice"
    folder.mkdir(parents=True)
    live = folder / f"{TEMP_PREFIX}in-progress"
    live.write_text("half a file")
    with open(db / "local" / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # a live writer is mid-save
        Store(db, coder="bob", lock_timeout=0.1).close()
        assert live.exists()
    Store(db, coder="bob").close()  # the writer is gone: its leftover goes
    assert not live.exists()


def test_reload_if_changed_reports_other_instances_writes_not_our_own(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="alice") as tui, Store(db, coder="bob") as cli:
        assert tui.reload_if_changed() is False
        tui.add("doc", 0, 3, text=TEXT, doc_hash="h")
        assert tui.reload_if_changed() is False
        cli.add("doc", 3, 6, text=TEXT, doc_hash="h")
        assert tui.reload_if_changed() is True
        assert tui.reload_if_changed() is False
        assert len(tui.for_document("doc")) == 2
        cli.add_tag("新标签")
        assert tui.reload_if_changed() is True
        assert [t.name for t in tui.tags()] == ["新标签"]


def test_counts_follow_files_changed_by_another_instance(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="alice") as a, Store(db, coder="alice") as b:
        first = a.add("doc", 0, 3, text=TEXT, doc_hash="h")
        assert b.counts_by_document() == {"doc": 1}
        a.add("doc", 3, 6, text=TEXT, doc_hash="h")
        a.add("other", 3, 6, text=TEXT, doc_hash="h")
        assert b.counts_by_document() == {"doc": 2, "other": 1}
        b.delete(first.id)
        assert a.counts_by_document() == {"doc": 1, "other": 1}


def test_summary_cache_is_rebuilt_when_a_file_changes_behind_its_back(tmp_path):
    db = tmp_path / "db"
    with Store(db, coder="alice") as store:
        ann = store.add("doc", 0, 3, text=TEXT, doc_hash="h")
        store.add("doc2", 0, 3, text=TEXT, doc_hash="h")
        store.counts_by_document()
    assert (db / "local" / "summary.json").is_file()
    (db / "annotations" / "alice" / "doc2.json").unlink()  # e.g. git checkout of an older state
    with Store(db, coder="alice") as store:
        assert store.counts_by_document() == {"doc": 1}
        assert store.get(ann.id).doc_id == "doc"
