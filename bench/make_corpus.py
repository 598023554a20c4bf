"""Generate a large, realistic corpus from the sample speeches, for benchmarks.

    python bench/make_corpus.py OUT_DIR --docs 10000 [--seed 1] [--avg-chars 2000]

Each document is a short title line followed by paragraphs drawn (shuffled, some cut at
a sentence end) from the sample speeches of one script, so documents differ but read
like the real thing, dirt included. Files are nested by year and province and come in
the encodings a scraped corpus has: mostly UTF-8, some with CRLF or a BOM, GB18030,
Big5 (cp950; traditional documents only), UTF-16 with a BOM. ``--junk`` adds files that
must be skipped (empty, whitespace-only, a PNG renamed .txt). ``metadata.csv`` gives
plausible fields for every document. The same ``--seed`` gives the same files.

The defaults give about 60 MB for 10,000 documents (about 6 KB each).
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SAMPLE = Path(__file__).resolve().parents[1] / "sample_corpus"
TRADITIONAL_SOURCES = ("2011-12-06", "undated", "2024-01-05")  # by file name prefix
PROVINCES = ("guangxi", "sichuan", "yunnan", "zhejiang", "hebei", "gansu", "fujian", "jilin")
PLACES = {
    "guangxi": ("广西 南宁", "廣西 南寧"),
    "sichuan": ("四川 成都", "四川 成都"),
    "yunnan": ("云南 昆明", "雲南 昆明"),
    "zhejiang": ("浙江 杭州", "浙江 杭州"),
    "hebei": ("河北 石家庄", "河北 石家莊"),
    "gansu": ("甘肃 兰州", "甘肅 蘭州"),
    "fujian": ("福建 福州", "福建 福州"),
    "jilin": ("吉林 长春", "吉林 長春"),
}
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗"
GIVEN = "建国志明海涛晓东红军文华永刚伟强春生立新丽娟"
OFFICES = (("市委书记", "市委書記"), ("县委书记", "縣委書記"), ("省委书记", "省委書記"),
           ("区委书记", "區委書記"), ("自治区党委书记", "自治區黨委書記"))  # fmt: skip
EVENTS = (
    ("全市经济工作会议", "全市經濟工作會議"),
    ("三级干部大会", "三級幹部大會"),
    ("专题党课", "專題黨課"),
    ("座谈会", "座談會"),
    ("培训班开班仪式", "培訓班開班儀式"),
)
SOURCES = ("新闻报道", "党委网站", "范文网站", "日报", "都市报")
#: (encoding, newline, share): mostly UTF-8; Big5 is only used for traditional documents.
ENCODINGS = (("utf-8", "\n", 0.60), ("utf-8", "\r\n", 0.10), ("utf-8-sig", "\n", 0.05),
             ("gb18030", "\n", 0.12), ("cp950", "\r\n", 0.08), ("utf-16", "\n", 0.05))  # fmt: skip
#: the simplified characters of SURNAMES and GIVEN, for names in traditional documents
TO_TRADITIONAL = str.maketrans(
    "张刘陈杨黄赵吴孙马罗国东红军华刚伟强丽涛晓", "張劉陳楊黃趙吳孫馬羅國東紅軍華剛偉強麗濤曉"
)
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@dataclass
class Pool:
    script: str  # "simplified" | "traditional"
    paragraphs: list[str]


def load_pools(sample: Path = SAMPLE) -> dict[str, Pool]:
    """Paragraphs of the sample speeches, by script (title lines left out)."""
    pools = {"simplified": Pool("simplified", []), "traditional": Pool("traditional", [])}
    for path in sorted(sample.glob("*.txt")):
        text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        lines = [line.strip() for line in text.split("\n") if len(line.strip()) > 20]
        script = "traditional" if path.name.startswith(TRADITIONAL_SOURCES) else "simplified"
        pools[script].paragraphs.extend(lines)
    return pools


def cut_at_sentence(paragraph: str, rng: random.Random) -> str:
    """The paragraph up to a random sentence end (or whole, if it has just one sentence)."""
    ends = [m.end() for m in re.finditer("[。!?;]", paragraph)]
    return paragraph[: rng.choice(ends)] if len(ends) > 1 else paragraph


def make_body(pool: Pool, target: int, rng: random.Random) -> str:
    parts: list[str] = []
    size = 0
    while size < target:
        paragraph = rng.choice(pool.paragraphs)
        if rng.random() < 0.3:
            paragraph = cut_at_sentence(paragraph, rng)
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)


def pick_encoding(script: str, rng: random.Random) -> tuple[str, str]:
    choices = [(e, nl, w) for e, nl, w in ENCODINGS if e != "cp950" or script == "traditional"]
    roll = rng.random() * sum(w for _, _, w in choices)
    for enc, newline, weight in choices:
        roll -= weight
        if roll <= 0:
            return enc, newline
    return choices[0][0], choices[0][1]


def encode(text: str, enc: str) -> bytes:
    """Encode for disk; characters Big5 lacks (tone marks, simplified residue) are dropped."""
    return text.encode(enc, errors="ignore" if enc == "cp950" else "strict")


def generate(out: Path, docs: int, seed: int = 1, avg_chars: int = 2000, junk: int = -1) -> dict:
    """Write the corpus; return counts by encoding and total bytes."""
    rng = random.Random(seed)
    pools = load_pools()
    out.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, str]] = []
    stats: dict[str, int] = {"bytes": 0}
    for n in range(docs):
        script = "traditional" if rng.random() < 0.4 else "simplified"
        trad = script == "traditional"
        province = rng.choice(PROVINCES)
        year = rng.randrange(2008, 2025)
        date = f"{year}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}"
        speaker = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.choice((1, 2))))
        if trad:
            speaker = speaker.translate(TO_TRADITIONAL)
        office = rng.choice(OFFICES)[trad]
        event = rng.choice(EVENTS)[trad]
        title = f"{speaker}在{event}上的讲话" if not trad else f"{speaker}在{event}上的講話"
        target = max(200, int(rng.lognormvariate(0, 0.5) * avg_chars * 0.9))
        text = title + "\n\n" + make_body(pools[script], target, rng) + "\n"
        enc, newline = pick_encoding(script, rng)
        data = encode(text.replace("\n", newline), enc)
        rel = f"{year}/{province}/{date}_speech-{n:06d}.txt"
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        key = enc + ("+crlf" if newline == "\r\n" else "")
        stats[key] = stats.get(key, 0) + 1
        stats["bytes"] += len(data)
        rows.append({"file": rel, "title": title, "date": date, "speaker": speaker,
                     "office": office, "place": PLACES[province][trad],
                     "source": rng.choice(SOURCES), "province": province})  # fmt: skip
    for i in range(docs // 1000 if junk < 0 else junk):
        junk_dir = out / "junk"
        junk_dir.mkdir(exist_ok=True)
        (junk_dir / f"empty-{i}.txt").write_bytes(b"")
        (junk_dir / f"blank-{i}.txt").write_bytes(b" \r\n\t\n")
        (junk_dir / f"image-{i}.txt").write_bytes(PNG + rng.randbytes(2000))
        (junk_dir / f".hidden-{i}.txt").write_bytes(b"never listed")
        stats["junk"] = stats.get("junk", 0) + 3
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["file"])
    writer.writeheader()
    writer.writerows(rows)
    (out / "metadata.csv").write_text(buffer.getvalue(), encoding="utf-8")
    return stats


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to create (must be empty or absent)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--avg-chars", type=int, default=2000, help="mean document length")
    parser.add_argument(
        "--junk", type=int, default=-1, help="sets of bad files (default docs/1000)"
    )
    args = parser.parse_args(argv)
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty")
    stats = generate(args.out, args.docs, args.seed, args.avg_chars, args.junk)
    size = stats.pop("bytes")
    print(f"{args.docs} documents, {size / 1e6:.1f} MB in {args.out}")
    for key, count in sorted(stats.items()):
        print(f"  {key:14} {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
