"""User and file text as data, never markup: the one way the TUI shows it.

Titles, tags, notes, metadata, queries and file names come from files and people;
a title such as ``关于[/]问题的报告`` must not be parsed as Rich markup (it would
crash), ``[@click=app.quit]`` must not become a live link, and an ESC byte must not
reach the terminal. Every widget that shows such text takes a :class:`~rich.text.Text`
built here (or a widget with ``markup=False`` given :func:`visible` text); messages
that mix our words with the user's build a Text from parts with :func:`compose`.
"""

from __future__ import annotations

from rich.text import Text

from speechreader.tui.layout import display_text


def visible(value: object) -> str:
    """``value`` as a string whose control characters are drawn as pictures (ESC → ␛)."""
    return display_text(str(value))


def literal(value: object, style: str = "") -> Text:
    """A Text showing ``value`` exactly: no markup parsed, control characters visible."""
    return Text(visible(value), style=style)


def compose(*parts: str | tuple[str, str] | Text) -> Text:
    """A Text from pieces: plain strings and ``(text, style)`` pairs are shown literally."""
    out = Text()
    for part in parts:
        if isinstance(part, Text):
            out.append_text(part)
        elif isinstance(part, tuple):
            out.append(visible(part[0]), style=part[1])
        else:
            out.append(visible(part))
    return out
