"""Find what a reader should distrust in a scraped text, without changing it.

Kinds (keys are part of the CLI's JSON):

- ``pinyin_gloss``: a pinyin reading after a character, ``區(qū)``, left by sites
  that annotate rare readings.
- ``doubled_punctuation``: ``,,`` ``,、`` ``。。`` and other stacked punctuation.
- ``lost_characters``: U+FFFD, and ``?`` standing where a character was lost (not a
  real question mark).
- ``mojibake``: text decoded with the wrong codec, such as ``??h`` or kana inside
  Chinese (``翱た``).
- ``phrase_overconversion``: Taiwan-phrase or naive conversions inside the text:
  ``巨集觀`` for 宏觀, ``好乾部``; and every wrong form a phrase override fixes
  (``把握髮展``, ``和麵子``): see ``_overconversions``.
- ``simplified_residue``: simplified characters left in a traditional text (``干部``
  among 幹部, ``敢于``), one span per character: see ``_residue``.

Each :class:`ProblemSpan` carries its kind, offsets, text, what should stand there
when known, and a one-line :attr:`~ProblemSpan.explanation`.

Detection only reports spans; cleaning, with its own offset map, is a later feature.

Calibration on the seeds (see tests/core/test_problems.py for the exact counts):

- A span is claimed by one kind only, in the order mojibake, lost characters, then the
  rest: the ``?`` of ``??h`` is mojibake, and a lost ``?`` never makes punctuation "doubled".
- ``?`` is a *real* question mark after a character, a digit or a closing quote
  (seed 002: ``核心區”呢?我看``, ``說好”?是``). It is *lost* after an opening or
  separating mark (``、?`` ``;?`` ``(?``), at the start of a line, before ``、`` or ``;``,
  or as a run of two or more between characters. After a comma it is neither: seed 003
  puts a stray ASCII comma before every mark (``,,`` 44, ``,、`` 31, ``,。`` 13, ``,;`` 2)
  and ``,?`` is the same artefact around a genuine question (``落實得怎么樣,?2023年``),
  so it is reported as doubled punctuation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from speechreader.core.text._overconversions import find_overconversions
from speechreader.core.text._residue import residue_positions

PROBLEM_KINDS: dict[str, str] = {
    "pinyin_gloss": "pinyin glosses after characters, e.g. 區(qū)",
    "doubled_punctuation": "doubled or stacked punctuation, e.g. ,,",
    "lost_characters": "characters lost in scraping (? or U+FFFD)",
    "mojibake": "text decoded with the wrong encoding, e.g. ??h",
    "phrase_overconversion": "over-converted phrases, e.g. 巨集觀 for 宏觀",
    "simplified_residue": "simplified characters left in a traditional text, e.g. 干部 for 幹部",
}

#: one-line explanations of each kind for a single occurrence (what it is, and what to
#: distrust), and how ``right`` reads. The CLI (``show --problems``) and the reader's
#: ``e``/``E`` line both print these words, so they are written once, here.
_EXPLAIN: dict[str, tuple[str, str]] = {
    "pinyin_gloss": (
        "a pinyin reading the site added after the character, not the speaker's words",
        "",
    ),
    "doubled_punctuation": (
        "doubled or stacked punctuation, a scraping artefact: the speaker wrote one mark",
        "",
    ),
    "lost_characters": ("a character lost in scraping: a word here is incomplete", ""),
    "mojibake": (
        "text decoded with the wrong encoding: the characters meant here are lost; "
        "do not quote them",
        "",
    ),
    "phrase_overconversion": ("over-converted phrase", "should be"),
    "simplified_residue": ("simplified character in a traditional text", "OpenCC reads it"),
}

MAX_EXAMPLES = 3


@dataclass(frozen=True)
class ProblemSpan:
    """One occurrence: ``text[start:end]`` is the suspicious passage.

    ``right`` is what should stand there, when the detector knows (宏觀 for 巨集觀,
    幹 for a residual 干); :attr:`explanation` is a one-line text for a reader.
    """

    kind: str
    start: int
    end: int
    text: str
    right: str = ""

    @property
    def description(self) -> str:
        """What this kind of problem is (the same for every span of the kind)."""
        return PROBLEM_KINDS[self.kind]

    @property
    def explanation(self) -> str:
        """A short explanation of this occurrence, e.g. ``巨集觀: should be 宏觀
        (over-converted phrase)``: what should stand there first, where a narrow
        screen still shows it."""
        return f"{self.text}: {self.note}"

    @property
    def note(self) -> str:
        """:attr:`explanation` without the quoted text, for a screen that already shows
        the text its own way (the reader highlights it): ``should be 宏觀
        (over-converted phrase)``."""
        what, right = _EXPLAIN[self.kind]
        return f"{right} {self.right} ({what})" if self.right else what


@dataclass(frozen=True, slots=True)  # slots: a 100,000-document corpus holds ~140,000
class Problem:
    """All occurrences of one kind in a document, summarised for listing."""

    kind: str
    count: int
    examples: list[str] = field(default_factory=list)  # up to 3 distinct, in order of appearance

    @property
    def description(self) -> str:
        return PROBLEM_KINDS[self.kind]

    def to_json(self) -> dict:
        return {"kind": self.kind, "count": self.count, "examples": list(self.examples)}

    @classmethod
    def from_json(cls, data: dict) -> Problem:
        return cls(
            kind=data["kind"], count=int(data["count"]), examples=list(data.get("examples", []))
        )


# --- character classes ---------------------------------------------------------------

_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_KANA = "\u3041-\u3096\u30a1-\u30fa"  # not ・ (U+30FB) or ー: Chinese uses the middle dot
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN_LETTERS = f"a-zü{_TONED}"
_UNTONE = str.maketrans("āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ", "aaaaeeeeiiiioooouuuuüüüü")

#: a parenthesised lower-case pinyin-like word (checked further in code, with the hanzi
#: before it); starting the pattern at the bracket keeps the scan fast.
_GLOSS = re.compile(f"[(（]([{_PINYIN_LETTERS}]{{1,6}})[)）]")
#: initial + final of a pinyin syllable, tone marks removed: rules out (café), (a2), (km).
_SYLLABLE = re.compile(r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?[aeiouü]{1,3}(?:ng|n|r)?")

#: ``??h級`` and ``?!翱たh治``: lost lead bytes before an ASCII letter inside Chinese.
_MOJIBAKE_QMARK = re.compile(f"\\?[?!]*(?:[{_HAN}]{{0,2}}[{_KANA}]+)?[A-Za-z](?=[{_HAN}])")
#: UTF-8 read as cp1252/latin-1: ä¸­å›½ for 中国 (a lead byte, then 1-2 continuation bytes).
_CP1252_CONT = "\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122"  # noqa: E501
_MOJIBAKE_LATIN = re.compile(f"(?:[\u00c2-\u00ef][{_CP1252_CONT}]{{1,2}}){{2,}}")
_LATIN_LEAD = re.compile("[\u00c2-\u00ef]")  # cheap pre-check: most texts have none
#: U+FFFD written as UTF-8 and read back as GBK.
_MOJIBAKE_KUNJINKAO = re.compile("(?:锟斤拷)+")
#: patterns start with a character class, not a repeat (``[x][x]*``, not ``[x]+``): the
#: regex engine then skips to a candidate character at C speed (~5x quicker)
_KANA_RUN = re.compile(f"[{_KANA}][{_KANA}]*")
_HAN_CHAR = re.compile(f"[{_HAN}]")
_LEAD_OR_KANA = re.compile(f"[\u00c2-\u00ef{_KANA}]")  # either pre-check, in one scan
#: more kana than this share of the text (and than KANA_FEW) is Japanese, not junk
KANA_SHARE_FOREIGN = 0.02
KANA_FEW = 8

_QMARKS = re.compile(r"\?\?*")
_FFFD = re.compile("\ufffd\ufffd*")
#: after these a question mark cannot stand: it is a lost character.
_OPENERS = set("、;；:：(（“‘《〈「『【\n")
#: before these a question mark cannot stand either.
_LOST_BEFORE = set("、;；")
_COMMAS = set(",，")

_PUNCT = ",，、。.;；:：!！?？"
_PUNCT_RUN = re.compile(f"[{re.escape(_PUNCT)}][{re.escape(_PUNCT)}]+")  # 2 or more
_EMPHASIS = set("!！?？")  # ?! !! ?? are emphasis, not scraping damage
_ELLIPSIS = set(".")  # ... is an ellipsis


# --- detectors -----------------------------------------------------------------------


def pinyin_gloss_spans(text: str) -> list[ProblemSpan]:
    """Each glossed character with its gloss (區(qū)), as search leaves them out."""
    return _pinyin_glosses(text)


def _pinyin_glosses(text: str) -> list[ProblemSpan]:
    spans = []
    for m in _GLOSS.finditer(text):
        if not m.start() or not _HAN_CHAR.match(text, m.start() - 1):
            continue
        word = m.group(1)
        if sum(ch in _TONED for ch in word) != 1:  # a reading has exactly one tone mark
            continue
        if not _SYLLABLE.fullmatch(word.translate(_UNTONE)):
            continue
        start = m.start() - 1  # the span includes the glossed character: 區(qū)
        spans.append(ProblemSpan("pinyin_gloss", start, m.end(), text[start : m.end()]))
    return spans


def _mojibake(text: str) -> list[ProblemSpan]:
    suspect = _LEAD_OR_KANA.search(text)  # one scan for both: most texts have neither
    patterns = [_MOJIBAKE_QMARK] if "?" in text else []
    if suspect and _LATIN_LEAD.search(text, suspect.start()):
        patterns.append(_MOJIBAKE_LATIN)
    if "锟斤拷" in text:
        patterns.append(_MOJIBAKE_KUNJINKAO)
    spans = [
        ProblemSpan("mojibake", m.start(), m.end(), m.group())
        for pattern in patterns
        for m in pattern.finditer(text)
    ]
    kana = _KANA_RUN.findall(text) if suspect and _KANA_RUN.search(text, suspect.start()) else []
    if kana and sum(map(len, kana)) <= max(KANA_FEW, KANA_SHARE_FOREIGN * len(text)):
        taken = _claimed(spans)
        for m in _KANA_RUN.finditer(text):
            if m.start() not in taken:
                spans.append(ProblemSpan("mojibake", m.start(), m.end(), m.group()))
    return spans


def _lost_characters(text: str, taken: set[int]) -> list[ProblemSpan]:
    if "?" not in text and "\ufffd" not in text:  # most texts: a quick look is enough
        return []
    spans = [
        ProblemSpan("lost_characters", m.start(), m.end(), m.group()) for m in _FFFD.finditer(text)
    ]
    for m in _QMARKS.finditer(text):
        start, end = m.start(), m.end()
        if start in taken:
            continue
        before = text[start - 1] if start else "\n"
        after = text[end] if end < len(text) else "\n"
        if before in _COMMAS and end - start == 1:
            continue  # ",?": a real question mark behind a stray comma (doubled punctuation)
        between_han = _HAN_CHAR.match(before) and _HAN_CHAR.match(after)
        if before in _OPENERS or after in _LOST_BEFORE or (end - start > 1 and between_han):
            spans.append(ProblemSpan("lost_characters", start, end, m.group()))
    return spans


def _doubled_punctuation(text: str, taken: set[int]) -> list[ProblemSpan]:
    spans = []
    for m in _PUNCT_RUN.finditer(text):
        # split the run where a character already belongs to another kind (a lost "?")
        piece_start = m.start()
        for i in range(m.start(), m.end() + 1):
            if i == m.end() or i in taken:
                piece = text[piece_start:i]
                chars = set(piece)
                if len(piece) >= 2 and not chars <= _EMPHASIS and not chars <= _ELLIPSIS:
                    spans.append(ProblemSpan("doubled_punctuation", piece_start, i, piece))
                piece_start = i + 1
    return spans


def _phrase_overconversions(text: str) -> list[ProblemSpan]:
    return [
        ProblemSpan("phrase_overconversion", start, end, text[start:end], entry.right)
        for start, end, entry in find_overconversions(text)
    ]


def _simplified_residue(text: str, taken: set[int]) -> list[ProblemSpan]:
    return [
        ProblemSpan("simplified_residue", i, i + 1, text[i], right)
        for i, right in residue_positions(text)
        if i not in taken
    ]


def _claimed(spans: list[ProblemSpan]) -> set[int]:
    return {i for s in spans for i in range(s.start, s.end)}


def find_problems(text: str, base_script: str | None = None) -> list[ProblemSpan]:
    """Every problem span in ``text``, sorted by start offset; spans never overlap.

    ``base_script`` is the document's own script (from the corpus listing); simplified
    residue is looked for only in a traditional one. ``None`` detects it when the text
    has any traditional character.
    """
    spans = _mojibake(text)
    spans += _lost_characters(text, _claimed(spans))
    spans += _doubled_punctuation(text, _claimed(spans))
    spans += _pinyin_glosses(text)
    spans += _phrase_overconversions(text)
    if _reads_traditional(text, base_script):
        spans += _simplified_residue(text, _claimed(spans))
    order = {kind: i for i, kind in enumerate(PROBLEM_KINDS)}
    return sorted(spans, key=lambda s: (s.start, s.end, order[s.kind]))


def summarise(spans: list[ProblemSpan]) -> list[Problem]:
    """One :class:`Problem` per kind present, in the order of :data:`PROBLEM_KINDS`."""
    counts: dict[str, int] = {}
    examples: dict[str, list[str]] = {}
    for span in spans:
        counts[span.kind] = counts.get(span.kind, 0) + 1
        seen = examples.setdefault(span.kind, [])
        if len(seen) < MAX_EXAMPLES and span.text not in seen:
            seen.append(span.text)
    return [Problem(kind, counts[kind], examples[kind]) for kind in PROBLEM_KINDS if kind in counts]


def problem_summary(text: str, base_script: str | None = None) -> list[Problem]:
    """:func:`summarise` of :func:`find_problems`: what the corpus listing stores."""
    return summarise(find_problems(text, base_script))


def _reads_traditional(text: str, base_script: str | None) -> bool:
    if base_script is not None:
        return base_script == "traditional"
    from speechreader.core.text._conversion import detect_script

    return detect_script(text).base == "traditional"
