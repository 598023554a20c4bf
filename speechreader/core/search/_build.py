"""Making the search forms of many documents, on every core.

A first index of a big corpus is CPU-bound: reading, decoding and OpenCC (t2s, and
tw2s for the 著 of traditional documents) take ~0.6 ms per speech, 60 s for 100,000
on one core. So past a few hundred documents the forms are made by worker processes
(*spawned*, not forked: the TUI builds from a thread). A worker reads a file only if
its size and mtime are still the listing's, decoding it with the listing's encoding;
anything else (a file changed since, an error) comes back as None and is done in the
main process through the corpus, which knows how to refresh a changed document.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from speechreader.core.corpus import Corpus, DocumentInfo
from speechreader.core.errors import UnreadableFile
from speechreader.core.search._form import IndexedDoc, index_text
from speechreader.core.workers import real_stderr

PARALLEL_MIN = 2000  # fewer documents are done in the main process (starting workers costs ~1 s)
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


def forms(corpus: Corpus, infos: list[DocumentInfo], config: str) -> Iterator[IndexedDoc | None]:
    """The search form of each of ``infos``, in order, or None where the main process
    must read the document itself (see the module's docstring)."""
    jobs: list[Job | None] = []
    for info in infos:
        stat = corpus.file_stat(info.id)
        path = str(Path(corpus.root) / info.path)
        jobs.append(None if stat is None else (path, info.encoding, stat, info.base_script, config))
    workers = min(os.cpu_count() or 1, 8)
    if len(infos) < PARALLEL_MIN or workers < 2:
        yield from (None if job is None else form_of(job) for job in jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    real = [job for job in jobs if job is not None]
    position = 0  # jobs answered so far
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            with real_stderr():
                results = iter(pool.map(form_of, real, chunksize=16))
            for job in jobs:
                form = None if job is None else next(results)
                position += 1
                yield form
    except (OSError, ValueError, BrokenProcessPool):  # no processes here: one core
        yield from (None if job is None else form_of(job) for job in jobs[position:])
