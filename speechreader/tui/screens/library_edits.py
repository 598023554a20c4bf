"""``e`` in the library: a document's title, date, speaker, place into metadata.csv.

The write is the core's (:func:`edit_document_metadata`: one row changed, a backup
kept, refused if the file changed since it was read); the row shows the new values at
once. When the file was changed elsewhere, the library reads it again and the editor
stays open with what was typed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.screen import Screen

    from speechreader.tui.dialogs.metadata_editor import MetadataEditor
    from speechreader.tui.session import Session
    from speechreader.tui.widgets.document_table import DocumentTable

    _Base = Screen[None]
else:
    _Base = object


class MetadataEdits(_Base):
    """The library's ``e`` (a mixin of LibraryScreen)."""

    session: Session
    editor_opening: MetadataEditor | None = None

    if TYPE_CHECKING:

        @property
        def table(self) -> DocumentTable: ...

        def _fill(self) -> None: ...

        def _rows_changed(self, doc_ids=None, *, haystacks: bool = False) -> None: ...

    def action_edit_metadata(self) -> None:
        corpus, doc_id = self.session.corpus, self.table.cursor_id
        if corpus is None or doc_id is None:
            return
        doc = corpus.get(doc_id)
        values = {**doc.metadata, "title": doc.metadata.get("title", doc.title)}

        from speechreader.tui.dialogs.metadata_editor import MetadataEditor

        editor = MetadataEditor(
            doc.id, values, lambda changes: self._save_metadata(doc.id, changes)
        )
        self.editor_opening = editor  # keys typed before it shows go into it (on_key)

        def saved(changes: dict[str, str] | None) -> None:
            self.editor_opening = None
            if changes:
                names = ", ".join(changes)
                self.notify(f"{names.capitalize()} saved to metadata.csv", timeout=3)

        self.app.push_screen(editor, saved)

    def _save_metadata(self, doc_id: str, changes: dict[str, str]) -> None:
        """Write through the core; the row shows the new values at once."""
        from speechreader.core.corpus import MetadataChanged, edit_document_metadata

        corpus = self.session.corpus
        assert corpus is not None
        try:
            edit_document_metadata(corpus, doc_id, changes)
        except MetadataChanged:
            self.session.load_corpus()  # what is on disk now (quick: the listing is cached)
            self._forget_rows()
            raise MetadataChanged(
                "metadata.csv was changed elsewhere since the library read it; nothing was "
                "written. The library has read it again: ctrl+s saves these values over "
                "it, Esc leaves it as it is."
            ) from None
        self._forget_rows(doc_id)

    def _forget_rows(self, doc_id: str | None = None) -> None:
        """Rebuild the rows (one, or all) from the corpus, then redraw."""
        # an edited title, date, speaker or place may move the row: the orders by the
        # columns that changed are dropped
        self._rows_changed(None if doc_id is None else [doc_id], haystacks=True)
        self._fill()
