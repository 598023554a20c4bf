"""``?``: the keys of the screen you came from, grouped by what they are for.

The reader and library have a written guide (grouped the way a person looks for a
key); any other screen falls back to a table of its active bindings. A test checks
that every key the guide names is really bound, so the two cannot drift apart.
"""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from speechreader.tui.literal import literal

Section = tuple[str, list[tuple[str, str]]]

READER_HELP: list[Section] = [
    ("Reading", [
        ("← →", "character left / right"),
        ("↑ ↓", "row up / down"),
        ("w b   ctrl+→ ctrl+←", "next / previous word (jieba's dictionary)"),
        (") (", "next / previous sentence"),
        ("} {", "next / previous paragraph"),
        ("pgdn pgup   home end", "page down / up, start / end of row"),
        ("g G", "start / end of the document"),
    ]),
    ("Selecting", [
        ("shift + movement", "extend the selection: shift+→, shift+↓, shift+end, ctrl+shift+→ …"),
        ("W B", "extend the selection by a word"),
        ("v", "select mode: every movement extends the selection, v again to stop"),
        ("s   p", "select the sentence / paragraph at the cursor"),
        ("mouse", "drag to select; shift+click extends"),
        ("esc", "clear the selection"),
    ]),
    ("Coding", [
        ("t", "tag the selection: type to filter the codebook, Enter applies, a new name creates"),
        ("1 … 9", "apply the tag with that key (again: remove; the last one deletes). Keys go"
                  " to the first nine tags in the order they were created, shown beside"
                  " them in t and C; moving or renaming a tag keeps its key, deleting one"
                  " moves the keys after it down by one (ctrl+p names each key's tag)"),
        ("h", "highlight without a tag; on an annotation, cycle its colour"),
        ("m", "memo (note) on the selection or the annotation under the cursor"),
        ("x", "delete the annotation under the cursor (asks once)"),
        ("u   ctrl+r", "undo / redo (kept across restarts)"),
    ]),
    ("Searching", [
        ("/", "search this document (简体 and 繁體 alike)"),
        ("ctrl+f", "search the whole corpus"),
        ("n N", "next / previous hit of the last search (opens its document)"),
    ]),
    ("Scraping problems", [
        ("e E", "next / previous problem: glosses, ,, lost characters, mojibake, 巨集觀 …;"
                " the panel says what it is and what to distrust"),
        ("z", "clean view: pinyin glosses hidden, doubled punctuation once (offsets unchanged)"),
    ]),
    ("View", [
        ("a", "list this document's annotations; Enter jumps to one"),
        ("C", "the codebook: add, rename, recolour, describe, move, merge, delete tags"),
        ("Y", "analysis: frequencies, by speaker/place/year, co-occurrence, trends, key words"),
        ("c", "switch conversion: standard, Taiwan, Hong Kong, Taiwan phrases"),
        ("esc", "back to the library"),
        ("ctrl+p", "command palette: every action by name"),
        ("q   ?", "quit / this help"),
    ]),
]  # fmt: skip

LIBRARY_HELP: list[Section] = [
    ("Library", [
        ("↑ ↓ pgup pgdn", "move through the documents"),
        ("enter", "open the document in the reader"),
        ("!", "what to distrust: M mojibake, L lost characters, O over-converted phrases,"
              " R simplified residue, D doubled punctuation, G pinyin glosses"
              " (the status line spells it out)"),
        ("/", "filter by title, speaker, place, id (简体 and 繁體 alike); Enter: back to list"
              " (or just type: a character that is not a key below starts the filter)"),
        ("esc", "clear the filter"),
        ("s   S", "sort by the next column / reverse the order (or click a column header);"
                " titles, speakers, places sort by pinyin, 简体 and 繁體 together"),
        ("e", "edit the title, date, speaker, place: saved to metadata.csv (old file kept"
              " as metadata.csv.bak), never to the speech"),
        ("!", "why some files were not loaded"),
        ("ctrl+f", "search the whole corpus (简体 and 繁體 alike)"),
        ("C", "the codebook"),
        ("Y", "analysis: tags by speaker, place, year per 10,000 characters; key words"),
        ("ctrl+p", "command palette: every action by name"),
        ("q   ?", "quit / this help"),
    ]),
]  # fmt: skip

CODEBOOK_HELP: list[Section] = [
    ("Codebook", [
        ("↑ ↓", "move through the tags (a child is shown under its parent)"),
        ("a", "add a tag (it gets the next free colour)"),
        ("r   e", "rename (annotations follow) / edit the description"),
        ("c", "change the colour: the palette, or #rrggbb"),
        ("m", "move under another tag, or back to the top level"),
        ("M", "merge into another tag: its annotations move to the survivor"),
        ("x", "delete: says how many annotations carry it; they stay, without this tag"),
        ("", "the reader's keys 1-9 go to the first nine tags in creation order: moving keeps"
             " a tag's key, deleting or merging one moves the later keys down by one"),
        ("u   ctrl+r", "undo / redo"),
        ("esc", "back"),
    ]),
]  # fmt: skip

ANALYSIS_HELP: list[Section] = [
    ("Analysis", [
        ("1 … 5", "frequencies, by group, co-occurrence, trends, keyness"),
        ("← → ↑ ↓", "move through the table; the chart beside it follows the cursor"),
        ("s", "sort by the column under the cursor (again: reverse)"),
        ("n", "by group: passages or per 10,000 characters; co-occurrence: pairs or Jaccard"),
        ("enter", "the passages behind the cell; there, enter opens the reader on one"),
        ("/", "only documents where… speaker=郭声琨, date>=2015 (comma: and); enter applies"),
        ("tab", "to the other filters: coder, child tags, and each tab's choices"),
        ("r", "read the coding again"),
        ("esc", "back"),
    ]),
]  # fmt: skip

SEARCH_HELP: list[Section] = [
    ("Search", [
        ("typing", "search as you type; 发展 finds 發展, 幹部 finds 干部"),
        ("tab", "move to: regex, whole word (jieba's words), speaker, place, dates, tag"),
        ("enter", "from the query: go to the results; on a result: open it, hit selected"),
        ("↑ ↓ pgup pgdn", "move through the results"),
        ("ctrl+s", "sort by document, left context, right context"),
        ("ctrl+a", "auto-code every hit (or its sentence / paragraph) with a tag, after a preview"),
        ("ctrl+u", "undo the last change (an auto-coding is one change)"),
        ("esc", "back"),
    ]),
]  # fmt: skip

GUIDES: dict[str, list[Section]] = {
    "ReaderScreen": READER_HELP,
    "LibraryScreen": LIBRARY_HELP,
    "AnalysisScreen": ANALYSIS_HELP,
    "SearchScreen": SEARCH_HELP,
    "CodebookScreen": CODEBOOK_HELP,
}


def guide_table(sections: list[Section]) -> Table:
    table = Table(show_header=False, box=None, padding=(0, 2), expand=True)
    width = max(len(keys) for _, rows in sections for keys, _ in rows)
    table.add_column("Key", style="bold cyan", no_wrap=True, min_width=width)
    table.add_column("What it does", ratio=1)
    for index, (title, rows) in enumerate(sections):
        if index:
            table.add_row("", "")
        table.add_row(literal(title, "bold underline"), "")
        for keys, text in rows:
            table.add_row(literal(keys), literal(text))
    return table


def bindings_table(screen: Screen) -> Table:
    """A table of the active bindings of ``screen`` (focused widget, screen, app)."""
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 2))
    table.add_column("Key", style="bold cyan", no_wrap=True)
    table.add_column("What it does")
    by_description: dict[str, list[str]] = {}
    app = screen.app
    for active in screen.active_bindings.values():
        binding = active.binding
        if binding.description:
            keys = by_description.setdefault(binding.description, [])
            display = app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
    for description, keys in by_description.items():
        table.add_row(literal(", ".join(keys)), literal(description))
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]

    def __init__(self, origin: Screen) -> None:
        super().__init__()
        self.origin = origin

    def compose(self) -> ComposeResult:
        guide = GUIDES.get(type(self.origin).__name__)
        with VerticalScroll(id="help"):
            yield Static(Text("Keys", style="bold"), id="help-title")
            yield Static(guide_table(guide) if guide else bindings_table(self.origin))
            yield Static(Text("Esc to close", style="dim"))
