"""Settling disagreements into a consensus coding: each choice one undoable step."""

from __future__ import annotations

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import InvalidInput, UnknownAnnotation
from speechreader.core.reliability import accept_agreements, compare, settle
from speechreader.core.store import Store
from speechreader.core.text import sentence_spans

XICHANG = "2018-06-07_li-jun_xichang"


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def store(tmp_path, corpus):
    """amy: economy on 1, 2; party on 4.  bo: economy on 2, 3; party on 1 and 4."""
    text = corpus.text(XICHANG)
    spans = sentence_spans(text)
    with Store(tmp_path / "db.srdb", coder="judge") as opened:

        def code(coder, i, tags):
            opened.add(XICHANG, *spans[i], text=text, doc_hash=corpus.get(XICHANG).content_hash,
                       tags=tags, coder=coder)  # fmt: skip

        code("amy", 1, ["economy"])
        code("amy", 2, ["economy"])
        code("amy", 4, ["party"])
        code("bo", 2, ["economy"])
        code("bo", 3, ["economy"])
        code("bo", 1, ["party"])
        code("bo", 4, ["party"])
        yield opened


def consensus(store: Store) -> list[tuple[int, int, list[str]]]:
    return [(a.start, a.end, a.tags) for a in store.for_document(XICHANG) if a.coder == "consensus"]


def test_the_comparison_lists_the_disagreements_and_the_document_agreement(store, corpus):
    spans = sentence_spans(corpus.text(XICHANG))
    c = compare(store, corpus, XICHANG)
    assert c.coders == ["amy", "bo"] and c.target == "consensus"
    assert [(d.start, d.end) for d in c.disagreements] == [spans[1], spans[3]]
    assert c.disagreements[0].codes == {"amy": ["economy"], "bo": ["party"]}
    assert {t.tag for t in c.agreement.tags} == {"economy", "party"}


def test_each_choice_writes_the_consensus_and_is_one_undo_step(store, corpus):
    spans = sentence_spans(corpus.text(XICHANG))
    c = compare(store, corpus, XICHANG)
    first = c.disagreements[0]
    assert settle(store, c, first, ["amy"]).endswith("take amy's")
    assert consensus(store) == [(*spans[1], ["economy"])]
    c = compare(store, corpus, XICHANG)
    assert c.settled_as(c.disagreements[0]) == ["amy"]
    settle(store, c, c.disagreements[0], ["bo"])  # replaces amy's coding of the unit
    assert consensus(store) == [(*spans[1], ["party"])]
    c = compare(store, corpus, XICHANG)
    settle(store, c, c.disagreements[0], ["amy", "bo"])  # both: one passage, both tags
    assert consensus(store) == [(*spans[1], ["economy", "party"])]
    c = compare(store, corpus, XICHANG)
    settle(store, c, c.disagreements[0], [])  # neither
    assert consensus(store) == []
    store.undo()
    assert consensus(store) == [(*spans[1], ["economy", "party"])]
    store.undo()
    assert consensus(store) == [(*spans[1], ["party"])]
    assert len(store.history.labels()[1]) == 2  # two steps to redo


def test_a_consensus_passage_keeps_its_note_and_tags_out_of_scope(store, corpus):
    text = corpus.text(XICHANG)
    spans = sentence_spans(text)
    store.add(XICHANG, *spans[1], text=text, doc_hash=corpus.get(XICHANG).content_hash,
              tags=["economy", "other"], note="why", coder="consensus")  # fmt: skip
    c = compare(store, corpus, XICHANG, tags=["economy", "party"])
    settle(store, c, c.disagreements[0], ["bo"])
    (kept,) = [a for a in store.for_document(XICHANG) if a.coder == "consensus"]
    assert (kept.tags, kept.note) == (["other", "party"], "why")


def test_accepting_agreements_copies_the_units_all_coders_coded_alike(store, corpus):
    spans = sentence_spans(corpus.text(XICHANG))
    c = compare(store, corpus, XICHANG)
    assert accept_agreements(store, c) == 2  # economy on 2, party on 4
    assert sorted(consensus(store)) == [(*spans[2], ["economy"]), (*spans[4], ["party"])]
    assert accept_agreements(store, compare(store, corpus, XICHANG)) == 0  # already there
    store.undo()
    assert consensus(store) == []


def test_clear_answers(store, corpus):
    c = compare(store, corpus, XICHANG)
    with pytest.raises(InvalidInput, match="cy did not code"):
        settle(store, c, c.disagreements[0], ["cy"])
    with pytest.raises(InvalidInput, match="nothing to compare in this document: coded by nobody"):
        compare(store, corpus, "2019-06-27_lu-xinshe_guangxi")
    with pytest.raises(UnknownAnnotation, match=r"^no annotation with id 'nope' in "):
        store.apply_edits(delete=["nope"], add=[])
