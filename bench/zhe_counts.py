"""著 in traditional documents, before and after reading it as tw2s does (issue 12, point 1).

    python bench/zhe_counts.py [CORPUS_DIR ...]      (default: the sample corpus)

For every ``.txt`` file of each folder (read and classified as the corpus does), it
counts, *before* (the simplified form is plain t2s: 著 kept) and *after* (the form
of ``text.simplified_form`` / the search index: 著 read as tw2s reads it):

- the 著 in documents whose own script is traditional, and how many became 着;
- how many 著 are a jieba token on their own (隨/著, 著/手): segmentation works on
  the simplified form;
- hits of simplified queries (随着, 着力 ...) in those documents' search forms, and
  of 著名 / 显著 (which must not change);
- that simplified documents' forms did not change at all.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from speechreader.core.search._form import fold, index_text, literal_pattern  # noqa: E402
from speechreader.core.text import (  # noqa: E402
    convert,
    detect_script,
    read_text_file,
    simplified_form,
)
from speechreader.core.text._segmentation import cut  # noqa: E402

#: simplified queries whose 着 is written 著 in Taiwan and Hong Kong texts
PARTICLE_QUERIES = ("随着", "沿着", "意味着", "标志着", "带着", "存在着", "着力", "着手",
                    "着眼", "着重", "执着")  # fmt: skip
#: zhù words: their hits must stay the same
ZHU_QUERIES = ("著名", "显著", "著作")


def _lone(form: str, text: str) -> tuple[int, int]:
    """(著 in text, how many of them are a token on their own in ``form``'s segmentation)."""
    lone = total = 0
    position = 0
    for token in cut(form):
        if text[position] == "著":
            total += 1
            lone += len(token) == 1
        else:
            total += text.count("著", position, position + len(token))
        position += len(token)
    return total, lone


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=[REPO / "sample_corpus"])
    args = parser.parse_args()
    for corpus in args.corpora:
        counts: Counter[str] = Counter()
        hits: dict[str, list[int]] = {q: [0, 0] for q in PARTICLE_QUERIES + ZHU_QUERIES}
        for path in sorted(corpus.rglob("*.txt")):
            text = read_text_file(path, name=path.name).text.replace("\r\n", "\n")
            info = detect_script(text)
            before_form = fold(convert(text, "t2s"))
            after_form = index_text(text, base_script=info.base).norm
            if info.base != "traditional":
                counts["simplified documents"] += 1
                counts["simplified documents whose form changed"] += before_form != after_form
                counts["著 in simplified documents"] += text.count("著")
                continue
            counts["traditional documents"] += 1
            total, lone_before = _lone(convert(text, "t2s"), text)
            _, lone_after = _lone(simplified_form(text, info.base), text)
            counts["著 in traditional documents"] += total
            counts["著 read as 着 (after)"] += sum(
                a == "著" and b == "着"
                for a, b in zip(text, simplified_form(text, info.base), strict=True)
            )
            counts["著 a lone jieba token, before"] += lone_before
            counts["著 a lone jieba token, after"] += lone_after
            for query in hits:
                before = len(re.findall(re.escape(fold(convert(query, "t2s"))), before_form))
                after = len(re.findall(literal_pattern(query), after_form))
                hits[query][0] += before
                hits[query][1] += after
        print(f"== {corpus}")
        for key, value in counts.items():
            print(f"  {key}: {value}")
        print("  hits in traditional documents (before -> after):")
        for query, (before, after) in hits.items():
            print(f"    {query}: {before} -> {after}")


if __name__ == "__main__":
    main()
