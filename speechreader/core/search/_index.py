"""The search index of a corpus: every document's search form, in memory.

Searching 10,000 speeches (22 M characters) must take well under a second, so the
search forms (see :mod:`_form`) are made once and kept: in memory for the TUI
(one :class:`SearchIndex` per corpus, ~60 MB for 10,000 speeches), and on disk (see
:mod:`_index_file`) so that a fresh ``speechreader search`` loads them instead of
reading and converting every file again. Entries are keyed by each document's content
hash from the corpus listing: a changed file is indexed again, the rest is reused.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Iterator
from pathlib import Path

from speechreader.core import paths
from speechreader.core.corpus import Corpus, DocumentInfo, ProgressCallback
from speechreader.core.errors import UnreadableFile
from speechreader.core.search._form import (
    FORM_VERSION,
    SEARCH_CONFIG,
    IndexedDoc,
    index_text,
    normalise,
)
from speechreader.core.search._index_file import read_index, write_index

PROGRESS_STEPS = 100
CHECKPOINT_SECONDS = 10.0  # an interrupted cold build of a big corpus keeps what it did


def cache_path(root: Path, config: str = SEARCH_CONFIG) -> Path:
    """Where the search index of the corpus at ``root`` is kept."""
    return paths.corpus_cache_dir(root) / "search" / f"index-{config}.bin"


@functools.cache
def _opencc_version() -> str:
    import opencc

    return str(getattr(opencc, "__version__", "unknown"))


def form_key(config: str = SEARCH_CONFIG) -> str:
    """What a cached search form depends on: form version, OpenCC and the phrase overrides."""
    from speechreader.core.text import load_phrases

    return f"v{FORM_VERSION}|{config}|opencc {_opencc_version()}|phrases {load_phrases().digest}"


class SearchIndex:
    """The search forms of a corpus's documents; build or load it with :meth:`open`.

    ``docs`` lists ``(DocumentInfo, IndexedDoc)`` in corpus order; a document whose
    file could not be read when indexing is left out (``missing`` names it).
    """

    def __init__(self, corpus: Corpus, config: str = SEARCH_CONFIG) -> None:
        self.corpus = corpus
        self.config = config
        self.key = form_key(config)
        self._entries: dict[str, IndexedDoc] = {}
        self.missing: list[str] = []
        self.built = 0  # documents indexed (not loaded from the cache) by the last update
        self._bounds: dict[str, frozenset[int]] = {}
        self._forms: dict[str, str] = {}  # metadata values in search form, for filters

    # --- building -----------------------------------------------------------------

    @classmethod
    def open(
        cls,
        corpus: Corpus,
        *,
        progress: ProgressCallback | None = None,
        use_cache: bool = True,
        config: str = SEARCH_CONFIG,
    ) -> SearchIndex:
        """The index of ``corpus``: the disk cache, plus any document it lacks (then saved).

        ``progress(done, total)`` counts documents: (0, total) first, (total, total) last.
        A missing, stale or damaged cache is rebuilt without a word: it is only a cache.
        """
        index = cls(corpus, config)
        cached = read_index(index.path, index.key) if use_cache else {}
        index._update(corpus, cached, progress, save=use_cache)
        return index

    @property
    def path(self) -> Path:
        return cache_path(self.corpus.root, self.config)

    def refresh(self, corpus: Corpus, *, progress: ProgressCallback | None = None) -> int:
        """Follow a reloaded corpus: index new and changed documents; return how many."""
        self._update(corpus, self._entries, progress, save=True)
        return self.built

    def _update(
        self,
        corpus: Corpus,
        known: dict[str, IndexedDoc],
        progress: ProgressCallback | None,
        *,
        save: bool,
    ) -> None:
        self.corpus = corpus
        entries: dict[str, IndexedDoc] = {}
        missing: list[str] = []
        built = 0
        total = len(corpus.documents)
        step = max(1, total // PROGRESS_STEPS)
        last_save = time.monotonic()
        if progress:
            progress(0, total)
        for done, info in enumerate(corpus.documents, start=1):
            entry = known.get(info.content_hash)
            if entry is None:
                try:
                    text = corpus.text(info.id)  # refreshes content_hash if the file changed
                except UnreadableFile:
                    missing.append(info.id)
                    continue
                entry = known.get(info.content_hash) or index_text(
                    text, self.config, info.base_script
                )
                built += 1
                if save and time.monotonic() - last_save > CHECKPOINT_SECONDS:
                    write_index(self.path, self.key, {**known, **entries})
                    last_save = time.monotonic()
            entries[info.content_hash] = entry
            if progress and (done % step == 0 or done == total):
                progress(done, total)
        changed = built > 0 or entries.keys() != known.keys()
        self._entries, self.missing, self.built = entries, missing, built
        self._bounds = {h: b for h, b in self._bounds.items() if h in entries}
        if save and changed:
            write_index(self.path, self.key, entries)

    # --- reading --------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.corpus.documents) - len(self.missing)

    def __iter__(self) -> Iterator[tuple[DocumentInfo, IndexedDoc]]:
        """``(info, entry)`` of every indexed document, in corpus order."""
        entries = self._entries
        for info in self.corpus.documents:
            entry = entries.get(info.content_hash)
            if entry is not None:
                yield info, entry

    def entry(self, doc_id: str) -> IndexedDoc:
        """The indexed form of a document (:class:`UnknownDocument` if there is none)."""
        info = self.corpus.get(doc_id)
        entry = self._entries.get(info.content_hash)
        if entry is None:
            raise UnreadableFile(info.path, "could not be read when the corpus was indexed")
        return entry

    def normalise(self, text: str) -> str:
        """``text`` in this index's search form (queries, metadata values; memoised, since
        a filter asks about the same few hundred speakers and places over and over)."""
        found = self._forms.get(text)
        if found is None:
            if len(self._forms) > 100_000:
                self._forms.clear()
            found = self._forms[text] = normalise(text, self.config)
        return found

    def word_boundaries(self, info: DocumentInfo) -> frozenset[int]:
        """jieba word boundaries of a document's text (segmented once, then cached)."""
        found = self._bounds.get(info.content_hash)
        if found is None:
            from speechreader.core.text import word_boundaries

            found = frozenset(word_boundaries(self.entry(info.id).text()))
            self._bounds[info.content_hash] = found
        return found
