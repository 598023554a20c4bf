"""Benchmark `speechreader agreement` on a study of 500 documents × 3 coders × 40 tags.

    python bench/bench_agreement.py [--docs 500] [--coders 3] [--tags 40] [--runs 5]

Generates a corpus (bench/make_corpus.py, ``--avg-chars`` characters a document, like
real speeches) and a database where each coder codes about a sixth of the sentences
with one or two of the tags, mostly as the others do (a shared "truth" per sentence,
copied with probability 0.8), passages sometimes spilling a few characters into the
next sentence. The database files are written directly (bulk set-up, not fsynced, as
bench/bench_store.py does); what is timed is the real command line, each run a fresh
process (wall clock, Python start-up included), after one warm-up run that fills the
corpus listing cache:

- ``speechreader agreement --json`` (the whole table, sentence units): target ≤ 2 s;
- ``speechreader agreement --json --bootstrap 1000``: target ≤ 10 s.

Medians of ``--runs`` runs (the machine is shared and noisy), min and max beside them.
"""

from __future__ import annotations

import argparse
import os
import random
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

from make_corpus import generate  # noqa: E402

from speechreader.core.corpus import Corpus  # noqa: E402
from speechreader.core.store import PALETTE, Annotation, make_anchor  # noqa: E402
from speechreader.core.store import _schema as s  # noqa: E402
from speechreader.core.store._migrate import write_manifest  # noqa: E402
from speechreader.core.store._names import safe_name  # noqa: E402
from speechreader.core.store._storage import write_records_file  # noqa: E402
from speechreader.core.text import sentence_spans  # noqa: E402


def populate(db: Path, corpus: Corpus, coders: int, tags: int, seed: int = 1) -> int:
    """Write the study's database; return the number of annotations."""
    rng = random.Random(seed)
    names = [f"tag-{i:02d}" for i in range(tags)]
    db.mkdir(parents=True)
    (db / s.ANNOTATIONS).mkdir()
    write_manifest(db)
    book = {
        t: {"name": t, "colour": PALETTE[k % len(PALETTE)], "description": "", "parent": None,
            "order": k}
        for k, t in enumerate(names)
    }  # fmt: skip
    write_records_file(db / s.CODEBOOK, s.CODEBOOK_TABLE, book, durable=False)
    coder_names = [f"coder{c + 1}" for c in range(coders)]
    count = 0
    for info in corpus:
        text = corpus.text(info.id)
        spans = sentence_spans(text)
        truth = {
            i: rng.sample(names, rng.randrange(1, 3))
            for i in range(len(spans))
            if rng.random() < 0.17
        }
        for coder in coder_names:
            records = {}
            for i, (start, end) in enumerate(spans):
                chosen = truth.get(i)
                if rng.random() > 0.8:  # this coder departs from the others here
                    chosen = rng.sample(names, 1) if chosen is None and rng.random() < 0.1 else None
                if not chosen:
                    continue
                if rng.random() < 0.2:  # spill into the next sentence
                    end = min(len(text), end + rng.randrange(1, 6))
                anchor = make_anchor(text, start, end)
                ann = Annotation(
                    id=f"{count:012x}", doc_id=info.id, start=start, end=end,
                    quote=anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix,
                    tags=list(chosen), coder=coder, created="2024-01-01T00:00:00Z",
                    updated="2024-01-01T00:00:00Z", doc_hash=info.content_hash,
                )  # fmt: skip
                records[ann.id] = ann.to_json()
                count += 1
            if records:
                path = db / s.ANNOTATIONS / safe_name(coder) / f"{safe_name(info.id)}.json"
                write_records_file(path, s.ANNOTATIONS_TABLE, records, durable=False)
    return count


def timed(command: list[str], env: dict[str, str], runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU (user + system, the child's threads included) seconds per run.

    CPU time is given beside wall time because the machine is shared: when other
    jobs hold the cores, wall time measures them too.
    """
    walls, cpus = [], []
    for _ in range(runs):
        before = os.times()
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - started)
        after = os.times()
        cpus.append(
            (after.children_user - before.children_user)
            + (after.children_system - before.children_system)
        )
        if done.returncode != 0:
            raise SystemExit(f"{' '.join(command)} failed:\n{done.stderr}")
    return walls, cpus


def summary(times: tuple[list[float], list[float]]) -> str:
    walls, cpus = times
    return (
        f"wall median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f}), "
        f"CPU median {statistics.median(cpus):.2f} s, {len(walls)} runs"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=500)
    parser.add_argument("--coders", type=int, default=3)
    parser.add_argument("--tags", type=int, default=40)
    parser.add_argument("--avg-chars", type=int, default=4000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--bootstrap-runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, default=None, help="build here and keep it")
    args = parser.parse_args(argv)
    base = args.keep or Path(tempfile.mkdtemp(prefix="sr-bench-agreement-"))
    try:
        corpus_dir, db = base / "corpus", base / "study.srdb"
        env = dict(os.environ)
        for name in ("CACHE", "DATA", "CONFIG"):
            env[f"SPEECHREADER_{name}_DIR"] = str(base / name.lower())
        os.environ.update({k: v for k, v in env.items() if k.startswith("SPEECHREADER_")})
        if not corpus_dir.exists():
            generate(corpus_dir, args.docs, avg_chars=args.avg_chars, junk=0)
        corpus = Corpus.load(corpus_dir)
        count = populate(db, corpus, args.coders, args.tags) if not db.exists() else -1
        units = sum(len(sentence_spans(corpus.text(d.id))) for d in corpus)
        print(
            f"{len(corpus)} documents, {units} sentences, {args.coders} coders, "
            f"{args.tags} tags, {count} annotations"
        )
        exe = shutil.which("speechreader", path=str(Path(sys.executable).parent))
        command = [exe or "speechreader", "agreement", "--corpus", str(corpus_dir),
                   "--db", str(db), "--json"]  # fmt: skip
        timed(command, env, 1)  # warm-up: the corpus listing cache
        table = timed(command, env, args.runs)
        print(f"agreement (whole table):   {summary(table)}   target ≤ 2 s")
        boot = timed([*command, "--bootstrap", "1000"], env, args.bootstrap_runs)
        print(f"agreement --bootstrap 1000: {summary(boot)}   target ≤ 10 s")
        print("command: " + " ".join(command))
        print(f"load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
