"""What a good line break is, defined independently of the layout's code.

Shared by ``tests/tui/test_line_breaking.py`` and ``bench/layout_breaks.py`` so the test
and the benchmark's counts use one definition: sets of closing and opening marks, and a
regular expression for a Latin word or a number (with the marks that cling to it).

Source of the two sets: W3C, *Requirements for Chinese Text Layout* (clreq,
https://www.w3.org/TR/clreq/), "Prohibition rules for line start and line end": pause
and stop marks (，。、；：？！), closing brackets and quotes (）》」』】〕〗〙〛｝〉”’),
the ellipsis and the dash (…… ——, never split), interpuncts and connectors (・·～) may
not start a line; opening brackets and quotes may not end one. Added here: their
ASCII counterparts and the signs that follow a number (％‰℃°), as the layout also keeps
with their number. Written here, never imported from ``speechreader`` (this module
imports nothing of it: a test of the layout must not read its expected values from it).
"""

from __future__ import annotations

import re

CLOSING = set("，。、；：？！）》」』】〕〗〙〛｝〉”’…‥—–・·～〜％‰℃°,.;:?!)]}>%")
OPENING = set("（《「『【〔〖〘〚｛〈“‘([{<")
LETTER = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1effＡ-Ｚａ-ｚ"
ALNUM = f"{LETTER}0-9０-９\u0300-\u036f"
#: A Latin word or a number: letters and digits joined by ' ’ - . ／ & inside it (and by
#: , : + between digits), a sign or currency before a digit: don't, COVID-19, fā,
#: 100km, 7.3, ７．３, 28,593, 09:45, 2018-06-07, 2+6, -5, ￥100.
RUN = re.compile(
    "(?:[$¥￥£€＄+\\-－＋±#№](?=[0-9０-９]))?"
    f"[{ALNUM}]+(?:(?:['’\\-‐‑._/&．]|(?<=[0-9０-９])[,:：+](?=[0-9０-９]))[{ALNUM}]+)*"
)
HAS_LETTER = re.compile(f"[{LETTER}]")
#: The marks that cling to a word: opening ones before it, closing ones after it.
CLING_BEFORE = re.compile("[" + re.escape("".join(OPENING)) + "]*$")
CLING_AFTER = re.compile("[" + re.escape("".join(CLOSING)) + "]*")
