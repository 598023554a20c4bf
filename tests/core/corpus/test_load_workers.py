"""A first load on worker processes: forked from a process without threads, spawned
otherwise, and listing exactly what one process lists either way."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.workers import can_fork
from tests.corpus_helpers import put

#: run in a fresh interpreter (one thread): loads ``argv[1]`` on forked workers and
#: prints the workers' kind and the listing
FORKED_LOAD = r"""
import json, multiprocessing, sys
from speechreader.core.corpus import Corpus, _files

kinds = set()
analyse = _files.analyse_files
def watched(files):
    for entry in analyse(files):
        kinds.update(type(p).__name__ for p in multiprocessing.active_children())
        yield entry
_files.analyse_files = watched
import speechreader.core.corpus._corpus as corpus_module
corpus_module.analyse_files = watched
corpus = Corpus.load(sys.argv[1], use_cache=False)
print(json.dumps({
    "kinds": sorted(kinds),
    "documents": [d.to_json() for d in corpus],
    "skipped": [s.to_json() for s in corpus.skipped],
}))
"""


def run_load(script: str, folder) -> dict:
    """What a fresh Python running ``script`` on ``folder`` printed (its JSON)."""
    out = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(out.stdout)


def mixed_corpus(root, sample_texts) -> int:
    """210 files (past the 200 from which a first load uses workers), in both scripts
    and three encodings, and one binary file."""
    texts = list(sample_texts.values())
    n = 210
    codecs = ("utf-8", "gb18030", "utf-8", "big5")
    for i in range(n):
        text = texts[i % len(texts)][: 200 + i]
        codec = codecs[i % len(codecs)]
        try:
            text.encode(codec)
        except UnicodeEncodeError:
            codec = "utf-8"
        put(root, f"d{i // 50}/s{i:04d}.txt", text, codec)
    put(root, "d0/binary.txt", "x").write_bytes(b"\x00\x01" * 50)
    return n


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_forked_workers_list_what_one_process_lists(tmp_path, sample_texts, monkeypatch):
    from speechreader.core.corpus import _files

    n = mixed_corpus(tmp_path, sample_texts)
    forked = run_load(FORKED_LOAD, tmp_path)
    assert forked["kinds"] == ["ForkProcess"]
    monkeypatch.setattr(_files, "PARALLEL_MIN_FILES", 10**9)  # one process
    alone = Corpus.load(tmp_path, use_cache=False)
    assert len(alone) == n
    assert {d.script for d in alone} >= {"simplified", "traditional"}
    assert {d.encoding for d in alone} == {"utf-8", "gb18030", "cp950"}  # big5 read as cp950
    assert forked["documents"] == [d.to_json() for d in alone]
    binary = {"path": "d0/binary.txt", "reason": "binary file (contains NUL bytes)"}
    assert forked["skipped"] == [s.to_json() for s in alone.skipped] == [binary]


#: a worker dies abruptly on one file (killed, out of memory): the load carries on in
#: the main process from the first file it has no entry for
CRASHING_LOAD = r"""
import json, os, sys
from speechreader.core.corpus import Corpus, _files

parent = os.getpid()
analyse = _files._analyse_file
def dies_on_one(file):
    if os.getpid() != parent and file.rel == "d2/s0120.txt":
        os._exit(9)
    return analyse(file)
_files._analyse_file = dies_on_one
corpus = Corpus.load(sys.argv[1], use_cache=False)
print(json.dumps({
    "documents": [d.to_json() for d in corpus],
    "skipped": [s.to_json() for s in corpus.skipped],
}))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_a_worker_that_dies_leaves_the_rest_to_the_main_process(
    tmp_path, sample_texts, monkeypatch
):
    from speechreader.core.corpus import _files

    mixed_corpus(tmp_path, sample_texts)
    survived = run_load(CRASHING_LOAD, tmp_path)
    monkeypatch.setattr(_files, "PARALLEL_MIN_FILES", 10**9)
    alone = Corpus.load(tmp_path, use_cache=False)
    assert survived["documents"] == [d.to_json() for d in alone]
    assert survived["skipped"] == [s.to_json() for s in alone.skipped]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_a_load_from_a_thread_spawns_its_workers_and_lists_the_same(
    tmp_path, sample_texts, monkeypatch
):
    # the TUI loads a corpus from a worker thread: forking there is unsafe
    from speechreader.core.corpus import _files

    mixed_corpus(tmp_path, sample_texts)
    script = FORKED_LOAD.replace(
        "corpus = Corpus.load(sys.argv[1], use_cache=False)",
        "import threading\n"
        "box = []\n"
        "load = lambda: box.append(Corpus.load(sys.argv[1], use_cache=False))\n"
        "loader = threading.Thread(target=load)\n"
        "loader.start(); loader.join()\n"
        "corpus = box[0]",
    )
    spawned = run_load(script, tmp_path)
    assert spawned["kinds"] == ["SpawnProcess"]
    monkeypatch.setattr(_files, "PARALLEL_MIN_FILES", 10**9)
    alone = Corpus.load(tmp_path, use_cache=False)
    assert spawned["documents"] == [d.to_json() for d in alone]
    assert spawned["skipped"] == [s.to_json() for s in alone.skipped]


def test_a_process_with_another_thread_does_not_fork():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not can_fork()
    finally:
        stop.set()
        other.join()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers fork on Linux only")
def test_a_fresh_process_may_fork_after_loading_the_detectors():
    script = (
        "import sys\n"
        "from speechreader.core.workers import can_fork\n"
        "from speechreader.core.corpus._files import _load_detectors\n"
        "first = can_fork()\n"
        "_load_detectors()\n"
        "print(first, can_fork(), 'numpy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.split() == ["True", "True", "False"]


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity"), reason="no CPU affinity here")
def test_a_process_allowed_one_core_loads_alone(tmp_path, sample_texts):
    # taskset -c 0: one core, however many the machine has
    mixed_corpus(tmp_path, sample_texts)
    script = FORKED_LOAD.replace(
        "import json,",
        "import os; os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})\nimport json,",
    )
    assert run_load(script, tmp_path)["kinds"] == []
