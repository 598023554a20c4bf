"""load_coding(text=False) (the store's span cache, what the CLI's tables use) gives every
table exactly as the full read of the records does, on the bundled sample corpus coded
with 600 passages by three coders, one document edited since it was coded (passages
found again, one lost), passages without a document hash and one of a document that is
not in the corpus. The two loads are the expected values of each other: the full read
is the path every hand-computed test of this part checks."""

from __future__ import annotations

import bisect
import itertools
import random
import shutil
from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speechreader.core import analysis as an
from speechreader.core.analysis import _pair_counts as pair_counts_mod
from speechreader.core.analysis._frequency import covered
from speechreader.core.corpus import Corpus, parse_where
from speechreader.core.store import Store
from speechreader.core.text import paragraph_spans, sentence_spans
from tests.conftest import SAMPLE_CORPUS

TAGS = {"经济": None, "发展": "经济", "改革": "经济", "党建": None, "作风": "党建", "民生": None}


@pytest.fixture(scope="module")
def coded(tmp_path_factory):
    base = tmp_path_factory.mktemp("spans")
    root = base / "corpus"
    shutil.copytree(SAMPLE_CORPUS, root)
    corpus = Corpus.load(root)
    rng = random.Random(11)
    items = []
    for info in corpus:
        text = corpus.text(info.id)
        spans = sentence_spans(text)
        for k in range(120):
            start, end = rng.choice(spans)
            if k % 4 == 0:  # a passage across sentences, overlapping others
                end = min(len(text), start + rng.randint(5, 300))
            items.append(
                {"doc_id": info.id, "start": start, "end": end, "text": text,
                 "doc_hash": "" if k % 17 == 0 else info.content_hash,
                 "tags": rng.sample(list(TAGS), rng.choice((1, 1, 2, 3))),
                 "coder": rng.choice(("amy", "bo", "cy"))}
            )  # fmt: skip
    items.append(
        {"doc_id": "not-in-corpus", "start": 0, "end": 4, "text": "四个字符", "tags": ["民生"]}
    )
    db = base / "db.srdb"
    with Store(db, coder="amy") as store:
        for name, parent in TAGS.items():
            store.add_tag(name, parent=parent)
        store.add_many(items)
    # one speech edited after coding: text put before it (its passages move) and one of
    # its coded sentences rewritten (that passage cannot be found again)
    edited = corpus.documents[1]
    text = corpus.text(edited.id)
    lost = next(a for a in items if a["doc_id"] == edited.id and a["end"] - a["start"] > 8)
    new = "编者按:本文有改动。\n" + text[: lost["start"]] + "此句已删改" + text[lost["end"] :]
    (root / edited.path).write_text(new, encoding="utf-8")
    return Corpus.load(root), db


def loads(coded, **kwargs):
    corpus, db = coded
    with Store(db, readonly=True) as store:
        full = an.load_coding(corpus, store, **kwargs)
        cold = an.load_coding(corpus, store, text=False, **kwargs)
        warm = an.load_coding(corpus, store, text=False, **kwargs)
    return full, cold, warm


def places(coding) -> list[tuple]:
    return [(a.id, a.doc_id, a.start, a.end, tuple(a.tags), a.coder, a.doc_hash)
            for a in coding.annotations]  # fmt: skip


def tables(coding) -> list:
    out = [coding.tag_names, len(coding.passages), coding.missing,
           [(a.id, a.start, a.end) for a in coding.orphaned]]  # fmt: skip
    for children in (False, True):
        out.append(an.frequencies(coding, children=children))
        for field in ("speaker", "year", "place", "document"):
            out.append(an.crosstab(coding, field, children=children))
        for period in ("year", "month"):
            trend = an.trend(coding, period, children=children)
            out.append((trend.points, [d.id for d in trend.undated]))
        for within in an.WITHIN:
            out.append(an.cooccurrence(coding, within, children=children))
    return out


@pytest.mark.parametrize(
    "where, coders",
    [((), ()), (("speaker=郭声琨",), ()), ((), ("bo", "cy")), (("date>=2015",), ("amy",))],
)
def test_the_span_cache_gives_every_table_as_the_records_do(coded, where, coders):
    conditions = parse_where(list(where), coded[0])
    full, cold, warm = loads(coded, conditions=conditions, coders=coders)
    assert len(full.annotations) > 50 and full.tag_names[:6] == list(TAGS)
    want = tables(full)
    assert tables(cold) == want
    assert tables(warm) == want
    assert places(cold) == places(warm) == places(full)
    position = {info.id: i for i, info in enumerate(full.documents)}
    ordered = sorted(places(full), key=lambda p: (position[p[1]], p[2], p[3], p[0]))
    assert places(full) == ordered
    assert len({p[1:4] for p in ordered}) < len(ordered)  # passages at the same place too


def test_the_sample_coding_has_what_the_comparison_needs(coded):
    full, cold, _ = loads(coded)
    assert full.missing == cold.missing == 1
    edited = coded[0].documents[1].id
    moved = [a for a in full.annotations if a.doc_id == edited]
    assert len(moved) > len(full.orphaned) >= 1  # passages over the rewritten sentence lost
    assert {a.doc_id for a in full.orphaned} == {edited}
    assert all(a.quote for a in moved)
    # read in full to be found again; those without a hash are taken at their offsets
    again = [a.quote for a in cold.annotations if a.doc_id == edited and a.doc_hash]
    assert again == [a.quote for a in moved if a.doc_hash] and again
    assert any(not a.doc_hash for a in full.annotations)
    assert {a.coder for a in full.annotations} == {"amy", "bo", "cy"}


def test_keyness_of_a_tag_is_the_same_either_way(coded):
    full, cold, _ = loads(coded)
    table = an.WordTable.open(full.corpus)
    assert an.tag_keyness(cold, table, "民生", min_freq=1).words == (
        an.tag_keyness(full, table, "民生", min_freq=1).words
    )


@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 40), st.integers(0, 40))))
def test_covered_counts_each_character_of_a_document_once(spans):
    import numpy as np

    spans = sorted((d, min(a, b), max(a, b)) for d, a, b in spans)
    want = len({(d, i) for d, s, e in spans for i in range(s, e)})
    doc, start, end = (np.array([s[k] for s in spans], dtype=np.int64) for k in range(3))
    assert covered(doc, start, end) == want


# --- co-occurrence: the numpy counting against the walk it replaced ----------------------


def _unit_range(starts, ends, start, end):
    n = len(starts)
    if n == 0:
        return 0, 1
    first = bisect.bisect_right(ends, start)
    last = bisect.bisect_left(starts, end) - 1
    if first > last:
        first = min(first, n - 1)
        return first, first + 1
    return first, last + 1


def walked(coding, within, children):
    """Co-occurrence by walking each document's passages (the implementation before numpy)."""
    names = list(coding.tag_names)
    order = {t: i for i, t in enumerate(names)}
    docs: dict[str, list] = {}
    for ann, found in coding.tag_sets(names, children):
        docs.setdefault(ann.doc_id, []).append((ann.start, ann.end, found))
    counts, union, shared = Counter(), Counter(), Counter()
    for doc_id, intervals in docs.items():
        if within == "document":
            intervals = [(0, 1, f) for _, _, f in intervals]
        elif within != "overlap":
            text = coding.corpus.text(doc_id)
            spans = sentence_spans(text) if within == "sentence" else paragraph_spans(text)
            starts, ends = [s for s, _ in spans], [e for _, e in spans]
            intervals = [(*_unit_range(starts, ends, s, e), f) for s, e, f in intervals]
        if within == "document":
            n = Counter(t for _, _, tags in intervals for t in tags)
            for a, b in itertools.combinations(sorted(n, key=order.__getitem__), 2):
                counts[a, b] += n[a] * n[b]
        else:
            intervals = sorted(intervals, key=lambda iv: (iv[0], iv[1]))
            for i, (_, end, tags) in enumerate(intervals):
                for a, b in itertools.combinations(sorted(tags, key=order.__getitem__), 2):
                    counts[a, b] += 1
                for other_start, _, other_tags in intervals[i + 1 :]:
                    if other_start >= end:
                        break
                    for a in tags:
                        for b in other_tags:
                            if a != b:
                                counts[(a, b) if order[a] < order[b] else (b, a)] += 1
        events = sorted((p, step, t) for s, e, f in intervals for t in f
                        for p, step in ((s, 1), (e, -1)))  # fmt: skip
        active: Counter = Counter()
        previous = None
        for position, group in itertools.groupby(events, key=lambda ev: ev[0]):
            if previous is not None:
                on = sorted((t for t, n in active.items() if n > 0), key=order.__getitem__)
                for t in on:
                    union[t] += position - previous
                for a, b in itertools.combinations(on, 2):
                    shared[a, b] += position - previous
            for _, step, t in group:
                active[t] += step
            previous = position
    rows = []
    for a, b in itertools.combinations(names, 2):
        both, either = shared[a, b], union[a] + union[b] - shared[a, b]
        rows.append(
            (a, b, counts[a, b], both / either if either else 0.0, both, union[a], union[b])
        )
    return rows


@pytest.mark.parametrize("within", an.WITHIN)
@pytest.mark.parametrize("children", [False, True])
def test_cooccurrence_counts_as_walking_the_passages_does(coded, within, children, monkeypatch):
    full, cold, _ = loads(coded)
    want = walked(full, within, children)
    assert sum(r[2] for r in want) > 100
    assert within == "document" or any(0 < r[3] < 1 for r in want)  # every document has all
    got = [(r.tag_a, r.tag_b, r.count, r.jaccard, r.shared, r.units_a, r.units_b)
           for r in an.cooccurrence(cold, within, children=children)]  # fmt: skip
    assert got == want
    monkeypatch.setattr(pair_counts_mod, "CHUNK", 7)  # pairs counted a few at a time
    monkeypatch.setattr(pair_counts_mod, "DENSE", 0)  # and per combination that occurs
    again = [(r.tag_a, r.tag_b, r.count, r.jaccard, r.shared, r.units_a, r.units_b)
             for r in an.cooccurrence(cold, within, children=children)]  # fmt: skip
    assert again == want
