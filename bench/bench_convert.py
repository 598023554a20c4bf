"""Benchmark conversion and segmentation against the libraries they wrap.

    python bench/bench_convert.py [--mb 3] [--repeat 5] [--json bench/out/convert.json]

Conversion: our ``convert`` (OpenCC plus phrase overrides, through our own config
files) against OpenCC's own converter for the same config, on the sample corpus and
on a ``--mb`` MB text made by repeating it; best of ``--repeat`` runs, in MB of UTF-8
input per second. Also ``convert_mapped`` with s2twp (the aligned offset map) on the
45 KB seed, cold (nothing cached for that text) and warm.

Segmentation: the cost of getting a segmenter in a fresh process (``import rjieba``
plus our word list; ``import jieba`` plus its dictionary load plus our word list),
measured in subprocesses so that nothing is warm; then cutting the whole corpus with
each (HMM off); then ``word_boundaries`` on the 45 KB seed: first call, memory-cache
hit, disk-cache hit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
# our caches go to a scratch folder: the run must not depend on (or touch) a warm cache
os.environ.setdefault("SPEECHREADER_CACHE_DIR", tempfile.mkdtemp(prefix="sr-bench-cache-"))
os.environ.setdefault("SPEECHREADER_CONFIG_DIR", tempfile.mkdtemp(prefix="sr-bench-config-"))

from speechreader.core.text import _conversion as cv  # noqa: E402
from speechreader.core.text import _segmentation as sg  # noqa: E402

SAMPLES = sorted((REPO / "sample_corpus").glob("*.txt"))
SEED_45KB = REPO / "sample_corpus" / "undated_three-level-cadres-conference.txt"


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def best_pair(a, b, repeat: int) -> tuple[float, float]:
    """Best times of ``a`` and ``b`` run alternately, so that a noisy machine (other
    jobs, CPU frequency) hurts both alike."""
    ta, tb = [], []
    for _ in range(repeat):
        for fn, times in ((a, ta), (b, tb)):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
    return min(ta), min(tb)


def in_subprocess(code: str) -> float:
    """Seconds a fresh interpreter spends on ``code`` (it prints its own timing)."""
    env = dict(os.environ)
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.strip().splitlines()[-1])


def bench_conversion(texts: list[str], big: str, repeat: int) -> dict:
    results = {}
    corpus_mb = sum(len(t.encode()) for t in texts) / 1e6
    big_mb = len(big.encode()) / 1e6
    for config in ("s2t", "t2s", "s2tw", "tw2s", "s2twp"):
        ours, plain = cv.converter(config), cv.plain_opencc(config)
        cv.convert(texts[0], config)  # configs written, converter built
        row = {}
        for label, data, mb in (("corpus", texts, corpus_mb), ("big", [big], big_mb)):
            t_ours, t_plain = best_pair(
                lambda d=data, c=config: [cv.convert(x, c) for x in d],
                lambda d=data, p=plain: [p.convert(x) for x in d],
                repeat,
            )
            row[label] = {
                "ours_mb_s": mb / t_ours,
                "opencc_mb_s": mb / t_plain,
                "ratio": t_plain / t_ours,
            }
        assert ours.convert(texts[0]) == cv.convert(texts[0], config)
        results[config] = row
    results["sizes_mb"] = {"corpus": corpus_mb, "big": big_mb}
    return results


def bench_mapping(big: str, repeat: int) -> dict:
    text = cv.convert(SEED_45KB.read_text("utf-8"), "t2s")
    cv.convert_mapped("预热", "s2twp")  # the converter itself is built once per process
    cold = []
    for i in range(repeat):
        variant = text + "。" * (i + 1)  # a text the map cache has not seen
        start = time.perf_counter()
        result = cv.convert_mapped(variant, "s2twp")
        cold.append(time.perf_counter() - start)
    warm = best(lambda: cv.convert_mapped(variant, "s2twp"), repeat)
    traditional = SEED_45KB.read_text("utf-8")
    start = time.perf_counter()
    back = cv.convert_mapped(traditional, "tw2sp")
    tw2sp = time.perf_counter() - start
    big_simplified = cv.convert(big, "t2s")
    start = time.perf_counter()
    cv.convert_mapped(big_simplified, "s2twp")
    big_map = time.perf_counter() - start
    return {
        "big_s2twp_map_s": big_map,
        "s2twp_map_ms": min(cold) * 1e3,
        "s2twp_map_ms_median": sorted(cold)[len(cold) // 2] * 1e3,
        "s2twp_cached_ms": warm * 1e3,
        "tw2sp_map_ms": tw2sp * 1e3,
        "chars": len(text),
        "pieces_s2twp": len(result.map.pieces),
        "pieces_tw2sp": len(back.map.pieces),
    }


def bench_segmentation(texts: list[str], repeat: int) -> dict:
    timer = "import time; t=time.perf_counter()\n{body}\nprint(time.perf_counter()-t)"
    load_rjieba = in_subprocess(
        timer.format(body="from speechreader.core import segment; segment.segmenter('rjieba')")
    )
    load_jieba = in_subprocess(
        timer.format(body="from speechreader.core import segment; segment.segmenter('jieba')")
    )
    simplified = [cv.convert(t, "t2s") for t in texts]
    cut_r = sg.segmenter("rjieba")
    cut_j = sg.segmenter("jieba")
    assert [cut_r(t) for t in simplified] == [cut_j(t) for t in simplified]
    t_r, t_j = best_pair(
        lambda: [cut_r(t) for t in simplified], lambda: [cut_j(t) for t in simplified], repeat
    )
    seed = SEED_45KB.read_text("utf-8")
    start = time.perf_counter()
    sg.word_boundaries(seed)
    first = time.perf_counter() - start
    memory = best(lambda: sg.word_boundaries(seed), repeat)

    def from_disk():
        sg._memory.clear()
        sg.cached_word_boundaries(seed)

    disk = best(from_disk, repeat)
    return {
        "load_rjieba_s": load_rjieba,
        "load_jieba_s": load_jieba,
        "cut_corpus_rjieba_ms": t_r * 1e3,
        "cut_corpus_jieba_ms": t_j * 1e3,
        "seed_first_call_ms": first * 1e3,
        "seed_memory_hit_ms": memory * 1e3,
        "seed_disk_hit_ms": disk * 1e3,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=3.0, help="size of the big text (1-5)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()

    texts = [p.read_text("utf-8") for p in SAMPLES]
    corpus = "\n".join(texts)
    big = corpus * max(1, round(args.mb * 1e6 / len(corpus.encode())))
    results = {
        "opencc": cv.opencc.__version__,
        "conversion": bench_conversion(texts, big, args.repeat),
        "mapping": bench_mapping(big, args.repeat),
        "segmentation": bench_segmentation(texts, args.repeat),
    }

    conv = results["conversion"]
    sizes = conv.pop("sizes_mb")
    print(
        f"conversion, MB/s of UTF-8 input (corpus {sizes['corpus']:.3f} MB, "
        f"big {sizes['big']:.1f} MB); ratio = ours / OpenCC's throughput"
    )
    head = f"{'ours':>9}{'OpenCC':>9}{'ratio':>7}"
    print(f"  {'config':<7}{head}   {head}")
    for config, row in conv.items():
        c, b = row["corpus"], row["big"]
        print(
            f"  {config:<7}{c['ours_mb_s']:>9.2f}{c['opencc_mb_s']:>9.2f}{c['ratio']:>7.2f}"
            f"   {b['ours_mb_s']:>9.2f}{b['opencc_mb_s']:>9.2f}{b['ratio']:>7.2f}"
        )
    conv["sizes_mb"] = sizes
    m = results["mapping"]
    print(
        f"s2twp map of the 45 KB seed ({m['chars']} chars, {m['pieces_s2twp']} pieces): "
        f"{m['s2twp_map_ms']:.1f} ms (median {m['s2twp_map_ms_median']:.1f}), "
        f"cached {m['s2twp_cached_ms']:.3f} ms; tw2sp of the original: {m['tw2sp_map_ms']:.1f} ms"
    )
    print(f"s2twp map of the big text: {m['big_s2twp_map_s']:.2f} s")
    s = results["segmentation"]
    print(
        f"segmenter in a fresh process: rjieba {s['load_rjieba_s'] * 1e3:.0f} ms, "
        f"jieba {s['load_jieba_s'] * 1e3:.0f} ms"
    )
    print(
        f"cutting the corpus (HMM off): rjieba {s['cut_corpus_rjieba_ms']:.1f} ms, "
        f"jieba {s['cut_corpus_jieba_ms']:.1f} ms (identical tokens)"
    )
    print(
        f"word_boundaries, 45 KB seed: first call {s['seed_first_call_ms']:.1f} ms, "
        f"memory hit {s['seed_memory_hit_ms']:.3f} ms, disk hit {s['seed_disk_hit_ms']:.3f} ms"
    )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1), "utf-8")


if __name__ == "__main__":
    main()
