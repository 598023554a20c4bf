"""The search index of a corpus: every document's search form, on disk, queried.

A fresh ``speechreader search`` on 100,000 speeches (220 M characters) must answer a
rare phrase in under a second, so nothing is loaded whole: the forms (see :mod:`_form`)
and the postings that say which documents hold which pairs of characters live in one
SQLite file (see :mod:`_index_db`), and a query reads the postings of its pairs and
the forms of the few documents that hold them all.

Keeping it current: a document's row names its path, size and mtime_ns (as the
listing cache does), content hash and script. :meth:`SearchIndex.open` compares them
with a loaded corpus and indexes only new and changed files, in transactions of one
segment each (an interrupted first build of a big corpus keeps what it did). When it
is current it records a digest of the corpus's files, so :meth:`open_folder` (the
command line) can check a walk of the folder against it (see :mod:`_folder_walk`) and
query at once, without loading the listing; only when something changed does it load
the corpus and update.
One builder at a time (a lock file beside the index); readers never wait for it
longer than a commit.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from speechreader.core.errors import UnreadableFile
from speechreader.core.search._folder_walk import FolderCheck, files_digest, folder_digest
from speechreader.core.search._form import SEARCH_CONFIG, IndexedDoc, normalise
from speechreader.core.search._index_db import (
    IndexDB,
    memory_index,
    new_index_file,
    open_index,
)
from speechreader.core.search._index_key import cache_path, form_key
from speechreader.core.search._index_update import IndexUpdates, build_lock, describes
from speechreader.core.search._postings import char_range, intersect, members

if TYPE_CHECKING:  # the listing is loaded only when the index must be brought up to date
    from speechreader.core.corpus import Corpus, DocumentInfo, ProgressCallback


class StaleIndex(Exception):
    """The folder changed since the index was opened unconfirmed (see
    :meth:`SearchIndex.open_folder`): what it found must not be shown."""


#: From this many documents an update asked to work ``apart`` runs in a child process.
APART_MIN_DOCUMENTS = 5000
ENTRY_CACHE = 64  # documents' forms kept in memory (KWIC pages revisit the same few)


class SearchIndex(IndexUpdates):
    """The search index of a corpus; build or open it with :meth:`open` or :meth:`open_folder`.

    ``missing`` names the documents whose file could not be read when indexing;
    ``built`` counts the documents the last update indexed (not found in the file).
    """

    def __init__(
        self,
        root: Path,
        db: IndexDB,
        *,
        config: str = SEARCH_CONFIG,
        corpus: Corpus | None = None,
        follow_links: bool = False,
    ) -> None:
        self.root = root
        self.db = db
        self.config = config
        self.key = form_key(config)
        self.follow_links = follow_links
        self._corpus = corpus
        self.missing: list[str] = []
        self.built = 0
        self._entries: OrderedDict[str, tuple[int, IndexedDoc]] = OrderedDict()
        self._bounds: dict[int, frozenset[int]] = {}
        self._forms: dict[str, str] = {}  # metadata values in search form, for filters
        self._check: FolderCheck | None = None  # a folder walk this index waits to confirm
        self._recorded = ""  # the folder digest the file recorded when opened

    # --- opening and building -------------------------------------------------------

    @classmethod
    def open(
        cls,
        corpus: Corpus,
        *,
        progress: ProgressCallback | None = None,
        use_cache: bool = True,
        config: str = SEARCH_CONFIG,
        follow_links: bool = False,
        apart: bool = False,
    ) -> SearchIndex:
        """The index of ``corpus``, brought up to date (only new and changed files read).

        ``progress(done, total)`` counts documents: (0, total) first, (total, total) last.
        A missing, stale or damaged file is rebuilt without a word: it is only a cache.
        ``use_cache=False`` builds an index in memory and leaves the file alone.
        ``apart``: a big corpus's index is brought up to date by a child process (see
        :mod:`_apart_child`), for a long-lived program that should not keep what it costs.
        """
        key = form_key(config)
        if not use_cache:
            index = cls(corpus.root, memory_index(key), config=config, corpus=corpus)
            index._fill(corpus, {}, progress)
            return index
        path = cache_path(corpus.root, config)
        if apart and len(corpus.documents) >= APART_MIN_DOCUMENTS:
            db = open_index(path, key)
            current = db is not None and describes(db, corpus, follow_links)
            if db is not None:
                db.close()
            if not current:  # a child brings it up to date; failed, it is done below
                from speechreader.core.apart import run_apart

                args = [str(corpus.root), config, *(["--follow-links"] if follow_links else [])]
                run_apart(f"{__package__}._apart_child", args, progress)
        with build_lock(path):
            db = open_index(path, key)
            index = cls(corpus.root, db or new_index_file(path, key), config=config,
                        corpus=corpus, follow_links=follow_links)  # fmt: skip
            index._update(corpus, progress)
        return index

    @classmethod
    def open_folder(
        cls,
        root: Path | str,
        *,
        follow_links: bool = False,
        progress: ProgressCallback | None = None,
        config: str = SEARCH_CONFIG,
        check: FolderCheck | None = None,
    ) -> SearchIndex:
        """The index of the corpus at ``root``, without loading the listing if the index
        is current for the files on disk (a walk and a stat of each); else as :meth:`open`.

        With ``check`` (a :class:`FolderCheck` of ``root``, walking in another process)
        an index that exists for this key comes back at once, *not yet known to be
        current*: query it, and call :meth:`confirm` before showing anything it found
        (:class:`StaleIndex` if the folder changed since; then open it again without
        ``check``, which brings it up to date).
        """
        root = Path(root).expanduser()
        key = form_key(config)
        db = open_index(cache_path(root, config), key)
        if db is not None:
            index = cls(root, db, config=config, follow_links=follow_links)
            index._recorded = db.meta().get("files", "")
            if check is not None and check.root == str(root):
                index._check = check
                return index
            if index._is_current(folder_digest(root, follow_links)):
                return index
            db.close()
        if check is not None:
            check.close()
        from speechreader.core.corpus import Corpus

        corpus = Corpus.load(root, follow_links=follow_links)
        return cls.open(corpus, progress=progress, config=config, follow_links=follow_links)

    def confirm(self) -> None:
        """Raise :class:`StaleIndex` unless the folder's files are those this index was
        made current for (see :meth:`open_folder`); nothing to do for any other index."""
        check, self._check = self._check, None
        if check is not None and not self._is_current(check.result()):
            raise StaleIndex(f"{self.root} changed since its search index was made")

    def _is_current(self, found: tuple[str, int] | None) -> bool:
        """Whether ``found`` (a folder's digest and count; None: ask the corpus's own walk,
        the folder holds something unusual) is what the index recorded."""
        if found is None:
            from speechreader.core.corpus import scan_files

            files, _ = scan_files(self.root, follow_links=self.follow_links)
            found = files_digest([(f.rel, f.size, f.mtime_ns) for f in files],
                                 self.follow_links), len(files)  # fmt: skip
        digest, count = found
        return bool(count) and digest == self._recorded

    @property
    def corpus(self) -> Corpus:
        """The corpus listing (loaded on first use when the index was opened from a folder)."""
        if self._corpus is None:
            from speechreader.core.corpus import Corpus

            self._corpus = Corpus.load(self.root, follow_links=self.follow_links)
        return self._corpus

    @property
    def path(self) -> Path:
        return cache_path(self.root, self.config)

    def refresh(self, corpus: Corpus, *, progress: ProgressCallback | None = None) -> int:
        """Follow a reloaded corpus: index new and changed documents; return how many."""
        if self.db.path is None:
            self._corpus = corpus
            self._fill(corpus, {}, progress)
            return self.built
        with build_lock(self.path):
            self.db.close()
            self.db = open_index(self.path, self.key) or new_index_file(self.path, self.key)
            self._update(corpus, progress)
        return self.built

    # --- reading --------------------------------------------------------------------

    def __len__(self) -> int:
        return self.db.count()

    def __iter__(self) -> Iterator[tuple[DocumentInfo, IndexedDoc]]:
        """``(info, entry)`` of every indexed document, in corpus order (loads them all:
        for tests and small corpora; searches go through :meth:`candidates`)."""
        for info in self.corpus.documents:
            found = self.db.number(info.id)
            if found is not None:
                yield info, self.entry(info.id)

    def candidates(self, codes: list[int] | None, char: str = "") -> list[tuple[str, int]]:
        """``(doc_id, number)`` of the documents holding every pair of ``codes``, or
        (no codes) the character ``char``; all documents if neither; in id order."""
        if codes:
            found = intersect(self.db.postings(code) for code in codes)
            docs = self.db.ids_of(members(found))
        elif char:
            docs = self.db.ids_of(members(self.db.postings_between(*char_range(char))))
        else:
            docs = self.db.all_ids()
        corpus = self._corpus
        if corpus is not None:  # the ids as the listing holds them, not copies: the hits
            get = corpus.get  # of 发展 kept 100,000 copies (9 MB) for as long as shown
            docs = [(get(d).id if d in corpus else d, no) for d, no in docs]
        return docs

    def entries(
        self, numbers: list[int], *, maps: bool = True
    ) -> Iterator[tuple[int, IndexedDoc, tuple[list[int], ...] | None]]:
        """``(number, entry, offset map columns)`` of documents, in the order given, read
        a chunk at a time (``maps=False``: entries without their OffsetMap)."""
        return self.db.entries(numbers, maps=maps)

    def norms(self, numbers: list[int]) -> Iterator[tuple[int, str, tuple[list[int], ...] | None]]:
        """``(number, search form, offset map columns)`` of documents, in the order given."""
        return self.db.norms(numbers)

    def number(self, doc_id: str) -> int:
        """The document's number in the index (:class:`UnknownDocument` if there is
        none in the corpus, :class:`UnreadableFile` if it could not be indexed)."""
        found = self.db.number(doc_id)
        if found is None:
            info = self.corpus.get(doc_id)
            raise UnreadableFile(info.path, "could not be read when the corpus was indexed")
        return found

    def entry(self, doc_id: str) -> IndexedDoc:
        """The indexed form of a document (:class:`UnknownDocument` if there is none)."""
        cached = self._entries.get(doc_id)
        if cached is not None:
            self._entries.move_to_end(doc_id)
            return cached[1]
        no = self.number(doc_id)
        entry = self.db.entry(no)
        if entry is None:  # replaced by another process since: look again
            self._entries.pop(doc_id, None)
            entry = self.db.entry(self.number(doc_id))
            if entry is None:
                info = self.corpus.get(doc_id)
                raise UnreadableFile(info.path, "could not be read when the corpus was indexed")
        self._entries[doc_id] = (no, entry)
        if len(self._entries) > ENTRY_CACHE:
            self._entries.popitem(last=False)
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

    def word_boundaries(self, doc: DocumentInfo | str) -> frozenset[int]:
        """jieba word boundaries of a document's text (segmented once, then cached)."""
        doc_id = doc if isinstance(doc, str) else doc.id
        no = self.number(doc_id)
        found = self._bounds.get(no)
        if found is None:
            from speechreader.core.text import word_boundaries

            found = frozenset(word_boundaries(self.entry(doc_id).text()))
            self._bounds[no] = found
        return found

    def close(self) -> None:
        if self._check is not None:
            self._check.close()
            self._check = None
        self.db.close()
