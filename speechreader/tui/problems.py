"""What the TUI says about a scraped text's problems: marks, badges, one-line explanations.

The core finds the problems (:func:`~speechreader.core.text.find_problems`), explains
each one (:attr:`~speechreader.core.text.ProblemSpan.explanation`, the words
``speechreader show --problems`` prints too) and the listing counts them. This module
adds only what a screen needs on top: a short code per kind for the library's column
(the same letter leads the reader's line), a word per kind for the library's status
line, a group per kind for how the reader draws its mark, and the mark's place among
all of them (``2/23``). A kind the core adds later is shown with its first letter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rich.text import Text

from speechreader.core.text import CLEANED_KINDS, Problem, ProblemSpan
from speechreader.tui.literal import compose


@dataclass(frozen=True)
class Kind:
    """How the TUI tells one kind of problem.

    ``group`` decides how the reader draws its mark: damage (characters are lost:
    distrust the words), noise (added by the site, not the speaker's: the clean view
    hides it) or wording (the words themselves may be wrong).
    """

    code: str  # the library's column and the head of the reader's line
    short: str  # the library's status line
    group: str


#: Most serious first: the library's column lists kinds in this order and is cut at its end.
KINDS = {
    "mojibake": Kind("M", "mojibake", "damage"),
    "lost_characters": Kind("L", "lost chars", "damage"),
    "phrase_overconversion": Kind("O", "over-conversions", "wording"),
    "simplified_residue": Kind("R", "residue", "wording"),
    "doubled_punctuation": Kind("D", "doubled marks", "noise"),
    "pinyin_gloss": Kind("G", "glosses", "noise"),
}


def kind(name: str) -> Kind:
    """The kind's entry; a kind the core added since gets its first letter and its name."""
    if name in KINDS:
        return KINDS[name]
    return Kind(name[:1].upper(), name.replace("_", " "), "wording")


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
    """One line on the mark under the cursor: ``! R 2/23 干: OpenCC reads it 幹
    (simplified character in a traditional text)``, the core's explanation (what it is, what to
    distrust, what should stand there when known) after the kind's letter and the
    mark's place; the text is highlighted, and ``z`` is named where the clean view
    would tidy it."""
    return compose(
        ("! ", "bold"),
        (kind(mark.kind).code, "bold"),
        f" {position}/{total} ",
        (mark.text.replace("\n", "⏎"), "reverse"),
        f": {mark.note}",
        " (z: the clean view)" if mark.kind in CLEANED_KINDS else "",
    )
