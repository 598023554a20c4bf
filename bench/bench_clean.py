"""What the clean view hides, document by document, and what building it costs.

    python bench/bench_clean.py [--corpus DIR ...] [--repeat 20]

For each document (default: the sample corpus and ../shared/seed_corpus): characters
as scraped and as shown; pinyin glosses and stray commas before a mark still visible, counted
with regexes written here (not the detectors the view uses), raw and clean; the
problems left marked in the clean view; and the median time of ``find_problems`` +
``clean_view`` (what opening a document adds).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

GLOSS = re.compile("[(（][a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zü]*[)）]")
#: the doubling the sample has: a stray comma before a mark (,, ,、 ,。 ,; ,?)
DOUBLED = re.compile("[,，](?=[,，、。;；:：?？])")


def seed_corpus() -> Path | None:
    for parent in REPO.parents:
        if (parent / "shared" / "seed_corpus").is_dir():
            return parent / "shared" / "seed_corpus"
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, action="append", default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    from speechreader.core.corpus import Corpus
    from speechreader.core.text import CLEANED_KINDS, clean_view, find_problems

    corpora = args.corpus or [REPO / "sample_corpus", *filter(None, [seed_corpus()])]
    print("document                                   chars raw→clean  glosses  stray ,  "
          "marks left  ms (median)")  # fmt: skip
    for root in corpora:
        corpus = Corpus.load(root)
        for doc in corpus.documents:
            text = corpus.text(doc.id)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                problems = find_problems(text)
                view = clean_view(text, problems)
                times.append(time.perf_counter() - start)
            left = sum(p.kind not in CLEANED_KINDS for p in problems)
            print(
                f"{doc.id[:42]:42} {len(text):6}→{len(view.text):<6}  "
                f"{len(GLOSS.findall(text)):3}→{len(GLOSS.findall(view.text)):<3} "
                f"{len(DOUBLED.findall(text)):3}→{len(DOUBLED.findall(view.text)):<3}  "
                f"{left:10}  {statistics.median(times) * 1000:6.1f}"
            )


if __name__ == "__main__":
    main()
