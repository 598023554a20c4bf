"""Word boundaries from jieba's dictionary, computed on the simplified form of a text.

jieba's dictionary is simplified: segmenting traditional text directly loses 16-19
points of word accuracy, while t2s keeps offsets, so boundaries found on the
simplified form map back unchanged. We use rjieba (the binding of jieba's Rust port,
same dictionary; identical tokens with HMM off, measured on the sample corpus) because
it segments 45 KB in ~5 ms with no 1-2 s start-up, and fall back to jieba itself if
rjieba is unavailable. jieba's stderr logging is silenced (it would land on the TUI).

A user dictionary of political formulations (两个维护, 富民强桂 ...) ships in
``core/text/_data/political_words.txt``; users can add ``words.txt`` in the config folder.
Boundaries are cached per content hash in the cache folder.

Nothing here runs at import: importing rjieba builds its dictionary (~100 ms) and
jieba takes over a second, so the segmenter is made on first use, or ahead of time in
a background thread with :func:`warm_up`. The reader asks :func:`cached_word_boundaries`
first, which never segments, and falls back to moving by character until the
boundaries arrive.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.util
import itertools
import logging
import sys
import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from speechreader.core.fileio import atomic_write_bytes
from speechreader.core.paths import cache_dir
from speechreader.core.text._data import (
    LineProblem,
    content_lines,
    read_user_entries,
    reloaded_on_change,
    shipped_entries,
    user_file,
)

#: part of the cache key: bump when boundaries would come out differently
#: (2: a traditional text's 著 is read as tw2s reads it, 隨著 → 随着, see ``_zhe``)
ALGORITHM_VERSION = 2
#: jieba frequency for a listed word without one: high enough to stay one token in
#: context (the shipped list uses it too), low enough not to swallow neighbours
DEFAULT_FREQ = 2000
WORDS_FILE = "words.txt"
SHIPPED_WORDS = "political_words.txt"
_MAGIC = b"SRWB1\n"


@dataclass(frozen=True)
class WordList:
    """Words added to jieba's dictionary: shipped, then the user's."""

    words: tuple[tuple[str, int], ...]
    problems: tuple[LineProblem, ...] = ()

    @functools.cached_property
    def digest(self) -> str:
        h = hashlib.sha256()
        for word, freq in self.words:
            h.update(f"{word} {freq}\n".encode())
        return h.hexdigest()


def parse_words(text: str, source: str) -> tuple[list[tuple[str, int]], list[LineProblem]]:
    """Parse a jieba user dictionary: ``word [freq [tag]]`` a line; ``#`` starts a comment."""
    words: list[tuple[str, int]] = []
    problems: list[LineProblem] = []
    for number, line in content_lines(text):
        fields = line.split()
        if len(fields) > 3:
            problems.append(LineProblem(source, number, "expected: word [frequency [tag]]"))
            continue
        freq = DEFAULT_FREQ
        if len(fields) >= 2:
            if not fields[1].isdigit() or int(fields[1]) == 0:
                problems.append(
                    LineProblem(
                        source, number, f"frequency {fields[1]!r} is not a whole number > 0"
                    )
                )
                continue
            freq = int(fields[1])
        words.append((fields[0], freq))
    return words, problems


@functools.cache
def shipped_words() -> tuple[tuple[str, int], ...]:
    return shipped_entries(SHIPPED_WORDS, parse_words)


def user_words_path() -> Path:
    return user_file(WORDS_FILE)


_lock = threading.RLock()


@reloaded_on_change(WORDS_FILE)
def load_words(key: tuple) -> WordList:
    """Shipped words plus the user's (cached on the user file's size and mtime)."""
    merged = dict(shipped_words())
    user, problems = read_user_entries(key, parse_words)
    merged.update(user)
    return WordList(tuple(merged.items()), tuple(problems))


# --- the segmenters ----------------------------------------------------------------

Cut = Callable[[str], list[str]]
_segmenters: dict[tuple[str, str], Cut] = {}
_rjieba_default_taken = False


def available_backend() -> str:
    """``"rjieba"`` if it is installed, else ``"jieba"`` (without importing either)."""
    return "rjieba" if importlib.util.find_spec("rjieba") is not None else "jieba"


def _make_rjieba(words: WordList) -> Cut:
    global _rjieba_default_taken
    import rjieba  # builds its default dictionary (~100 ms): the reason this is lazy

    if _rjieba_default_taken:
        seg = rjieba.Jieba()  # a fresh dictionary: words cannot be taken out of one
    else:
        seg, _rjieba_default_taken = rjieba._DEFAULT_JIEBA, True  # saves building a 2nd
    for word, freq in words.words:
        seg.add_word(word, freq, None)
    return functools.partial(seg.cut, hmm=False)


def _make_jieba(words: WordList) -> Cut:
    import jieba

    jieba.setLogLevel(logging.CRITICAL)  # it logs its loading to stderr, under the TUI
    logging.getLogger("jieba").setLevel(logging.CRITICAL)
    tok = jieba.Tokenizer()
    folder = cache_dir() / "jieba"
    with contextlib.suppress(OSError):
        folder.mkdir(parents=True, exist_ok=True)
        tok.tmp_dir = str(folder)  # its dictionary cache, instead of /tmp
    tok.initialize()
    for word, freq in words.words:
        tok.add_word(word, freq)
    return lambda text: list(tok.cut(text, HMM=False))


def segmenter(backend: str | None = None) -> Cut:
    """The tokenizer (HMM off, word lists loaded), made on first use; thread-safe.

    ``backend`` forces ``"rjieba"`` or ``"jieba"`` (tests compare the two).
    """
    words = load_words()
    name = backend or available_backend()
    key = (name, words.digest)
    seg = _segmenters.get(key)
    if seg is None:
        with _lock:
            seg = _segmenters.get(key)
            if seg is None:
                if name not in ("rjieba", "jieba"):
                    raise ValueError(f"unknown segmenter {name!r}")
                seg = _make_rjieba(words) if name == "rjieba" else _make_jieba(words)
                _segmenters[key] = seg
    return seg


def cut(text: str, backend: str | None = None) -> list[str]:
    """jieba tokens of ``text`` as given (use simplified text), HMM off."""
    return segmenter(backend)(text)


def warm_up() -> threading.Thread:
    """Make the segmenter in a background thread, so the first document opens at once."""
    thread = threading.Thread(target=segmenter, name="speechreader-segmenter", daemon=True)
    thread.start()
    return thread


# --- boundaries and their cache ------------------------------------------------------

_memory: OrderedDict[str, list[int]] = OrderedDict()
_MEMORY_KEEP = 32


def segmentation_signature() -> str:
    """What word boundaries depend on: the algorithm, the word lists, the phrase overrides.

    Caches of anything derived from the boundaries (the analysis's word tables) key on
    it, so that editing ``words.txt`` or ``phrases.txt`` makes them stale, as it makes
    the boundary cache itself.
    """
    from speechreader.core.text._phrases import load_phrases

    return f"v{ALGORITHM_VERSION}-{load_words().digest[:16]}-{load_phrases().digest[:16]}"


def _cache_key(text: str) -> str:
    from speechreader.core.text._phrases import load_phrases  # the simplified form depends on it

    h = hashlib.sha256()
    h.update(f"v{ALGORITHM_VERSION}\0{load_words().digest}\0{load_phrases().digest}\0".encode())
    h.update(text.encode("utf-8", "surrogatepass"))
    return h.hexdigest()


def _cache_file(key: str) -> Path:
    return cache_dir() / "segments" / key[:2] / f"{key}.bin"


def _encode(bounds: list[int]) -> bytes:
    data = array("I", bounds)
    if sys.byteorder == "big":
        data.byteswap()
    return _MAGIC + data.tobytes()


def _decode(raw: bytes, length: int) -> list[int] | None:
    body = raw[len(_MAGIC) :]
    if not raw.startswith(_MAGIC) or len(body) % 4:
        return None
    data = array("I")
    data.frombytes(body)
    if sys.byteorder == "big":
        data.byteswap()
    bounds = data.tolist()
    ok = len(bounds) >= 1 and bounds[0] == 0 and bounds[-1] == length
    return bounds if ok and all(a < b for a, b in itertools.pairwise(bounds)) else None


def _remember(key: str, bounds: list[int]) -> None:
    with _lock:
        _memory[key] = bounds
        _memory.move_to_end(key)
        while len(_memory) > _MEMORY_KEEP:
            _memory.popitem(last=False)


def _lookup(text: str, key: str) -> list[int] | None:
    bounds = _memory.get(key)
    if bounds is not None:
        return bounds
    try:
        bounds = _decode(_cache_file(key).read_bytes(), len(text))
    except OSError:
        return None
    if bounds is not None:
        _remember(key, bounds)
    return bounds


def cached_word_boundaries(text: str) -> list[int] | None:
    """The boundaries if they are in the memory or disk cache; never segments."""
    return list(b) if (b := _lookup(text, _cache_key(text))) is not None else None


def compute_word_boundaries(text: str) -> list[int]:
    """Segment the simplified form of ``text`` (no cache).

    The form is one character for one (``simplified_form``: t2s, and 著 read as
    tw2s reads it in a traditional text, so that 隨著 is the word 随着, not 隨/著).
    """
    from speechreader.core.text._conversion import convert_mapped, simplified_form

    simplified = simplified_form(text)
    if len(simplified) != len(text):  # never so for t2s today; kept honest anyway
        mapped = convert_mapped(text, "t2s")
        bounds = _bounds(cut(mapped.text), len(mapped.text))
        return sorted({mapped.map.to_src(b) for b in bounds})
    return _bounds(cut(simplified), len(text))


def _bounds(tokens: list[str], length: int) -> list[int]:
    bounds = [0]
    for token in tokens:
        bounds.append(bounds[-1] + len(token))
    if bounds[-1] != length:
        raise RuntimeError("segmenter tokens do not add up to the text")
    return bounds


def word_boundaries(text: str) -> list[int]:
    """Sorted offsets where words start or end, including 0 and ``len(text)``.

    Whitespace and punctuation are their own tokens. Works on any script.
    """
    key = _cache_key(text)
    bounds = _lookup(text, key)
    if bounds is None:
        bounds = compute_word_boundaries(text)
        _remember(key, bounds)
        with contextlib.suppress(OSError):  # a cache we cannot write is only slower
            atomic_write_bytes(_cache_file(key), _encode(bounds), durable=False)
    return list(bounds)


def word_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every word (consecutive boundaries), punctuation included."""
    bounds = word_boundaries(text)
    return list(itertools.pairwise(bounds))
