"""Does the CSV export show each passage as the reader does? Counted on real corpora.

    python bench/export_vs_reader.py [CORPUS ...] [--random 300] [--seed 12]

For every document, every standard (standard, taiwan, hongkong, taiwan-phrases) and
the pane in the other script, passages are exported (``export_rows``, the code
behind ``speechreader export``) and compared with what the reader shows for the same
selection: the whole document converted (``pane_texts``) and the selection mapped
through the pane's offset map, as ``tui/state.py`` does.

Two kinds of passages: every boundary that cuts a replaced phrase of the pane's map
(项|目 → 專|案), with a few characters on the other side; and ``--random`` spans per
document and standard at random places and lengths (fixed seed). Prints, per corpus
and standard, how many passages there were and how many differ.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("SPEECHREADER_CACHE_DIR", tempfile.mkdtemp(prefix="sr-bench-cache-"))
os.environ.setdefault("SPEECHREADER_CONFIG_DIR", tempfile.mkdtemp(prefix="sr-bench-config-"))

from speechreader.core.corpus import Corpus  # noqa: E402
from speechreader.core.exchange._cells import unneutralise  # noqa: E402
from speechreader.core.exchange._csv_export import EXPORT_COLUMNS, export_rows  # noqa: E402
from speechreader.core.store import Annotation, make_anchor  # noqa: E402
from speechreader.core.text import VARIANTS, pane_texts  # noqa: E402


def passages(text: str, pane_map, rng: random.Random, n_random: int) -> list[tuple[int, int]]:
    """Spans cutting every replaced phrase of the map, then ``n_random`` random spans."""
    spans: set[tuple[int, int]] = set()
    for piece in pane_map.pieces:
        for cut in range(piece.src_start + 1, piece.src_end):
            spans.add((max(0, cut - rng.randint(1, 8)), cut))
            spans.add((cut, min(len(text), cut + rng.randint(1, 8))))
    for _ in range(n_random):
        start = rng.randrange(len(text))
        spans.add((start, min(len(text), start + rng.randint(1, 60))))
    return sorted(spans)


def compare(corpus: Corpus, variant: str, n_random: int, seed: int) -> tuple[int, int, int, int]:
    """Passages, those cutting a replaced phrase, and how many of each differ from the reader."""
    rng = random.Random(seed)
    annotations: list[Annotation] = []
    expected: list[str] = []
    cuts: list[bool] = []
    for doc in corpus.documents:
        text = corpus.text(doc.id)
        panes = pane_texts(text, doc.base_script, variant)
        other = panes.traditional if doc.base_script == "simplified" else panes.simplified
        inside = {c for p in other.map.pieces for c in range(p.src_start + 1, p.src_end)}
        for start, end in passages(text, other.map, rng, n_random):
            cuts.append(start in inside or end in inside)
            anchor = make_anchor(text, start, end)
            ann = Annotation(f"{doc.id}:{start}:{end}", doc.id, start, end, anchor.quote)
            ann.prefix, ann.suffix, ann.doc_hash = anchor.prefix, anchor.suffix, doc.content_hash
            annotations.append(ann)
            a, b = other.map.span_to_dst(start, end)
            expected.append(other.text[a:b])
    rows = export_rows(annotations, corpus, variant=variant)
    next(rows)
    column = {
        "simplified": EXPORT_COLUMNS.index("passage_traditional"),
        "traditional": EXPORT_COLUMNS.index("passage_simplified"),
    }
    differ = [0, 0]  # [not cutting, cutting]
    for ann, want, cut, row in zip(annotations, expected, cuts, rows, strict=True):
        base = corpus.get(ann.doc_id).base_script
        differ[cut] += unneutralise(row[column[base]]) != want
    return len(annotations), sum(cuts), differ[1], differ[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path)
    parser.add_argument("--random", type=int, default=300, help="random spans per document")
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args(argv)
    seeds = [p / "shared/seed_corpus" for p in REPO.parents if (p / "shared/seed_corpus").is_dir()]
    corpora = args.corpora or [REPO / "sample_corpus", *seeds[:1]]
    for root in corpora:
        corpus = Corpus.load(root)
        print(f"{root} ({len(corpus.documents)} documents)")
        for name in VARIANTS:
            total, cutting, cut_differ, other_differ = compare(corpus, name, args.random, args.seed)
            print(
                f"  {name:15} {cut_differ:4} of {cutting:4} passages cutting a replaced phrase "
                f"and {other_differ:4} of {total - cutting:5} others differ from the reader"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
