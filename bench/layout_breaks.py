"""How well the reader breaks lines: bad rows counted over real corpora and widths.

    python bench/layout_breaks.py [CORPUS ...] [--widths 20-100] [--time]

Both panes of every document are laid out (``layout_document``) at every width, and
counted, with definitions of their own (regular expressions, not the layout's code):

- rows starting with a closing mark (，。）” …) or ending with an opening one (“（《);
- Latin words split mid-word although the word (with the marks clinging to it) would
  fit on a row (the pinyin of glosses, fā, counts: it is Latin with accents);
- numbers split (7.3%, ７．３％, 2018-06-07, 09:45, 2+6) although they would fit on a row.

``--time`` also times the layout of the 45 KB speech at 80 columns (median of 20).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("SPEECHREADER_CACHE_DIR", tempfile.mkdtemp(prefix="sr-bench-cache-"))
os.environ.setdefault("SPEECHREADER_CONFIG_DIR", tempfile.mkdtemp(prefix="sr-bench-config-"))

from rich.cells import cell_len  # noqa: E402

from speechreader.core.corpus import Corpus  # noqa: E402
from speechreader.core.text import pane_texts  # noqa: E402
from speechreader.tui.layout import layout_document  # noqa: E402
from tests.line_rules import (  # noqa: E402  (the test's own definitions)
    CLING_AFTER,
    CLING_BEFORE,
    CLOSING,
    HAS_LETTER,
    OPENING,
    RUN,
)


def split_runs(line: str, breaks: set[int], width: int) -> tuple[int, int]:
    """(words, numbers) cut by a row break although they and their marks fit on a row."""
    words = numbers = 0
    for m in RUN.finditer(line):
        if not any(m.start() < k < m.end() for k in breaks):
            continue
        before = CLING_BEFORE.search(line, 0, m.start())
        after = CLING_AFTER.match(line, m.end())
        start = before.start() if before else m.start()
        if cell_len(line[start : after.end()]) <= width:
            if HAS_LETTER.search(m.group()):
                words += 1
            else:
                numbers += 1
    return words, numbers


def count(texts: list[str], width: int) -> dict[str, int]:
    """Bad rows of both panes of every text at ``width``."""
    out = {"closing_start": 0, "opening_end": 0, "words_split": 0, "numbers_split": 0}
    for left, right in texts:
        layout = layout_document(left, right, width)
        for side, text in enumerate((left, right)):
            rows = layout.panes[side]
            line_breaks: dict[int, set[int]] = {}
            for start, end, real in zip(rows.starts, rows.ends, rows.real, strict=True):
                if not real or start == end:
                    continue
                line_start = text.rfind("\n", 0, start) + 1
                if start > line_start:  # a row continuing its line
                    line_breaks.setdefault(line_start, set()).add(start - line_start)
                    out["closing_start"] += text[start] in CLOSING
                    out["opening_end"] += text[start - 1] in OPENING
            for line_start, breaks in line_breaks.items():
                line_end = text.find("\n", line_start)
                line = text[line_start : line_end if line_end >= 0 else len(text)]
                words, numbers = split_runs(line, breaks, width)
                out["words_split"] += words
                out["numbers_split"] += numbers
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path)
    parser.add_argument("--widths", default="20-100")
    parser.add_argument("--time", action="store_true")
    args = parser.parse_args(argv)
    low, high = (int(x) for x in args.widths.split("-"))
    seeds = [p / "shared/seed_corpus" for p in REPO.parents if (p / "shared/seed_corpus").is_dir()]
    corpora = args.corpora or [REPO / "sample_corpus", *seeds[:1]]
    for root in corpora:
        corpus = Corpus.load(root)
        texts = []
        for doc in corpus.documents:
            panes = pane_texts(corpus.text(doc.id), doc.base_script)
            texts.append((panes.simplified.text, panes.traditional.text))
        total: dict[str, int] = {}
        for width in range(low, high + 1):
            for key, value in count(texts, width).items():
                total[key] = total.get(key, 0) + value
        print(f"{root} ({len(texts)} documents, both panes, widths {low}-{high}):")
        for key, value in total.items():
            print(f"  {key:15} {value}")
    if args.time:
        text = (REPO / "sample_corpus" / "undated_three-level-cadres-conference.txt").read_text()
        panes = pane_texts(text, "traditional")
        times = []
        for _ in range(20):
            start = time.perf_counter()
            layout_document(panes.simplified.text, panes.traditional.text, 80)
            times.append(time.perf_counter() - start)
        median = statistics.median(times) * 1000
        print(f"layout of the 45 KB speech at 80 columns: median {median:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
