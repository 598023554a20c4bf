"""SIGKILL writers at random moments: acknowledged work survives, nothing else changes.

Worker processes (``crash_worker.py``) add, update and delete annotations and print
an acknowledgement after each call returns. We kill them after random short delays,
two at a time on one database, then check the database against the acknowledgements:
every acknowledged add is there with exactly the acknowledged content, every
acknowledged delete is gone, every other record is as it was. Only the one operation
in flight at each kill may have landed or not.

200 kills in all (160 + 40), about 20-30 s on two cores.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import selectors
import signal
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from speechreader.core.fileio import TEMP_PREFIX
from speechreader.core.store import Store, check_database
from speechreader.core.store._store import NewAnnotation
from tests.core.store import crash_worker

TEXT = crash_worker.TEXT

pytestmark = pytest.mark.slow


@dataclass
class Ledger:
    """What the workers were told was saved, and what may or may not have landed."""

    model: dict[str, dict]
    maybe: dict[str, list[dict | None]] = field(default_factory=dict)  # id -> allowed alternatives
    maybe_added_notes: set[str] = field(default_factory=set)
    kills: int = 0
    acks: int = 0

    def apply(self, lines: list[str]) -> None:
        pending: str | None = None
        for line in lines:
            kind, _, rest = line.partition(" ")
            if kind == "BEGIN":
                pending = rest
            elif kind == "ACK":
                pending = None
                self.acks += 1
                op, _, payload = rest.partition(" ")
                if op in ("add", "update"):
                    rec = json.loads(payload)
                    self.model[rec["id"]] = rec
                    self.maybe.pop(rec["id"], None)
                    self.maybe_added_notes.discard(rec["note"])
                else:
                    self.model.pop(payload, None)
                    self.maybe.pop(payload, None)
        if pending is None:
            return
        op, _, args = pending.partition(" ")
        if op == "add":
            self.maybe_added_notes.add(args)
        elif op == "update":
            ann_id, note = args.split(" ")
            if ann_id in self.model:
                self.maybe.setdefault(ann_id, []).append(self.model[ann_id] | {"note": note})
            else:  # an annotation whose own add was in flight at an earlier kill
                self.maybe_added_notes.add(note)
        elif op == "delete" and args in self.model:
            self.maybe.setdefault(args, []).append(None)

    def problems(self, found: dict[str, dict]) -> list[str]:
        out = []
        for ann_id, rec in found.items():
            if ann_id in self.model:
                if rec == self.model[ann_id]:
                    continue
                alternatives = [a for a in self.maybe.get(ann_id, []) if a is not None]
                if any(_same_but_updated(rec, a) for a in alternatives):
                    continue
                out.append(f"{ann_id} changed: {rec} != {self.model[ann_id]}")
            elif rec["note"] not in self.maybe_added_notes:
                out.append(f"{ann_id} appeared without an acknowledged or in-flight add: {rec}")
        for ann_id in self.model.keys() - found.keys():
            if None not in self.maybe.get(ann_id, []):
                out.append(f"acknowledged {ann_id} is missing")
        return out


def _same_but_updated(rec: dict, expected: dict) -> bool:
    strip = ("updated",)
    return {k: v for k, v in rec.items() if k not in strip} == {
        k: v for k, v in expected.items() if k not in strip
    }


@dataclass
class Child:
    worker: int
    pid: int
    fd: int
    report: Path  # where the child writes its traceback if it raises
    out: bytearray = field(default_factory=bytearray)
    kill_at: float | None = None
    killed: bool = False
    begins_before_kill: int = 0  # with ``work``: let the run start this many operations


def _spawn(db: Path, worker: int, seed: int, mode: str) -> Child:
    """Fork a worker whose stdout is a pipe to us (forking skips interpreter start-up)."""
    read_end, write_end = os.pipe()
    report = db.parent / f"worker-{worker}-{seed}.traceback"
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            os.close(read_end)
            os.dup2(write_end, 1)
            sys.stdout = open(1, "w", encoding="utf-8", buffering=1, closefd=False)  # noqa: SIM115
            crash_worker.main([str(db), str(worker), str(seed), mode])
        except BaseException:
            # os._exit below skips the interpreter's own report: keep the traceback for
            # the failure message (it would otherwise read "worker died: b''").
            with contextlib.suppress(BaseException):
                report.write_text(traceback.format_exc(), encoding="utf-8")
        finally:
            os._exit(1)
    os.close(write_end)
    return Child(worker, pid, read_end, report)


def death(child: Child, status: int) -> str:
    """Why a worker ended before we killed it: how, what it said last, its traceback."""
    if os.WIFSIGNALED(status):
        how = f"by signal {os.WTERMSIG(status)}"
    else:
        how = f"with exit status {os.WEXITSTATUS(status)}"
    try:
        told = child.report.read_text(encoding="utf-8")
    except FileNotFoundError:
        told = "(it raised nothing)"
    return (
        f"worker {child.worker} died {how} before it was killed; its last output: "
        f"{bytes(child.out[-300:])!r}; its traceback:\n{told}"
    )


def run_and_kill(
    db: Path,
    mode: str,
    runs_per_worker: dict[int, int],
    max_delay: float,
    seed: int = 0,
    between: Callable[[], None] | None = None,
    aim: tuple[float, float] | None = None,
    work: tuple[int, int] | None = None,
) -> dict[int, list[list[str]]]:
    """Run the workers side by side, each ``runs_per_worker[w]`` times in turn, and SIGKILL
    every run at a random moment up to ``max_delay`` s after it said READY (with ``aim``:
    between ``aim[0]`` and ``aim[1]`` s after its first BEGIN, to land inside a save;
    with ``work=(lo, hi)``: up to ``max_delay`` s after it began its n-th operation, n
    drawn from lo..hi, so that every run does work however loaded the machine is).

    Returns each run's complete output lines (after READY), per worker, in order.
    ``between`` is called after each run is reaped, before the worker's next run.
    """
    rng = random.Random(seed)
    left = dict(runs_per_worker)
    runs: dict[int, list[list[str]]] = {w: [] for w in runs_per_worker}
    sel = selectors.DefaultSelector()

    def start(worker: int) -> None:
        left[worker] -= 1
        child = _spawn(db, worker, rng.randrange(1 << 30), mode)
        if work is not None:
            child.begins_before_kill = rng.randint(*work)
        sel.register(child.fd, selectors.EVENT_READ, child)

    for worker in runs_per_worker:
        start(worker)
    while sel.get_map():
        children = [key.data for key in sel.get_map().values()]
        now = time.monotonic()
        for child in children:
            if child.kill_at is not None and not child.killed and child.kill_at <= now:
                os.kill(child.pid, signal.SIGKILL)
                child.killed = True
        waits = [c.kill_at - now for c in children if c.kill_at is not None and not c.killed]
        for key, _ in sel.select(max(0.0, min(waits)) if waits else 10.0):
            child = key.data
            data = os.read(child.fd, 1 << 16)
            if data:
                child.out += data
                if child.kill_at is None and b"READY\n" in child.out:
                    if work is not None:
                        if child.out.count(b"\nBEGIN ") >= child.begins_before_kill:
                            child.kill_at = time.monotonic() + rng.uniform(0, max_delay)
                    elif aim is None:
                        child.kill_at = time.monotonic() + rng.uniform(0, max_delay)
                    elif b"BEGIN" in child.out:
                        child.kill_at = time.monotonic() + rng.uniform(*aim)
                continue
            sel.unregister(child.fd)
            os.close(child.fd)
            _, status = os.waitpid(child.pid, 0)
            assert child.killed and os.WIFSIGNALED(status), death(child, status)
            lines = child.out.decode("utf-8", "replace").split("\n")
            assert lines[0] == "READY"
            runs[child.worker].append(lines[1:-1])  # the last piece is "" or cut by the kill
            if between is not None:
                between()
            if left[child.worker]:
                start(child.worker)
    return runs


def snapshot(db: Path) -> dict[str, dict]:
    with Store(db, coder="check", readonly=True) as store:
        return {a.id: a.to_json() for a in store.all()}


def make_db(db: Path, docs: int, per_doc: int, note_chars: int = 0) -> None:
    with Store(db, coder="crash") as store:
        store.add_many(
            NewAnnotation(
                f"doc-{d:03d}",
                i % 500,
                i % 500 + 5,
                TEXT,
                "h",
                tags=["经济"] if i % 3 else [],
                note=f"seed {i} " + "注" * note_chars,
            )
            for d in range(docs)
            for i in range(per_doc)
        )


def temp_files(db: Path) -> list[Path]:
    return [p for p in db.rglob(f"{TEMP_PREFIX}*")]


def test_killed_writers_lose_nothing_acknowledged_and_change_nothing_else(tmp_path):
    db = tmp_path / "db"
    make_db(db, docs=100, per_doc=20)
    ledger = Ledger(model=snapshot(db))
    assert len(ledger.model) == 2000
    started = time.monotonic()
    # Each run is killed at a random moment after it began 2 to 6 operations: waiting for
    # work, not for time, so a loaded machine cannot turn the kills into no-ops.
    runs = run_and_kill(db, "mixed", {0: 80, 1: 80}, max_delay=0.02, seed=1, work=(2, 6))
    elapsed = time.monotonic() - started
    for worker_runs in runs.values():
        for lines in worker_runs:
            ledger.apply(lines)
            ledger.kills += 1

    with Store(db, coder="check") as store:  # a writable open clears leftovers
        assert temp_files(db) == []
        assert sum(store.counts_by_document().values()) > 0
    assert ledger.problems(snapshot(db)) == []
    assert ledger.kills == 160
    assert ledger.acks >= ledger.kills, "the workers hardly ran: the kills prove nothing"
    assert [f for f in check_database(db) if f.severity == "error"] == []
    print(f"\n{ledger.kills} kills, {ledger.acks} acknowledged operations, {elapsed:.1f} s")


def test_kills_in_the_middle_of_large_writes_leave_no_temp_files_after_the_next_open(tmp_path):
    db = tmp_path / "db"
    # One 6 MB file of few, long records: a save is mostly writing, so kills land mid-write.
    make_db(db, docs=1, per_doc=200, note_chars=10_000)
    ledger = Ledger(model=snapshot(db))
    with Store(db, coder="crash") as store:  # how long a save takes here, to aim the kills
        some = store.for_document("doc-000")[0]
        t0 = time.monotonic()
        store.update(some.id, note="timing")
        took = time.monotonic() - t0
        ledger.model[some.id] = store.get(some.id).to_json()
    seen_leftovers = 0
    reaped = 0

    def between() -> None:
        nonlocal seen_leftovers, reaped
        reaped += 1
        seen_leftovers += bool(temp_files(db))
        if reaped % 2:  # every other time open before the next run (which opens too)
            Store(db, coder="check").close()
            assert temp_files(db) == []

    started = time.monotonic()
    for lines in run_and_kill(
        db, "big", {0: 40}, 0, seed=5, between=between, aim=(0.4 * took, 1.2 * took)
    )[0]:
        ledger.apply(lines)
        ledger.kills += 1
    assert ledger.kills == 40
    assert seen_leftovers > 0, "no kill landed mid-write; the test proves nothing"
    Store(db, coder="check").close()
    assert temp_files(db) == []
    assert ledger.problems(snapshot(db)) == []
    elapsed = time.monotonic() - started
    print(
        f"\n{ledger.kills} kills, {seen_leftovers} mid-write, "
        f"{ledger.acks} acknowledged, {elapsed:.1f} s"
    )


def test_a_worker_that_raises_fails_the_run_with_its_traceback(tmp_path):
    not_a_folder = tmp_path / "db"
    not_a_folder.write_text("a file, not a database folder")
    with pytest.raises(AssertionError, match="worker 0 died with exit status 1") as failed:
        run_and_kill(not_a_folder, "mixed", {0: 1}, max_delay=0.01)
    message = str(failed.value)
    assert "Traceback (most recent call last):" in message
    assert "crash_worker.py" in message  # where it raised, in the worker's own code
    assert "is a file, but the database must be a folder" in message
