"""Find what a reader should distrust in a scraped text, without changing it.

Kinds (keys are part of the CLI's JSON):

- ``pinyin_gloss``: a pinyin reading after a character, ``區(qū)``, left by sites that annotate rare readings.
- ``doubled_punctuation``: ``,,`` ``,、`` ``。。`` and other stacked punctuation.
- ``lost_characters``: U+FFFD, and ``?`` standing where a character was lost (not a real question mark).
- ``mojibake``: text decoded with the wrong codec, such as ``??h`` or kana inside Chinese (``翱た``).
- ``phrase_overconversion``: Taiwan-phrase or naive conversions inside the text: ``巨集觀`` for 宏觀, ``好乾部``.

Detection only reports spans; cleaning, with its own offset map, is a later feature.
"""

from __future__ import annotations

from dataclasses import dataclass, field

PROBLEM_KINDS: dict[str, str] = {
    "pinyin_gloss": "pinyin glosses after characters, e.g. 區(qū)",
    "doubled_punctuation": "doubled or stacked punctuation, e.g. ,,",
    "lost_characters": "characters lost in scraping (? or U+FFFD)",
    "mojibake": "text decoded with the wrong encoding, e.g. ??h",
    "phrase_overconversion": "over-converted phrases, e.g. 巨集觀 for 宏觀",
}


@dataclass(frozen=True)
class ProblemSpan:
    """One occurrence: ``text[start:end]`` is the suspicious passage."""

    kind: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
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
        return cls(kind=data["kind"], count=int(data["count"]), examples=list(data.get("examples", [])))


def find_problems(text: str) -> list[ProblemSpan]:
    """Every problem span in ``text``, sorted by start offset."""
    raise NotImplementedError


def summarise(spans: list[ProblemSpan]) -> list[Problem]:
    """One :class:`Problem` per kind present, in the order of :data:`PROBLEM_KINDS`."""
    raise NotImplementedError
