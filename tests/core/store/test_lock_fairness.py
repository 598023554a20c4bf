"""The write lock between real processes: a waiter gets it in its turn, or says why not.

The holders here are separate Python processes that keep the store's lock until the
test tells them (a line on stdin, a file appearing): no fixed sleeps decide anything.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from speechreader.core.errors import DatabaseLocked
from speechreader.core.store import Store
from speechreader.core.store._locking import DbLock

REPO = Path(__file__).resolve().parents[3]
TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。"

HOLDER = """
    import sys
    from pathlib import Path
    from speechreader.core.store._locking import DbLock

    lock = DbLock(Path(sys.argv[1]) / "local" / "lock", timeout=60)
    with lock.hold():
        print("held", flush=True)
        sys.stdin.readline()  # until the test says so
    print("released", flush=True)
"""

#: Takes and lets go of the lock as fast as it can until the file ``stop`` appears;
#: each turn counts itself in ``turns`` (written under the lock) and holds the lock
#: for a couple of milliseconds, as a real change does.
BUSY = """
    import os, sys, time
    from pathlib import Path
    from speechreader.core.store._locking import DbLock

    db = Path(sys.argv[1])
    lock = DbLock(db / "local" / "lock", timeout=60)
    fd = os.open(db / "turns", os.O_RDWR | os.O_CREAT)
    turn = 0
    while not (db / "stop").exists():
        with lock.hold():
            turn += 1
            os.pwrite(fd, b"%12d" % turn, 0)
            if turn == 1:
                print("busy", flush=True)
            time.sleep(0.002)  # the work of one change
    print(turn, flush=True)
"""


def start(code: str, tmp_path: Path, name: str, *args: str) -> subprocess.Popen:
    """Run ``code`` as the script ``name`` (the program name a waiter's message shows)."""
    script = tmp_path / name
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    return subprocess.Popen(
        [sys.executable, str(script), *args],
        env=dict(os.environ, PYTHONPATH=str(REPO)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def listing(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except FileNotFoundError:
        return []


@pytest.fixture
def db(tmp_path) -> Path:
    path = tmp_path / "db"
    Store(path, coder="amy").close()
    return path


def test_a_waiter_that_times_out_names_the_database_and_the_program_holding_it(tmp_path, db):
    holder = start(HOLDER, tmp_path, "holder.py", str(db))
    try:
        assert holder.stdout.readline() == "held\n", holder.stderr.read()
        with Store(db, coder="bo", lock_timeout=0.3) as store:
            with pytest.raises(DatabaseLocked) as caught:
                store.add("doc", 0, 4, text=TEXT, doc_hash="h")
            assert str(caught.value) == (
                f"could not get the lock on the database {db} within 0.3 s: another program, "
                f"pid {holder.pid} (holder.py), is writing to it "
                "(try again, or check `speechreader doctor`)"
            )
            assert store.for_document("doc") == []
            holder.stdin.write("go\n")
            holder.stdin.flush()
            assert holder.stdout.readline() == "released\n"
            assert store.add("doc", 0, 4, text=TEXT, doc_hash="h").quote == TEXT[:4]
    finally:
        holder.kill()
        holder.wait()


def test_a_waiter_gets_the_lock_in_its_turn_from_a_busy_writer(tmp_path, db):
    busy = start(BUSY, tmp_path, "busy.py", str(db))
    waiter = DbLock(db / "local" / "lock", timeout=60)
    queue = db / "local" / "lock-queue"
    mine = f"-{os.getpid()}"
    got: list[int] = []

    def wait_for_the_lock() -> None:
        if waiter.acquire():
            got.append(int((db / "turns").read_bytes()))
            waiter.release()

    try:
        assert busy.stdout.readline() == "busy\n", busy.stderr.read()
        before = int((db / "turns").read_bytes())
        thread = threading.Thread(target=wait_for_the_lock)
        thread.start()
        # the busy writer's turn count once we stand in line (a condition, not a delay)
        while thread.is_alive() and not any(n.endswith(mine) for n in listing(queue)):
            time.sleep(0.0005)
        in_line = int((db / "turns").read_bytes())
        thread.join(120)
        assert got, "the waiter never got the lock"
        # at most the turn that was under way when we came: the busy one went behind us
        assert got[0] - in_line <= 1, (in_line, got)
        # and from outside: it let the waiter in within a few of its turns, not hundreds
        assert got[0] - before <= 200, (before, got)
        # and the busy one gets its turns again after ours
        hang = time.monotonic() + 120  # only against a hang; no speed is asserted
        while int((db / "turns").read_bytes()) <= got[0] + 1:
            assert busy.poll() is None, busy.stderr.read()
            assert time.monotonic() < hang, "the busy writer never got the lock back"
            time.sleep(0.0005)
    finally:
        (db / "stop").touch()
        busy.wait(60)
    assert busy.returncode == 0, busy.stderr.read()


def test_several_waiters_all_get_the_lock_from_a_busy_writer(tmp_path, db):
    """Three more programs adding while one writes without pause: every add lands."""
    busy = start(BUSY, tmp_path, "busy.py", str(db))
    adder = """
        import sys
        from speechreader.core.store import Store
        with Store(sys.argv[1], coder=sys.argv[2], lock_timeout=60) as store:
            for i in range(5):
                store.add("doc", i, i + 3, text="我们要坚持以人民为中心的发展思想", doc_hash="h")
    """
    try:
        assert busy.stdout.readline() == "busy\n", busy.stderr.read()
        adders = [start(adder, tmp_path, f"adder{k}.py", str(db), f"c{k}") for k in range(3)]
        for proc in adders:
            proc.wait(120)
            assert proc.returncode == 0, proc.stderr.read()
        assert busy.poll() is None  # it was busy the whole time
    finally:
        (db / "stop").touch()
        busy.wait(60)
    with Store(db, coder="amy", readonly=True) as store:
        assert store.counts_by_document() == {"doc": 15}


def test_a_killed_waiters_place_in_line_holds_nobody_up(tmp_path, db):
    queue = db / "local" / "lock-queue"
    waiter = start(
        """
        import sys
        from pathlib import Path
        from speechreader.core.store._lock_queue import LockQueue

        LockQueue(Path(sys.argv[1])).join()
        print("in line", flush=True)
        sys.stdin.readline()
        """,
        tmp_path,
        "waiter.py",
        str(queue),
    )
    assert waiter.stdout.readline() == "in line\n", waiter.stderr.read()
    assert len([n for n in listing(queue) if n != "next"]) == 1
    with Store(db, coder="bo", lock_timeout=0.5) as store:
        with pytest.raises(DatabaseLocked) as caught:  # alive and first in line: its turn
            store.add("doc", 0, 4, text=TEXT, doc_hash="h")
        assert str(caught.value) == (
            f"could not get the lock on the database {db} within 0.5 s: another program, "
            f"pid {waiter.pid}, is before this one in line for it but does not take it "
            "(suspended?) (try again, or check `speechreader doctor`)"
        )
        waiter.kill()
        waiter.wait()
        assert store.add("doc", 0, 4, text=TEXT, doc_hash="h").quote == TEXT[:4]
    assert listing(queue) == ["next"]  # its entry was cleared away


def test_a_lock_held_elsewhere_in_the_same_program_is_named_so(db):
    other = DbLock(db / "local" / "lock", timeout=1)
    assert other.acquire()
    try:
        store = Store(db, coder="bo", lock_timeout=0.2)
        with store, pytest.raises(DatabaseLocked) as caught:
            store.add("doc", 0, 4, text=TEXT, doc_hash="h")
        assert str(caught.value) == (
            f"could not get the lock on the database {db} within 0.2 s: another task of this "
            "same program is writing to it (try again, or check `speechreader doctor`)"
        )
    finally:
        other.release()
        other.close()
