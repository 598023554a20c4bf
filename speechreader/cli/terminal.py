"""Text from files and people, printed to a terminal: escape sequences made visible.

A title, tag, note or file name may carry an ESC byte (``\\x1b[2J`` clears the screen,
``\\x1b]0;...`` retitles the window) or a bidirectional override that reorders what is
shown. On a terminal they are printed as escapes (``\\x1b``, ``\\u202e``); piped to a
file or a program, and in ``--json``, text stays exact.
"""

from __future__ import annotations

import sys
from typing import TextIO

import click

#: C0 controls but newline and tab, DEL, C1 controls, and the bidi embeddings,
#: overrides and isolates.
_ESCAPED = {
    code: f"\\x{code:02x}"
    for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]
    if code not in (0x09, 0x0A)
}
_ESCAPED.update(
    {code: f"\\u{code:04x}" for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]}
)


def escaped(text: str) -> str:
    """``text`` with every control character and bidi control written as an escape."""
    return text.translate(_ESCAPED)


def is_terminal(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError):
        return False


def shown(text: str, *, err: bool = False) -> str:
    """``text`` as it should reach stdout (or stderr): escaped when that is a terminal."""
    return escaped(text) if is_terminal(sys.stderr if err else sys.stdout) else text


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """``click.echo`` for lines that carry user or file text (see :func:`shown`)."""
    click.echo(shown(text, err=err), err=err, nl=nl)
