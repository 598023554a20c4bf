"""What a worker process starts with (core/workers.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

#: a fresh interpreter forks one worker that imports numpy and reports its threads
WORKER_THREADS = r"""
import json, multiprocessing, os, sys
from concurrent.futures import ProcessPoolExecutor
from speechreader.core.workers import worker_started

def inside():
    import numpy  # what script detection imports in a worker
    return len(os.listdir("/proc/self/task")), os.environ.get("OPENBLAS_NUM_THREADS")

context = multiprocessing.get_context("fork")
with ProcessPoolExecutor(1, context, initializer=worker_started) as pool:
    threads, blas = pool.submit(inside).result()
print(json.dumps([threads, blas, os.environ.get("OPENBLAS_NUM_THREADS")]))
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="counts threads in /proc")
def test_a_worker_imports_numpy_without_starting_blas_threads():
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    out = subprocess.run(
        [sys.executable, "-c", WORKER_THREADS],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=env,
    )
    threads, in_worker, in_parent = json.loads(out.stdout)
    assert threads == 1  # OpenBLAS starts one thread per core unless told otherwise
    assert in_worker == "1"
    assert in_parent is None  # the parent's own environment is left alone


@pytest.mark.parametrize("count", [0, 1, 7, 200, 1003, 10_000])
@pytest.mark.parametrize("workers", [2, 3, 8])
def test_chunks_hold_every_item_in_order_and_shrink_towards_the_end(count, workers):
    from speechreader.core.workers import chunked

    items = list(range(count))
    chunks = chunked(items, workers, largest=16)
    assert [x for chunk in chunks for x in chunk] == items
    sizes = [len(chunk) for chunk in chunks]
    assert all(1 <= size <= 16 for size in sizes)
    assert sizes == sorted(sizes, reverse=True)  # never larger after a smaller one
    # near the end each worker gets a small share of what is left
    left = count
    for size in sizes:
        assert size <= max(1, left // (4 * workers))
        left -= size
    if count >= 16 * 4 * workers * 2:
        assert sizes[0] == 16 and sizes[-1] == 1


def test_a_chunk_is_mapped_item_by_item():
    from speechreader.core.workers import map_chunk

    assert map_chunk(str.upper, ["a", "b"]) == ["A", "B"]
    assert map_chunk(str.upper, []) == []


@pytest.mark.parametrize("in_flight", [None, 1])
def test_ordered_map_answers_in_order_on_workers_as_in_one_process(in_flight):
    from speechreader.core.workers import ordered_map

    items = list(range(-500, 500))
    on_workers = ordered_map(abs, items, min_forked=1, min_spawned=1, in_flight=in_flight)
    here = ordered_map(abs, items, min_forked=10**9, min_spawned=10**9)
    expected = [abs(i) for i in items]  # the builtin itself, item by item
    assert list(on_workers) == expected
    assert list(here) == expected
