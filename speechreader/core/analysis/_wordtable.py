"""The words, sentences and paragraphs of every document, kept as numbers in one cache file.

Keyness counts every word of the corpus: 10,000 speeches are ~14 million jieba
tokens, which Python cannot count in seconds one string at a time. So each
document's tokens are stored once as ids into a vocabulary of simplified words
(uint32, so 发展 and 發展 are one id), with its sentences and paragraphs; counting is
then a numpy ``bincount``. The words are cut from the simplified form of the whole
document (``text.simplified_form``, what the reader's pane, search and segmentation
use), not converted one by one: t2s alone keeps 著, so 隨著 would count as 随著, while
the form reads a traditional document's 著 as tw2s does (随着, 着力). Token lengths
come from the vocabulary, so positions need not be stored: a token's offset is the sum
of the lengths before it (the form changes no length, and the tokens cover the text
exactly).

The file lives in the corpus's cache folder, keyed per document by content hash and
as a whole by :func:`segmentation_signature` (a changed word list or phrase file
makes it stale). A document not in it yet is segmented (through the segmentation
cache) and added; the file is rewritten atomically with the current documents only.
Losing the file only costs time.
"""

from __future__ import annotations

import contextlib
import itertools
import struct
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from speechreader.core.fileio import atomic_write_bytes

if TYPE_CHECKING:
    import numpy as np

    from speechreader.core.corpus import Corpus, DocumentInfo

ProgressCallback = Callable[[int, int], None]

#: 2: words cut from the document's simplified form (1 converted each token alone)
FORMAT = 2
_MAGIC = b"SRWT1\n"
FILE_NAME = "words.bin"


@dataclass(frozen=True)
class Entry:
    """Where a document's arrays are: (offset, count) into tokens, sentences, paragraphs."""

    tokens: tuple[int, int]
    sentences: tuple[int, int]
    paragraphs: tuple[int, int]
    chars: int


def is_word(token: str) -> bool:
    """A token counts as a word if it has a letter (Chinese characters are letters):
    punctuation, symbols, spaces, bare numbers and fillers do not."""
    return any(unicodedata.category(ch)[0] == "L" for ch in token)


class WordTable:
    """The cached words and units of a corpus's documents. Use :meth:`open`."""

    def __init__(self, path: Path, signature: str) -> None:
        import numpy as np

        self.path = path
        self.signature = signature
        self.vocab: list[str] = []
        self.ids: dict[str, int] = {}
        self.entries: dict[str, Entry] = {}
        self.tokens = np.zeros(0, dtype=np.uint32)
        self.sentences = np.zeros((0, 2), dtype=np.int32)
        self.paragraphs = np.zeros((0, 2), dtype=np.int32)
        self._lengths: np.ndarray | None = None

    # --- opening ----------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        corpus: Corpus,
        documents: Iterable[DocumentInfo] | None = None,
        *,
        progress: ProgressCallback | None = None,
    ) -> WordTable:
        """The table for ``documents`` (default: all), adding those not cached yet."""
        from speechreader.core.paths import corpus_cache_dir
        from speechreader.core.text import segmentation_signature

        path = corpus_cache_dir(corpus.root) / "analysis" / FILE_NAME
        with _lock:
            table = cls(path, segmentation_signature())
            table._load()
            documents = list(corpus if documents is None else documents)
            if table._add(corpus, documents, progress):
                keep = {info.content_hash for info in corpus}
                with contextlib.suppress(OSError):  # a cache we cannot write is only slower
                    table._save(keep)
        return table

    @classmethod
    def cached(cls, corpus: Corpus) -> WordTable:
        """What the cache file holds now, adding nothing (may lack documents: see :meth:`has`)."""
        from speechreader.core.paths import corpus_cache_dir
        from speechreader.core.text import segmentation_signature

        table = cls(
            corpus_cache_dir(corpus.root) / "analysis" / FILE_NAME, segmentation_signature()
        )
        with _lock:
            table._load()
        return table

    def _load(self) -> None:
        import numpy as np

        try:
            raw = self.path.read_bytes()
        except OSError:
            return
        try:
            if not raw.startswith(_MAGIC):
                return
            (size,) = struct.unpack_from("<Q", raw, len(_MAGIC))
            start = len(_MAGIC) + 8
            head = orjson.loads(raw[start : start + size])
            if head.get("format") != FORMAT or head.get("signature") != self.signature:
                return
            at = start + size
            arrays = []
            for count, dtype, width in (
                (head["n_tokens"], np.uint32, 1),
                (head["n_sentences"], np.int32, 2),
                (head["n_paragraphs"], np.int32, 2),
            ):
                n = count * width
                arrays.append(np.frombuffer(raw, dtype=dtype, count=n, offset=at))
                at += n * 4
            tokens, sentences, paragraphs = arrays
            entries = {
                h: Entry(tuple(e[0:2]), tuple(e[2:4]), tuple(e[4:6]), e[6])  # type: ignore[arg-type]
                for h, e in head["docs"].items()
            }
        except (ValueError, KeyError, TypeError, struct.error, orjson.JSONDecodeError):
            return  # damaged: rebuilt
        self.vocab = list(head["vocab"])
        self.ids = {w: i for i, w in enumerate(self.vocab)}
        self.tokens = tokens
        self.sentences = sentences.reshape(-1, 2)
        self.paragraphs = paragraphs.reshape(-1, 2)
        self.entries = entries

    def _save(self, keep: set[str]) -> None:
        import numpy as np

        entries = {h: e for h, e in self.entries.items() if h in keep}
        if len(entries) < len(self.entries):  # drop what the corpus no longer has
            self._compact(entries)
        head = {
            "format": FORMAT,
            "signature": self.signature,
            "vocab": self.vocab,
            "n_tokens": len(self.tokens),
            "n_sentences": len(self.sentences),
            "n_paragraphs": len(self.paragraphs),
            "docs": {
                h: [*e.tokens, *e.sentences, *e.paragraphs, e.chars]
                for h, e in self.entries.items()
            },
        }
        data = orjson.dumps(head)
        parts = [
            _MAGIC,
            struct.pack("<Q", len(data)),
            data,
            np.ascontiguousarray(self.tokens, dtype="<u4").tobytes(),
            np.ascontiguousarray(self.sentences, dtype="<i4").tobytes(),
            np.ascontiguousarray(self.paragraphs, dtype="<i4").tobytes(),
        ]
        atomic_write_bytes(self.path, b"".join(parts), durable=False)

    def _compact(self, entries: dict[str, Entry]) -> None:
        import numpy as np

        tokens, sentences, paragraphs, kept = [], [], [], {}
        counts = [0, 0, 0]
        for h, e in entries.items():
            pieces = (
                self.tokens[e.tokens[0] : e.tokens[0] + e.tokens[1]],
                self.sentences[e.sentences[0] : e.sentences[0] + e.sentences[1]],
                self.paragraphs[e.paragraphs[0] : e.paragraphs[0] + e.paragraphs[1]],
            )
            for store, piece in zip((tokens, sentences, paragraphs), pieces, strict=True):
                store.append(piece)
            kept[h] = Entry(
                (counts[0], e.tokens[1]), (counts[1], e.sentences[1]),
                (counts[2], e.paragraphs[1]), e.chars,
            )  # fmt: skip
            counts = [counts[0] + e.tokens[1], counts[1] + e.sentences[1],
                      counts[2] + e.paragraphs[1]]  # fmt: skip
        self.tokens = np.concatenate(tokens) if tokens else np.zeros(0, np.uint32)
        self.sentences = np.concatenate(sentences) if sentences else np.zeros((0, 2), np.int32)
        self.paragraphs = np.concatenate(paragraphs) if paragraphs else np.zeros((0, 2), np.int32)
        self.entries = kept
        self._lengths = None

    # --- adding documents -------------------------------------------------------------

    def _add(
        self, corpus: Corpus, documents: list[DocumentInfo], progress: ProgressCallback | None
    ) -> bool:
        """Segment the documents not in the table yet; True if any was added."""
        import numpy as np

        from speechreader.core.text import paragraph_spans, sentence_spans

        todo = [info for info in documents if info.content_hash not in self.entries]
        if not todo:
            return False
        raw_ids: dict[str, int] = {}  # token as written -> provisional id
        pending: list[tuple[str, list[int], list, list, int]] = []
        step = max(1, len(todo) // 100)
        if progress:
            progress(0, len(todo))
        for done, info in enumerate(todo, start=1):
            text = corpus.text(info.id)  # refreshes info if the file changed
            get = raw_ids.setdefault
            ids = [get(word, len(raw_ids)) for word in document_words(text, info.base_script)]
            pending.append(
                (info.content_hash, ids, sentence_spans(text), paragraph_spans(text), len(text))
            )
            if progress and (done % step == 0 or done == len(todo)):
                progress(done, len(todo))
        remap = np.fromiter(
            (self._word_id(word) for word in raw_ids),
            dtype=np.uint32,
            count=len(raw_ids),
        )
        new_tokens, new_sentences, new_paragraphs = [], [], []
        n_tok, n_sent, n_para = len(self.tokens), len(self.sentences), len(self.paragraphs)
        for content_hash, ids, sentences, paragraphs, chars in pending:
            if content_hash in self.entries:  # two files with the same text
                continue
            tokens = remap[np.asarray(ids, dtype=np.int64)] if ids else np.zeros(0, np.uint32)
            new_tokens.append(tokens)
            new_sentences.append(np.asarray(sentences, dtype=np.int32).reshape(-1, 2))
            new_paragraphs.append(np.asarray(paragraphs, dtype=np.int32).reshape(-1, 2))
            self.entries[content_hash] = Entry(
                (n_tok, len(tokens)), (n_sent, len(sentences)), (n_para, len(paragraphs)), chars
            )
            n_tok, n_sent, n_para = (
                n_tok + len(tokens),
                n_sent + len(sentences),
                n_para + len(paragraphs),
            )
        self.tokens = np.concatenate([self.tokens, *new_tokens])
        self.sentences = np.concatenate([self.sentences, *new_sentences])
        self.paragraphs = np.concatenate([self.paragraphs, *new_paragraphs])
        self._lengths = None
        return True

    def _word_id(self, word: str) -> int:
        found = self.ids.get(word)
        if found is None:
            found = self.ids[word] = len(self.vocab)
            self.vocab.append(word)
        return found

    # --- reading ----------------------------------------------------------------------

    def has(self, info: DocumentInfo) -> bool:
        return info.content_hash in self.entries

    def tokens_of(self, info: DocumentInfo) -> np.ndarray:
        """The document's token ids, in text order (punctuation and spaces included)."""
        offset, count = self.entries[info.content_hash].tokens
        return self.tokens[offset : offset + count]

    def units_of(self, info: DocumentInfo, kind: str) -> np.ndarray:
        """``(start, end)`` rows of the document's sentences or paragraphs."""
        entry = self.entries[info.content_hash]
        offset, count = entry.sentences if kind == "sentence" else entry.paragraphs
        array = self.sentences if kind == "sentence" else self.paragraphs
        return array[offset : offset + count]

    @property
    def lengths(self) -> np.ndarray:
        """Characters of each vocabulary word (what token offsets are summed from)."""
        import numpy as np

        if self._lengths is None or len(self._lengths) != len(self.vocab):
            self._lengths = np.fromiter(map(len, self.vocab), dtype=np.int64, count=len(self.vocab))
        return self._lengths


_lock = threading.Lock()


def _filler(length: int) -> str:
    """A non-word of ``length`` characters: stands for text that is not words (a gloss)."""
    return "\x00" * length


def document_tokens(text: str) -> list[str]:
    """The tokens of ``text`` as written, their lengths adding up to ``len(text)``.

    A scraped pinyin gloss (發(fā)展) is not part of the words: the text is segmented
    without it, as search reads it, so 發展 is one word, not 發, (, fā, ), 展. Each gloss
    becomes a filler token (``\\x00`` × its length) after the word it interrupts, so
    offsets still add up.
    """
    return _tokens(text, None)


def document_words(text: str, base_script: str | None = None) -> list[str]:
    """:func:`document_tokens` in the simplified form keyness counts: cut from
    ``text.simplified_form`` of the document's words (``base_script`` as the listing
    has it), so 隨著 in a traditional document is 随着 and 著名 in a simplified one
    stays 著名. Fillers stay fillers; lengths are unchanged."""
    from speechreader.core.text import simplified_form

    return _tokens(text, lambda words: simplified_form(words, base_script))


def _tokens(text: str, form: Callable[[str], str] | None) -> list[str]:
    """The tokens of ``text`` (glosses as fillers), cut from ``form(words)`` when given:
    the words are segmented and their form made once, then both are sliced alike."""
    from speechreader.core.text import pinyin_gloss_spans, word_boundaries

    glosses = [(g.start + 1, g.end) for g in pinyin_gloss_spans(text)]  # keep the character
    if not glosses:
        cut = _form_of(text, form)
        if cut is None:
            return _simplified(_tokens(text, None))
        return [cut[a:b] for a, b in itertools.pairwise(word_boundaries(text))]
    kept: list[int] = []  # original offset of each character of the clean text
    previous = 0
    for start, end in glosses:
        kept.extend(range(previous, start))
        previous = end
    kept.extend(range(previous, len(text)))
    clean = "".join(text[i] for i in kept)
    cut = _form_of(clean, form)
    if cut is None:
        return _simplified(_tokens(text, None))
    kept.append(len(text))
    tokens = []
    for a, b in itertools.pairwise(word_boundaries(clean)):
        tokens.append(cut[a:b])
        gap = kept[b] - (kept[a] + (b - a))  # gloss characters inside or after the token
        if gap:
            tokens.append(_filler(gap))
    return tokens


def _form_of(words: str, form: Callable[[str], str] | None) -> str | None:
    """``form(words)``, or None if it changed the length (never for t2s today; then
    each token is converted on its own)."""
    if form is None:
        return words
    out = form(words)
    return out if len(out) == len(words) else None


def _simplified(words: list[str]) -> list[str]:
    """Each token's simplified form (t2s changes no length, one call for them all);
    only when the whole document's form has another length."""
    from speechreader.core.text import converter

    convert = converter("t2s").convert
    plain = [i for i, w in enumerate(words) if "\n" not in w and not w.isascii()]
    out = list(words)
    if plain:
        joined = convert("\n".join(words[i] for i in plain)).split("\n")
        if len(joined) == len(plain):
            for i, word in zip(plain, joined, strict=True):
                out[i] = word if len(word) == len(words[i]) else words[i]
        else:  # never for t2s; kept honest
            for i in plain:
                word = convert(words[i])
                out[i] = word if len(word) == len(words[i]) else words[i]
    return out
