"""Spreadsheet cells that cannot run as formulas, reversibly.

Cells starting with ``=``, ``+``, ``-`` or ``@`` would be run as formulas by
spreadsheet programs; they get a leading ``'``. So do cells starting with a TAB or a
carriage return: spreadsheets drop that first character on import and then read the
rest (``\t=cmd|...``) as a formula (OWASP's CSV injection advice lists both).

So that this is reversible, a cell that already starts with ``'`` followed by one of
those characters gets one more, and :func:`unneutralise` removes exactly one. Every
other cell is written as it is, so pandas and R read it back unchanged. Every CSV we
write (coded passages, the codebook) goes through here.
"""

from __future__ import annotations

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


_CHECK_START = frozenset("=+-@\t\r'")


def neutralise(cell: str) -> str:
    """Make a cell safe from formula injection, reversibly (see module docstring)."""
    if not cell or cell[0] not in _CHECK_START:  # nearly every cell: one set lookup
        return cell
    if cell.lstrip("'")[:1] in _FORMULA_START:
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """Undo :func:`neutralise`."""
    if cell.startswith("'") and cell.lstrip("'")[:1] in _FORMULA_START:
        return cell[1:]
    return cell
