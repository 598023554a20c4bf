"""Benchmark the annotation store against TinyDB's default single-file storage.

    python bench/bench_store.py --annotations 100000

For each size (1k, 10k and ``--annotations``; ten annotations per document, split
between two coders) it fills a database directly through the storage layer (bulk
writes, not fsynced: setting up 100k annotations with 100k durable inserts would take
minutes and measure nothing), then measures with the real API:

- opening: ``Store(path)`` + ``counts_by_document()``, cold (no summary cache, every
  file read) and warm (summary cache valid, files only stat'ed);
- saving one annotation: ``Store.add`` (lock, fresh read, durable atomic write,
  backup check, undo step) at random documents;
- loading a document's annotations: ``for_document`` at random documents, mostly not
  in the file cache.

TinyDB's default storage (``TinyDB(path)``, one JSON file, the whole file rewritten in
place per insert) is measured the same way up to ``--tinydb-max`` annotations; beyond
that its insert time is extrapolated linearly from the largest measured size (it
rewrites the whole file, so time grows with size) and marked as such.

The last line is ``insert_p95_ms=<p95 of Store.add at --annotations>``.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tinydb import TinyDB

from speechreader.core.store import PALETTE, Annotation, Store
from speechreader.core.store import _schema as s
from speechreader.core.store._migrate import write_manifest
from speechreader.core.store._names import safe_name
from speechreader.core.store._storage import write_records_file

TEXT = ("我们要坚持以人民为中心的发展思想,推动经济社会高质量发展,全面从严治党永远在路上。" * 40)[
    :2000
]
TAGS = ["经济", "党建", "民生", "安全", "生态", "改革", "开放", "创新", "文化", "治理"]
CODERS = ("alice", "bob")


def fake_annotation(
    rng: random.Random, i: int, doc_id: str, coder: str, doc_hash: str = "h"
) -> dict:
    start = rng.randrange(0, len(TEXT) - 60)
    end = start + rng.randrange(5, 60)
    return Annotation(
        id=f"{i:012x}",
        doc_id=doc_id,
        start=start,
        end=end,
        quote=TEXT[start:end],
        prefix=TEXT[max(0, start - 32) : start],
        suffix=TEXT[end : end + 32],
        tags=rng.sample(TAGS, rng.randrange(1, 3)),
        note="",
        coder=coder,
        created="2024-01-01T00:00:00Z",
        updated="2024-01-01T00:00:00Z",
        doc_hash=doc_hash,
    ).to_json()


def populate(root: Path, n: int, seed: int = 1, doc_hash: str = "h") -> list[str]:
    """A database of ``n`` annotations, ten per document, written file by file.

    ``doc_hash`` is what each annotation records as its document's content hash
    (bench_exchange gives the real one: its corpus has the files).
    """
    rng = random.Random(seed)
    docs = [f"speeches/{i:05d}_讲话" for i in range(max(n // 10, 1))]
    root.mkdir(parents=True)
    (root / s.ANNOTATIONS).mkdir()
    write_manifest(root)
    book = {
        t: {"name": t, "colour": PALETTE[k], "description": "", "parent": None, "order": k}
        for k, t in enumerate(TAGS)
    }
    write_records_file(root / s.CODEBOOK, s.CODEBOOK_TABLE, book, durable=False)
    i = 0
    for doc in docs:
        for coder in CODERS:
            records = {}
            for _ in range(5 if len(docs) > 1 else n // 2):
                rec = fake_annotation(rng, i, doc, coder, doc_hash)
                records[rec["id"]] = rec
                i += 1
            path = root / s.ANNOTATIONS / safe_name(coder) / f"{safe_name(doc)}.json"
            write_records_file(path, s.ANNOTATIONS_TABLE, records, durable=False)
    return docs


def stats(times: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in times)
    return {
        "p50": statistics.median(ms),
        "p95": ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))],
        "max": ms[-1],
    }


def fmt(d: dict[str, float]) -> str:
    return f"p50 {d['p50']:7.2f}  p95 {d['p95']:7.2f}  max {d['max']:7.2f} ms"


def bench_store(root: Path, n: int, inserts: int, loads: int) -> dict:
    docs = populate(root, n)
    rng = random.Random(2)
    out: dict = {}
    for kind in ("cold", "warm"):
        if kind == "cold":
            (root / s.LOCAL / "summary.json").unlink(missing_ok=True)
        t0 = time.perf_counter()
        store = Store(root, coder="alice")
        counts = store.counts_by_document()
        out[f"open_{kind}_ms"] = (time.perf_counter() - t0) * 1000
        assert sum(counts.values()) == n, (sum(counts.values()), n)
        store.close()
    store = Store(root, coder="alice")
    store.counts_by_document()
    times = []
    for _ in range(inserts):
        doc = rng.choice(docs)
        start = rng.randrange(0, len(TEXT) - 40)
        t0 = time.perf_counter()
        store.add(doc, start, start + 20, text=TEXT, doc_hash="h", tags=[rng.choice(TAGS)])
        times.append(time.perf_counter() - t0)
    out["insert"] = stats(times)
    times = []
    for _ in range(loads):
        doc = rng.choice(docs)
        t0 = time.perf_counter()
        found = store.for_document(doc)
        times.append(time.perf_counter() - t0)
        assert found
    out["load"] = stats(times)
    store.close()
    return out


def bench_tinydb(root: Path, n: int, inserts: int) -> dict:
    """TinyDB's default JSONStorage, one file, same records, measured the same way."""
    rng = random.Random(1)
    path = root / "tinydb.json"
    root.mkdir(parents=True)
    table = {
        str(i + 1): fake_annotation(rng, i, f"speeches/{i // 10:05d}", CODERS[i % 2])
        for i in range(n)
    }
    path.write_text(json.dumps({"annotations": table}), encoding="utf-8")
    db = TinyDB(path)
    annotations = db.table("annotations")
    times = []
    for i in range(inserts):
        rec = fake_annotation(rng, n + i, "speeches/00000", "alice")
        t0 = time.perf_counter()
        annotations.insert(rec)
        times.append(time.perf_counter() - t0)
    db.close()
    return {"insert": stats(times)}


def bench_export(root: Path, n: int) -> str:
    """`speechreader export` of every annotation: the store read plus the CSV rows.

    The annotations point at documents the sample corpus lacks, so every passage is
    converted from its stored quote and context, as for a corpus whose files are
    unchanged (no file is read to export).
    """
    from speechreader.core.corpus import Corpus
    from speechreader.core.exchange import export_csv
    from speechreader.core.paths import sample_corpus_path

    corpus = Corpus.load(sample_corpus_path())
    out = root.parent / "export.csv"
    with Store(root, readonly=True) as store:
        start = time.perf_counter()
        sum(1 for _ in store.all())  # reading alone, for the breakdown
        read = time.perf_counter() - start
        start = time.perf_counter()
        rows = export_csv(store, corpus, out)  # reads them again itself
        total = time.perf_counter() - start
    size = out.stat().st_size / 1e6
    out.unlink()
    return (
        f"{total:.2f} s for {n:,} annotations ({rows:,} rows, {size:.0f} MB); "
        f"of which reading them ~{read:.2f} s"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--inserts", type=int, default=300, help="timed Store.add calls per size")
    parser.add_argument("--loads", type=int, default=300, help="timed for_document calls per size")
    parser.add_argument(
        "--tinydb-max",
        type=int,
        default=10_000,
        help="largest size measured with TinyDB's default storage",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where to build the databases (default: a temp folder)",
    )
    args = parser.parse_args(argv)
    sizes = sorted({n for n in (1_000, 10_000) if n < args.annotations} | {args.annotations})
    base = Path(tempfile.mkdtemp(prefix="sr-bench-", dir=args.dir))
    try:
        ours: dict[int, dict] = {}
        theirs: dict[int, dict] = {}
        for n in sizes:
            ours[n] = bench_store(base / f"store-{n}", n, args.inserts, args.loads)
            print(f"speechreader store, {n:>7,} annotations / {max(n // 10, 1):,} documents:")
            print(f"  insert (Store.add)          {fmt(ours[n]['insert'])}")
            print(f"  load doc (for_document)     {fmt(ours[n]['load'])}")
            print(
                f"  open + counts_by_document   cold {ours[n]['open_cold_ms']:.0f} ms, "
                f"warm {ours[n]['open_warm_ms']:.0f} ms"
            )
            if n <= args.tinydb_max:
                count = 100 if n <= 1_000 else 30
                theirs[n] = bench_tinydb(base / f"tinydb-{n}", n, count)
                print(f"TinyDB default storage, {n:>7,} annotations:")
                print(
                    f"  insert (table.insert)       {fmt(theirs[n]['insert'])}  ({count} inserts)"
                )
            else:
                ref = max(theirs)
                factor = n / ref
                est = {k: v * factor for k, v in theirs[ref]["insert"].items()}
                print(
                    f"TinyDB default storage, {n:>7,} annotations "
                    f"(extrapolated x{factor:g} from {ref:,}, not measured):"
                )
                print(f"  insert (table.insert)       {fmt(est)}")
            if n == args.annotations:
                print(f"  export to CSV                {bench_export(base / f'store-{n}', n)}")
            sys.stdout.flush()
            shutil.rmtree(base / f"store-{n}", ignore_errors=True)
            shutil.rmtree(base / f"tinydb-{n}", ignore_errors=True)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"insert_p95_ms={ours[args.annotations]['insert']['p95']:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
