"""The child process of a load ``apart`` (see :mod:`speechreader.core.apart`): analyse
the corpus's new and changed files and write the listing cache, reporting progress as
``done total`` lines; exit 0 when done, 2 on a user's error (the parent then loads it
itself and reports the error as usual)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from speechreader.core.apart import report_progress
    from speechreader.core.corpus._corpus import Corpus
    from speechreader.core.errors import SpeechreaderError

    root, follow_links = argv[0], "--follow-links" in argv[1:]
    try:
        Corpus.load(root, progress=report_progress, follow_links=follow_links)
    except (SpeechreaderError, OSError):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
