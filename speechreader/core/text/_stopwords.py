"""Chinese stop words: the function words keyness leaves out (的, 了, 我们, 因为 ...).

The list is stopwords-iso's Chinese list (the ``stopwordsiso`` package, MIT, 794
entries, simplified: keyness counts words on the simplified form). A researcher can
change it with ``stopwords.txt`` in the config folder, one word a line: a word adds
it, ``-word`` takes a listed word out (``-要`` keeps 要, which matters in speeches
full of 要坚持 and 要加强); ``#`` starts a comment. Words are converted to the
simplified form, so a traditional entry works too.
"""

from __future__ import annotations

import functools

from speechreader.core.text._data import (
    LineProblem,
    content_lines,
    read_user_entries,
    reloaded_on_change,
)

STOPWORDS_FILE = "stopwords.txt"


def parse_stop_words(text: str, source: str) -> tuple[list[tuple[str, bool]], list[LineProblem]]:
    """``(word, keep_out)`` pairs: ``word`` adds a stop word, ``-word`` removes one."""
    entries: list[tuple[str, bool]] = []
    problems: list[LineProblem] = []
    for number, line in content_lines(text):
        remove = line.startswith("-") and len(line) > 1
        word = line[1:].strip() if remove else line
        if len(word.split()) != 1:
            problems.append(LineProblem(source, number, "one word a line (or -word)"))
            continue
        entries.append((word, not remove))
    return entries, problems


@functools.cache
def shipped_stop_words() -> frozenset[str]:
    import stopwordsiso  # a 75 KB JSON file of lists: read only when keyness needs it

    return frozenset(stopwordsiso.stopwords("zh"))


@reloaded_on_change(STOPWORDS_FILE)
def stop_words(key: tuple) -> frozenset[str]:
    """The stop words in force: the shipped list with the user's changes (simplified)."""
    words = set(shipped_stop_words())
    entries, _ = read_user_entries(key, parse_stop_words)
    if entries:
        from speechreader.core.text._conversion import convert

        for word, add in entries:
            word = convert(word, "t2s")
            if add:
                words.add(word)
            else:
                words.discard(word)
    return frozenset(words)
