"""What a warm ``Corpus.load`` costs in one process: time, CPU and memory (issue 15).

    python bench/bench_corpus_load.py CORPUS [--runs 3] [--json]

Each run is a fresh Python (so that the peak resident memory is the load's own) that
imports speechreader, loads the corpus with its listing cache in place, and reports the
load's wall and CPU seconds, the resident memory after the load (VmRSS) and the peak
(VmHWM, which includes the interpreter and the imports, ~25 MB). ``--json`` also turns
every document into its ``list --json`` form, as the CLI does. The cache folders are
the environment's (``SPEECHREADER_CACHE_DIR``): point them at a benchmark's own, never
at a user's. Prints the median of ``--runs`` runs and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

CHILD = r"""
import json, os, sys, time
from speechreader.core.corpus import Corpus

def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    return 0.0

wall, cpu = time.perf_counter(), time.process_time()
corpus = Corpus.load(sys.argv[1])
if sys.argv[2] == "1":
    out = [d.to_json() for d in corpus.documents]
result = {
    "documents": len(corpus),
    "seconds": time.perf_counter() - wall,
    "cpu": time.process_time() - cpu,
    "rss_mb": status("VmRSS:"),
    "peak_mb": status("VmHWM:"),
}
print(json.dumps(result))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="also make every to_json()")
    args = parser.parse_args()
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # a user's install compiles its bytecode
    results = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(args.corpus), "1" if args.json else "0"],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=REPO,
        ).stdout
        results.append(json.loads(out))
    for key in ("seconds", "cpu", "rss_mb", "peak_mb"):
        values = [r[key] for r in results]
        print(
            f"{key:8} median {statistics.median(values):8.2f}   runs "
            + " ".join(f"{v:.2f}" for v in values)
        )
    print(f"documents {results[0]['documents']}; load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
