"""Auto-coding search hits: passages by unit, the preview, one undo step, idempotence."""

from __future__ import annotations

from collections import Counter

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import InvalidInput
from speechreader.core.search import SearchFilter, SearchIndex, apply_autocode, plan_autocode
from speechreader.core.search._autocode import passage_spans
from speechreader.core.store import Store
from tests.corpus_helpers import CADRES, LI, LU

TEXT = "第一句有发展。第二句发展再发展!\n第二段也讲发展"


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def index(corpus) -> SearchIndex:
    return SearchIndex.open(corpus)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "db", coder="alice") as opened:
        yield opened


# --- passages -------------------------------------------------------------------------


def test_hits_in_one_sentence_make_one_passage():
    hits = [(4, 6), (10, 12), (13, 15), (22, 24)]
    assert passage_spans(TEXT, hits, "sentence") == [(0, 7, 1), (7, 16, 2), (17, 24, 1)]
    assert TEXT[7:16] == "第二句发展再发展!"


def test_paragraph_unit_takes_the_whole_line():
    hits = [(4, 6), (10, 12), (13, 15), (22, 24)]
    assert passage_spans(TEXT, hits, "paragraph") == [(0, 16, 3), (17, 24, 1)]


def test_hit_unit_keeps_each_hit_even_when_they_touch():
    assert passage_spans("发展发展", [(0, 2), (2, 4)], "hit") == [(0, 2, 1), (2, 4, 1)]


def test_a_hit_across_two_sentences_takes_both():
    assert passage_spans(TEXT, [(5, 9)], "sentence") == [(0, 16, 1)]


def test_unknown_unit_is_invalid_input(index, store):
    with pytest.raises(InvalidInput, match="unknown unit 'word'"):
        plan_autocode(index, store, "两个维护", "loyalty", unit="word")


# --- the preview ----------------------------------------------------------------------


def test_preview_counts_passages_documents_and_hits(index, store):
    plan = plan_autocode(index, store, "幹部", "cadres", where=SearchFilter(place="广西"))
    assert (plan.hits, len(plan.passages), plan.documents) == (17, 12, 2)
    assert (plan.new, plan.add_tag, plan.coded) == (12, 0, 0)
    assert plan.summary() == (
        "12 passages in 2 documents (17 hits): 12 new, 0 existing to tag, 0 already coded"
    )
    assert plan.label == "autocode 幹部 → tag 'cadres' (12 passages)"
    assert not plan.tag_exists
    assert store.tags() == []  # a preview writes nothing


def test_preview_tells_new_from_existing_and_already_coded(index, store, corpus):
    text = corpus.text(LU)
    store.add(LU, 393, 526, text=text, doc_hash="", tags=["loyalty"])
    existing = store.add(LU, 526, 603, text=text, doc_hash="", note="check")
    with Store(store.path, coder="bob") as bob:
        bob.add(LU, 526, 603, text=text, doc_hash="", tags=["loyalty"])
    plan = plan_autocode(index, store, "两个维护", "loyalty")
    assert [(p.start, p.end, p.status, p.annotation_id) for p in plan.passages] == [
        (393, 526, "coded", plan.passages[0].annotation_id),
        (526, 603, "add-tag", existing.id),
    ]
    assert (plan.new, plan.add_tag, plan.coded, plan.changes) == (0, 1, 1, 1)


# --- applying -------------------------------------------------------------------------


def test_apply_codes_every_passage_and_one_undo_removes_them_all(index, store, corpus):
    plan = plan_autocode(index, store, "两个维护", "loyalty", unit="sentence")
    result = apply_autocode(index, store, plan)
    assert (result.created, result.tagged) == (2, 0)
    anns = store.for_document(LU)
    assert [(a.start, a.end, a.tags, a.coder) for a in anns] == [
        (393, 526, ["loyalty"], "alice"),
        (526, 603, ["loyalty"], "alice"),
    ]
    assert anns[1].quote == corpus.text(LU)[526:603]
    assert anns[1].doc_hash == corpus.get(LU).content_hash
    undone = store.undo()
    assert undone is not None
    assert undone.label == "autocode 两个维护 → tag 'loyalty' (2 passages)"
    assert store.for_document(LU) == []
    assert store.tags() == []
    assert store.undo() is None


def test_apply_adds_the_tag_to_an_existing_passage_in_the_same_step(index, store, corpus):
    text = corpus.text(LU)
    existing = store.add(LU, 526, 603, text=text, doc_hash="", tags=["rules"])
    plan = plan_autocode(index, store, "两个维护", "loyalty")
    result = apply_autocode(index, store, plan)
    assert (result.created, result.tagged) == (1, 1)
    assert store.get(existing.id).tags == ["rules", "loyalty"]
    store.undo()
    assert [(a.id, a.tags) for a in store.for_document(LU)] == [(existing.id, ["rules"])]


def test_applying_twice_changes_nothing_the_second_time(index, store):
    apply_autocode(index, store, plan_autocode(index, store, "一把手", "leader", unit="hit"))
    before = store.counts_by_document()
    again = plan_autocode(index, store, "一把手", "leader", unit="hit")
    assert (again.new, again.add_tag, again.coded) == (0, 0, 15)
    result = apply_autocode(index, store, again)
    assert (result.created, result.tagged) == (0, 0)
    assert store.counts_by_document() == before
    assert store.undo().label == "autocode 一把手 → tag 'leader' (15 passages)"


def test_traditional_query_codes_the_traditional_speech_at_its_offsets(index, store, corpus):
    plan = plan_autocode(index, store, "脫貧", "poverty", unit="hit")
    apply_autocode(index, store, plan)
    coded = Counter((a.doc_id, a.quote) for a in store.all())
    assert coded == {(LI, "脱贫"): 2, (LU, "脱贫"): 1, (CADRES, "脫貧"): 2}
    for ann in store.all():
        assert corpus.text(ann.doc_id)[ann.start : ann.end] == ann.quote


def test_a_dry_run_needs_no_database(index):
    plan = plan_autocode(index, None, "两个维护", "loyalty", coder="carol")
    assert (plan.coder, plan.new, plan.tag_exists) == ("carol", 2, False)
