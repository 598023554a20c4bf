"""The codebook's shape: tree order, the reader's shortcut keys, and colours.

The store accepts any string as a colour; the reader draws it as a background, so
here colours are checked and kept as ``#rrggbb`` (what the palette uses, and what R,
Excel and a browser all understand). The CSV form of the codebook is in
:mod:`speechreader.core.exchange`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from speechreader.core.errors import InvalidInput
from speechreader.core.store._records import Tag

if TYPE_CHECKING:
    pass

#: the reader's keys 1-9 apply the first nine tags in codebook (creation) order
SHORTCUTS = 9
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
#: colour names a researcher may type (CSS names of the basic colours)
NAMED_COLOURS = {
    "red": "#ff0000", "orange": "#ffa500", "yellow": "#ffff00", "green": "#008000",
    "lime": "#00ff00", "teal": "#008080", "cyan": "#00ffff", "blue": "#0000ff",
    "navy": "#000080", "purple": "#800080", "magenta": "#ff00ff", "pink": "#ffc0cb",
    "brown": "#a52a2a", "maroon": "#800000", "olive": "#808000", "black": "#000000",
    "white": "#ffffff", "grey": "#808080", "gray": "#808080", "silver": "#c0c0c0",
}  # fmt: skip


def check_colour(value: str) -> str:
    """``#rrggbb`` for a hex colour (``#abc``, ``a1b2c3`` too) or a basic colour name."""
    text = str(value).strip().lower()
    if text in NAMED_COLOURS:
        return NAMED_COLOURS[text]
    m = _HEX.fullmatch(text)
    if m is None:
        names = ", ".join(sorted(set(NAMED_COLOURS) - {"gray"}))
        raise InvalidInput(
            f"invalid colour {value!r}: use #rrggbb (e.g. #e6194b) or one of {names}"
        )
    digits = m.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def shortcut_keys(tags: list[Tag]) -> dict[str, int]:
    """The reader's key (1-9) of each of the first nine tags, in codebook order.

    Codebook order is the order tags were created (``Store.tags``): moving a tag under
    another or renaming it keeps its place and so its key; deleting or merging one away
    moves the keys of the tags after it down by one (:func:`shifted_keys` says which).
    """
    return {t.name: i + 1 for i, t in enumerate(tags[:SHORTCUTS])}


def shifted_keys(tags: list[Tag], removed: str) -> list[tuple[str, int | None, int | None]]:
    """``(tag, key now, key after)`` for each tag whose key changes when ``removed``
    leaves the codebook (None: no key; the tenth tag gains 9)."""
    before = shortcut_keys(tags)
    after = shortcut_keys([t for t in tags if t.name != removed])
    return [
        (t.name, before.get(t.name), after.get(t.name))
        for t in tags
        if t.name != removed and before.get(t.name) != after.get(t.name)
    ]


@dataclass(frozen=True)
class TreeRow:
    """A tag in tree order, with what ``codebook list`` shows about it."""

    tag: Tag
    depth: int
    shortcut: int | None  # the reader's key for it (1-9), by codebook order
    count: int  # annotations carrying it

    def to_json(self) -> dict:
        return self.tag.to_json() | {
            "depth": self.depth,
            "shortcut": self.shortcut,
            "count": self.count,
        }


def tree_rows(tags: list[Tag], counts: dict[str, int] | None = None) -> list[TreeRow]:
    """Tags parents first, each followed by its children, siblings in codebook order.

    A tag whose parent is missing (a hand-edited file) is shown at the top level.
    """
    counts = counts or {}
    shortcut = shortcut_keys(tags)
    names = {t.name for t in tags}
    children: dict[str | None, list[Tag]] = {}
    for tag in tags:
        parent = tag.parent if tag.parent in names and tag.parent != tag.name else None
        children.setdefault(parent, []).append(tag)
    rows: list[TreeRow] = []
    seen: set[str] = set()

    def walk(parent: str | None, depth: int) -> None:
        for tag in children.get(parent, []):
            if tag.name in seen:  # a loop in a hand-edited file
                continue
            seen.add(tag.name)
            rows.append(TreeRow(tag, depth, shortcut.get(tag.name), counts.get(tag.name, 0)))
            walk(tag.name, depth + 1)

    walk(None, 0)
    for tag in tags:  # tags only reachable through a loop
        if tag.name not in seen:
            seen.add(tag.name)
            rows.append(TreeRow(tag, 0, shortcut.get(tag.name), counts.get(tag.name, 0)))
            walk(tag.name, 1)
    return rows
