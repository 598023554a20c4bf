"""Benchmark the analysis tables as whole commands: `speechreader stats ...` on 100,000 passages.

    python bench/bench_analysis_cli.py [--docs 10000] [--annotations 100000] [--repeat 5]
                                       [--corpus DIR] [--dir DIR | --keep DIR]

What a user waits for: a new Python process each time (start-up, imports, reading the
corpus listing, the coding, computing and printing the table), its output thrown
away. Builds the corpus and the coded database as bench/bench_analysis.py does (or
reuses them with ``--keep``), runs each command once to fill the caches (the corpus
listing, the store's span cache), then times ``--repeat`` more runs and reports the
median wall time and the median CPU time of the process (user + system; on a shared
machine wall time also counts waiting for a core). Targets (issue 11): a frequency,
crosstab or trend table ≤ 1 s, co-occurrence ≤ 2 s. Also timed: `--version` (what
start-up alone costs) and the first table after the span cache is removed.

Caches, data and config go to the working folder, never the user's.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

COMMANDS = [
    ("table", ["stats", "freq"]),
    ("table", ["stats", "freq", "--children"]),
    ("table", ["stats", "crosstab", "--by", "year"]),
    ("table", ["stats", "crosstab", "--by", "speaker"]),
    ("table", ["stats", "crosstab", "--by", "speaker", "--json"]),
    ("table", ["stats", "trend"]),
    ("table", ["stats", "trend", "--period", "month"]),
    ("cooccur", ["stats", "cooccur"]),
    ("cooccur", ["stats", "cooccur", "--within", "document"]),
]
TARGETS = {"table": 1.0, "cooccur": 2.0}


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one ``speechreader ARGV`` process (output discarded)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "speechreader", *argv],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"speechreader {' '.join(argv)} failed: {done.stderr.decode()[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main(argv: list[str] | None = None) -> int:
    from bench_analysis import parse_arguments

    args = parse_arguments(__doc__, argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="sr-bench-cli-", dir=args.dir))
    env = dict(os.environ)
    # A user's speechreader runs from bytecode (pip compiles it on install; an editable
    # install writes it on first use); a machine that forbids .pyc files would time the
    # compiling of ~70 modules (~0.1 s) on every run instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    for name in ("CACHE", "DATA", "CONFIG", "STATE"):
        (base / name.lower()).mkdir(parents=True, exist_ok=True)
        os.environ[f"SPEECHREADER_{name}_DIR"] = env[f"SPEECHREADER_{name}_DIR"] = str(
            base / name.lower()
        )
    try:
        return run(args, base, env)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def setup(args: argparse.Namespace, base: Path) -> tuple[Path, Path]:
    """The corpus and the coded database (made once; kept with ``--keep``)."""
    from bench_analysis import populate
    from make_corpus import generate

    from speechreader.core.corpus import Corpus

    root = args.corpus
    if root is None:
        root = base / "corpus"
        if not root.exists():
            generate(root, args.docs, seed=1, junk=0)
    db = base / "db.srdb"
    if not db.exists():
        start = time.perf_counter()
        populate(Corpus.load(root), db, args.annotations)
        print(f"coded {args.annotations:,} passages in {time.perf_counter() - start:.1f} s (setup)")
    return root, db


def run(args: argparse.Namespace, base: Path, env: dict[str, str]) -> int:
    from speechreader.core.paths import database_cache_dir

    root, db = setup(args, base)
    where = ["--corpus", str(root), "--db", str(db)]
    print(f"python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} cores")  # fmt: skip
    run_once(["stats", "freq", *where], env)  # corpus listing and span cache filled
    print(f"medians of {args.repeat} runs, each a new process (warm caches):")
    results = []

    def timed(kind: str, argv: list[str]) -> None:
        run_once(argv, env)  # this command's own first run (e.g. co-occurrence units)
        runs = [run_once(argv, env) for _ in range(args.repeat)]
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        label = " ".join(a for a in argv if a not in where)
        target = f"  (target {TARGETS[kind]:.0f} s)" if kind in TARGETS else ""
        print(f"  {label:<42} {wall * 1000:7.0f} ms wall {cpu * 1000:7.0f} ms cpu{target}")
        sys.stdout.flush()
        results.append((kind, label, wall, cpu))

    timed("startup", ["--version"])
    for kind, argv in COMMANDS:
        timed(kind, [*argv, *where])
    cache = database_cache_dir(db)
    colds = []
    for _ in range(3):
        shutil.rmtree(cache, ignore_errors=True)
        colds.append(run_once(["stats", "freq", *where], env)[0])
    print(f"  {'stats freq, span cache removed first':<42} "
          f"{statistics.median(colds) * 1000:7.0f} ms wall  (median of 3)")  # fmt: skip
    from bench_analysis import report_targets

    report_targets(results, TARGETS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
