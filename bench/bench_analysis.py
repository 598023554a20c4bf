"""Benchmark the analysis tables on 10,000 speeches and 100,000 coded passages.

    python bench/bench_analysis.py [--docs 10000] [--annotations 100000] [--repeat 5]
                                   [--corpus DIR] [--dir DIR | --keep DIR]

Makes a corpus with bench/make_corpus.py (or reuses ``--corpus``), codes it with
``--annotations`` passages (sentences, ten tags in a two-level codebook, two coders)
written straight through the storage layer as bench/bench_store.py does, then times
with the real API, each the median of ``--repeat`` runs:

- reading the coding (``load_coding``: every annotation, checked against its document),
  and from the store's span cache (``text=False``, what the ``stats`` commands do; whole
  commands are timed by bench/bench_analysis_cli.py);
- a frequency table, crosstabs (speaker, year) and trends (year, month): target ≤ 1 s;
- co-occurrence by overlap, sentence, paragraph and document: target ≤ 2 s;
- keyness for one tag (and for one speaker's documents) on a warm cache: ≤ 5 s. The
  first keyness of a corpus segments it (through the segmentation cache) and builds
  the word table: timed once, reported apart.

Caches go to a temporary folder (``--dir``), never the user's. ``--keep DIR`` works in
DIR and leaves it (caches, database) for the next run, which then skips the setup.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

TAGS = {"经济": None, "发展": "经济", "改革": "经济", "党建": None, "作风": "党建",
        "民生": None, "稳定": None, "生态": None, "文化": None, "开放": "经济"}  # fmt: skip
CODERS = ("alice", "bob")
TARGETS = {"table": 1.0, "cooccur": 2.0, "keyness": 5.0}


def report_targets(results: list[tuple], targets: dict[str, float]) -> None:
    """The slowest of each kind against its target, by wall and by CPU time.

    ``results`` rows are ``(kind, label, wall, cpu)``; bench_analysis_cli shares this.
    """
    for clock, index in (("wall", 2), ("cpu", 3)):
        worst = {kind: max(r[index] for r in results if r[0] == kind) for kind in targets}
        met = all(worst[kind] <= targets[kind] for kind in targets)
        slowest = ", ".join(f"{k} {worst[k]:.2f} s (≤ {targets[k]:.0f} s)" for k in targets)
        print(f"slowest by {clock} time: {slowest}: " + ("met" if met else "a target missed"))
    print(f"load average {os.getloadavg()[0]:.1f} at the end")


def parse_arguments(doc: str, argv: list[str] | None) -> argparse.Namespace:
    """The options both analysis benchmarks take (bench_analysis_cli shares them)."""
    parser = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=None, help="reuse this generated corpus")
    parser.add_argument("--dir", type=Path, default=None, help="where to work (default: temp)")
    parser.add_argument("--keep", type=Path, default=None, help="work here and keep it")
    return parser.parse_args(argv)


def populate(corpus, root: Path, n: int, seed: int = 1) -> None:
    """``n`` passages (whole sentences), spread over the documents, written file by file."""
    from speechreader.core.store import PALETTE, Annotation, make_anchor
    from speechreader.core.store import _schema as s
    from speechreader.core.store._migrate import write_manifest
    from speechreader.core.store._names import safe_name
    from speechreader.core.store._storage import write_records_file
    from speechreader.core.text import sentence_spans

    rng = random.Random(seed)
    root.mkdir(parents=True)
    (root / s.ANNOTATIONS).mkdir()
    write_manifest(root)
    book = {
        name: {
            "name": name,
            "colour": PALETTE[k],
            "description": "",
            "parent": parent,
            "order": k,
        }
        for k, (name, parent) in enumerate(TAGS.items())
    }
    write_records_file(root / s.CODEBOOK, s.CODEBOOK_TABLE, book, durable=False)
    docs = list(corpus)
    per_doc = max(1, n // len(docs))
    i = 0
    for info in docs:
        text = corpus.text(info.id)
        spans = sentence_spans(text) or [(0, len(text))]
        by_coder: dict[str, dict] = {c: {} for c in CODERS}
        for _ in range(per_doc if i + per_doc <= n else n - i):
            start, end = rng.choice(spans)
            anchor = make_anchor(text, start, end)
            coder = rng.choice(CODERS)
            ann = Annotation(
                id=f"{i:012x}", doc_id=info.id, start=start, end=end, quote=anchor.quote,
                prefix=anchor.prefix, suffix=anchor.suffix,
                tags=rng.sample(list(TAGS), rng.choice((1, 1, 2))), coder=coder,
                created="2024-01-01T00:00:00Z", updated="2024-01-01T00:00:00Z",
                doc_hash=info.content_hash,
            )  # fmt: skip
            by_coder[coder][ann.id] = ann.to_json()
            i += 1
        for coder, records in by_coder.items():
            if records:
                path = root / s.ANNOTATIONS / safe_name(coder) / f"{safe_name(info.id)}.json"
                write_records_file(path, s.ANNOTATIONS_TABLE, records, durable=False)


def median_time(func, repeat: int) -> tuple[float, float, object]:
    """Median wall time and median CPU time of this process (threads included).

    On a shared machine with more runnable processes than cores, wall time counts the
    waits for a core too; CPU time is what the work itself took.
    """
    walls, cpus, result = [], [], None
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def main(argv: list[str] | None = None) -> int:
    args = parse_arguments(__doc__, argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="sr-bench-analysis-", dir=args.dir))
    for name in ("CACHE", "DATA", "CONFIG"):
        (base / name.lower()).mkdir(parents=True, exist_ok=True)
        os.environ[f"SPEECHREADER_{name}_DIR"] = str(base / name.lower())
    try:
        return run(args, base)
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)


def run(args: argparse.Namespace, base: Path) -> int:
    from make_corpus import generate

    from speechreader.core import analysis as an
    from speechreader.core.corpus import Corpus, parse_where, select_documents
    from speechreader.core.store import Store

    root = args.corpus
    if root is None:
        root = base / "corpus"
        if not root.exists():
            generate(root, args.docs, seed=1, junk=0)
    start = time.perf_counter()
    corpus = Corpus.load(root)
    print(f"corpus: {len(corpus):,} documents, {sum(d.chars for d in corpus):,} characters "
          f"(first load {time.perf_counter() - start:.1f} s)")  # fmt: skip
    db = base / "db.srdb"
    if not db.exists():
        start = time.perf_counter()
        populate(corpus, db, args.annotations)
        print(f"coded {args.annotations:,} passages in {time.perf_counter() - start:.1f} s (setup)")
    store = Store(db, readonly=True)
    results: list[tuple[str, str, float, float]] = []

    def timed(kind: str, label: str, func):
        wall, cpu, value = median_time(func, args.repeat)
        results.append((kind, label, wall, cpu))
        target = f"  (target {TARGETS[kind]:.0f} s)" if kind in TARGETS else ""
        print(f"  {label:<44} {wall * 1000:8.0f} ms wall {cpu * 1000:8.0f} ms cpu{target}")
        sys.stdout.flush()
        return value

    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"medians of {args.repeat} runs:")
    coding = timed("load", "read the coding (load_coding)", lambda: an.load_coding(corpus, store))
    assert len(coding.annotations) == args.annotations, len(coding.annotations)
    store.spans()  # the span cache filled once, as the command line's first table does
    spans = timed("load", "read the coding from the span cache (text=False)",
                  lambda: an.load_coding(corpus, store, text=False))  # fmt: skip
    assert len(spans.passages) == args.annotations, len(spans.passages)
    timed("table", "frequencies", lambda: an.frequencies(coding))
    timed("table", "frequencies, child tags", lambda: an.frequencies(coding, children=True))
    timed("table", "crosstab by speaker", lambda: an.crosstab(coding, "speaker"))
    timed("table", "crosstab by year", lambda: an.crosstab(coding, "year"))
    timed("table", "trend by year", lambda: an.trend(coding, "year"))
    timed("table", "trend by month", lambda: an.trend(coding, "month"))
    timed("cooccur", "co-occurrence, overlap", lambda: an.cooccurrence(coding, "overlap"))
    timed("cooccur", "co-occurrence, document", lambda: an.cooccurrence(coding, "document"))
    start = time.perf_counter()
    first = not an.WordTable.cached(corpus).entries
    an.WordTable.open(corpus)
    cold = time.perf_counter() - start
    what = "word table, first time (segments the corpus)" if first else "word table (cached)"
    print(f"  {what:<44} {cold * 1000:8.0f} ms  (once)")
    units = an.cached_units(coding, an.WordTable.cached(corpus))
    for within in ("sentence", "paragraph"):
        timed("cooccur", f"co-occurrence, {within}",
              lambda w=within: an.cooccurrence(coding, w, units=units))  # fmt: skip

    def tag_keyness():
        return an.tag_keyness(coding, an.WordTable.open(corpus), "稳定")

    result = timed("keyness", "keyness of one tag (table from its file)", tag_keyness)
    top = ", ".join(w.word for w in result.words[:5])
    print(f"    {result.target}: {result.target_words:,} words against "
          f"{result.reference_words:,}; top: {top}")  # fmt: skip
    speaker = corpus.documents[0].metadata.get("speaker", "")
    chosen = {d.id for d in select_documents(corpus, parse_where([f"speaker={speaker}"], corpus))}

    def speaker_keyness():
        return an.document_keyness(coding, an.WordTable.open(corpus), chosen, label=speaker)

    timed("keyness", f"keyness of one speaker ({len(chosen)} documents)", speaker_keyness)
    store.close()
    report_targets(results, TARGETS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
