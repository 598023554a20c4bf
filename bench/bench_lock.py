"""Benchmark the database lock: the longest any of N contending writer processes waits for it.

    python bench/bench_lock.py [--writers 4] [--turns 50] [--hold-ms 2] [--repeats 5] [--unfair]

N processes start together (released by one line on their stdin) and each takes the
lock ``--turns`` times back to back, holding it each time while it writes and fsyncs
a small file (about what a one-file change costs), then lets go and asks again at
once: the worst case for fairness, every writer always wanting the lock. Each wait,
from asking to holding, is measured in the writer (time.monotonic). Per repeat: the
longest wait of all, the 99th percentile and the median; reported as the median over
``--repeats`` runs (the machine is shared and noisy), min and max beside it.

With a fair lock the longest wait is about (N - 1) x the time one turn holds the lock
(everyone else's turn, once; printed beside the figures); ``--unfair`` runs the same
writers with the lock's old way of waiting (plain ``flock`` polling with backoff to
20 ms, no line), to compare.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from speechreader.core.store._locking import DbLock  # noqa: E402


class OldLock:
    """The lock as it was before the line: poll ``flock`` with backoff, no order."""

    def __init__(self, path: Path) -> None:
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)

    def acquire(self) -> bool:
        pause = 0.001
        while True:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                time.sleep(pause)
                pause = min(pause * 2, 0.02)

    def release(self) -> None:
        fcntl.flock(self.fd, fcntl.LOCK_UN)


def worker(db: Path, turns: int, hold_ms: float, unfair: bool) -> None:
    lock_path = db / "local" / "lock"
    lock = OldLock(lock_path) if unfair else DbLock(lock_path, timeout=3600)
    fd = os.open(db / f"work-{os.getpid()}", os.O_RDWR | os.O_CREAT, 0o644)
    payload = os.urandom(512)
    print("ready", flush=True)
    sys.stdin.readline()
    waits, holds = [], []
    for _ in range(turns):
        asked = time.monotonic()
        assert lock.acquire()
        waits.append(time.monotonic() - asked)
        until = time.monotonic() + hold_ms / 1000
        while True:  # the change: write and fsync, at least hold_ms long
            os.pwrite(fd, payload, 0)
            os.fsync(fd)
            if time.monotonic() >= until:
                break
        holds.append(time.monotonic() - asked - waits[-1])
        lock.release()
    print(json.dumps([waits, holds]), flush=True)


def one_run(args: argparse.Namespace) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="bench-lock-") as tmp:
        db = Path(tmp)
        (db / "local").mkdir()
        command = [sys.executable, __file__, "--worker", str(db), "--turns", str(args.turns)]
        command += ["--hold-ms", str(args.hold_ms)] + (["--unfair"] if args.unfair else [])
        procs = [
            subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
            for _ in range(args.writers)
        ]
        for proc in procs:
            assert proc.stdout.readline() == "ready\n"
        for proc in procs:  # all at once
            proc.stdin.write("go\n")
            proc.stdin.flush()
        waits: list[float] = []
        holds: list[float] = []
        for proc in procs:
            got = json.loads(proc.stdout.readline())
            waits += got[0]
            holds += got[1]
            proc.wait()
    waits.sort()
    return {
        "longest": waits[-1],
        "p99": waits[int(0.99 * (len(waits) - 1))],
        "median": statistics.median(waits),
        "hold": statistics.median(holds),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--turns", type=int, default=50)
    parser.add_argument("--hold-ms", type=float, default=2.0)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--unfair", action="store_true")
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.turns, args.hold_ms, args.unfair)
        return
    runs = [one_run(args) for _ in range(args.repeats)]
    kind = "old flock polling" if args.unfair else "fair (in line)"
    print(
        f"{args.writers} writers x {args.turns} turns, each holding >= {args.hold_ms:g} ms "
        f"(write+fsync), {kind}; {args.repeats} runs"
    )
    for key, what in (
        ("longest", "longest wait"),
        ("p99", "p99 wait"),
        ("median", "median wait"),
        ("hold", "one turn holds"),
    ):
        values = [run[key] * 1000 for run in runs]
        print(
            f"  {what:15} median {statistics.median(values):8.1f} ms  "
            f"(min {min(values):.1f}, max {max(values):.1f})"
        )
    hold = statistics.median(run["hold"] for run in runs) * 1000
    print(f"  a fair line's longest wait would be about {(args.writers - 1) * hold:.1f} ms")


if __name__ == "__main__":
    main()
