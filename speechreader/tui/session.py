"""What the app has open: the corpus, the annotation store, the settings.

Screens share one :class:`Session`. It is plain Python (no Textual), so what the TUI
does to the store can be reasoned about, and tested, apart from the screens.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from speechreader.core.config import Settings, load_settings
from speechreader.core.corpus import Corpus, DocumentInfo
from speechreader.core.errors import SpeechreaderError
from speechreader.core.store import Annotation, DamagedFile, Store, Tag, place_annotation
from speechreader.core.text import DEFAULT_VARIANT, VARIANTS, get_variant
from speechreader.tui.state import Placed
from speechreader.tui.view_memory import ViewChoices, load_view, save_view

if TYPE_CHECKING:  # the search part is imported when the user first searches
    from speechreader.core.search import SearchIndex, Span

T = TypeVar("T")


def place_annotations(annotations: list[Annotation], text: str, doc_hash: str) -> list[Placed]:
    """Where each annotation is in ``text`` now; orphaned ones are left out (see
    :func:`orphaned`: the reader lists them apart, for the coder to re-place or delete)."""
    placed: list[Placed] = []
    for ann in annotations:
        found = place_annotation(ann, text, doc_hash)
        if found.status != "orphaned":
            placed.append(Placed(ann, found.start, found.end, found.status))
    return placed


def orphaned(annotations: list[Annotation], text: str, doc_hash: str) -> list[Annotation]:
    """The annotations whose passage is no longer in ``text`` (the document changed)."""
    return [a for a in annotations if place_annotation(a, text, doc_hash).status == "orphaned"]


@dataclass
class Session:
    """The corpus folder, database and settings of one run of the app."""

    corpus_root: Path
    db_path: Path
    settings: Settings = field(default_factory=load_settings)
    variant: str = ""  # "": as last chosen for this corpus (c), else the setting
    coder: str | None = None
    follow_links: bool | None = None  # None: the setting
    clean_view: bool | None = None  # the reader's z; None: as last chosen, else the setting
    annotation_list: bool | None = None  # the reader's a; None: as last left
    corpus: Corpus | None = None
    store: Store | None = None
    store_error: str | None = None
    hits: list[Span] = field(default_factory=list)
    hit_position: int = 0
    _index: SearchIndex | None = None

    def __post_init__(self) -> None:
        # What was chosen for this corpus last time comes before config.toml (it is the
        # newer wish); what was asked for on the command line comes first.
        remembered = load_view(self.corpus_root)
        if remembered.variant not in VARIANTS:
            remembered.variant = None
        self.variant = get_variant(
            self.variant or remembered.variant or self.settings.variant or DEFAULT_VARIANT
        ).name
        self.coder = self.coder or self.settings.coder
        if self.follow_links is None:
            self.follow_links = self.settings.follow_links
        if self.clean_view is None:
            self.clean_view = (
                remembered.clean_view
                if remembered.clean_view is not None
                else self.settings.clean_view
            )
        if self.annotation_list is None:
            self.annotation_list = remembered.annotation_list

    def remember_view(self) -> None:
        """Keep the reader's view choices for this corpus (read back at the next start)."""
        save_view(
            self.corpus_root,
            ViewChoices(self.variant, bool(self.clean_view), bool(self.annotation_list)),
        )

    def open_store(self) -> None:
        """Open the database; if that fails, remember why and carry on read-only.

        The codebook and the document counts are read here, so a damaged file is
        reported when the app starts, not in the middle of coding.
        """
        try:
            self.store = Store(self.db_path, coder=self.coder)
            self.store.tags()
            self.store.counts_by_document()
        except SpeechreaderError as exc:
            self._broken(exc)

    def _broken(self, exc: SpeechreaderError) -> None:
        """Stop writing: the database needs attention (the files are left as they are)."""
        if self.store is not None:
            with contextlib.suppress(Exception):
                self.store.close()
        self.store = None
        self.store_error = str(exc)

    def _read(self, call: Callable[[Store], T], default: T) -> T:
        """A read from the store that degrades to ``default`` (and read-only) if it fails."""
        if self.store is None:
            return default
        try:
            return call(self.store)
        except SpeechreaderError as exc:
            self._broken(exc)
            return default

    def load_corpus(self, progress=None) -> Corpus:
        self.corpus = Corpus.load(
            self.corpus_root,
            progress=progress,
            follow_links=self.follow_links,
            apart=True,  # a first load's memory is not kept for the session
        )
        return self.corpus

    @property
    def writable(self) -> bool:
        return self.store is not None and not self.store.readonly

    def tags(self) -> list[Tag]:
        return self._read(lambda store: store.tags(), [])

    def tag_colours(self) -> dict[str, str]:
        return {tag.name: tag.colour for tag in self.tags()}

    def tag_counts(self) -> dict[str, int]:
        return self._read(lambda store: store.tag_counts(), {})

    def done_marks(self) -> dict[str, list[str]]:
        """Document id -> the coders who marked it done."""
        return self._read(lambda store: store.done_marks(), {})

    def annotation_counts(self) -> dict[str, int]:
        return self._read(lambda store: store.counts_by_document(), {})

    def reload_if_changed(self) -> bool:
        return self._read(lambda store: store.reload_if_changed(), False)

    def document(self, doc_id: str) -> tuple[DocumentInfo, str]:
        assert self.corpus is not None
        text = self.corpus.text(doc_id)
        return self.corpus.get(doc_id), text

    def damaged_documents(self) -> list[DamagedFile]:
        """Annotation files that cannot be read: only their documents are read-only."""
        return self._read(lambda store: store.damaged_documents(), [])

    def placed_annotations(self, info: DocumentInfo, text: str) -> list[Placed]:
        """The document's annotations placed in its text; those of a damaged file left out
        (that file is named by :meth:`damaged_documents`; the rest stays writable)."""
        annotations = self._read(lambda store: store.for_document(info.id, skip_damaged=True), [])
        return place_annotations(annotations, text, info.content_hash)

    def orphaned_annotations(self, info: DocumentInfo, text: str) -> list[Annotation]:
        """The document's annotations whose passage can no longer be found in it."""
        annotations = self._read(lambda store: store.for_document(info.id, skip_damaged=True), [])
        return orphaned(annotations, text, info.content_hash)

    # --- search -------------------------------------------------------------------

    def search_index(self, progress=None) -> SearchIndex:
        """The corpus's search index: loaded or built the first time (in a worker), then kept."""
        from speechreader.core.search import SearchIndex

        assert self.corpus is not None
        if self._index is None or self._index.corpus is not self.corpus:
            self._index = SearchIndex.open(
                self.corpus,
                progress=progress,
                follow_links=bool(self.follow_links),
                apart=True,  # a big build's memory is not kept for the session
            )
        return self._index

    def set_hits(self, hits: list[Span], position: int) -> None:
        """The result list the reader's n / N walk through, in the order shown."""
        self.hits = hits
        self.hit_position = position

    def step_hit(self, delta: int) -> Span | None:
        if not self.hits:
            return None
        self.hit_position = (self.hit_position + delta) % len(self.hits)
        return self.hits[self.hit_position]

    def next_variant(self) -> str:
        names = list(VARIANTS)
        self.variant = names[(names.index(self.variant) + 1) % len(names)]
        return self.variant

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
