"""Pausing the collector around bulk work, and handing freed heap pages back."""

from __future__ import annotations

import gc
import platform
import subprocess
import sys

import pytest

from speechreader.core.gcpause import paused_gc, trim_heap


def test_the_collector_is_paused_inside_and_restored_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


# A fresh process: 2,000-byte objects come from the C heap (Python's own arenas take
# objects up to 512 bytes); every other one is freed, so the free pages lie between
# kept ones, where only malloc_trim gives them back.
FRAGMENTED = r"""
import sys
from speechreader.core.gcpause import trim_heap

def rss_kb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))

blocks = [bytes(2000) + i.to_bytes(4, "little") for i in range(60_000)]
kept = blocks[::16]
del blocks
before = rss_kb()
ran = trim_heap()
print(ran, before, rss_kb())
"""


@pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="glibc's malloc_trim"
)
def test_trim_heap_gives_freed_pages_back_on_glibc():
    out = subprocess.run(
        [sys.executable, "-c", FRAGMENTED], capture_output=True, text=True, check=True
    ).stdout.split()
    ran, before, after = out[0], int(out[1]), int(out[2])
    assert ran == "True"
    # 60,000 x 2 KB = 120 MB allocated, 15/16 of it freed between kept blocks
    assert before - after > 50_000, (before, after)


def test_trim_heap_says_whether_it_ran():
    expected = sys.platform == "linux" and platform.libc_ver()[0] == "glibc"
    assert trim_heap() is expected


# A fresh process: a big block freed (glibc then raises its threshold for own pages to
# its size), then arrays that grow to 16 MB by reallocation, each freed, with a small
# block allocated after each so that the heap's top cannot simply shrink back.
GROWING = r"""
import sys
from array import array
from speechreader.core.gcpause import steady_heap

def rss_mb():
    with open("/proc/self/status") as f:
        return next(int(l.split()[1]) for l in f if l.startswith("VmRSS:")) // 1024

if sys.argv[1] == "steady":
    assert steady_heap()
big = bytearray(40 << 20)
del big
pinned, before = [], rss_mb()
for _ in range(3):
    grown = array("I")
    for i in range(4_000_000):
        grown.append(i)
    pinned.append(bytearray(1000))
    del grown
print(rss_mb() - before)
"""


@pytest.mark.skipif(
    sys.platform != "linux" or platform.libc_ver()[0] != "glibc", reason="glibc's mallopt"
)
def test_a_steady_heap_gives_back_what_growing_arrays_freed():
    def left_resident(mode: str) -> int:
        done = subprocess.run(
            [sys.executable, "-c", GROWING, mode], capture_output=True, text=True, check=True
        )
        return int(done.stdout)

    assert left_resident("default") >= 8  # what glibc does by itself: the holes stay
    assert left_resident("steady") <= 4
