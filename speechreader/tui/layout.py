"""Line layout for the reader: Chinese line breaking and two panes kept row-aligned.

Pure Python (Rich's cell widths only, no Textual) so it is tested without a screen.

Line breaking follows the W3C "Requirements for Chinese Text Layout" (clreq): a row
may not start with closing punctuation (，。、；：？！”’）》… and friends) nor end with
opening punctuation (“‘（《...), and runs that belong together (ASCII words and
numbers, ``……``, ``——``) are not split. When the greedy break would violate a rule,
characters are pushed down to the next row (clreq's "push out"); only when nothing
can be pushed (a row of nothing but punctuation) is the rule broken.

Alignment: the two panes are laid out line by line (a line is a paragraph in these
texts); each line occupies the same number of rows in both panes, the shorter side
padded with blank rows, so paragraph *k* starts at the same height on both sides.
Widths are measured with Rich's ``cell_len`` tables, the same ones Textual uses to
render, so ambiguous-width punctuation (“ ” … —) is measured as it is drawn.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from rich.cells import get_character_cell_size

#: May not start a row (closing brackets and quotes, pauses, stops, ellipsis, dashes...).
NO_START = frozenset(
    "，。、；：？！）》」』】〕〗〙〛｝〉”’…‥—–・·～〜％‰℃°,.;:?!)]}>%ー々ゝゞヽヾ"
)
#: May not end a row (opening brackets and quotes).
NO_END = frozenset("（《「『【〔〖〘〚｛〈“‘([{<")
#: Characters that pair up and must not be split: ``……`` and ``——``.
_PAIRED = frozenset("…—")
#: How far back a break may be pushed to satisfy the rules, in characters.
MAX_PUSH = 6


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "%.-_'")


def display_char(ch: str) -> str:
    """The character to draw for ``ch``: control characters become visible pictures.

    Text is shown literally: an ESC byte in a speech must appear as ``␛``, never reach
    the terminal as an escape sequence. The replacement is one character, so offsets
    and cursor arithmetic are unchanged.
    """
    code = ord(ch)
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    if 0x80 <= code < 0xA0:
        return "\ufffd"
    return ch


def display_text(text: str) -> str:
    """:func:`display_char` over a whole string (newlines are never passed here)."""
    if text.isprintable():
        return text
    return "".join(display_char(ch) for ch in text)


def char_width(ch: str) -> int:
    """Cells ``ch`` takes on screen once made displayable (0 for combining marks)."""
    return get_character_cell_size(display_char(ch))


def _break_ok(line: str, brk: int) -> bool:
    """May a row end just before ``line[brk]``?"""
    before, after = line[brk - 1], line[brk]
    if after in NO_START or before in NO_END:
        return False
    if before in _PAIRED and after == before:
        return False
    return not (_is_word_char(before) and _is_word_char(after))


def wrap_line(line: str, width: int) -> list[tuple[int, int]]:
    """Rows of one line (no newline inside) as ``(start, end)`` offsets into ``line``.

    Every row fits in ``width`` cells. An empty line is one empty row.
    """
    n = len(line)
    if n == 0:
        return [(0, 0)]
    width = max(width, 2)
    rows: list[tuple[int, int]] = []
    pos = 0
    while pos < n:
        used = 0
        i = pos
        while i < n:
            w = char_width(line[i])
            if used + w > width:
                break
            used += w
            i += 1
        if i >= n:
            rows.append((pos, n))
            break
        if i == pos:  # a single character wider than the pane: give it a row of its own
            i = pos + 1
        brk = i
        # Zero-width characters (combining marks) belong to the character before them.
        while brk > pos + 1 and char_width(line[brk]) == 0:
            brk -= 1
        candidate = brk
        while candidate > pos and candidate > brk - MAX_PUSH and not _break_ok(line, candidate):
            candidate -= 1
        if candidate > pos and _break_ok(line, candidate):
            brk = candidate
        rows.append((pos, brk))
        pos = brk
    return rows


@dataclass(frozen=True)
class PaneLine:
    """Where one line of a pane's text sits: ``text[start:end]`` (newline excluded)."""

    start: int
    end: int


def split_lines(text: str) -> list[PaneLine]:
    """The lines of ``text`` (a trailing newline does not open an extra line)."""
    lines: list[PaneLine] = []
    start = 0
    while True:
        end = text.find("\n", start)
        if end < 0:
            if start < len(text) or not lines:
                lines.append(PaneLine(start, len(text)))
            break
        lines.append(PaneLine(start, end))
        start = end + 1
    return lines


@dataclass
class PaneRows:
    """The rows of one pane: ``starts[i]:ends[i]`` of its text, or a blank pad row."""

    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    real: list[bool] = field(default_factory=list)
    # real rows only, for offset → row lookups
    _real_starts: list[int] = field(default_factory=list)
    _real_index: list[int] = field(default_factory=list)

    def add(self, start: int, end: int, real: bool = True) -> None:
        if real:
            self._real_starts.append(start)
            self._real_index.append(len(self.starts))
        self.starts.append(start)
        self.ends.append(end)
        self.real.append(real)

    def row_of(self, offset: int) -> int:
        """The row showing ``offset`` (an offset at a line's end is on its last row)."""
        k = bisect_right(self._real_starts, offset) - 1
        return self._real_index[max(k, 0)]


@dataclass
class DocumentLayout:
    """Both panes' rows for one document at one pane width."""

    width: int
    texts: tuple[str, str]
    panes: tuple[PaneRows, PaneRows]
    line_first_row: list[int]  # row where each line starts (same in both panes)

    @property
    def height(self) -> int:
        return len(self.panes[0].starts)

    def row_text(self, pane: int, row: int) -> str:
        rows = self.panes[pane]
        return self.texts[pane][rows.starts[row] : rows.ends[row]]


def layout_document(left: str, right: str, width: int) -> DocumentLayout:
    """Lay out two texts with the same line structure side by side, ``width`` cells each.

    The texts must have the same number of lines (conversion never adds or removes a
    newline); a mismatch is tolerated by treating missing lines as empty.
    """
    texts = (left, right)
    lines = (split_lines(left), split_lines(right))
    panes = (PaneRows(), PaneRows())
    line_first_row: list[int] = []
    for index in range(max(len(lines[0]), len(lines[1]))):
        line_first_row.append(len(panes[0].starts))
        wrapped: list[tuple[PaneLine, list[tuple[int, int]]]] = []
        for side in (0, 1):
            if index < len(lines[side]):
                pl = lines[side][index]
                rows = wrap_line(texts[side][pl.start : pl.end], width)
            else:
                pl = PaneLine(len(texts[side]), len(texts[side]))
                rows = []
            wrapped.append((pl, rows))
        height = max(len(wrapped[0][1]), len(wrapped[1][1]))
        for side in (0, 1):
            pl, rows = wrapped[side]
            for start, end in rows:
                panes[side].add(pl.start + start, pl.start + end)
            for _ in range(height - len(rows)):
                panes[side].add(pl.end, pl.end, real=False)
    return DocumentLayout(width, texts, panes, line_first_row)


def count_bad_row_starts(layout: DocumentLayout) -> tuple[int, int]:
    """(rows starting with closing punctuation, rows ending with opening punctuation)."""
    bad_start = bad_end = 0
    for side in (0, 1):
        rows = layout.panes[side]
        text = layout.texts[side]
        for start, end, real, prev_end in zip(
            rows.starts, rows.ends, rows.real, [None, *rows.ends[:-1]], strict=True
        ):
            if not real or start == end:
                continue
            continues = prev_end == start  # not the first row of its line
            if continues and text[start] in NO_START:
                bad_start += 1
            if end < len(text) and text[end] != "\n" and text[end - 1] in NO_END:
                bad_end += 1
    return bad_start, bad_end
