"""The agreement table of a real database on the sample corpus, checked independently.

Coders code whole sentences here, so the reliability data the test expects can be
written down from its own lists and given to the ``krippendorff`` package.
"""

from __future__ import annotations

from pathlib import Path

import krippendorff
import numpy as np
import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import InvalidInput, UnknownTag
from speechreader.core.reliability import (
    choose_coders,
    collect,
    find_disagreements,
    measure_agreement,
)
from speechreader.core.store import Store
from speechreader.core.text import sentence_spans

XICHANG = "2018-06-07_li-jun_xichang"
LU = "2019-06-27_lu-xinshe_guangxi"


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "study.srdb"


def code(store: Store, corpus: Corpus, coder: str, doc: str, sentences, tags) -> None:
    text = corpus.text(doc)
    spans = sentence_spans(text)
    for i in sentences:
        start, end = spans[i]
        store.add(doc, start, end, text=text, doc_hash=corpus.get(doc).content_hash,
                  tags=tags, coder=coder)  # fmt: skip


def row(n: int, applied, missing: bool = False) -> list[float]:
    return [np.nan] * n if missing else [1.0 if i in applied else 0.0 for i in range(n)]


def k_alpha(rows, level="nominal", domain=(0, 1)) -> float:
    return krippendorff.alpha(rows, level_of_measurement=level, value_domain=list(domain))


def kappa(a: list, b: list) -> float:
    """Cohen's kappa written out here (not the package's): (p_o - p_e) / (1 - p_e)."""
    n = len(a)
    observed = sum(x == y for x, y in zip(a, b, strict=True)) / n
    chance = sum((a.count(c) / n) * (b.count(c) / n) for c in set(a) | set(b))
    return (observed - chance) / (1 - chance)


def test_two_coders_tagging_one_speech_differently_match_the_independent_alpha(db, corpus):
    n = len(sentence_spans(corpus.text(XICHANG)))
    amy = {"economy": [3, 4, 5, 10, 20, 21], "party": [6, 7, 30]}
    bo = {"economy": [3, 4, 10, 11, 20, 40], "party": [6, 30, 31]}
    with Store(db, coder="amy") as store:
        for tag, sentences in amy.items():
            code(store, corpus, "amy", XICHANG, sentences, [tag])
        for tag, sentences in bo.items():
            code(store, corpus, "bo", XICHANG, sentences, [tag])
        result = measure_agreement(store, corpus)
    assert result.coders == ["amy", "bo"]
    assert result.documents == 1 and result.units == n
    by_tag = {t.tag: t for t in result.tags}
    for tag in ("economy", "party"):
        a, b = row(n, amy[tag]), row(n, bo[tag])
        assert by_tag[tag].alpha == pytest.approx(k_alpha([a, b]), abs=1e-6)
        assert round(by_tag[tag].alpha, 3) == round(k_alpha([a, b]), 3)
        assert by_tag[tag].kappa["amy|bo"] == pytest.approx(kappa(a, b), abs=1e-6)
        agree = sum(x == y for x, y in zip(a, b, strict=True)) / n
        assert by_tag[tag].percent_agreement == pytest.approx(agree, abs=1e-6)
        assert by_tag[tag].units == n
        assert by_tag[tag].units_tagged == len(set(amy[tag]) | set(bo[tag]))


def test_missing_is_not_nothing_and_a_done_mark_means_coded_nothing(db, corpus):
    n_x = len(sentence_spans(corpus.text(XICHANG)))
    n_l = len(sentence_spans(corpus.text(LU)))
    with Store(db, coder="amy") as store:
        code(store, corpus, "amy", XICHANG, [1, 2, 3], ["economy"])
        code(store, corpus, "bo", XICHANG, [2, 3], ["economy"])
        code(store, corpus, "cy", XICHANG, [3, 9], ["economy"])
        code(store, corpus, "amy", LU, [0, 1], ["economy"])
        store.set_done(LU, coder="bo")  # bo read LU and found nothing to code
        # cy never coded LU: missing there, not "no economy"
        result = measure_agreement(store, corpus)
    assert result.coders == ["amy", "bo", "cy"]
    assert result.documents == 2 and result.units == n_x + n_l
    expected = [
        row(n_x, [1, 2, 3]) + row(n_l, [0, 1]),
        row(n_x, [2, 3]) + row(n_l, []),
        row(n_x, [3, 9]) + row(n_l, [], missing=True),
    ]
    (economy,) = result.tags
    assert economy.alpha == pytest.approx(k_alpha(expected), abs=1e-6)
    both = ~np.isnan(expected[1]) & ~np.isnan(expected[2])
    assert economy.kappa["bo|cy"] == pytest.approx(
        kappa(np.array(expected[1])[both].tolist(), np.array(expected[2])[both].tolist())
    )
    assert "left out" not in " ".join(result.notes())


def test_groups_nominal_and_ordinal_in_codebook_order_with_conflicts(db, corpus):
    n = len(sentence_spans(corpus.text(XICHANG)))
    with Store(db, coder="amy") as store:
        store.add_tag("tone")
        for child in ("negative", "neutral", "positive"):  # codebook order = the scale
            store.add_tag(child, parent="tone")
        code(store, corpus, "amy", XICHANG, [1, 2, 3, 4], ["positive"])
        code(store, corpus, "amy", XICHANG, [5, 6], ["negative"])
        code(store, corpus, "bo", XICHANG, [1, 2], ["positive"])
        code(store, corpus, "bo", XICHANG, [3, 5, 6], ["neutral"])
        code(store, corpus, "bo", XICHANG, [6], ["positive"])  # bo: two values on 6
        nominal = measure_agreement(store, corpus, groups=["tone"])
        ordinal = measure_agreement(store, corpus, groups=["tone"], level="ordinal")
        absent = measure_agreement(store, corpus, groups=["tone"], absent_as_value=True)
    value = {"negative": 0, "neutral": 1, "positive": 2}
    amy = [np.nan] * n
    bo = [np.nan] * n
    for i in (1, 2, 3, 4):
        amy[i] = value["positive"]
    for i in (5, 6):
        amy[i] = value["negative"]
    for i in (1, 2):
        bo[i] = value["positive"]
    bo[3] = bo[5] = value["neutral"]  # 6 is a conflict for bo: missing
    (group,) = nominal.groups
    assert group.values == ["negative", "neutral", "positive"]
    assert group.alpha == pytest.approx(k_alpha([amy, bo], "nominal", (0, 1, 2)), abs=1e-6)
    assert ordinal.groups[0].alpha == pytest.approx(
        k_alpha([amy, bo], "ordinal", (0, 1, 2)), abs=1e-6
    )
    assert group.units == 4  # units 1, 2, 3, 5 have values from both coders
    (conflict,) = group.conflicts
    spans = sentence_spans(corpus.text(XICHANG))
    assert (conflict.coder, conflict.values) == ("bo", ["neutral", "positive"])
    assert (conflict.start, conflict.end) == spans[6]
    none = 3
    amy_a = [none if np.isnan(v) else v for v in amy]
    bo_a = [none if np.isnan(v) else v for v in bo]
    bo_a[6] = np.nan  # a conflict stays missing
    assert absent.groups[0].values == ["negative", "neutral", "positive", "(none)"]
    assert absent.groups[0].alpha == pytest.approx(
        k_alpha([amy_a, bo_a], "nominal", (0, 1, 2, 3)), abs=1e-6
    )


def test_the_json_form_is_the_contract(db, corpus):
    with Store(db, coder="amy") as store:
        code(store, corpus, "amy", XICHANG, [1, 2], ["economy"])
        code(store, corpus, "bo", XICHANG, [2], ["economy"])
        code(store, corpus, "cy", XICHANG, [2, 5], ["economy"])
        store.add_tag("tone")
        store.add_tag("up", parent="tone")
        store.add_tag("down", parent="tone")
        data = measure_agreement(store, corpus, groups=["tone"], resamples=50).to_json()
    assert list(data) == ["unit", "coders", "documents", "units", "tags", "groups"]
    tag = data["tags"][0]
    assert list(tag) == ["tag", "alpha", "alpha_ci95", "percent_agreement", "kappa", "units",
                         "units_tagged"]  # fmt: skip
    assert list(tag["kappa"]) == ["amy|bo", "amy|cy", "bo|cy"]
    assert len(tag["alpha_ci95"]) == 2
    group = data["groups"][0]
    assert list(group) == ["group", "level", "values", "alpha", "alpha_ci95", "units",
                           "conflicts"]  # fmt: skip
    assert group["alpha"] is None and group["alpha_ci95"] is None  # nobody used tone


def test_bootstrap_interval_repeats_with_the_seed_and_holds_alpha(db, corpus):
    with Store(db, coder="amy") as store:
        code(store, corpus, "amy", XICHANG, range(0, 40, 2), ["economy"])
        code(store, corpus, "bo", XICHANG, range(0, 40, 3), ["economy"])
        first = measure_agreement(store, corpus, resamples=200, seed=3)
        again = measure_agreement(store, corpus, resamples=200, seed=3)
    lo, hi = first.tags[0].alpha_ci95
    assert lo <= first.tags[0].alpha <= hi
    assert first.tags[0].alpha_ci95 == again.tags[0].alpha_ci95


def test_degenerate_cases_get_clear_answers(db, corpus):
    with Store(db, coder="amy") as store:
        store.add_tag("unused")
        code(store, corpus, "amy", XICHANG, [1, 2], ["economy", "everywhere"])
        with pytest.raises(InvalidInput, match=r"at least two coders.*amy \(1 document\)"):
            measure_agreement(store, corpus)  # one coder
        code(store, corpus, "bo", XICHANG, [2, 3], ["economy"])
        n = len(sentence_spans(corpus.text(XICHANG)))
        code(store, corpus, "amy", XICHANG, range(n), ["all"])
        code(store, corpus, "bo", XICHANG, range(n), ["all"])
        with pytest.raises(
            InvalidInput, match=r"unknown coder 'bob' \(did you mean bo\?\).*amy, bo"
        ):
            measure_agreement(store, corpus, coders=["amy", "bob"])
        with pytest.raises(UnknownTag, match="no tag 'econ'"):
            measure_agreement(store, corpus, tags=["econ"])
        with pytest.raises(InvalidInput, match="no child tags"):
            measure_agreement(store, corpus, groups=["unused"])
        with pytest.raises(InvalidInput, match="ordinal"):
            measure_agreement(store, corpus, level="ordinal", absent_as_value=True)
        result = measure_agreement(store, corpus)
    by_tag = {t.tag: t for t in result.tags}
    assert by_tag["unused"].alpha is None
    assert by_tag["unused"].note == "α undefined: no coder applied this tag to these units"
    assert by_tag["all"].alpha is None
    assert by_tag["all"].note == "α undefined: every coder applied this tag to every unit"
    amy_row = [int(i in (1, 2)) for i in range(n)]  # sentences 1, 2 of one speech
    bo_row = [int(i in (2, 3)) for i in range(n)]  # sentences 2, 3
    assert by_tag["economy"].alpha == pytest.approx(k_alpha([amy_row, bo_row]), abs=1e-6)
    assert all(t.alpha is None or np.isfinite(t.alpha) for t in result.tags)


def test_where_chooses_documents_and_left_out_documents_are_said(db, corpus):
    with Store(db, coder="amy") as store:
        code(store, corpus, "amy", XICHANG, [1, 2], ["economy"])
        code(store, corpus, "bo", XICHANG, [2], ["economy"])
        code(store, corpus, "amy", LU, [1], ["economy"])  # only amy: left out
        everything = measure_agreement(store, corpus)
        only_li = measure_agreement(store, corpus, where=["speaker=李俊"])
        with pytest.raises(InvalidInput, match="unknown field"):
            measure_agreement(store, corpus, where=["nope=1"])
    assert everything.documents == 1
    assert any("1 document left out" in note for note in everything.notes())
    assert only_li.documents == 1 and not only_li.left_out


def test_disagreements_say_who_applied_what(db, corpus):
    spans = sentence_spans(corpus.text(XICHANG))
    with Store(db, coder="amy") as store:
        code(store, corpus, "amy", XICHANG, [1, 2], ["economy"])
        code(store, corpus, "bo", XICHANG, [2, 3], ["economy"])
        code(store, corpus, "bo", XICHANG, [1], ["party"])
        coders = choose_coders(store, [XICHANG], None)
        study = collect(store, corpus, [corpus.get(XICHANG)], coders)
    found = find_disagreements(study, ["economy", "party"])
    assert [(d.start, d.end) for d in found] == [spans[1], spans[3]]
    first = found[0]
    assert first.tags == ["economy", "party"]
    assert first.codes == {"amy": ["economy"], "bo": ["party"]}
    assert first.text == corpus.text(XICHANG)[spans[1][0] : spans[1][1]]
    assert found[1].codes == {"amy": [], "bo": ["economy"]}


def test_done_coders_with_nothing_tagged_are_told_why_the_table_is_empty(db, corpus):
    with Store(db, coder="amy") as store:
        store.set_done(XICHANG, coder="amy")
        store.set_done(XICHANG, coder="bo")
        result = measure_agreement(store, corpus)
    assert result.coders == ["amy", "bo"] and result.tags == []
    assert any(note.startswith("no tags to measure") for note in result.notes())
