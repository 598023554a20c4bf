"""How long corpus search takes: building and loading the index, queries, a fresh CLI.

    python bench/bench_search.py [--docs 10000] [--corpus DIR] [--seed 1] [--repeat 5]

On a corpus generated with bench/make_corpus.py (or the one given with ``--corpus``),
with a fresh cache folder (``SPEECHREADER_CACHE_DIR``), it measures:

- the corpus listing, cold (first load) and warm: what every search pays first;
- ``SearchIndex.open`` cold (reads, converts and writes the index) and warm (loads it);
- in-process queries, the median of ``--repeat`` runs: ``find`` (spans only) and
  ``search`` (KWIC lines, sorted): literal simplified, literal traditional, a common
  word, regular expressions, whole-word (first run segments the documents with hits,
  then warm), metadata filters, a left-context sort;
- a fresh ``python -m speechreader search QUERY --corpus DIR --json`` (and without
  ``--json``) with a warm cache: what a user waits for, start-up and output included;
- with ``--naive``, the scan the index replaces: read, decode and convert every file.

The targets (issue 5): a query within 0.5 s in the app once the index is loaded, and
a fresh ``speechreader search`` within 1.5 s once the cache exists, on 10,000 documents.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
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
from speechreader.core.search import SearchFilter, SearchIndex, find, kwic, search, sort_spans  # noqa: E402
from speechreader.core.search._index import cache_path  # noqa: E402

#: (label, query, options for find/search)
QUERIES: list[tuple[str, str, dict]] = [
    ("literal simplified", "两个维护", {}),
    ("literal traditional", "兩個維護", {}),
    ("literal, rare", "一把手", {}),
    ("common word (worst case)", "发展", {}),
    ("regex", "[一二三四五六七八九十]个(维护|自信|意识)", {"regex": True}),
    ("regex, many hits", "[一二三四五六七八九十]个", {"regex": True}),
    ("filtered: place+dates", "干部", {"where": SearchFilter(place="广西", date_from="2015",
                                                            date_to="2018-06")}),
    ("filtered: speaker", "干部", {"where": SearchFilter(speaker="王")}),
    ("sorted by left context", "两个维护", {"sort": "left"}),
]  # fmt: skip
WHOLE_WORD = ("whole-word", "一把手", {"whole_word": True})
CLI_QUERY = "两个维护"


def timed(action: Callable[[], object]) -> tuple[float, object]:
    gc.collect()
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def median_time(action: Callable[[], object], repeat: int) -> tuple[float, object]:
    runs = [timed(action) for _ in range(repeat)]
    return statistics.median(t for t, _ in runs), runs[-1][1]


def run_cli(args: list[str], env: dict[str, str]) -> float:
    return cli_runs.speechreader(args, env).seconds


def naive_scan(corpus: Corpus, query: str) -> int:
    """What searching costs without an index: every file read, decoded and converted."""
    from speechreader.core.search._form import normalise

    needle, hits = normalise(query), 0
    for info in corpus.documents:
        hits += normalise(corpus.text(info.id)).count(needle)
    return hits


def report(label: str, seconds: float, extra: str = "") -> None:
    print(f"  {label:<34} {seconds * 1000:>9.1f} ms  {extra}")


def bench(root: Path, repeat: int, naive: bool) -> None:
    files = [p for p in root.rglob("*.txt") if p.is_file()]
    size = sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus {root}: {len(files)} files, {size:.1f} MB")

    print("\nlisting and index")
    cold, corpus = timed(lambda: Corpus.load(root))
    report("corpus listing, cold", cold)
    warm, corpus = median_time(lambda: Corpus.load(root), repeat)
    report("corpus listing, warm", warm)
    build, index = timed(lambda: SearchIndex.open(corpus))
    chars = sum(len(entry.norm) for _, entry in index)
    report("index build, cold (and write)", build, f"{len(index)} documents, {chars:,} chars")
    report("", 0, f"cache file {cache_path(root).stat().st_size / 1e6:.1f} MB")
    load, index = median_time(lambda: SearchIndex.open(corpus), repeat)
    report("index load, warm", load, f"built {index.built} (0: all from the cache)")

    print(f"\nin-process queries (median of {repeat}; find = spans, search = KWIC lines)")
    find(index, "预热")  # the first query makes the OpenCC converter with our overrides
    for label, query, options in QUERIES:
        find_options = {k: v for k, v in options.items() if k != "sort"}
        t_find, spans = median_time(lambda: find(index, query, **find_options), repeat)  # noqa: B023
        t_search, _ = median_time(lambda: search(index, query, **options), repeat)  # noqa: B023
        report(f"{label}: {query}", t_search, f"find {t_find * 1000:.1f} ms, {len(spans)} hits")
    for by in ("doc", "left"):

        def page(by: str = by) -> list:
            return kwic(index, sort_spans(index, find(index, "发展"), by)[:50])

        t_page, _ = median_time(page, repeat)
        report(f"发展: find + sort_spans({by}) + 50 lines", t_page, "what a paged view pays")
    label, query, options = WHOLE_WORD
    t_first, spans = timed(lambda: search(index, query, **options))
    report(f"{label}, first (segments): {query}", t_first, f"{len(spans)} hits")
    t_warm, _ = median_time(lambda: search(index, query, **options), repeat)
    report(f"{label}, warm: {query}", t_warm)

    print(f"\nfresh process, warm cache (median of {repeat})")
    env = dict(os.environ)
    startup = statistics.median(
        timed(lambda: subprocess.run([sys.executable, "-c", "pass"], env=env))[0]
        for _ in range(repeat)
    )
    report("python startup alone", startup)
    for args in (["--json"], []):
        cli = ["search", CLI_QUERY, "--corpus", str(root), *args]
        seconds = statistics.median(run_cli(cli, env) for _ in range(repeat))
        report("speechreader " + " ".join(a for a in cli if a != str(root)), seconds)

    if naive:
        print("\nwithout an index")
        t_naive, hits = timed(lambda: naive_scan(corpus, CLI_QUERY))
        report(f"read + convert every file: {CLI_QUERY}", t_naive, f"{hits} hits")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="size of the generated corpus")
    parser.add_argument("--corpus", type=Path, help="measure this corpus instead of generating")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5, help="runs per measure (median)")
    parser.add_argument("--naive", action="store_true", help="also time a scan without index")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="sr-bench-search-") as tmp:
        base = Path(tmp)
        os.environ["SPEECHREADER_CACHE_DIR"] = str(base / "cache")  # read at each use
        root = args.corpus
        if root is None:
            root = base / f"generated-{args.docs}"
            start = time.perf_counter()
            generate(root, args.docs, seed=args.seed)
            print(f"generated {args.docs} documents in {time.perf_counter() - start:.1f} s")
        bench(root.resolve(), args.repeat, args.naive)
    return 0


if __name__ == "__main__":
    sys.exit(main())
