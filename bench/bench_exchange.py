"""Benchmark the REFI-QDA exchange on the 100,000-annotation benchmark database.

    python bench/bench_exchange.py [--annotations 100000] [--repeat 3] [--dir DIR]

The database is bench_store's (ten annotations per document, two coders, built file by
file through the storage layer), over a corpus made for it: one ``.txt`` per document
holding bench_store's 2,000-character text, so every annotation points into a real
file (its ``doc_hash`` is that text's content hash, as after coding in the reader).

Measured, each ``--repeat`` times (the median is printed, with every run):

- export: ``export_qdpx`` of the whole database (corpus loaded, warm listing cache);
- export (CLI): ``speechreader export -o FILE.qdpx`` in a fresh process, imports and
  corpus listing included: what a user waits for;
- import: ``import_qdpx`` of that file into a new folder and a new database: reading
  and checking the archive, writing 10,000 texts, loading them as a corpus (every
  file analysed, on every core) and 100,000 passages through the store in one step.

Targets (issue 10): export <= 10 s, import <= 20 s.
"""

from __future__ import annotations

import argparse
import os
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

from bench_store import TEXT, populate  # noqa: E402

from speechreader.core.corpus import Corpus  # noqa: E402
from speechreader.core.exchange import export_qdpx, import_qdpx  # noqa: E402
from speechreader.core.store import Store  # noqa: E402


def make_corpus(root: Path, n_docs: int) -> None:
    """One file per benchmark document (ids ``speeches/00000_讲话`` ...)."""
    folder = root / "speeches"
    folder.mkdir(parents=True)
    data = TEXT.encode("utf-8")
    for i in range(n_docs):
        (folder / f"{i:05d}_讲话.txt").write_bytes(data)


def median_line(name: str, times: list[float], target: float) -> str:
    med = statistics.median(times)
    runs = ", ".join(f"{t:.2f}" for t in times)
    verdict = "ok" if med <= target else "OVER"
    return f"{name:<14} median {med:6.2f} s  (runs: {runs})  target <= {target:g} s: {verdict}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", type=Path, default=None, help="where to work (default: temp)")
    args = parser.parse_args(argv)

    base = Path(tempfile.mkdtemp(prefix="sr-bench-exchange-", dir=args.dir))
    env = dict(os.environ)
    for name in ("CACHE", "DATA", "CONFIG"):
        env[f"SPEECHREADER_{name}_DIR"] = str(base / name.lower())
        os.environ[f"SPEECHREADER_{name}_DIR"] = env[f"SPEECHREADER_{name}_DIR"]
    try:
        n_docs = max(args.annotations // 10, 1)
        corpus_dir, db = base / "corpus", base / "db.srdb"
        t0 = time.perf_counter()
        make_corpus(corpus_dir, n_docs)
        corpus = Corpus.load(corpus_dir)
        doc_hash = corpus.documents[0].content_hash
        populate(db, args.annotations, doc_hash=doc_hash)
        print(
            f"set up {args.annotations:,} annotations on {n_docs:,} documents "
            f"in {time.perf_counter() - t0:.1f} s (not timed below)"
        )
        corpus = Corpus.load(corpus_dir)  # warm, as a user's second command
        out = base / "study.qdpx"
        export_times = []
        for _ in range(args.repeat):
            with Store(db, readonly=True) as store:
                start = time.perf_counter()
                report = export_qdpx(store, corpus, out)
                export_times.append(time.perf_counter() - start)
        assert report.selections == args.annotations, report
        size = out.stat().st_size / 1e6
        print(f"export: {report.summary()}; {size:.0f} MB")

        cli_times = []
        command = [
            sys.executable, "-m", "speechreader", "export", "-o", str(base / "cli.qdpx"),
            "--corpus", str(corpus_dir), "--db", str(db),
        ]  # fmt: skip
        for _ in range(args.repeat):
            start = time.perf_counter()
            subprocess.run(command, check=True, env=env, capture_output=True)
            cli_times.append(time.perf_counter() - start)

        import_times = []
        for i in range(args.repeat):
            folder, new_db = base / f"imported-{i}", base / f"imported-{i}.srdb"
            start = time.perf_counter()
            imported = import_qdpx(out, folder, new_db)
            import_times.append(time.perf_counter() - start)
            assert imported.passages == args.annotations, imported.summary()
            shutil.rmtree(folder)
            shutil.rmtree(new_db)
        print(f"import: {imported.summary()}")
        print(median_line("export", export_times, 10))
        print(median_line("export (CLI)", cli_times, 10))
        print(median_line("import", import_times, 20))
    finally:
        shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
