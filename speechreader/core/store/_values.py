"""The values every write stamps and checks: ids, time stamps, coder names, notes, colours.

Store, imports, bulk imports, the codebook and done marks all write these fields; one
set of checks means a value refused by one way in is refused by every other.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from speechreader.core.errors import InvalidInput
from speechreader.core.store._records import HIGHLIGHTS

#: "Not given" for parameters where None means something (no highlight, no parent).
UNSET: Any = type("Unset", (), {"__repr__": lambda self: "UNSET"})()


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def clean_coder(coder: str) -> str:
    name = str(coder).strip()
    if not name or any(ch in name for ch in "\n\r\t"):
        raise InvalidInput(f"invalid coder name {coder!r}")
    check_unicode(name, "a coder name")
    return name


def check_note(note: str) -> str:
    if not isinstance(note, str):
        raise InvalidInput("a note must be text")
    return check_unicode(note, "the note")


def check_highlight(highlight: str | None) -> str | None:
    if highlight in (None, ""):
        return None
    if highlight not in HIGHLIGHTS:
        raise InvalidInput(
            f"unknown highlight colour {highlight!r}; choose one of: {', '.join(HIGHLIGHTS)}"
        )
    return highlight


def check_unicode(value: str, what: str) -> str:
    """Refuse text that cannot be saved as UTF-8 (lone surrogates), with a clear message.

    Python turns the bytes of a non-UTF-8 argument into surrogates (a shell in a legacy
    locale, a file name in GBK); they cannot be written to a JSON file.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise InvalidInput(
            f"{what} holds bytes that are not valid UTF-8 text ({value!r}); "
            "check the terminal's encoding (e.g. LANG=zh_CN.UTF-8)"
        ) from None
    return value
