"""The child process of :mod:`_apart`: load the corpus, bring its index up to date,
report progress as ``done total`` lines; exit 0 when done, 2 on a user's error (the
parent then updates the index itself and reports it as usual)."""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    from speechreader.core.apart import report_progress
    from speechreader.core.corpus import Corpus
    from speechreader.core.errors import SpeechreaderError
    from speechreader.core.search._index import SearchIndex

    root, config = argv[0], argv[1]
    follow_links = "--follow-links" in argv[2:]
    try:
        corpus = Corpus.load(root, follow_links=follow_links)
        SearchIndex.open(
            corpus, progress=report_progress, config=config, follow_links=follow_links
        ).close()
    except (SpeechreaderError, OSError):
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
