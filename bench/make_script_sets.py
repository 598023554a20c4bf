"""Write the character sets that script detection counts with, from OpenCC's dictionaries.

    python bench/make_script_sets.py [--check]

:func:`speechreader.core.text.detect_script` counts a text's *simplified* characters:
the positions that s2t, s2tw and s2hk all change. Converting a whole text three times
to count them was most of a corpus's first listing, so it counts two sets instead, both
derived here from the dictionaries of the installed OpenCC (dumped with the
``opencc_dict`` program its wheel ships):

- ``sure``: characters all three standards change in *every* context (as a character
  and inside every phrase that holds it): each one in a text is certainly counted;
- ``maybe``: characters all three change in *some* context: nothing outside it is
  ever counted.

So the sure count and the maybe count bound the true count; when the script read from
both bounds is the same, it is the script, and only a text near a threshold is converted
three times as before. The file records the OpenCC version it was made from: with any
other version the sets are not used (every text takes the three passes).

``--check`` exits 1 if the shipped file differs from what the installed OpenCC gives
(a test runs it).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "speechreader" / "core" / "text" / "_data" / "script_sets.txt"

#: the first conversion step, shared by s2t, s2tw and s2hk (see OpenCC's s2*.json)
ST_PHRASES = ("STPhrases", "STPhrases_GeneratedFromRegionalPhrases")
ST_CHARACTERS = "STCharacters"
#: the second step of s2tw and s2hk (s2t has none)
REGIONAL = {"tw": ("TWVariantsPhrases", "TWVariants"), "hk": ("HKVariantsPhrases", "HKVariants")}
NORMALISATION = "CJK_Compatibility_Ideographs"


def opencc_share() -> tuple[Path, Path, str]:
    """The ``opencc_dict`` program, the dictionaries' folder and OpenCC's version."""
    import opencc

    clib = Path(opencc.__file__).parent / "clib"
    return clib / "bin" / "opencc_dict", clib / "share" / "opencc", str(opencc.__version__)


def read_dictionary(program: Path, share: Path, name: str, tmp: Path) -> dict[str, list[str]]:
    """key -> every candidate value, from an ``.ocd2`` dictionary."""
    out = tmp / f"{name}.txt"
    subprocess.run(
        [
            str(program),
            "-i",
            str(share / f"{name}.ocd2"),
            "-o",
            str(out),
            "-f",
            "ocd2",
            "-t",
            "text",
        ],
        check=True,
        capture_output=True,
    )
    entries: dict[str, list[str]] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        key, _, values = line.partition("\t")
        if key:
            entries[key] = values.split(" ")
    return entries


def outputs(chars: dict[str, list[str]], phrases: dict[str, list[str]]) -> tuple[dict, set]:
    """What each character can become in one conversion step (as a character, or at its
    place in any phrase that holds it), and the characters inside a phrase whose value
    has another length (their output has no place: the old count then falls back to
    converting character by character, which the single-character set covers)."""
    can: dict[str, set[str]] = defaultdict(set)
    unplaced: set[str] = set()
    for key, values in chars.items():
        can[key].update(v for v in values if len(v) == 1)
        if any(len(v) != 1 for v in values):
            unplaced.add(key)
    for key, values in phrases.items():
        for value in values:
            if len(value) != len(key):
                unplaced.update(key)
                continue
            for ch, out in zip(key, value, strict=True):
                if ch not in chars:
                    can[ch].add(ch)  # out of this phrase, the character stays
                can[ch].add(out)
    return can, unplaced


def check_assumptions(phrases: dict, normal: dict, unplaced: set[str]) -> None:
    """What detect_script's exact count relies on: no entry changes a text's length (so
    positions line up) and no entry holds a separator (so a clause converts alone)."""
    from speechreader.core.text._offsets import SEPARATORS

    if unplaced or any(len(k) != 1 or len(v) != 1 for k, v in normal.items()):
        raise SystemExit(f"OpenCC {opencc_share()[2]} has length-changing entries: rethink")
    if any(
        SEPARATORS.search(k) or any(SEPARATORS.search(v) for v in vs) for k, vs in phrases.items()
    ):
        raise SystemExit("an OpenCC phrase holds a separator: clauses do not convert alone")


def changed_alone(candidates: list[str]) -> set[str]:
    """Characters that s2t, s2tw and s2hk all change when converted on their own: what
    the old count used when a text's conversion changed its length."""
    from speechreader.core.text._conversion import plain_opencc

    joined = "\n".join(candidates)
    changed = set(candidates)
    for config in ("s2t", "s2tw", "s2hk"):
        out = plain_opencc(config).convert(joined).split("\n")
        assert len(out) == len(candidates), config
        changed &= {ch for ch, o in zip(candidates, out, strict=True) if o != ch}
    return changed


def script_sets() -> dict[str, str]:
    """The fields of the file (OpenCC version, the sets, the pairs) from the installed
    OpenCC's dictionaries."""
    program, share, version = opencc_share()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)

        def read(name: str) -> dict[str, list[str]]:
            return read_dictionary(program, share, name, tmp)

        phrases: dict[str, list[str]] = {}
        for name in ST_PHRASES:
            for key, values in read(name).items():
                phrases.setdefault(key, []).extend(values)
        first, unplaced = outputs(read(ST_CHARACTERS), phrases)
        regional = []
        for phrase_file, char_file in REGIONAL.values():
            can, odd = outputs(read(char_file), read(phrase_file))
            regional.append(can)
            unplaced |= odd
        normal = {k: v[0] for k, v in read(NORMALISATION).items()}
        singles = {k: v[0] for k, v in read(ST_CHARACTERS).items()}  # OpenCC takes the first
    check_assumptions(phrases, normal, unplaced)
    candidates = sorted(set(first) | set(normal))
    alone = changed_alone(candidates)
    sure, maybe = set(), set()
    for ch in candidates:
        source = normal.get(ch, ch)  # OpenCC normalises first (compatibility ideographs)
        firsts = first.get(source) or {source}
        if ch in unplaced or source in unplaced:
            firsts = firsts | {ch}  # anything may happen: never sure
        finals = [{y for x in firsts for y in (can.get(x) or {x})} for can in regional]
        if ch not in firsts and all(ch not in final for final in finals):
            sure.add(ch)
        if any(
            x != ch and all(any(y != ch for y in (can.get(x) or {x})) for can in regional)
            for x in firsts
        ):
            maybe.add(ch)
    sure, maybe = sure & alone, maybe | alone
    fields = {"opencc": version, "sure": "".join(sorted(sure)), "maybe": "".join(sorted(maybe))}
    fields.update(neighbours(maybe - sure - set(normal), singles, phrases, regional))
    fields.update(s2t_changes(singles, phrases, normal))
    return fields


def s2t_changes(
    singles: dict[str, str], phrases: dict[str, list[str]], normal: dict[str, str]
) -> dict[str, str]:
    """Where s2t may change a character (what the residue detector converts): alone
    (its character entry, or a compatibility ideograph), or inside a phrase whose value
    changes it, which can only be where the phrase's neighbour pairs are."""
    alone = {ch for ch, out in singles.items() if out != ch} | set(normal)
    inside: set[str] = set()
    left: set[str] = set()
    right: set[str] = set()
    for key, values in phrases.items():
        for j, ch in enumerate(key):
            if ch in alone or all(value[j] == ch for value in values):
                continue
            inside.add(ch)
            if j > 0:
                left.add(key[j - 1 : j + 1])
            else:
                right.add(key[j : j + 2])
    return {
        "s2t_alone": "".join(sorted(alone)),
        "s2t_inside": "".join(sorted(inside)),
        "s2t_left": " ".join(sorted(left)),
        "s2t_right": " ".join(sorted(right)),
    }


def neighbours(
    uncertain: set[str], singles: dict[str, str], phrases: dict[str, list[str]], regional: list
) -> dict[str, str]:
    """For the uncertain characters: whether converting them alone may be / is surely
    counted, and the neighbour pairs of the phrases where they are (good) or are not
    (bad) counted. A phrase can only be where its pairs are: a position with no bad
    pair around it is converted alone or in a good phrase."""

    def outputs_of(x: str) -> list[set[str]]:
        return [can.get(x) or {x} for can in regional]

    def good(x: str, ch: str) -> bool:
        return x != ch and all(any(y != ch for y in ys) for ys in outputs_of(x))

    def bad(x: str, ch: str) -> bool:
        return x == ch or any(ch in ys for ys in outputs_of(x))

    possible = {ch for ch in uncertain if good(singles.get(ch, ch), ch)}
    certain = {ch for ch in uncertain if not bad(singles.get(ch, ch), ch)}
    pairs: dict[str, set[str]] = {
        k: set() for k in ("good_left", "good_right", "bad_left", "bad_right")
    }
    for key, values in phrases.items():
        for j, ch in enumerate(key):
            if ch not in uncertain:
                continue
            for value in values:
                x = value[j]
                for kind, hit in (("good", good(x, ch)), ("bad", bad(x, ch))):
                    if not hit:
                        continue
                    if j > 0:
                        pairs[f"{kind}_left"].add(key[j - 1 : j + 1])
                    else:
                        pairs[f"{kind}_right"].add(key[j : j + 2])
    out = {"alone_possible": "".join(sorted(possible)), "alone_certain": "".join(sorted(certain))}
    out.update({k: " ".join(sorted(v)) for k, v in pairs.items()})
    return out


def render(fields: dict[str, str]) -> str:
    lines = ["# made by bench/make_script_sets.py from OpenCC's dictionaries; do not edit"]
    lines += [f"{key}\t{value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="compare with the shipped file")
    args = parser.parse_args(argv)
    fields = script_sets()
    text = render(fields)
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{OUT} is stale: run bench/make_script_sets.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    sizes = ", ".join(f"{k} {len(v.split())}" for k, v in fields.items() if k != "opencc")
    print(f"OpenCC {fields['opencc']}: {sizes} -> {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
