"""Over-converted phrases: what a converter wrote where it should have written another form.

Two sources, one list keyed by the wrong form:

- ``data/overconversions.tsv``, curated: forms such as 巨集觀 (old s2twp for 宏觀) or
  乾部 (a naive 干→乾) that no override produces, with exceptions (曬乾部分);
- the phrase overrides themselves (``data/phrases.tsv``): each override exists because
  OpenCC writes a wrong form (把握发展 → 把握髮展), so that form, in every standard
  (s2t, s2tw, s2hk: 和面子 → 和麪子 / 和麵子), is an over-conversion when a scraped
  text contains it. Fixing a phrase is then also detecting it, with no second list
  to keep in step.

A derived form is left out when it cannot tell a mistake from a correct text: when it
is the simplified phrase itself (OpenCC leaves 有采取 unchanged, and it is correct
simplified), when it is the right form of some override, or when it is shorter than
three characters (不準 is wrong for the permission 不准 but right in 說不準).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from speechreader.core.text._data import shipped_text

OVERCONVERSIONS_FILE = "overconversions.tsv"
#: derived wrong forms shorter than this are ambiguous out of context (不準)
MIN_DERIVED_LENGTH = 3
#: (OpenCC config, the OpenCC step that turns a standard form into that config's form)
_TO_TRADITIONAL = (("s2t", None), ("s2tw", "t2tw"), ("s2hk", "t2hk"))


@dataclass(frozen=True)
class Overconversion:
    """One entry: ``wrong`` is reported, ``right`` is what it should have been."""

    wrong: str
    right: str
    source: str
    exceptions: tuple[str, ...] = ()


def parse_curated(text: str) -> dict[str, Overconversion]:
    entries: dict[str, Overconversion] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        wrong, right = cols[0].strip(), cols[1].strip()
        source = cols[2].strip() if len(cols) > 2 else ""
        exceptions = tuple(x for x in (cols[3].split(",") if len(cols) > 3 else []) if x)
        entries[wrong] = Overconversion(wrong, right, source, exceptions)
    return entries


@functools.cache
def curated_overconversions() -> dict[str, Overconversion]:
    """The curated list from ``data/overconversions.tsv``, keyed by the wrong form."""
    return parse_curated(shipped_text(OVERCONVERSIONS_FILE))


@functools.cache
def derived_overconversions() -> dict[str, Overconversion]:
    """The wrong forms the shipped phrase overrides fix, keyed by the wrong form.

    Computed with OpenCC itself (without the overrides), once per process.
    """
    from speechreader.core.text._conversion import plain_opencc
    from speechreader.core.text._phrases import shipped_phrases

    phrases = shipped_phrases()
    rights: dict[str, str] = {}  # every right form (any standard) -> simplified
    for p in phrases:
        rights[p.simplified] = p.simplified
        for _, step in _TO_TRADITIONAL:
            form = p.traditional if step is None else plain_opencc(step).convert(p.traditional)
            rights[form] = p.simplified
    entries: dict[str, Overconversion] = {}
    for p in phrases:
        for config, step in _TO_TRADITIONAL:
            right = p.traditional if step is None else plain_opencc(step).convert(p.traditional)
            wrong = plain_opencc(config).convert(p.simplified)
            if wrong == right or wrong in rights or len(wrong) < MIN_DERIVED_LENGTH:
                continue
            entries.setdefault(
                wrong, Overconversion(wrong, right, f"phrase override {p.simplified} ({config})")
            )
    return entries


@functools.cache
def overconversions() -> dict[str, Overconversion]:
    """Every wrong form, curated first (their exceptions and notes win)."""
    return derived_overconversions() | curated_overconversions()


@functools.cache
def _pattern() -> re.Pattern[str]:
    forms = sorted(overconversions(), key=len, reverse=True)  # longest first: 好乾部 before 乾部
    return re.compile(_alternation(forms))


def _alternation(forms: list[str]) -> str:
    """A pattern matching what ``"|".join(forms)`` matches, as a tree of shared first
    characters (``黨(?:組織裏|進一步)`` rather than ``黨組織裏|黨進一步``).

    At each position the regex engine tries only the forms that start with the
    character there: a traditional text (every one passes the quick first look) is
    scanned ~35 % quicker than with 123 plain alternatives. Siblings keep the order of
    ``forms``, so the first form to match at a position is the same one.
    """
    groups: dict[str, list[str]] = {}  # insertion order: the order of ``forms``
    for form in forms:
        groups.setdefault(form[0], []).append(form[1:])
    parts = []
    for first, rests in groups.items():
        longer = [rest for rest in rests if rest]
        if not longer:
            parts.append(re.escape(first))
            continue
        inner = _alternation(longer)
        # the form that ends here (if any) is tried after every longer one: as in ``forms``
        optional = "?" if "" in rests else ""
        parts.append(f"{re.escape(first)}(?:{inner}){optional}")
    return "|".join(parts)


@functools.cache
def _prefilter() -> tuple[re.Pattern[str] | None, tuple[str, ...]]:
    """What a text holds if any wrong form is in it: one character of each form (a
    traditional one, which t2s changes, where the form has one), and the forms that
    have none, whole.

    Scanning for one character class is ~10x quicker than for 123 alternatives, and a
    simplified text (most of a corpus) has none of these characters, so most texts are
    done after one quick scan; a text with one is scanned for the forms as before.
    """
    from speechreader.core.text._conversion import plain_opencc

    t2s = plain_opencc("t2s")
    marks: set[str] = set()
    whole: list[str] = []
    for form in overconversions():
        traditional = [ch for ch in form if t2s.convert(ch) != ch]
        if traditional:
            marks.add(traditional[0])
        else:
            whole.append(form)
    chars = "".join(sorted(marks))
    return (re.compile(f"[{re.escape(chars)}]") if chars else None), tuple(whole)


def _may_hold_a_form(text: str) -> bool:
    marks, whole = _prefilter()
    return bool(marks is not None and marks.search(text)) or any(f in text for f in whole)


def _inside_exception(text: str, start: int, entry: Overconversion) -> bool:
    for legit in entry.exceptions:
        offset = legit.find(entry.wrong)
        while offset >= 0:
            if text.startswith(legit, start - offset) and start - offset >= 0:
                return True
            offset = legit.find(entry.wrong, offset + 1)
    return False


def find_overconversions(text: str) -> list[tuple[int, int, Overconversion]]:
    """``(start, end, entry)`` of every wrong form in ``text`` (not inside an exception)."""
    if not _may_hold_a_form(text):
        return []
    table = overconversions()
    return [
        (m.start(), m.end(), table[m.group()])
        for m in _pattern().finditer(text)
        if not _inside_exception(text, m.start(), table[m.group()])
    ]
