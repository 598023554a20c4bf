"""Line layout for the reader: Chinese line breaking and two panes kept row-aligned.

Pure Python (Rich's cell widths only, no Textual) so it is tested without a screen.

Line breaking follows the W3C "Requirements for Chinese Text Layout" (clreq): a row
may not start with closing punctuation (，。、；：？！”’）》… and friends) nor end with
opening punctuation (“‘（《...), and runs that belong together are not split:
``……`` and ``——``, Latin words (with accented letters: the pinyin of a gloss, fā),
numbers with their decimal point, separators, sign and unit (7.3%, ７．３％,
2018-06-07, 09:45, 100km). When the greedy break would violate a rule, the break moves
back to the last place that obeys every rule (clreq's "push out"), however far: a
closing mark after a long Latin word moves down with the word ("citizenship）").
Only a run that cannot fit on a row of its own is split, at the row's end where the
punctuation rules allow; only a row of nothing but punctuation breaks them.

Tabs show as spaces to the next tab stop (every :data:`TAB_SIZE` cells from the row's
start), never past the row's end. A tab is still one character of the text, so
offsets stay exact; only its cells depend on where it stands (:func:`char_cells`).

Alignment: the two panes are laid out line by line (a line is a paragraph in these
texts); each line occupies the same number of rows in both panes, the shorter side
padded with blank rows, so paragraph *k* starts at the same height on both sides.
Widths are measured with Rich's ``cell_len`` tables, the same ones Textual uses to
render, so ambiguous-width punctuation (“ ” … —) is measured as it is drawn.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from rich.cells import get_character_cell_size

#: May not start a row (closing brackets and quotes, pauses, stops, ellipsis, dashes...).
NO_START = frozenset(
    "，。、；：？！）》」』】〕〗〙〛｝〉”’…‥—–・·～〜％‰℃°,.;:?!)]}>%ー々ゝゞヽヾ"
)
#: May not end a row (opening brackets and quotes).
NO_END = frozenset("（《「『【〔〖〘〚｛〈“‘([{<")
#: Characters that pair up and must not be split: ``……`` and ``——``.
_PAIRED = frozenset("…—")
#: Cells between tab stops: two full-width characters, the customary paragraph indent.
TAB_SIZE = 4


def _chars(*ranges: tuple[str, str]) -> frozenset[str]:
    return frozenset(chr(c) for a, b in ranges for c in range(ord(a), ord(b) + 1))


_DIGITS = _chars(("0", "9"), ("０", "９"))
#: Latin letters, accented ones (pinyin: ā é ǐ ò ü) and full-width ones, and the
#: combining accents that may follow them.
_LETTERS = _chars(
    ("A", "Z"), ("a", "z"), ("\u00c0", "\u00d6"), ("\u00d8", "\u00f6"), ("\u00f8", "\u024f"),
    ("\u1e00", "\u1eff"), ("Ａ", "Ｚ"), ("ａ", "ｚ"), ("\u0300", "\u036f"),
)  # fmt: skip
_WORD = _DIGITS | _LETTERS
#: Inside a word or number, between two of its characters: don't, COVID-19, 7.3, ７．３,
#: km/h, R&D; and between two digits only: 28,593, 09:45, 2+6.
_JOINERS = frozenset("'’-‐‑._/&．")
_DIGIT_JOINERS = frozenset(",:：+")
#: Before a digit: a sign or a currency stays with its number (-5%, ￥100).
_NUMBER_PREFIX = frozenset("$¥￥£€＄+-－＋±#№")

_WIDTHS: dict[str, int] = {}


def display_char(ch: str) -> str:
    """The character to draw for ``ch``: control characters become visible pictures.

    Text is shown literally: an ESC byte in a speech must appear as ``␛``, never reach
    the terminal as an escape sequence. The replacement is one character, so offsets
    and cursor arithmetic are unchanged. (The reader draws a tab as spaces instead:
    :func:`display_row`.)
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
    width = _WIDTHS.get(ch)
    if width is None:
        width = _WIDTHS[ch] = get_character_cell_size(display_char(ch))
    return width


def tab_cells(column: int, width: int) -> int:
    """Cells of a tab at ``column`` of a row: to the next tab stop, not past the row's end."""
    return max(1, min(TAB_SIZE - column % TAB_SIZE, width - column))


def char_cells(ch: str, column: int, width: int) -> int:
    """Cells ``ch`` takes at ``column`` of a row ``width`` cells wide (a tab depends on it)."""
    return tab_cells(column, width) if ch == "\t" else char_width(ch)


def display_row(text: str, column: int, width: int) -> tuple[str, int]:
    """``text`` as drawn from ``column`` of a row (tabs as spaces), and the column after it."""
    if "\t" not in text:
        shown = display_text(text)
        return shown, column + sum(map(char_width, text))
    parts = []
    for ch in text:
        cells = char_cells(ch, column, width)
        parts.append(" " * cells if ch == "\t" else display_char(ch))
        column += cells
    return "".join(parts), column


# --- where a row may end -------------------------------------------------------------


def _punctuation_ok(line: str, k: int) -> bool:
    """May a row end before ``line[k]`` as far as punctuation and pairs go?"""
    before, after = line[k - 1], line[k]
    if after in NO_START or before in NO_END:
        return False
    if before == after and before in _PAIRED:
        return False
    width = _WIDTHS.get(after)
    if width is None:
        width = char_width(after)
    return width != 0  # a combining mark belongs to the character before it


def _break_ok(line: str, k: int) -> bool:
    """May a row end before ``line[k]``? Punctuation, and no word or number cut."""
    if not _punctuation_ok(line, k):
        return False
    before, after = line[k - 1], line[k]
    if before in _WORD:
        if after in _WORD:
            return False
        if k + 1 < len(line):
            if after in _JOINERS and line[k + 1] in _WORD:
                return False
            if after in _DIGIT_JOINERS and before in _DIGITS and line[k + 1] in _DIGITS:
                return False
    elif after in _WORD and k >= 2:
        if before in _JOINERS and line[k - 2] in _WORD:
            return False
        if before in _DIGIT_JOINERS and after in _DIGITS and line[k - 2] in _DIGITS:
            return False
    return not (before in _NUMBER_PREFIX and after in _DIGITS)


class _Cells:
    """Cells of ``line[a:b]`` drawn from a row's start: prefix sums, or a walk with tabs."""

    def __init__(self, line: str, width: int) -> None:
        self.line, self.width = line, width
        self.tabs = "\t" in line
        if not self.tabs:
            widths = list(map(_WIDTHS.get, line))  # in C: this is the reader's hot path
            if None in widths:
                widths = list(map(char_width, line))
            self.cum = [0, *accumulate(widths)]

    def fit(self, pos: int) -> int:
        """The end of the longest run from ``pos`` that fits on a row (``pos`` if none)."""
        if not self.tabs:
            return bisect_right(self.cum, self.cum[pos] + self.width, pos) - 1
        column, i, n = 0, pos, len(self.line)
        while i < n:
            column += char_cells(self.line[i], column, self.width)
            if column > self.width:
                break
            i += 1
        return i

    def fits(self, start: int, end: int) -> bool:
        """Does ``line[start:end]`` fit on a row of its own?"""
        return self.fit(start) >= end


def _run_end(line: str, k: int) -> int:
    """The first place after ``k`` where a row may end (the end of the run ``k`` is in)."""
    n = len(line)
    k += 1
    while k < n and not _break_ok(line, k):
        k += 1
    return k


def wrap_line(line: str, width: int) -> list[tuple[int, int]]:
    """Rows of one line (no newline inside) as ``(start, end)`` offsets into ``line``.

    Every row fits in ``width`` cells (a character wider than the pane gets a row of
    its own). An empty line is one empty row.
    """
    n = len(line)
    if n == 0:
        return [(0, 0)]
    width = max(width, 2)
    cells = _Cells(line, width)
    rows: list[tuple[int, int]] = []
    pos = 0
    while pos < n:
        end = cells.fit(pos)
        if end >= n:
            rows.append((pos, n))
            break
        end = max(end, pos + 1)
        brk = end
        if not _break_ok(line, end):
            brk = end - 1
            while brk > pos and not _break_ok(line, brk):
                brk -= 1
            # Push the unbreakable run down whole if it fits on the next row; a run
            # wider than any row is split here, where punctuation allows.
            if brk == pos or not cells.fits(brk, _run_end(line, end)):
                brk = end
                while brk > pos + 1 and not _punctuation_ok(line, brk):
                    brk -= 1
                if not _punctuation_ok(line, brk):
                    brk = end  # nothing but punctuation: the rule gives way
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
