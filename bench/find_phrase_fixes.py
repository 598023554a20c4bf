"""Find phrase overrides to review: where converting a text whole and word by word disagree.

    python bench/find_phrase_fixes.py [CORPUS_DIR ...] [--config s2t,s2tw,s2hk,t2s]
                                      [--plain] [--fine] [--contexts 2] [--tsv FILE]

OpenCC converts with a dictionary of phrases, and its typical mistake in political
prose is a phrase that straddles two words: 做好|干部 read as 好干 "well dried" + 部
gives 做好乾部. jieba knows the words, so converting each jieba token on its own
cannot make that mistake (it makes others: it loses every real phrase that jieba cuts
in two, so it is no converter; it scores worse on OpenCC's own test cases). Where
the two disagree, one of them is wrong, and a person must say which.

For each document (any encoding, as the corpus reads it), in its simplified form
(``text.simplified_form``: t2s, 著 read as tw2s reads it) cut by jieba, each
to-traditional config converts the form whole and token by token; each to-simplified
config does the same on the traditional form (the document's own text if it is
traditional, else its s2t conversion). For each run of characters that differ it
proposes the *shortest window* around them (whole tokens, plus up to two characters
either side) that converted alone still gives the whole-text result: that window is
what OpenCC misreads, and an override ``window<TAB>token-by-token form`` would fix
it. Proposals are grouped, counted and shown with contexts, most frequent first;
``--tsv`` writes them in ``phrases.tsv`` form (to-traditional ones) for review.

A jieba word that itself holds the misread phrase (伟大斗争, 分配制度 are words of its
dictionary) converts the same both ways; ``--fine`` cuts such words further into the
words jieba's search mode finds inside them (伟大|斗争), which finds those too, at the
price of more proposals where the whole conversion was right.

By default the conversion includes the overrides already shipped (so only new
places are listed); ``--plain`` uses OpenCC alone, which shows how many of the
shipped overrides the finder would have found.
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from speechreader.core.text import (  # noqa: E402
    convert,
    detect_script,
    read_text_file,
    segmenter,
    simplified_form,
)
from speechreader.core.text._conversion import plain_opencc  # noqa: E402

SEP = "\x01"  # joins tokens for one OpenCC call: no dictionary entry contains it
TO_TRADITIONAL = ("s2t", "s2tw", "s2hk", "s2twp")
MAX_EXTRA = 2  # characters of context tried on each side of the differing tokens


@dataclass
class Proposal:
    """One window that OpenCC reads differently whole and word by word."""

    config: str
    window: str  # the source text
    whole: str  # its conversion inside the text
    tokenwise: str  # its conversion word by word
    places: list[tuple[str, int, str]] = field(default_factory=list)  # (doc, offset, context)


def _fine(tokens: list[str]) -> list[str]:
    """Each token of three or more characters cut into the words jieba's search mode
    finds in it (longest first from the left); shorter tokens as they are."""
    import rjieba

    search = rjieba.Jieba()
    out: list[str] = []
    for token in tokens:
        if len(token) < 3:
            out.append(token)
            continue
        words = {w for w in search.cut_for_search(token, hmm=False) if len(w) < len(token)}
        at = 0
        while at < len(token):
            piece = max((w for w in words if token.startswith(w, at)), key=len, default=token[at])
            out.append(piece)
            at += len(piece)
    return out


def _converter(config: str, plain: bool):
    if plain:
        return plain_opencc(config).convert
    return lambda text: convert(text, config)


def _tokenwise(tokens: list[str], conv) -> str:
    out = conv(SEP.join(tokens))
    pieces = out.split(SEP)
    if len(pieces) != len(tokens):
        raise RuntimeError("a token separator was converted")
    return "".join(pieces)


def _runs(a: str, b: str) -> list[tuple[int, int]]:
    runs, i = [], 0
    while i < len(a):
        if a[i] != b[i]:
            j = i
            while j < len(a) and a[j] != b[j]:
                j += 1
            runs.append((i, j))
            i = j
        i += 1
    return runs


def _window(src: str, whole: str, bounds: list[int], start: int, end: int, conv) -> tuple[int, int]:
    """The shortest window around ``src[start:end]`` (whole tokens plus up to
    ``MAX_EXTRA`` characters either side) whose own conversion reproduces ``whole``."""
    lo = max(b for b in bounds if b <= start)
    hi = min(b for b in bounds if b >= end)
    best = None
    for extra in range(2 * MAX_EXTRA + 1):
        for left in range(extra + 1):
            right = extra - left
            if left > MAX_EXTRA or right > MAX_EXTRA:
                continue
            a, b = max(0, lo - left), min(len(src), hi + right)
            if conv(src[a:b]) == whole[a:b]:
                return a, b
            best = best or (a, b)
    return best or (lo, hi)


def _find_in(
    doc: str, src: str, tokens: list[str], config: str, conv, found: dict, context: int
) -> None:
    whole = conv(src)
    if len(whole) != len(src):  # phrase-level configs change length: not comparable here
        return
    tokenwise = _tokenwise(tokens, conv)
    bounds = [0]
    for token in tokens:
        bounds.append(bounds[-1] + len(token))
    for start, end in _runs(whole, tokenwise):
        a, b = _window(src, whole, bounds, start, end, conv)
        key = (config, src[a:b], whole[a:b], tokenwise[a:b])
        proposal = found.get(key)
        if proposal is None:
            proposal = found[key] = Proposal(config, src[a:b], whole[a:b], tokenwise[a:b])
        shown = src[max(0, a - context) : a] + "[" + src[a:b] + "]" + src[b : b + context]
        proposal.places.append((doc, a, shown.replace("\n", "⏎")))


def find_proposals(
    corpora: list[Path],
    configs: list[str],
    *,
    plain: bool = False,
    fine: bool = False,
    context: int = 8,
) -> tuple[list[Proposal], int]:
    """Every proposal over the ``.txt`` files of ``corpora``, and how many files were read."""
    cut = segmenter()
    found: dict[tuple, Proposal] = {}
    files = 0
    for corpus in corpora:
        for path in sorted(corpus.rglob("*.txt")):
            text = read_text_file(path, name=str(path)).text
            files += 1
            base = detect_script(text).base
            simplified = simplified_form(text, base) if base == "traditional" else text
            tokens = cut(simplified)
            if fine:
                tokens = _fine(tokens)
            doc = f"{corpus.name}/{path.relative_to(corpus)}"
            for config in configs:
                conv = _converter(config, plain)
                if config.startswith("s2"):
                    _find_in(doc, simplified, tokens, config, conv, found, context)
                else:
                    traditional = text if base == "traditional" else convert(text, "s2t")
                    if len(traditional) != len(text):
                        continue
                    pieces, at = [], 0
                    for token in tokens:  # the same words, in traditional characters
                        pieces.append(traditional[at : at + len(token)])
                        at += len(token)
                    _find_in(doc, traditional, pieces, config, conv, found, context)
    proposals = sorted(found.values(), key=lambda p: (-len(p.places), p.config, p.window))
    return proposals, files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", nargs="*", type=Path, default=[REPO / "sample_corpus"])
    parser.add_argument("--config", default="s2t,s2tw,s2hk,t2s", help="comma-separated configs")
    parser.add_argument("--plain", action="store_true", help="OpenCC alone, no overrides")
    parser.add_argument("--fine", action="store_true", help="cut long words further")
    parser.add_argument("--contexts", type=int, default=2, help="contexts shown per proposal")
    parser.add_argument("--tsv", type=Path, help="write to-traditional proposals here")
    args = parser.parse_args()
    configs = [c.strip() for c in args.config.split(",") if c.strip()]
    proposals, files = find_proposals(args.corpora, configs, plain=args.plain, fine=args.fine)
    by_window: dict[str, list[Proposal]] = defaultdict(list)
    for p in proposals:
        by_window[p.window].append(p)
    print(f"{files} files, {len(proposals)} proposals ({len(by_window)} distinct windows)")
    for p in proposals:
        print(f"\n{p.config}  {p.window}  whole: {p.whole}  word by word: {p.tokenwise}"
              f"  ({len(p.places)}x)")  # fmt: skip
        for doc, offset, shown in p.places[: args.contexts]:
            print(f"    {doc}:{offset}  {shown}")
    if args.tsv:
        lines = [
            f"{p.window}\t{p.tokenwise}\tfinder ({p.config}, {len(p.places)}x): OpenCC {p.whole}\n"
            for p in proposals
            if p.config in TO_TRADITIONAL
        ]
        args.tsv.write_text("".join(lines), encoding="utf-8")
        print(f"\n{len(lines)} to-traditional proposals written to {args.tsv}")


if __name__ == "__main__":
    main()
