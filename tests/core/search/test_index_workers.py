"""The search forms of a first index made on worker processes: forked from a process
without threads (each starting with the converters loaded), spawned otherwise, and
the same forms as one process makes either way."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex
from tests.corpus_helpers import put

#: run in a fresh interpreter (one thread): indexes ``argv[1]`` (every form made anew)
#: and writes how workers were started, how many made forms, and every document's
#: form, pickled, to stdout
FORKED_BUILD = r"""
import multiprocessing, os, pickle, sys, tempfile
from speechreader.core.corpus import Corpus
from speechreader.core.search import SearchIndex, _build

methods = []
real_context = multiprocessing.get_context
def context(method=None):
    methods.append(method)
    return real_context(method)
multiprocessing.get_context = context
parent = os.getpid()
pids = tempfile.NamedTemporaryFile("r")  # each process that makes a form writes its pid
form_of = _build.form_of
def recorded(job):
    with open(pids.name, "a") as handle:
        handle.write(f"{os.getpid()}\n")
    return form_of(job)
_build.form_of = recorded
corpus = Corpus.load(sys.argv[1])
index = SearchIndex.open(corpus, use_cache=False)
sys.stdout.buffer.write(pickle.dumps({
    "methods": methods,
    "workers": len({int(line) for line in pids} - {parent}),
    "entries": {info.id: index.entry(info.id) for info in corpus.documents},
    "missing": index.missing,
}))
"""


def run_build(script: str, folder) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", script, str(folder)], capture_output=True, check=True, timeout=600
    )
    return pickle.loads(out.stdout)


def mixed_corpus(root, sample_texts) -> int:
    """210 documents (past the 200 from which forked workers make the forms): both
    scripts, three encodings, traditional 著 and pinyin glosses."""
    texts = [*sample_texts.values(), "隨著經濟發展,顯著的變化;發(fā)展是硬道理,著手工作。"]
    codecs = ("utf-8", "gb18030", "utf-8", "big5")
    n = 210
    for i in range(n):
        text = texts[i % len(texts)][: 300 + 3 * i]
        codec = codecs[i % len(codecs)]
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            codec = "utf-8"
        put(root, f"d{i // 50}/s{i:04d}.txt", text, codec)
    return n


def serial_entries(root, monkeypatch) -> dict:
    from speechreader.core.search import _build

    monkeypatch.setattr(_build, "PARALLEL_MIN_FORKED", 10**9)
    monkeypatch.setattr(_build, "PARALLEL_MIN", 10**9)
    corpus = Corpus.load(root)
    index = SearchIndex.open(corpus, use_cache=False)
    return {info.id: index.entry(info.id) for info in corpus.documents}


ONE_CORE = not hasattr(os, "sched_getaffinity") or len(os.sched_getaffinity(0)) < 2


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
@pytest.mark.skipif(ONE_CORE, reason="one core: the forms are made in one process")
@pytest.mark.parametrize("in_flight", [4, 1])  # chunks handed out at a time, per worker
def test_forked_workers_make_the_forms_one_process_makes(
    tmp_path, sample_texts, monkeypatch, in_flight
):
    n = mixed_corpus(tmp_path, sample_texts)
    Corpus.load(tmp_path)  # the listing, cached: the build below reads it
    script = FORKED_BUILD.replace(
        "corpus = Corpus.load(sys.argv[1])",
        f"_build.IN_FLIGHT = {in_flight}\ncorpus = Corpus.load(sys.argv[1])",
    )
    forked = run_build(script, tmp_path)
    assert forked["methods"] == ["fork"] and forked["workers"] >= 2
    alone = serial_entries(tmp_path, monkeypatch)
    assert len(alone) == n and forked["missing"] == []
    assert forked["entries"] == alone
    assert any(e.orig is None and e.mapping is None for e in alone.values())  # simplified
    assert any(e.mapping is not None for e in alone.values())  # glosses left out
    assert any("著" in e.text() and "着" in e.norm for e in alone.values())  # 著 read as 着


#: a worker dies abruptly on one document: the main process makes the rest
CRASHING_BUILD = FORKED_BUILD.replace(
    "corpus = Corpus.load(sys.argv[1])",
    "def dies_on_one(job):\n"
    "    if os.getpid() != parent and job[0].endswith('s0120.txt'):\n"
    "        os._exit(9)\n"
    "    return recorded(job)\n"
    "_build.form_of = dies_on_one\n"
    "corpus = Corpus.load(sys.argv[1])",
)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
@pytest.mark.skipif(ONE_CORE, reason="one core: the forms are made in one process")
def test_a_worker_that_dies_leaves_the_rest_of_the_forms_to_the_main_process(
    tmp_path, sample_texts, monkeypatch
):
    mixed_corpus(tmp_path, sample_texts)
    Corpus.load(tmp_path)
    survived = run_build(CRASHING_BUILD, tmp_path)
    assert survived["methods"] == ["fork"]
    assert survived["missing"] == []
    assert survived["entries"] == serial_entries(tmp_path, monkeypatch)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_a_fresh_process_may_fork_after_loading_the_converters():
    script = (
        "import sys\n"
        "from speechreader.core.workers import can_fork\n"
        "from speechreader.core.search._build import _load_converters\n"
        "first = can_fork()\n"
        "_load_converters('t2s')\n"
        "print(first, can_fork(), 'numpy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["True", "True", "False"]
