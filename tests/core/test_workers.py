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
