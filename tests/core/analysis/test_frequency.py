"""Frequencies, crosstabs and trends on the hand-built corpus (conftest): every figure
below is counted by hand from the passages listed in ``coded``."""

from __future__ import annotations

import pytest

from speechreader.core.analysis import crosstab, frequencies, load_coding, trend
from speechreader.core.corpus import Corpus, parse_where
from speechreader.core.errors import InvalidInput, UnknownTag
from tests.analysis_helpers import LENGTHS

TOTAL = sum(LENGTHS.values())  # 223


@pytest.fixture
def coded(built):
    store = built.store
    store.add_tag("政治")
    store.add_tag("稳定", parent="政治")
    store.add_tag("发展")
    store.add_tag("改革", parent="发展")
    built.code_many(
        ("a", 0, 10, ["稳定"]),  # 1
        ("a", 5, 20, ["发展"]),  # 2: overlaps 1 on 5..10
        ("a", 21, 31, ["稳定", "发展"]),  # 3: second paragraph
        ("b", 0, 10, ["稳定"], "bob"),  # 4
        ("b", 41, 51, ["政治"]),  # 5
        ("c", 0, 30, ["改革"]),  # 6
        ("d", 0, 10, ["稳定"]),  # 7
        ("e", 10, 20, ["发展"]),  # 8
    )
    return built


def _by_tag(rows):
    return {r.tag: r for r in rows}


def test_frequencies_count_passages_documents_and_distinct_characters(coded):
    rows = frequencies(load_coding(coded.corpus, coded.store))
    assert [r.tag for r in rows] == ["政治", "稳定", "发展", "改革"]  # codebook order
    got = {r.tag: (r.passages, r.documents, r.characters) for r in rows}
    # 稳定: a 0..10 and 21..31 (20 chars), b 10, d 10; 发展: a 5..20 ∪ 21..31 = 25, e 10
    assert got == {"政治": (1, 1, 10), "稳定": (4, 3, 40), "发展": (3, 2, 35), "改革": (1, 1, 30)}
    assert _by_tag(rows)["稳定"].share == pytest.approx(40 / TOTAL)


def test_child_tags_count_for_their_parent_once(coded):
    coded.code("b", 41, 45, "政治", "稳定")  # parent and child on one passage: once
    rows = _by_tag(frequencies(load_coding(coded.corpus, coded.store), children=True))
    # 政治 ⊇ 稳定: passages 1, 3, 4, 5, 7 and the new one; b covers 0..10 and 41..51
    assert (rows["政治"].passages, rows["政治"].documents, rows["政治"].characters) == (6, 3, 50)
    # 发展 ⊇ 改革: 2, 3, 6, 8; a 25 + c 30 + e 10
    assert (rows["发展"].passages, rows["发展"].documents, rows["发展"].characters) == (4, 3, 65)
    assert rows["稳定"].passages == 5  # a child without children of its own is itself


def test_coder_and_where_filters(coded):
    only_bob = frequencies(load_coding(coded.corpus, coded.store, coders=["bob"]))
    assert {r.tag: r.passages for r in only_bob} == {"政治": 0, "稳定": 1, "发展": 0, "改革": 0}
    # 郭聲琨 is 郭声琨: the condition finds both documents, a and b
    where = parse_where(["speaker=郭声琨"], coded.corpus)
    coding = load_coding(coded.corpus, coded.store, conditions=where)
    assert [d.id for d in coding.documents] == ["a", "b"]
    assert coding.characters == LENGTHS["a"] + LENGTHS["b"]
    assert {r.tag: r.passages for r in frequencies(coding)}["稳定"] == 3


def test_crosstab_by_speaker_folds_scripts_and_normalises_by_the_groups_text(coded):
    rows = crosstab(load_coding(coded.corpus, coded.store), "speaker", ["稳定"])
    got = {r.group: (r.passages, r.group_characters, r.documents, r.group_documents) for r in rows}
    # 郭声琨 (a) and 郭聲琨 (b) are one speaker, named as first met; 王宁 has none of it
    assert got == {
        "郭声琨": (3, 41 + 81, 2, 2),
        "李俊": (1, 30 + 21, 1, 2),
        "王宁": (0, 50, 0, 1),
    }
    per = {r.group: r.per_10k for r in rows}
    assert per["郭声琨"] == pytest.approx(3 / 122 * 10_000)
    assert per["李俊"] == pytest.approx(1 / 51 * 10_000)
    assert per["王宁"] == 0


def test_crosstab_keeps_documents_without_a_value_as_their_own_group(coded):
    rows = crosstab(load_coding(coded.corpus, coded.store), "place", ["发展"])
    assert [(r.group, r.passages, r.group_characters) for r in rows] == [
        ("四川", 0, 51), ("广西", 2, 122), ("", 1, 50),  # e has no place: last, counted
    ]  # fmt: skip


def test_crosstab_by_year_and_by_document(coded):
    by_year = crosstab(load_coding(coded.corpus, coded.store), "year", ["稳定"])
    assert [(r.group, r.passages, r.group_characters) for r in by_year] == [
        ("2015", 2, 41), ("2016", 1, 111), ("2017", 0, 50), ("", 1, 21),
    ]  # fmt: skip
    by_doc = crosstab(load_coding(coded.corpus, coded.store), "document", ["发展"])
    assert {r.group: r.passages for r in by_doc} == {"a": 2, "b": 0, "c": 0, "d": 0, "e": 1}


def test_crosstab_names_the_fields_it_knows(coded):
    with pytest.raises(InvalidInput, match=r"cannot group by 'mood'.*speaker"):
        crosstab(load_coding(coded.corpus, coded.store), "mood")


def test_trend_by_year_counts_and_names_undated_documents(coded):
    result = trend(load_coding(coded.corpus, coded.store), "year", ["稳定"])
    assert [(p.period, p.passages, p.period_characters, p.period_documents)
            for p in result.points] == [
        ("2015", 2, 41, 1), ("2016", 1, 81 + 30, 2), ("2017", 0, 50, 1), ("undated", 1, 21, 1),
    ]  # fmt: skip
    assert result.points[1].per_10k == pytest.approx(1 / 111 * 10_000)
    assert [d.id for d in result.undated] == ["d"]


def test_trend_by_month_puts_a_year_only_date_with_the_undated(coded):
    result = trend(load_coding(coded.corpus, coded.store), "month", ["发展"])
    assert [(p.period, p.passages) for p in result.points] == [
        ("2015-03", 2), ("2016-05", 0), ("2016-07", 0), ("undated", 1),  # e is "2017"
    ]  # fmt: skip
    assert [d.id for d in result.undated] == ["d", "e"]


def test_a_renamed_or_merged_tag_counts_under_its_new_name(coded):
    coded.store.update_tag("稳定", new_name="安定")
    coded.store.merge_tags("改革", "发展")
    rows = {r.tag: r.passages for r in frequencies(load_coding(coded.corpus, coded.store))}
    assert rows == {"政治": 1, "安定": 4, "发展": 4}
    trend_tags = {p.tag for p in trend(load_coding(coded.corpus, coded.store)).points}
    assert trend_tags == {"政治", "安定", "发展"}


def test_unknown_tag_is_a_clear_error(coded):
    with pytest.raises(UnknownTag, match="did you mean 稳定"):
        frequencies(load_coding(coded.corpus, coded.store), ["稳"])


def test_a_changed_file_counts_passages_where_they_are_now(tmp_path, built):
    root = built.corpus.root
    (root / "f.txt").write_text("甲乙丙丁戊己庚辛壬癸。子丑寅卯辰巳午未申酉。", encoding="utf-8")
    corpus = Corpus.load(root)
    built.corpus = corpus
    kept = built.code("f", 11, 22, "稳定")  # 子丑寅卯辰巳午未申酉。
    built.code("f", 0, 4, "发展")  # 甲乙丙丁: about to disappear
    (root / "f.txt").write_text("天地。戊己庚辛壬癸。子丑寅卯辰巳午未申酉。", encoding="utf-8")
    coding = load_coding(Corpus.load(root), built.store)
    (moved,) = [a for a in coding.annotations if a.doc_id == "f"]
    assert (moved.id, moved.start, moved.end, moved.quote) == (
        kept.id,
        10,
        21,
        "子丑寅卯辰巳午未申酉。",
    )
    assert [a.quote for a in coding.orphaned] == ["甲乙丙丁"]
    assert {r.tag: r.passages for r in frequencies(coding)} == {"稳定": 1, "发展": 0}
