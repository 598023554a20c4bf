"""HitList: spans kept as arrays behave exactly as the list of tuples they stand for."""

from __future__ import annotations

import random

from speechreader.core.search import HitList

FOUND = [
    ("a/甲", [(0, 2), (10, 12)]),
    ("b", []),  # a document without hits adds nothing
    ("c/乙", [(5, 9)]),
    ("d", [(2**40, 2**40 + 2), (7, 8), (1, 3)]),  # offsets beyond 32 bits; any order
]
TUPLES = [("a/甲", 0, 2), ("a/甲", 10, 12), ("c/乙", 5, 9), ("d", 2**40, 2**40 + 2),
          ("d", 7, 8), ("d", 1, 3)]  # fmt: skip


def filled() -> HitList:
    hits = HitList()
    for doc_id, found in FOUND:
        hits.add_document(doc_id, found)
    return hits


def test_a_hit_list_reads_as_the_list_of_its_spans():
    hits = filled()
    assert len(hits) == 6
    assert list(hits) == TUPLES
    assert [hits[i] for i in range(-6, 6)] == TUPLES + TUPLES
    assert hits.documents == 3
    assert hits.index(("c/乙", 5, 9)) == 2
    assert ("b", 0, 1) not in hits


def test_slices_of_a_hit_list_are_the_slices_of_the_list():
    hits = filled()
    rng = random.Random(3)
    for _ in range(200):
        start, stop = rng.randint(-8, 8), rng.randint(-8, 8)
        step = rng.choice([1, 1, 2, -1, 3])
        assert hits[start:stop:step] == TUPLES[start:stop:step]
    assert hits[64:128] == []


def test_a_copy_does_not_see_later_hits():
    hits = filled()
    first = hits.copy()
    hits.add_document("e", [(1, 2)])
    assert list(first) == TUPLES
    assert first.documents == 3
    assert hits[-1] == ("e", 1, 2)
    assert hits.documents == 4


def test_offsets_at_and_past_the_32_bit_edge_are_kept_exactly():
    hits = HitList()
    hits.add_document("small", [(0, 1), (2**32 - 2, 2**32 - 1)])  # still 32 bits
    hits.add_document("huge", [(5, 6), (2**32 - 1, 2**32 + 1)])  # the end needs 33
    hits.add_document("after", [(2**50, 2**50 + 3)])
    assert list(hits) == [("small", 0, 1), ("small", 2**32 - 2, 2**32 - 1),
                          ("huge", 5, 6), ("huge", 2**32 - 1, 2**32 + 1),
                          ("after", 2**50, 2**50 + 3)]  # fmt: skip
    assert hits.documents == 3
