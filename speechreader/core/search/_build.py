"""Making the search forms of many documents, on every core.

A first index of a big corpus is CPU-bound: reading, decoding and OpenCC (t2s, and
s2t + tw2s for the 著 of traditional documents) take ~0.8 ms per speech, 80 s for
100,000 on one core. So past a few hundred documents the forms are made by worker
processes: *forked* where that is safe (see :func:`~speechreader.core.workers.can_fork`),
after this process has loaded the converters, so that each worker starts with them;
*spawned* otherwise (the TUI builds from a thread), where each worker imports and
loads everything itself and only a big corpus repays that. A worker reads a file
only if its size and mtime are still the listing's, decoding it with the listing's
encoding; anything else (a file changed since, an error) comes back as None and is
done in the main process through the corpus, which knows how to refresh a changed
document.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

from speechreader.core.corpus import Corpus, DocumentInfo
from speechreader.core.errors import UnreadableFile
from speechreader.core.search._form import IndexedDoc, index_text
from speechreader.core.workers import ordered_map

#: fewer documents than this are done in the main process when workers would be forked
#: (a forked worker costs ~10 ms to start and begins with the converters loaded)...
PARALLEL_MIN_FORKED = 200
#: ...or spawned (each imports and loads OpenCC itself: ~0.5 s of CPU before its first form)
PARALLEL_MIN = 2000
#: chunks per worker handed out and not yet taken back, at most (~2,000 forms on two
#: cores, a segment's worth): their forms wait in this process until the index takes
#: them, and at 100,000 documents it writes more slowly than the workers make them
#: (unbounded, the build's peak was ~600 MB). Fewer stalls the workers while a segment
#: is written (4 a worker: 10k documents in 5.3 s instead of 4.5)
IN_FLIGHT = 64
#: (path, encoding, (size, mtime_ns), base script, OpenCC config)
Job = tuple[str, str, tuple[int, int], str, str]


def form_of(job: Job) -> IndexedDoc | None:
    """A document's search form, if its file is still as listed (in a worker)."""
    from speechreader.core.text import decode_known

    path, encoding, stat, base_script, config = job
    try:
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            data = handle.read()
    except OSError:
        return None
    if (st.st_size, st.st_mtime_ns) != stat:
        return None
    try:
        text = decode_known(data, encoding)
    except UnreadableFile:
        return None
    return index_text(text, config, base_script)


def forms(
    corpus: Corpus,
    infos: list[DocumentInfo],
    config: str,
    meanwhile: Callable[[], None] | None = None,
) -> Iterator[IndexedDoc | None]:
    """The search form of each of ``infos``, in order, or None where the main process
    must read the document itself (see the module's docstring).

    ``meanwhile`` is called once the workers have started, before their first form is
    awaited: what the caller will need next (numpy, for the postings) loads while they
    work instead of after them (not called when the forms are made here)."""
    jobs: list[Job | None] = []
    for info in infos:
        stat = corpus.file_stat(info.id)
        path = str(Path(corpus.root) / info.path)
        jobs.append(None if stat is None else (path, info.encoding, stat, info.base_script, config))
    made = ordered_map(
        form_of,
        [job for job in jobs if job is not None],
        min_forked=PARALLEL_MIN_FORKED,
        min_spawned=PARALLEL_MIN,
        prepare=lambda: _load_converters(config),
        in_flight=IN_FLIGHT,
        meanwhile=meanwhile,
    )
    for job in jobs:
        yield None if job is None else next(made)


def _load_converters(config: str) -> None:
    """Load here what making a form needs, before workers are forked: ``config`` with
    the phrase overrides, s2t and tw2s for the 著 of traditional documents, the pinyin
    gloss pattern (~0.1 s of CPU that each worker would otherwise spend).

    The form of a short traditional text with a 著 and a gloss builds all of it, and
    nothing that starts a thread (a process with threads must not fork)."""
    from speechreader.core.text import decode_known

    decode_known(b"", "utf-8")
    index_text("隨著發(fā)展", config, "traditional")
