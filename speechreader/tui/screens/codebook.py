"""The codebook screen: the tags as a tree, and the keys that add, edit and remove them.

Every change is one call to the store, which writes atomically and records one undo
step; the rows are then read again from the store, so what is shown is always what is
saved. Renaming, merging and deleting rewrite the annotations that use a tag (the
store does that): the dialogs say how many before anything happens.
"""

from __future__ import annotations

from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from speechreader.core.store import Store, TreeRow, plural, tree_rows
from speechreader.tui.literal import cleaned, literal
from speechreader.tui.screens.codebook_edits import CodebookEdits
from speechreader.tui.session import Session
from speechreader.tui.widgets.keybar import KeyBar
from speechreader.tui.widgets.tag_rows import Columns, header_text, tag_row_text, tree_guides

_EMPTY = "\x00empty"

#: what the key bar calls each action; the bindings' descriptions (the command
#: palette, the help screen) say it in full
SHORT_LABELS = {
    "add": "Add", "rename": "Rename", "recolour": "Colour", "describe": "Describe",
    "move": "Move", "merge": "Merge", "delete": "Delete", "undo": "Undo", "redo": "Redo",
    "back": "Back",
}  # fmt: skip


class CompactKeyBar(KeyBar):
    """The key bar with coloured keys instead of blocks, and short labels.

    The codebook has ten keys of its own; drawn as blocks with full descriptions they
    would not fit a 120-column terminal. The screen's keys come first, the app's (quit,
    help, search…) follow while there is room, and ``^p`` (every action by name) always
    ends the line.
    """

    def _bindings_changed(self, screen) -> None:
        own: list[tuple[str, str]] = []
        app_keys: list[tuple[str, str]] = []
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            if not binding.show or binding.description in seen or not active.enabled:
                continue
            seen.add(binding.description)
            label = SHORT_LABELS.get(binding.action, binding.description)
            item = (self.app.get_key_display(binding), label)
            (app_keys if active.node is self.app else own).append(item)
        room = (self.size.width or self.app.size.width) - 2 - len("^p more")
        text = Text(no_wrap=True, overflow="ellipsis")
        for key, label in own + app_keys:
            if text.cell_len + cell_len(f"{key} {label}  ") > room:
                break
            text.append(key, style="bold cyan")
            text.append(f" {label}  ")
        text.append("^p", style="bold cyan")
        text.append(" more")
        self.update(text)

    def store_changed(self) -> None:
        """Another process changed the database (see the app's watcher)."""
        if self.is_mounted:
            self.refresh_rows(select=self.current_name)

    def on_resize(self) -> None:
        self._bindings_changed(self.screen)


class CodebookScreen(CodebookEdits, Screen[None]):
    """List the codebook as a tree; add, rename, recolour, describe, move, merge, delete."""

    CSS_PATH = "codebook.tcss"
    AUTO_FOCUS = "#codebook-tags"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "add", "Add a tag"),
        Binding("r", "rename", "Rename the tag"),
        Binding("c", "recolour", "Change the tag's colour"),
        Binding("e", "describe", "Edit the tag's description"),
        Binding("m", "move", "Move the tag under another"),
        Binding("M", "merge", "Merge the tag into another"),
        Binding("x,delete", "delete", "Delete the tag"),
        Binding("u", "undo", "Undo"),
        Binding("ctrl+r", "redo", "Redo"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.rows: list[TreeRow] = []
        self.guides: list[str] = []
        self.total_annotations = 0
        self.unlisted: list[str] = []  # tags annotations use that the codebook lacks

    def compose(self) -> ComposeResult:
        yield Static(literal(f"Codebook · {self.session.db_path.name}"), id="codebook-title")
        yield Static("", id="codebook-header")
        yield OptionList(id="codebook-tags")
        yield Static("", id="codebook-detail")
        yield Static("", id="codebook-status")
        yield CompactKeyBar()

    @property
    def table(self) -> OptionList:
        return self.query_one("#codebook-tags", OptionList)

    def on_mount(self) -> None:
        self.refresh_rows()

    def on_screen_resume(self) -> None:
        """Shown again (after a dialog, or from another screen): the store may have changed."""
        if self.is_mounted:
            self.refresh_rows(select=self.current_name)

    def on_resize(self) -> None:
        # The columns follow the list's new width, known once the layout is refreshed.
        self.call_after_refresh(lambda: self._fill(select=self.current_name))

    # --- rows ---------------------------------------------------------------------

    def refresh_rows(self, select: str | None = None) -> None:
        """Read the codebook and the counts from the store and redraw."""
        tags = self.session.tags()
        counts = self.session.tag_counts()
        self.rows = tree_rows(tags, counts)
        self.guides = tree_guides([r.depth for r in self.rows])
        names = {t.name for t in tags}
        self.unlisted = [name for name in counts if name not in names]
        self.total_annotations = sum(self.session.annotation_counts().values())
        self._fill(select=select)
        self._status()

    def _fill(self, select: str | None = None) -> None:
        table = self.table
        width = table.scrollable_content_region.width or self.size.width or 100
        columns = Columns.for_width(width, self.rows, self.guides)
        self.query_one("#codebook-header", Static).update(header_text(columns))
        index = table.highlighted or 0
        options = [
            Option(cleaned(tag_row_text(row, guide, columns)), id=row.tag.name)
            for row, guide in zip(self.rows, self.guides, strict=True)
        ]
        if not options:
            hint = "The codebook is empty: press a to add a tag."
            options = [Option(Text(hint, style="italic"), id=_EMPTY, disabled=True)]
        table.set_options(options)
        names = [row.tag.name for row in self.rows]
        if names:
            table.highlighted = (
                names.index(select) if select in names else min(index, len(names) - 1)
            )
        self._show_detail()

    @property
    def current(self) -> TreeRow | None:
        index = self.table.highlighted
        if index is None or not 0 <= index < len(self.rows):
            return None
        return self.rows[index]

    @property
    def current_name(self) -> str | None:
        row = self.current
        return row.tag.name if row else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted tag in full: the table cuts long descriptions."""
        row = self.current
        detail = Text()
        if row is not None:
            tag = row.tag
            detail.append(tag.name, style="bold")
            detail.append(f"  under {tag.parent}" if tag.parent else "  top level", style="dim")
            children = sum(1 for r in self.rows if r.tag.parent == tag.name)
            if children:
                detail.append(f" · {plural(children, 'child tag')}", style="dim")
            detail.append(f" · {plural(row.count, 'annotation')}", style="dim")
            if row.shortcut:
                detail.append(f" · key {row.shortcut} in the reader", style="dim")
            detail.append("\n" + (tag.description or "(no description: e to write one)"))
        self.query_one("#codebook-detail", Static).update(cleaned(detail))

    def _status(self) -> None:
        parts = [plural(len(self.rows), "tag"), plural(self.total_annotations, "annotation")]
        if self.unlisted:
            parts.append(
                f"{plural(len(self.unlisted), 'tag')} used but not in the codebook: "
                + ", ".join(self.unlisted)
            )
        if not self.session.writable:
            parts.append(f"read-only: {self._read_only_reason()}")
        self.query_one("#codebook-status", Static).update(literal(" │ ".join(parts)))

    # --- undo and redo -----------------------------------------------------------

    def _history(self, undo: bool) -> None:
        word = "undo" if undo else "redo"

        def run(store: Store) -> object:
            return store.undo() if undo else store.redo()

        def said(change: object) -> str:
            if change is None:
                return f"Nothing to {word}"
            return f"{'Undone' if undo else 'Redone'}: {getattr(change, 'label', '')}"

        self._change(run, said, failed=f"Could not {word}")

    def action_undo(self) -> None:
        self._history(undo=True)

    def action_redo(self) -> None:
        self._history(undo=False)

    def action_back(self) -> None:
        self.app.pop_screen()
