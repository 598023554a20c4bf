"""Finding a tag of the codebook by what a coder types, in either script.

A codebook holds 组织; a coder whose input method is set to traditional types 組 and
must find it, not be offered a second tag 組織 that splits the coding in two. So a
typed name and the codebook's names are compared in one form (:func:`tag_key`): the
search form of :mod:`._form` (OpenCC ``t2s`` with the phrase overrides, full-width
ASCII folded, lower case) after Unicode NFKC (the other full-width and half-width
forms) and ``casefold`` (case beyond ASCII: É = é, ß = ss).

Latin letters also match a name's pinyin initials (zz finds 组织), read from the
simplified form (長城 is read as 长城, cháng, not zhǎng) with the library's pinyin
reading (pypinyin's dictionaries, phrases first: 银行 yh), not pypinyin's own
``lazy_pinyin``, whose import holds 69 MB for the rest of the session.

:func:`near_duplicates` finds the tags a new name would duplicate in all but script,
width or case, so that the TUI can ask before creating one.
"""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from speechreader.core.search._form import normalise
from speechreader.core.store import Tag
from speechreader.core.text import convert

#: how two names can differ and still be one tag (the order they are said in)
WIDTH, SCRIPT, CASE = "width", "script", "case"


def _width(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def _script(text: str) -> str:
    return convert(text, "t2s")


def _case(text: str) -> str:
    return text.casefold()


_FOLDS: dict[str, Callable[[str], str]] = {WIDTH: _width, SCRIPT: _script, CASE: _case}


@lru_cache(maxsize=4096)
def tag_key(name: str) -> str:
    """The form tag names are compared in: same script, width and case (组织 = 組織,
    ＧＤＰ = gdp). Surrounding white space does not count."""
    return normalise(_width(name.strip())).casefold()


def _is_han(ch: str) -> bool:
    return "\u3400" <= ch <= "\u9fff" or "\U00020000" <= ch <= "\U0003134f"


@lru_cache(maxsize=4096)
def pinyin_initials(name: str) -> str:
    """The pinyin initials of a name's Chinese characters, with its Latin letters and
    digits as they are (lower case): 组织 → zz, GDP增长 → gdpzz, 長城 → cc.

    Words are read with pypinyin's phrase dictionary (银行 háng, 行走 xíng); a
    character without a reading gives nothing.
    """
    from speechreader.core.corpus import pinyin_syllables

    simplified = tag_key(name)
    out: list[str] = []
    for run_is_han, run in itertools.groupby(simplified, _is_han):
        chunk = "".join(run)
        if run_is_han:
            for plain, _ in pinyin_syllables(chunk):
                if plain.isascii() and plain.isalpha():  # a reading, not the character
                    out.append(plain[0])
        else:
            out.extend(ch for ch in chunk if ch.isascii() and ch.isalnum())
    return "".join(out)


def _wants_initials(key: str) -> bool:
    """Latin letters alone (no digit, no space) may be pinyin initials."""
    return key.isascii() and key.isalpha()


class TagMatcher:
    """The tags of a codebook, ready to be filtered key by key (the tag picker).

    The compared forms are made once, so each key typed costs a scan of short strings.
    The pinyin initials are made on the first Latin letter, or earlier by
    :meth:`prepare_initials` in a worker (the pinyin tables are read on first use,
    ~0.2 s).
    """

    def __init__(self, tags: Iterable[Tag]) -> None:
        self.tags = list(tags)
        self._names = [tag_key(t.name) for t in self.tags]
        self._others = [tag_key(f"{t.description} {t.parent or ''}") for t in self.tags]
        self._initials: list[str] | None = None

    def _initials_of_names(self) -> list[str]:
        if self._initials is None:
            self._initials = [pinyin_initials(t.name) for t in self.tags]
        return self._initials

    def prepare_initials(self) -> None:
        """Make the pinyin initials now (safe in a thread: a second caller at worst
        makes the same list again)."""
        self._initials_of_names()

    def find(self, typed: str) -> list[Tag]:
        """The tags ``typed`` finds, best first (codebook order among equals).

        First a name equal to it (in any script, width or case), then names that start
        with it, names that hold it, names whose pinyin initials start with it, and
        last tags whose description or parent holds it. Nothing typed: every tag.
        """
        key = tag_key(typed)
        if not key:
            return list(self.tags)
        initials = self._initials_of_names() if _wants_initials(key) else None
        ranked: list[tuple[int, int]] = []
        for i, name in enumerate(self._names):
            if name == key:
                rank = 0
            elif name.startswith(key):
                rank = 1
            elif key in name:
                rank = 2
            elif initials is not None and initials[i].startswith(key):
                rank = 3
            elif key in self._others[i]:
                rank = 4
            else:
                continue
            ranked.append((rank, i))
        ranked.sort()
        return [self.tags[i] for _, i in ranked]

    def near_duplicates(self, name: str) -> list[NearDuplicate]:
        """The tags ``name`` would duplicate in all but script, width or case."""
        return near_duplicates(name, self.tags)


@dataclass(frozen=True)
class NearDuplicate:
    """An existing tag that a new name differs from only in ``differences``."""

    tag: Tag
    differences: tuple[str, ...]  # some of WIDTH, SCRIPT, CASE, in that order

    def describe(self) -> str:
        """How the two differ, in words: "script", "width and case"."""
        words = list(self.differences)
        if len(words) <= 1:
            return "".join(words)
        return ", ".join(words[:-1]) + " and " + words[-1]


def _differences(a: str, b: str) -> tuple[str, ...] | None:
    """The fewest folds (width, script, case) that make ``a`` and ``b`` equal, or None."""
    names = list(_FOLDS)
    for size in range(1, len(names) + 1):
        for chosen in itertools.combinations(names, size):
            x, y = a, b
            for fold_name in chosen:
                x, y = _FOLDS[fold_name](x), _FOLDS[fold_name](y)
            if x == y:
                return chosen
    return None


def near_duplicates(name: str, tags: Sequence[Tag]) -> list[NearDuplicate]:
    """Tags whose names differ from ``name`` only by script (组织 / 組織), width
    (ＧＤＰ / GDP) or case (gdp / GDP), with how they differ; the same name is not one.

    A pair the three folds together make equal but no combination of them explains
    (a phrase override of the search form) is still a near duplicate, of script.
    """
    wanted = name.strip()
    key = tag_key(wanted)
    found: list[NearDuplicate] = []
    if not key:
        return found
    for tag in tags:
        if tag.name == wanted or tag_key(tag.name) != key:
            continue
        how = _differences(wanted, tag.name) or (SCRIPT,)
        found.append(NearDuplicate(tag, how))
    return found
