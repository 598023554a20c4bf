"""How listing, search, the index and export scale from 1,000 to 100,000 speeches (issue 15).

    python bench/bench_scale.py [--sizes 1000,10000,30000,100000] [--runs 3]
                                [--work DIR] [--figures cold_list,warm_list,...] [--save FILE]

For each size it generates a corpus with bench/make_corpus.py (seed 1), or reuses the one
under ``--work`` (default: ``$TMPDIR/sr-bench-scale``, kept between runs: a 100k corpus
is 600 MB and takes minutes to write), with its own cache, data, config and state folders
(``SPEECHREADER_*_DIR`` and ``XDG_*_HOME``), so the user's own data is never touched.
Every figure is a fresh process (what a user waits for, start-up included), the median
of ``--runs`` runs, with that process's peak resident memory (``os.wait4``):

- ``cold_list``: ``speechreader list`` with the listing cache removed before each run;
- ``warm_list``: ``speechreader list --json`` with the listing cache in place;
- ``index_build``: ``speechreader search 两个维护 --json`` with every cache of the corpus
  but the listing removed before each run (so the search index is built and written);
- ``search_common`` / ``search_rare``: ``search 发展 --json`` / ``search 两个维护 --json``,
  caches warm;
- ``export``: ``speechreader export -o FILE.csv`` of a database with 10 annotations per
  document (made once with ``Store.add_many``, kept under ``--work``; a database knows
  nothing of where it lives, so a renamed one is the same); ``export_parquet``: the same
  with ``-o FILE.parquet`` (not in the default figures: it needs pyarrow);
- the anchors: ``plain_loop`` (a fresh Python that walks the folder, reads, decodes with
  ``decode_bytes`` and converts with OpenCC t2s: the least a cold listing must do) and
  ``grep`` (``grep -r 两个维护``: the least a rare-phrase search must do).

It prints two markdown tables (median seconds, peak MB), each with the 100k/10k growth
(10.0 is linear) and the issue's target beside, and the load average before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

import cli_runs  # noqa: E402
from make_corpus import generate  # noqa: E402

RARE, COMMON = "两个维护", "发展"
LISTING_FILE = "listing.json"  # the listing cache, inside the corpus's cache folder
ANNOTATIONS_PER_DOC = 10

PLAIN_LOOP = r"""
import os, sys
import opencc
from speechreader.core.text import decode_bytes
from speechreader.core.errors import UnreadableFile
t2s = opencc.OpenCC("t2s")
chars = 0
for folder, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for name in names:
        if name.startswith(".") or not name.lower().endswith(".txt"):
            continue
        with open(os.path.join(folder, name), "rb") as handle:
            data = handle.read()
        try:
            text = decode_bytes(data, name=name).text
        except UnreadableFile:
            continue
        chars += len(t2s.convert(text))
print(chars)
"""


@dataclass
class Figure:
    key: str
    label: str
    target: str  # the words
    #: (size, median seconds, anchors of this size) -> whether the target is met, or None
    check: Callable[[int, float, dict[str, float]], bool | None] | None = None
    memory_target: Callable[[int, float], bool | None] | None = None


def _at(limits: dict[int, float]) -> Callable[[int, float, dict[str, float]], bool | None]:
    return lambda size, value, _: value <= limits[size] if size in limits else None


def _rare_ok(size: int, value: float, anchors: dict[str, float]) -> bool | None:
    limits = {10_000: 0.3, 100_000: 1.0}
    verdicts = []
    if size in limits:
        verdicts.append(value <= limits[size])
    if "grep" in anchors:
        verdicts.append(value <= 5 * anchors["grep"])
    return all(verdicts) if verdicts else None


FIGURES = [
    Figure("plain_loop", "anchor: read + decode + t2s loop", "(anchor)"),
    Figure("grep", f"anchor: `grep -r {RARE}`", "(anchor)"),
    Figure(
        "cold_list",
        "cold `list`",
        "≤ 2× plain loop",
        lambda size, value, anchors: (
            value <= 2 * anchors["plain_loop"] if "plain_loop" in anchors else None
        ),
    ),
    Figure(
        "warm_list",
        "warm `list --json`",
        "≤ 0.5 s @10k, ≤ 3 s @100k",
        _at({10_000: 0.5, 100_000: 3.0}),
    ),
    Figure(
        "index_build",
        "index build (first `search`)",
        "≤ 10 s per 10k docs",
        lambda size, value, _: value <= 10.0 * size / 10_000,
    ),
    Figure(
        "search_common",
        f"`search {COMMON} --json`",
        "≤ 1 s @10k; ≤ 200 MB @100k",
        _at({10_000: 1.0}),
        lambda size, mb: mb <= 200 if size == 100_000 else None,
    ),
    Figure(
        "search_rare",
        f"`search {RARE} --json`",
        "≤ 0.3 s @10k, ≤ 1 s @100k, ≤ 5× grep; ≤ 200 MB @100k",
        _rare_ok,
        lambda size, mb: mb <= 200 if size == 100_000 else None,
    ),
    Figure(
        "export",
        f"export CSV ({ANNOTATIONS_PER_DOC} annotations/doc)",
        "linear; memory flat but for the listing",
    ),
    Figure(
        "export_parquet",
        f"export Parquet ({ANNOTATIONS_PER_DOC} annotations/doc)",
        "linear; memory flat but for the listing",
    ),
]
BY_KEY = {f.key: f for f in FIGURES}


# --- the corpora and their databases ----------------------------------------------------


def corpus_for(work: Path, size: int) -> Path:
    """The generated corpus of ``size`` documents under ``work``, made if missing."""
    root = work / f"corpus-{size}"
    if not root.exists():
        start = time.perf_counter()
        partial = work / f".partial-corpus-{size}-{os.getpid()}"
        generate(partial, size, seed=1)
        settle(partial, root)
        print(f"generated {size:,} documents in {time.perf_counter() - start:.0f} s", flush=True)
    return root


def settle(partial: Path, final: Path) -> None:
    """Rename a finished folder into place (another run may have made the same one first)."""
    try:
        partial.rename(final)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)


def annotated_db(work: Path, size: int, root: Path, env: dict[str, str]) -> Path:
    """A database with ``ANNOTATIONS_PER_DOC`` annotations on every document, made once."""
    db = work / f"db-{size}"
    if db.exists():
        return db
    start = time.perf_counter()
    partial = work / f".partial-db-{size}-{os.getpid()}"
    cli_runs.run([sys.executable, "-c", MAKE_DB, str(root), str(partial)], env)
    settle(partial, db)
    print(f"annotated {size:,} documents in {time.perf_counter() - start:.0f} s", flush=True)
    return db


MAKE_DB = f"""
import random, sys
from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
corpus = Corpus.load(sys.argv[1])
rng = random.Random(1)
tags = ["经济", "党建", "民生", "反腐", "改革"]
with Store(sys.argv[2], coder="bench") as store:
    batch = []
    for info in corpus.documents:
        text = corpus.text(info.id)
        for _ in range({ANNOTATIONS_PER_DOC}):
            start = rng.randrange(0, max(1, len(text) - 30))
            batch.append(dict(doc_id=info.id, start=start, end=start + rng.randrange(2, 30),
                              text=text, doc_hash=info.content_hash,
                              tags=[rng.choice(tags)], note=""))
        if len(batch) >= 10_000:
            store.add_many(batch)
            batch = []
    if batch:
        store.add_many(batch)
"""


def corpus_cache(env: dict[str, str], root: Path) -> Path:
    """The corpus's cache folder under this environment's cache dir (as paths computes it)."""
    from speechreader.core import paths

    saved = os.environ.get("SPEECHREADER_CACHE_DIR")
    os.environ["SPEECHREADER_CACHE_DIR"] = env["SPEECHREADER_CACHE_DIR"]
    try:
        return paths.corpus_cache_dir(root)
    finally:
        if saved is None:
            del os.environ["SPEECHREADER_CACHE_DIR"]
        else:
            os.environ["SPEECHREADER_CACHE_DIR"] = saved


def drop_listing(cache: Path) -> None:
    (cache / LISTING_FILE).unlink(missing_ok=True)


def drop_all_but_listing(cache: Path) -> None:
    if not cache.is_dir():
        return
    for entry in cache.iterdir():
        if entry.name == LISTING_FILE:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()


# --- measuring ----------------------------------------------------------------------------


@dataclass
class Result:
    seconds: list[float]
    peak_mb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> float:
        return max(self.peak_mb)


def repeated(
    runs: int, command: list[str], env: dict[str, str], before: Callable[[], None] | None = None
) -> Result:
    result = Result([], [])
    for _ in range(runs):
        if before is not None:
            before()
        run = cli_runs.run(command, env)
        result.seconds.append(run.seconds)
        result.peak_mb.append(run.peak_mb)
    return result


def measure_size(size: int, work: Path, runs: int, figures: list[str]) -> dict[str, Result]:
    root = corpus_for(work, size).resolve()
    env = cli_runs.isolated_env(work / f"env-{size}")
    cache = corpus_cache(env, root)
    sr = [sys.executable, "-m", "speechreader"]
    on = ["--corpus", str(root)]
    commands: dict[str, tuple[list[str], Callable[[], None] | None]] = {
        "plain_loop": ([sys.executable, "-c", PLAIN_LOOP, str(root)], None),
        "grep": (["grep", "-r", RARE, str(root)], None),
        "cold_list": ([*sr, "list", *on], lambda: drop_listing(cache)),
        "warm_list": ([*sr, "list", "--json", *on], None),
        "index_build": (
            [*sr, "search", RARE, "--json", *on],
            lambda: drop_all_but_listing(cache),
        ),
        "search_common": ([*sr, "search", COMMON, "--json", *on], None),
        "search_rare": ([*sr, "search", RARE, "--json", *on], None),
    }
    results: dict[str, Result] = {}
    for key in figures:
        if key in ("export", "export_parquet"):
            db = annotated_db(work, size, root, env)
            out = work / f"export-{size}.{'csv' if key == 'export' else 'parquet'}"
            command = [*sr, "export", "-o", str(out), "--db", str(db), *on]
            results[key] = repeated(runs, command, env)
            out.unlink(missing_ok=True)
        else:
            if key in ("warm_list", "search_common", "search_rare"):
                cli_runs.run([*sr, "search", "预热", "--json", *on], env)  # caches warm
            command, before = commands[key]
            results[key] = repeated(runs, command, env, before)
        r = results[key]
        runs_text = ", ".join(f"{s:.2f}" for s in r.seconds)
        print(
            f"  {size:>7,} {key:<14} median {r.median:8.2f} s  peak {r.peak:7.0f} MB"
            f"  (runs: {runs_text})",
            flush=True,
        )
    return results


# --- the tables ----------------------------------------------------------------------------


def size_label(size: int) -> str:
    return f"{size // 1000}k" if size % 1000 == 0 else str(size)


def growth(values: dict[int, float]) -> str:
    if 10_000 in values and 100_000 in values and values[10_000] > 0:
        return f"{values[100_000] / values[10_000]:.1f}"
    return ""


def mark(verdict: bool | None) -> str:
    return "" if verdict is None else (" ✓" if verdict else " ✗")


def tables(all_results: dict[int, dict[str, Result]], sizes: list[int], figures: list[str]) -> str:
    head = "| figure | " + " | ".join(size_label(s) for s in sizes) + " | 100k/10k | target |"
    rule = "|---" * (len(sizes) + 3) + "|"
    lines = ["median wall seconds (fresh processes); ✓/✗ against the target", "", head, rule]
    for key in figures:
        figure = BY_KEY[key]
        cells, values = [], {}
        for size in sizes:
            result = all_results.get(size, {}).get(key)
            if result is None:
                cells.append("")
                continue
            values[size] = result.median
            anchors = {
                k: r.median for k, r in all_results[size].items() if k in ("plain_loop", "grep")
            }
            verdict = figure.check(size, result.median, anchors) if figure.check else None
            cells.append(f"{result.median:.2f} s{mark(verdict)}")
        lines.append(
            f"| {figure.label} | " + " | ".join(cells) + f" | {growth(values)} | {figure.target} |"
        )
    lines += [
        "",
        "peak resident memory of one process (MB, the largest of the runs)",
        "",
        head,
        rule,
    ]
    for key in figures:
        figure = BY_KEY[key]
        cells, values = [], {}
        for size in sizes:
            result = all_results.get(size, {}).get(key)
            if result is None:
                cells.append("")
                continue
            values[size] = result.peak
            verdict = figure.memory_target(size, result.peak) if figure.memory_target else None
            cells.append(f"{result.peak:.0f}{mark(verdict)}")
        target = "≤ 200 MB @100k" if figure.memory_target else ""
        lines.append(
            f"| {figure.label} | " + " | ".join(cells) + f" | {growth(values)} | {target} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000,30000,100000")
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median)")
    parser.add_argument(
        "--work",
        type=Path,
        default=Path(tempfile.gettempdir()) / "sr-bench-scale",
        help="where corpora, databases and caches are kept between runs",
    )
    parser.add_argument(
        "--figures", default=",".join(f.key for f in FIGURES if f.key != "export_parquet")
    )
    parser.add_argument("--save", type=Path, help="also write every run's figures as JSON")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    figures = [f for f in args.figures.split(",") if f.strip()]
    unknown = [f for f in figures if f not in BY_KEY]
    if unknown:
        parser.error(f"unknown figures {unknown}; known: {', '.join(BY_KEY)}")
    args.work.mkdir(parents=True, exist_ok=True)
    random.seed(1)

    command = "python bench/bench_scale.py " + " ".join(argv if argv is not None else sys.argv[1:])
    load_before = os.getloadavg()
    print(
        f"{command}\nload average before: {' '.join(f'{x:.2f}' for x in load_before)}", flush=True
    )
    all_results: dict[int, dict[str, Result]] = {}
    for size in sizes:
        all_results[size] = measure_size(size, args.work, args.runs, figures)
    load_after = os.getloadavg()
    print()
    print(tables(all_results, sizes, figures))
    print(f"\nload average before: {' '.join(f'{x:.2f}' for x in load_before)}; "
          f"after: {' '.join(f'{x:.2f}' for x in load_after)} (2 cores)")  # fmt: skip
    if args.save:
        data = {
            "command": command,
            "load_before": load_before,
            "load_after": load_after,
            "results": {
                str(size): {k: vars(r) for k, r in results.items()}
                for size, results in all_results.items()
            },
        }
        args.save.write_text(json.dumps(data, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
