"""How long `speechreader import-annotations` takes, and how much memory, at 10k-1M rows.

    python bench/bench_import.py [--rows 10000 100000 1000000] [--docs 2000] [--repeat 3]
                                 [--work DIR]

A corpus of ``--docs`` documents is generated once with bench/make_corpus.py (kept in
``--work``, default a folder under the system's temporary folder, with its listing
cache warm), and for each size a CSV in the export's format: ``--rows`` rows, one per
(annotation, tag), annotations of two coders with one or two tags, notes, highlights,
spread over every document, each passage taken from the document's text so that every
row imports.

Each run is the real command in a fresh process (``python -c 'speechreader.cli.main'``)
importing into a new database; its wall time and peak resident memory (``ru_maxrss`` of
the child, from ``os.wait4``) are recorded. Shown: the median of ``--repeat`` runs, and
the command. A second line per size re-imports the same file into the database the last
run filled (every annotation exists: the "update" path, nothing to write).

While a run is going, a second process tries the database lock every 50 ms and records
the longest time it had to wait: the import holds the lock only to rename its files.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from make_corpus import generate  # noqa: E402

from speechreader.core.corpus import Corpus  # noqa: E402
from speechreader.core.exchange._csv_export import EXPORT_COLUMNS  # noqa: E402

CLI = "import sys\nfrom speechreader.cli import main\nmain(sys.argv[1:])\n"
TAGS = ["经济", "党建", "民生", "安全", "生态", "改革", "开放", "创新", "文化", "治理"]
LOCK_PROBE = """
import fcntl, os, sys, time
path, stop = sys.argv[1], sys.argv[2]
longest = 0.0
while not os.path.exists(stop):
    if os.path.exists(path):
        fd = os.open(path, os.O_RDWR)
        began = time.monotonic()
        fcntl.flock(fd, fcntl.LOCK_EX)
        longest = max(longest, time.monotonic() - began)
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
    time.sleep(0.05)
print(longest)
"""


def make_csv(corpus: Corpus, rows: int, out: Path, seed: int = 1) -> None:
    rng = random.Random(seed)
    docs = list(corpus.documents)
    annotations = max(int(rows / 1.3), 1)  # three in ten have two tags: two rows
    written = 0
    with open(out, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        i = 0
        while written < rows:
            doc = docs[min(i * len(docs) // annotations, len(docs) - 1)]  # by document
            text = corpus.text(doc.id)
            start = rng.randrange(0, max(len(text) - 40, 1))
            end = min(start + rng.randrange(2, 40), len(text))
            tags = rng.sample(TAGS, 2 if i % 10 < 3 else 1)
            coder = "amy" if i % 2 else "bo"
            note = f"第{i}条备注" if i % 4 == 0 else ""
            highlight = "yellow" if i % 7 == 0 else ""
            for tag in tags:
                if written == rows:
                    break
                writer.writerow([
                    f"{i:012x}", doc.id, doc.title, start, end, tag, text[start:end], "", "",
                    note, highlight, coder, "2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z",
                ])  # fmt: skip
                written += 1
            i += 1


def run(args: list[str], env: dict[str, str], lock: Path | None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) of one CLI run, and the longest wait for the lock (s)."""
    stop = Path(tempfile.mkdtemp()) / "stop"
    probe = None
    if lock is not None:
        probe = subprocess.Popen(
            [sys.executable, "-c", LOCK_PROBE, str(lock), str(stop)],
            stdout=subprocess.PIPE,
            text=True,
        )
    try:
        with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
            began = time.monotonic()
            proc = subprocess.Popen(
                [sys.executable, "-c", CLI, *args], env=env, stdout=out, stderr=err
            )
            _, status, usage = os.wait4(proc.pid, 0)
            wall = time.monotonic() - began
            proc.returncode = os.waitstatus_to_exitcode(status)
            if proc.returncode != 0:
                err.seek(0)
                raise SystemExit(
                    f"import failed ({proc.returncode}): {err.read().decode()[-2000:]}"
                )
    finally:
        waited = 0.0
        if probe is not None:
            stop.touch()
            waited = float(probe.communicate()[0] or 0)
            shutil.rmtree(stop.parent, ignore_errors=True)
    return wall, usage.ru_maxrss / 1024, waited


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    default_work = Path(tempfile.gettempdir()) / "sr-bench-import"
    parser.add_argument("--work", type=Path, default=default_work)
    parser.add_argument("--no-update", action="store_true", help="skip the re-import runs")
    args = parser.parse_args(argv)

    work = args.work
    env = dict(os.environ, PYTHONPATH=str(REPO), SPEECHREADER_CODER="bench")
    for name in ("CACHE", "DATA", "CONFIG"):
        (work / name.lower()).mkdir(parents=True, exist_ok=True)
        env[f"SPEECHREADER_{name}_DIR"] = str(work / name.lower())
    os.environ.update({k: v for k, v in env.items() if k.startswith("SPEECHREADER_")})
    corpus_dir = work / f"corpus-{args.docs}"
    if not corpus_dir.exists():
        print(f"generating {args.docs} documents in {corpus_dir} ...", flush=True)
        generate(corpus_dir, args.docs, seed=1)
    corpus = Corpus.load(corpus_dir)  # also warms the listing cache the command will use
    print(f"corpus: {len(corpus)} documents ({corpus_dir})", flush=True)
    print(f"{'rows':>9}  {'run':<8} {'median s':>9} {'runs s':<24} {'peak MB':>8} {'lock s':>7}")
    for rows in args.rows:
        source = work / f"import-{rows}.csv"
        if not source.exists():
            make_csv(corpus, rows, source)
        db = work / "db.srdb"
        times, peaks, waits = [], [], []
        command = ["import-annotations", str(source), "--corpus", str(corpus_dir), "--db", str(db)]
        for _ in range(args.repeat):
            shutil.rmtree(db, ignore_errors=True)
            Path(db).mkdir()
            from speechreader.core.store import Store

            Store(db).close()  # an empty database, so that the lock file exists for the probe
            wall, peak, waited = run(command, env, db / "local" / "lock")
            times.append(wall)
            peaks.append(peak)
            waits.append(waited)
        report(rows, "new", times, peaks, waits)
        if not args.no_update:
            times, peaks, waits = [], [], []
            for _ in range(args.repeat):
                wall, peak, waited = run(command, env, db / "local" / "lock")
                times.append(wall)
                peaks.append(peak)
                waits.append(waited)
            report(rows, "again", times, peaks, waits)
    print("command: speechreader " + " ".join(command).replace(str(work), "$WORK"))
    print(f"WORK={work}")
    return 0


def report(rows: int, kind: str, times: list[float], peaks: list[float], waits: list[float]):
    runs = " ".join(f"{t:.1f}" for t in times)
    print(
        f"{rows:>9,}  {kind:<8} {statistics.median(times):>9.1f} {runs:<24} "
        f"{max(peaks):>8.0f} {max(waits):>7.2f}",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
