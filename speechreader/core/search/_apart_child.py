"""A big corpus's search index brought up to date in a process of its own.

The TUI lives for hours; an index build of 100,000 documents in its process took its
peak resident memory from ~340 to ~490 MB (the postings of a segment are sorted in
memory, the forms pass through) and glibc kept much of it afterwards. Built by this
child (started by ``SearchIndex.open(apart=True)`` through
:mod:`speechreader.core.apart`), that memory goes back when the child exits, and the
TUI only opens the finished file; the child's workers are forked, so the build is
faster too. The child loads the corpus from the listing cache the parent has just
written, takes the build lock like any builder and reports progress as ``done total``
lines; it exits 0 when done, 2 on a user's error (the parent then updates the index
itself and reports it as usual)."""

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
