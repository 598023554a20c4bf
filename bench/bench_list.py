"""How long listing a corpus takes, cold (empty cache) and warm (cache from the previous run).

    python bench/bench_list.py [--docs 10000] [--corpus DIR] [--seed 1] [--repeat 3]

For the bundled sample corpus and a large one (``--corpus DIR``, or ``--docs`` documents
generated with bench/make_corpus.py into a temporary folder) it measures, each with its
own fresh cache folder (``SPEECHREADER_CACHE_DIR``):

- ``in-process``: ``Corpus.load`` in this process (imports already paid for);
- ``process``: a fresh ``python -c "Corpus.load(...)"``, what a script pays from scratch;
- ``cli``: a fresh ``python -m speechreader list --corpus DIR --json``, what a user waits
  for (imports, loading, and writing the JSON). Shown as n/a if the CLI fails.

Cold is one run with an empty cache; warm is the median of ``--repeat`` runs after it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import cli_runs  # noqa: E402
from make_corpus import generate  # noqa: E402

from speechreader.core.corpus import Corpus  # noqa: E402

LOAD_SNIPPET = "import sys\nfrom speechreader.core.corpus import Corpus\nCorpus.load(sys.argv[1])\n"


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def cold_and_warm(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    cold = timed(action)
    return cold, statistics.median(timed(action) for _ in range(repeat))


def fresh_cache(base: Path, name: str) -> dict[str, str]:
    folder = base / name
    folder.mkdir(parents=True, exist_ok=True)
    return {**os.environ, "SPEECHREADER_CACHE_DIR": str(folder)}


def run(command: list[str], env: dict[str, str]) -> None:
    cli_runs.run(command, env)


def measure(corpus: Path, caches: Path, repeat: int) -> dict[str, tuple[float, float] | str]:
    results: dict[str, tuple[float, float] | str] = {}
    os.environ["SPEECHREADER_CACHE_DIR"] = str(caches / "in-process")  # read at each load
    results["in-process"] = cold_and_warm(lambda: Corpus.load(corpus), repeat)

    env = fresh_cache(caches, "process")
    results["process"] = cold_and_warm(
        lambda: run([sys.executable, "-c", LOAD_SNIPPET, str(corpus)], env), repeat
    )
    env = fresh_cache(caches, "cli")
    cli = [sys.executable, "-m", "speechreader", "list", "--corpus", str(corpus), "--json"]
    try:
        results["cli"] = cold_and_warm(lambda: run(cli, env), repeat)
    except RuntimeError as exc:
        results["cli"] = f"n/a ({exc})"
    return results


def describe(corpus: Path) -> str:
    files = [p for p in corpus.rglob("*") if p.is_file() and p.suffix.lower() == ".txt"]
    return f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="size of the generated corpus")
    parser.add_argument("--corpus", type=Path, help="measure this corpus instead of generating")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="warm runs (median is shown)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="sr-bench-") as tmp:
        base = Path(tmp)
        big = args.corpus
        if big is None:
            big = base / f"generated-{args.docs}"
            start = time.perf_counter()
            generate(big, args.docs, seed=args.seed)
            print(f"generated {args.docs} documents in {time.perf_counter() - start:.1f} s")
        corpora = {"sample": REPO / "sample_corpus", big.name: big}
        startup = statistics.median(
            timed(lambda: run([sys.executable, "-c", "pass"], dict(os.environ))) for _ in range(3)
        )
        print(f"python startup alone: {startup * 1000:.0f} ms\n")
        header = f"{'corpus':<18} {'size':<22} {'how':<11} {'cold':>9} {'warm':>9}"
        print(header + "\n" + "-" * len(header))
        for label, corpus in corpora.items():
            results = measure(corpus, base / f"cache-{label}", args.repeat)
            for how, value in results.items():
                if isinstance(value, str):
                    print(f"{label:<18} {describe(corpus):<22} {how:<11} {value}")
                else:
                    cold, warm = value
                    row = (
                        f"{label:<18} {describe(corpus):<22} {how:<11} {cold:>8.2f}s {warm:>8.3f}s"
                    )
                    print(row)
    return 0


if __name__ == "__main__":
    sys.exit(main())
