"""Running a command as a fresh process for a benchmark: wall time and its own peak memory.

Shared by bench_list, bench_search and bench_scale, so that every figure is taken the
same way: the command's output goes to a pipe (as when a user pipes ``--json``), a
non-zero exit raises with the last line of its stderr, and the peak resident memory is
that one child's (``os.wait4``), not the maximum over every child so far (which is what
``resource.getrusage(RUSAGE_CHILDREN)`` would give).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mb: float  # the process's peak resident set (VmHWM), in MB
    stdout_bytes: int  # how much it wrote (the output itself is not kept: see _count)


def _drain(stream, sink: list[bytes]) -> None:
    sink.append(stream.read())


def _count(stream, sink: list[int]) -> None:
    """Read the output in chunks and keep only its size: a child's peak RSS counts what
    it inherited from this process at fork, so holding a big ``--json`` here would be
    reported as the next command's memory."""
    total = 0
    while chunk := stream.read(1 << 16):
        total += len(chunk)
    sink.append(total)


def run(command: list[str], env: dict[str, str] | None = None, cwd: Path = REPO) -> Run:
    """Run ``command`` to its end; its wall time and peak RSS. Raises on a non-zero exit."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out: list[int] = []
    err: list[bytes] = []
    readers = [
        threading.Thread(target=_count, args=(proc.stdout, out)),
        threading.Thread(target=_drain, args=(proc.stderr, err)),
    ]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    for reader in readers:
        reader.join()
    proc.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    if proc.returncode != 0:
        lines = b"".join(err).decode("utf-8", "replace").strip().splitlines() or ["no output"]
        raise RuntimeError(f"{' '.join(command[:4])}...: exit {proc.returncode}: {lines[-1]}")
    peak_kb = usage.ru_maxrss  # kilobytes on Linux
    return Run(elapsed, peak_kb / 1024, sum(out))


def speechreader(args: list[str], env: dict[str, str] | None = None) -> Run:
    """A fresh ``python -m speechreader ARGS`` (what a user waits for, start-up included)."""
    return run([sys.executable, "-m", "speechreader", *args], env)


def isolated_env(base: Path) -> dict[str, str]:
    """The environment with every speechreader (and XDG) folder under ``base``.

    Caches, databases, configuration and state of a benchmark never touch the user's own.
    """
    env = dict(os.environ)
    for name in ("CACHE", "DATA", "CONFIG", "STATE"):
        folder = base / name.lower()
        folder.mkdir(parents=True, exist_ok=True)
        env[f"SPEECHREADER_{name}_DIR"] = str(folder)
        env[f"XDG_{name}_HOME"] = str(folder)
    env.pop("SPEECHREADER_DB", None)
    env.pop("SPEECHREADER_CORPUS", None)
    return env
