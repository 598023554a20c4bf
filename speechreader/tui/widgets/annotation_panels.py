"""The annotation under the cursor (bottom panel) and the document's annotation list (``a``)."""

from __future__ import annotations

from rich.text import Text
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from speechreader.tui.literal import cleaned
from speechreader.tui.state import Placed


def tag_label(names: list[str], colours: dict[str, str], highlight: str | None) -> Text:
    """Tags as coloured chips; a tagless highlight shows its colour name."""
    from speechreader.tui.widgets.pane import colour_style

    text = Text()
    for name in names:
        text.append(f" {name} ", style=colour_style(colours.get(name, "#a9a9a9")))
        text.append(" ")
    if not names and highlight:
        text.append(f" highlight: {highlight} ", style=colour_style(highlight))
    return text


class AnnotationInfo(Static):
    """Shows the tags, note and coder of the annotation(s) under the cursor."""

    _shown: object = None

    def show(
        self,
        hits: list[Placed],
        colours: dict[str, str],
        problem: Text | None = None,
        coder: str | None = None,
    ) -> None:
        """The annotations under the cursor, after a line on the problem mark there.

        Each says whose it is; when the first (the one the keys act on) is another
        coder's than ``coder``, it says that the keys code the coder's own copy.
        """
        # Only touch the widget when what it shows changes: an update re-lays out the
        # screen (the panel's height follows its content), too slow for every key.
        key = (
            tuple((p.annotation, p.start, p.end, p.status) for p in hits),
            tuple(colours.items()),
            problem,
            coder,
        )
        if key == self._shown:
            return
        self._shown = key
        text = Text()
        if problem is not None:
            text.append_text(problem)
            if not hits:
                self.update(text)
                return
            text.append("\n")
        if not hits:
            self.update(
                Text(
                    "No annotation here. Select a passage (shift+arrows, s, p), then t to tag it.",
                    style="dim",
                )
            )
            return
        for index, placed in enumerate(hits):
            ann = placed.annotation
            if index:
                text.append("\n")
            text.append_text(tag_label(ann.tags, colours, ann.highlight))
            text.append(f" {placed.end - placed.start} chars · {ann.coder or '?'}", style="dim")
            if coder is not None and ann.coder != coder and not index:
                text.append(
                    f" · {ann.coder}'s passage: your keys code your own copy", style="italic"
                )
            if placed.status == "moved":
                text.append(" · moved (file changed)", style="italic yellow")
            if ann.note:
                text.append("\n  ✎ ")
                text.append(ann.note.replace("\n", " ⏎ "))
        self.update(cleaned(text))


class AnnotationList(OptionList):
    """Every annotation of the document in text order; Enter jumps to one."""

    class Jump(Message):
        def __init__(self, start: int, end: int) -> None:
            super().__init__()
            self.start = start
            self.end = end

    def show(
        self, placed: list[Placed], colours: dict[str, str], text: str, coder: str | None = None
    ) -> None:
        """Every annotation in text order; another coder's than ``coder`` names its coder."""
        self._placed = sorted(placed, key=lambda p: (p.start, p.end))
        self.clear_options()
        for index, item in enumerate(self._placed):
            ann = item.annotation
            label = tag_label(ann.tags, colours, ann.highlight)
            if coder is not None and ann.coder != coder:  # before the quote: always in view
                label.append(f"{ann.coder}: ", style="dim italic")
            quote = text[item.start : item.end].replace("\n", " ")
            label.append(quote if len(quote) <= 40 else quote[:39] + "…")
            if ann.note:
                label.append("  ✎", style="bold")
            self.add_option(Option(cleaned(label), id=str(index)))
        if not self._placed:
            self.add_option(
                Option(Text("No annotations in this document yet.", style="dim"), disabled=True)
            )

    def highlight_near(self, offset: int) -> None:
        """Highlight the first annotation that ends after ``offset`` (else the last one)."""
        if not getattr(self, "_placed", None):
            return
        for index, item in enumerate(self._placed):
            if item.end > offset:
                self.highlighted = index
                return
        self.highlighted = len(self._placed) - 1

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is None:
            return
        item = self._placed[int(event.option.id)]
        self.post_message(self.Jump(item.start, item.end))
