"""What the TUI says about a scraped text's problems: marks, badges, one-line explanations.

The core finds the problems (:func:`~speechreader.core.text.find_problems`) and the
listing counts them; this module is how the library and the reader *tell* them: a
short code per kind for the library's column, a group per kind for how the reader
draws its mark, and a sentence per kind saying what it is and what to distrust. A kind
the core adds later (simplified residue, say) is shown with the core's own description
until it gets a sentence here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from speechreader.core.text import PROBLEM_KINDS, Problem, ProblemSpan
from speechreader.tui.literal import compose


@dataclass(frozen=True)
class Kind:
    """How the TUI tells one kind of problem.

    ``group`` decides how the reader draws its mark: damage (characters are lost:
    distrust the words), noise (added by the site, not the speaker's: the clean view
    hides it) or wording (the words themselves may be wrong).
    """

    code: str  # the library's column
    short: str  # the library's status line
    name: str  # the reader's explanation
    group: str
    advice: str  # what to distrust, in one line


#: Most serious first: the library's column lists kinds in this order and is cut at its end.
KINDS = {
    "mojibake": Kind(
        "M", "mojibake", "mojibake", "damage",
        "read with the wrong encoding: the characters meant here are lost; do not quote them",
    ),
    "lost_characters": Kind(
        "L", "lost chars", "lost character", "damage",
        "the site wrote ? for a character it could not store: a word is incomplete",
    ),
    "phrase_overconversion": Kind(
        "O", "over-conversions", "over-conversion", "wording",
        "a conversion put another word here (e.g. 巨集觀 for 宏觀): searches miss it",
    ),
    "simplified_residue": Kind(
        "R", "residue", "simplified residue", "wording",
        "a simplified character in a traditional text: the other pane and searches may "
        "read it wrongly",
    ),
    "doubled_punctuation": Kind(
        "D", "doubled marks", "doubled punctuation", "noise",
        "a scraping artefact: the speaker wrote one mark (z shows it once)",
    ),
    "pinyin_gloss": Kind(
        "G", "glosses", "pinyin gloss", "noise",
        "a reading the site added, not the speaker's words (z hides glosses)",
    ),
}  # fmt: skip


def kind(name: str) -> Kind:
    """The kind's entry; a kind the core added since is told with its own description."""
    if name in KINDS:
        return KINDS[name]
    words = name.replace("_", " ")
    return Kind(name[:1].upper(), words, words, "wording", PROBLEM_KINDS.get(name, ""))


def group(name: str) -> str:
    return kind(name).group


def ranked(problems: Iterable[Problem]) -> list[Problem]:
    """Most serious kind first (an unknown kind ranks with the wording problems)."""
    order = list(KINDS)
    wording = order.index("phrase_overconversion")
    return sorted(problems, key=lambda p: order.index(p.kind) if p.kind in KINDS else wording)


def badge(problems: Iterable[Problem], *, counts: bool) -> str:
    """The library's cell: ``M4 G97`` (or just ``MG`` where the column is narrow)."""
    codes = [kind(p.kind).code + (str(p.count) if counts else "") for p in ranked(problems)]
    return (" " if counts else "").join(codes)


def in_words(problems: Iterable[Problem]) -> str:
    """``mojibake 4 · glosses 97``: the library's status line for one document."""
    return " · ".join(f"{kind(p.kind).short} {p.count}" for p in ranked(problems))


def explain(mark: ProblemSpan, position: int, total: int) -> Text:
    """One line on the mark under the cursor: what it is and what to distrust."""
    about = kind(mark.kind)
    right = getattr(mark, "right", "")  # what should stand there, when the core knows
    return compose(
        ("⚠ ", "bold"),
        (about.name, "bold"),
        " ",
        (mark.text.replace("\n", "⏎"), "reverse"),
        *((" → ", (right, "bold")) if right else ()),
        f" {position}/{total}: {about.advice}",
    )
