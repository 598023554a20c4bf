"""Cold start of the command line: wall time and `python -X importtime` figures.

    python bench/bench_startup.py [--runs 15]

For `speechreader --version` and `speechreader list --json` (on the sample corpus,
warm listing cache) it prints the median wall time of repeated runs, the median
total import time (the cumulative time of each top-level import, summed), and how
many modules the command imports, naming the heavy ones it pulls in (OpenCC, jieba,
TinyDB, Textual, Rich). Medians, because the machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

COMMANDS = (["--version"], ["list", "--json"])
HEAVY = ("opencc", "jieba", "rjieba", "tinydb", "textual", "rich", "charset_normalizer")


def _importtime(args: list[str]) -> tuple[float, list[str]]:
    """Total import time (ms) and the names of the modules ``args`` imported."""
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "speechreader", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    total_us = 0
    names = []
    for line in proc.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _, cumulative, name = line.split("|")
        if not name.startswith("  "):  # a top-level import: its cumulative counts once
            total_us += int(cumulative)
        names.append(name.strip())
    return total_us / 1000, names


def _wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "speechreader", *args], capture_output=True, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    for args in COMMANDS:
        _wall(args)  # warm the listing cache and the OS's file cache
        walls = [_wall(args) for _ in range(runs)]
        imports = [_importtime(args) for _ in range(runs)]
        names = imports[-1][1]
        heavy = sorted({n.split(".")[0] for n in names} & set(HEAVY))
        print(
            f"speechreader {' '.join(args):<12} wall {statistics.median(walls) * 1000:6.0f} ms"
            f"  imports {statistics.median(t for t, _ in imports):6.0f} ms"
            f"  modules {len(names):4d}  heavy: {', '.join(heavy) or 'none'}"
        )


if __name__ == "__main__":
    main()
