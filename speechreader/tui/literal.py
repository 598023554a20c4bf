"""User and file text as data, never markup: the one way the TUI shows it.

Titles, tags, notes, metadata, queries and file names come from files and people;
a title such as ``关于[/]问题的报告`` must not be parsed as Rich markup (it would
crash), ``[@click=app.quit]`` must not become a live link, and an ESC byte must not
reach the terminal. Every widget that shows such text takes a :class:`~rich.text.Text`
built here (or a widget with ``markup=False`` given :func:`visible` text); messages
that mix our words with the user's build a Text from parts with :func:`compose`.

Two places apply this to everything that passes through them, so that a message
written later cannot forget: the app's ``notify`` (every toast) and the dialogs
(every title and detail is :func:`shown`).
"""

from __future__ import annotations

from rich.text import Text

from speechreader.tui.layout import display_text


def visible(value: object, *, lines: bool = False) -> str:
    """``value`` as a string whose control characters are drawn as pictures (ESC → ␛).

    With ``lines`` the line breaks stay line breaks (a note, a message of two lines);
    otherwise they too become pictures (␊), for places that have one row.
    """
    text = str(value)
    if lines:
        return "\n".join(display_text(line) for line in text.split("\n"))
    return display_text(text)


def literal(value: object, style: str = "", *, lines: bool = False) -> Text:
    """A Text showing ``value`` exactly: no markup parsed, control characters visible."""
    return Text(visible(value, lines=lines), style=style)


def compose(*parts: str | tuple[str, str] | Text) -> Text:
    """A Text from pieces: plain strings and ``(text, style)`` pairs are shown literally."""
    out = Text()
    for part in parts:
        if isinstance(part, Text):
            out.append_text(cleaned(part))
        elif isinstance(part, tuple):
            out.append(visible(part[0], lines=True), style=part[1])
        else:
            out.append(visible(part, lines=True))
    return out


def cleaned(text: Text) -> Text:
    """``text`` (styles kept) with any control character in it drawn as a picture.

    For Texts built elsewhere by appending raw strings: Rich drops a few control
    characters itself but lets ESC through. Line breaks are kept.
    """
    plain = text.plain
    safe = visible(plain, lines=True)
    if safe == plain:
        return text
    copy = text.copy()
    copy.plain = safe  # one character for one: the spans still fit
    return copy


def shown(value: str | Text, style: str = "", *, lines: bool = True) -> Text:
    """What a widget that takes either gets: a string literally, a Text cleaned."""
    if isinstance(value, Text):
        return cleaned(value)
    return literal(value, style, lines=lines)


#: C0 control characters (but the line break) and DEL, and the pictures that stand for them.
_TO_PICTURE = {code: 0x2400 + code for code in range(0x20) if code != 0x0A} | {0x7F: 0x2421}
_FROM_PICTURE = {picture: code for code, picture in _TO_PICTURE.items()}


def editable(value: str) -> str:
    """``value`` for an editing widget (a memo, a tag's name): control characters as pictures.

    Textual's Input and TextArea draw what they hold as it is, so an ESC in a memo
    would reach the terminal. The pictures stand in while editing and :func:`edited`
    turns them back, so opening and saving a memo changes nothing in it.
    """
    return value.translate(_TO_PICTURE)


def edited(text: str) -> str:
    """What an editing widget filled by :func:`editable` holds, with its characters back."""
    return text.translate(_FROM_PICTURE)
