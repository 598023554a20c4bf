"""Script-insensitive search, filters and KWIC, with the real OpenCC, jieba and TinyDB."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import InvalidInput, UnknownDocument, UnknownTag
from speechreader.core.search import Hit, SearchFilter, SearchIndex, find, kwic, search, sort_spans
from speechreader.core.search._find import sort_hits
from speechreader.core.store import Store
from tests.corpus_helpers import CADRES, GUO, LI, LU, WANG, put


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def index(corpus) -> SearchIndex:
    return SearchIndex.open(corpus)


def small_index(root: Path, files: dict[str, str]) -> SearchIndex:
    for name, text in files.items():
        put(root, name, text)
    return SearchIndex.open(Corpus.load(root))


def per_doc(spans) -> dict[str, int]:
    return dict(Counter(doc_id for doc_id, _, _ in spans))


# --- both scripts ---------------------------------------------------------------------


def test_simplified_query_finds_traditional_text_at_its_own_offsets(index, corpus):
    spans = find(index, "发展")
    # GUO and WANG write 發(fā)展 (pinyin glosses); the form leaves glosses out
    assert per_doc(spans) == {GUO: 17, LI: 35, LU: 26, WANG: 6, CADRES: 153}
    assert [s for s in spans if s[0] == LI][:2] == [(LI, 16, 18), (LI, 130, 132)]
    undated = [s for s in spans if s[0] == CADRES]
    assert undated[:2] == [(CADRES, 95, 97), (CADRES, 335, 337)]
    assert corpus.text(CADRES)[95:97] == "發展"
    assert corpus.text(LI)[16:18] == "发展"
    # 髮展: a scraping over-conversion (头发 -> 頭髮) that t2s undoes, so it is found too
    assert Counter(corpus.text(d)[a:b] for d, a, b in undated) == {"發展": 152, "髮展": 1}


def test_traditional_query_finds_simplified_text_and_the_same_spans(index, corpus):
    traditional = find(index, "幹部")
    assert traditional == find(index, "干部")
    assert per_doc(traditional) == {GUO: 2, LI: 21, LU: 15, WANG: 1, CADRES: 51}
    assert corpus.text(LI)[152:154] == "干部"
    assert (LI, 152, 154) in traditional
    assert corpus.text(CADRES)[2:4] == "幹部"
    assert (CADRES, 2, 4) in traditional


def test_full_width_letters_and_capitals_match_their_ascii_lower_case(tmp_path):
    index = small_index(tmp_path, {"a.txt": "今年ＧＤＰ增長。", "b.txt": "gdp和GDP都是Gdp。"})
    spans = find(index, "GDP")
    assert spans == [("a", 2, 5), ("b", 0, 3), ("b", 4, 7), ("b", 9, 12)]
    assert [h.match for h in kwic(index, spans, 0)] == ["ＧＤＰ", "gdp", "GDP", "Gdp"]


# --- regular expressions and whole words ------------------------------------------------


def test_regex_alternatives_find_each_formulation(index):
    assert find(index, "两个维护|四个自信", regex=True) == [
        (LU, 484, 488),
        (LU, 493, 497),
        (LU, 550, 554),
    ]


def test_regex_in_traditional_script_finds_simplified_text(index):
    assert find(index, "兩個(維護|確立)", regex=True) == [(LU, 493, 497), (LU, 550, 554)]


def test_full_width_brackets_in_a_regex_stay_literal(index, corpus):
    spans = find(index, "（[一二三]）", regex=True)
    assert [(d, a) for d, a, _ in spans] == [
        (CADRES, 12136), (CADRES, 12504), (CADRES, 12882),
        (CADRES, 13324), (CADRES, 13644), (CADRES, 13918),
    ]  # fmt: skip
    assert corpus.text(CADRES)[12136:12139] == "(一)"


def test_invalid_regex_is_invalid_input_naming_the_problem(index):
    with pytest.raises(InvalidInput, match="invalid regular expression '发展\\[': unterminated"):
        find(index, "发展[", regex=True)


def test_empty_query_is_invalid_input(index):
    with pytest.raises(InvalidInput, match="empty"):
        find(index, "  ")


def test_whole_word_excludes_a_hit_inside_a_longer_jieba_word(index):
    everywhere = find(index, "维护")
    whole = find(index, "维护", whole_word=True)
    assert len(everywhere) == 8
    assert len(whole) == 6
    # inside 两个维护, one word in the political word list
    assert sorted(set(everywhere) - set(whole)) == [(LU, 495, 497), (LU, 552, 554)]


# --- filters --------------------------------------------------------------------------


def test_speaker_filter_matches_traditional_metadata_with_a_simplified_name(index):
    assert per_doc(find(index, "干部", where=SearchFilter(speaker="郭声琨"))) == {GUO: 2}


def test_place_filter_matches_part_of_the_place_in_either_script(index):
    assert per_doc(find(index, "干部", where=SearchFilter(place="广西"))) == {GUO: 2, LU: 15}


def test_date_range_accepts_years_and_months_and_leaves_out_undated_speeches(index):
    where = SearchFilter(date_from="2018", date_to="2019-12")
    assert per_doc(find(index, "干部", where=where)) == {LI: 21, LU: 15}
    assert per_doc(find(index, "干部", where=SearchFilter(date_to="2012"))) == {GUO: 2}
    assert per_doc(find(index, "干部", where=SearchFilter(date_from="2019-06-27"))) == {
        LU: 15,
        WANG: 1,
    }


def test_both_date_bounds_are_inclusive_with_a_day_and_with_a_month(index):
    # LI is dated 2018-06-07 (metadata.csv): a range that starts or ends that day finds it.
    for low, high in [
        ("2018-06-07", "2018-06-07"),
        ("2018-06", "2018-06"),
        (None, "2018-06-07"),
        ("2018-06-07", None),
    ]:
        where = SearchFilter(date_from=low, date_to=high)
        found = per_doc(find(index, "干部", where=where))
        assert found.get(LI) == 21, (low, high)
    assert per_doc(find(index, "干部", where=SearchFilter(date_to="2018-06-07"))) == {
        GUO: 2,
        LI: 21,
    }
    assert per_doc(find(index, "干部", where=SearchFilter(date_to="2018-06-06"))) == {GUO: 2}
    assert per_doc(find(index, "干部", where=SearchFilter(date_from="2018-06-08"))) == {
        LU: 15,
        WANG: 1,
    }


def test_a_month_bound_reaches_from_its_first_to_its_last_day(tmp_path):
    days = ["2018-05-31", "2018-06-01", "2018-06-30", "2018-07-01"]
    for day in days:
        put(tmp_path, f"{day}.txt", "发展")
    rows = "".join(f"{day}.txt,{day}\n" for day in days)
    (tmp_path / "metadata.csv").write_text("file,date\n" + rows, encoding="utf-8")
    index = SearchIndex.open(Corpus.load(tmp_path))

    def found(low: str | None, high: str | None) -> list[str]:
        return [
            d for d, _, _ in find(index, "发展", where=SearchFilter(date_from=low, date_to=high))
        ]

    assert found("2018-06", "2018-06") == ["2018-06-01", "2018-06-30"]
    assert found("2018-06-01", "2018-06-30") == ["2018-06-01", "2018-06-30"]
    assert found("2018-06-30", "2018-06-30") == ["2018-06-30"]
    assert found("2018-05-31", "2018-05-31") == ["2018-05-31"]
    assert found(None, "2018-05") == ["2018-05-31"]
    assert found("2018-07", None) == ["2018-07-01"]
    assert found("2018", "2018") == days


def test_a_year_or_month_in_the_metadata_counts_as_its_first_day(tmp_path):
    put(tmp_path, "a.txt", "发展")
    put(tmp_path, "b.txt", "发展")
    put(tmp_path, "c.txt", "发展")
    (tmp_path / "metadata.csv").write_text(
        "file,date\na.txt,2018\nb.txt,2018-06\nc.txt,sometime in 2018\n", encoding="utf-8"
    )
    index = SearchIndex.open(Corpus.load(tmp_path))
    where = SearchFilter(date_from="2018-01-01", date_to="2018-06-30")
    assert find(index, "发展", where=where) == [("a", 0, 2), ("b", 0, 2)]


def test_invalid_date_is_invalid_input(index):
    with pytest.raises(InvalidInput, match="invalid date '2018/06'"):
        find(index, "干部", where=SearchFilter(date_from="2018/06"))


def test_document_filter_keeps_only_those_documents_and_rejects_unknown_ids(index):
    assert per_doc(find(index, "干部", where=SearchFilter(doc_ids=frozenset({WANG, GUO})))) == {
        GUO: 2,
        WANG: 1,
    }
    with pytest.raises(UnknownDocument, match="did you mean"):
        find(index, "干部", where=SearchFilter(doc_ids=frozenset({"2018-06-07_li-jun"})))


def test_tag_filter_keeps_hits_inside_passages_with_that_tag(index, corpus, tmp_path):
    text = corpus.text(LI)
    with Store(tmp_path / "db", coder="alice") as store:
        store.add(LI, 140, 200, text=text, doc_hash="", tags=["cadres"])
        store.add(LI, 230, 250, text=text, doc_hash="", tags=["other"])
        where = SearchFilter(tag="cadres")
        assert find(index, "幹部", where=where, store=store) == [(LI, 152, 154)]
        with pytest.raises(UnknownTag, match="no tag 'cadre'"):
            find(index, "干部", where=SearchFilter(tag="cadre"), store=store)
    with pytest.raises(InvalidInput, match="needs the annotation database"):
        find(index, "干部", where=where)


# --- KWIC and sorting -----------------------------------------------------------------


def test_kwic_takes_context_from_the_documents_own_text(index):
    hits = search(index, "發展", where=SearchFilter(doc_ids=frozenset({CADRES})), context=5)
    assert hits[0] == Hit(CADRES, 95, 97, "智慧,共謀", "發展", "。首先,我")
    simplified = search(index, "發展", where=SearchFilter(doc_ids=frozenset({LI})), context=5)
    assert simplified[0] == Hit(LI, 16, 18, "好西昌科学", "发展", "的“排头兵")


def test_kwic_context_stops_at_the_document_ends_and_keeps_newlines(tmp_path):
    index = small_index(tmp_path, {"a.txt": "發展第一\n要發展"})
    hits = search(index, "发展", context=3)
    assert [(h.left, h.match, h.right) for h in hits] == [
        ("", "發展", "第一\n"),
        ("一\n要", "發展", ""),
    ]
    assert next(h.to_json() for h in hits) == {
        "doc_id": "a", "start": 0, "end": 2, "left": "", "match": "發展", "right": "第一\n",
    }  # fmt: skip


SORT_FILES = {
    "a.txt": "乙甲发展丙。丁发展甲。",
    "b.txt": "甲發展乙。甲甲发展丁。",
}


def test_sort_by_document_is_corpus_order_then_offset(tmp_path):
    index = small_index(tmp_path, SORT_FILES)
    hits = search(index, "发展", context=2)
    assert [(h.doc_id, h.start) for h in hits] == [("a", 2), ("a", 7), ("b", 1), ("b", 7)]
    shuffled = sort_hits(list(reversed(hits)), "doc")
    assert shuffled == hits


def test_sort_by_left_context_compares_the_characters_nearest_the_hit_first(tmp_path):
    index = small_index(tmp_path, SORT_FILES)
    hits = search(index, "发展", context=2, sort="left")
    # read backwards: "丁。" < "甲" < "甲乙" < "甲甲" (丁 U+4E01, 乙 U+4E59, 甲 U+7532)
    assert [(h.doc_id, h.left) for h in hits] == [
        ("a", "。丁"),
        ("b", "甲"),
        ("a", "乙甲"),
        ("b", "甲甲"),
    ]


def test_sort_by_right_context_compares_both_scripts_as_one(tmp_path):
    index = small_index(
        tmp_path, {"c.txt": "一定要發達。", "d.txt": "可能要发生。", "e.txt": "必須要發展。"}
    )
    hits = search(index, "要", context=2, sort="right")
    # in search form 发展 < 发生 < 发达; by code point 发生 would come before 發展
    assert [(h.doc_id, h.right) for h in hits] == [("e", "發展"), ("d", "发生"), ("c", "發達")]


@pytest.mark.parametrize("by", ["doc", "left", "right"])
def test_sorting_spans_gives_the_order_of_sorted_hits(index, by):
    spans = find(index, "幹部")
    lines = search(index, "幹部", context=8, sort=by)
    assert sort_spans(index, list(reversed(spans)), by, context=8) == [
        (h.doc_id, h.start, h.end) for h in lines
    ]


def test_unknown_sort_is_invalid_input(index):
    with pytest.raises(InvalidInput, match="unknown sort 'middle'"):
        search(index, "干部", sort="middle")


def test_a_word_with_a_pinyin_gloss_inside_is_found_over_the_whole_gloss(index, corpus):
    """Scraped speeches write 發(fā)展: 发展 must find it, and the hit must cover 發(fā)展."""
    spans = find(index, "发展")
    counts = per_doc(spans)
    assert set(counts) == {GUO, LI, LU, WANG, CADRES}  # all five speeches
    guo = corpus.text(GUO)
    glossed = [guo[a:b] for doc, a, b in spans if doc == GUO and "(" in guo[a:b]]
    assert glossed and set(glossed) == {"發(fā)展"}
    for doc, a, b in spans:
        text = corpus.text(doc)[a:b]
        assert text.replace("(fā)", "") in ("发展", "發展", "髮展")  # 髮展: see above


def test_gloss_free_search_keeps_kwic_context_from_the_original(index):
    hits = kwic(index, [s for s in find(index, "统领") if s[0] == GUO], context=4)
    assert hits and hits[0].match == "統(tǒng)領"
    assert hits[0].left.endswith("的")


# --- 著 in traditional documents (issue 12) -----------------------------------------

ZHE_FILES = {
    "trad.txt": "隨著改革深入，著名學者著手研究，成效顯著。體現著作風。",
    "simp.txt": "随着改革深入，著名学者着手研究，成效显著。",
    "simp2.txt": "随著时代发展。",  # a simplified text with a stray 著 for 着
}


def _texts(index: SearchIndex, spans) -> list[tuple[str, str]]:
    return [(d, index.entry(d).original(a, b)) for d, a, b in spans]


@pytest.mark.parametrize("regex", [False, True])
def test_simplified_particle_query_finds_zhe_in_traditional_text(tmp_path, regex):
    index = small_index(tmp_path, ZHE_FILES)
    assert _texts(index, find(index, "随着", regex=regex)) == [
        ("simp", "随着"),
        ("trad", "隨著"),
    ]
    assert _texts(index, find(index, "着手", regex=regex)) == [
        ("simp", "着手"),
        ("trad", "著手"),
    ]
    assert _texts(index, find(index, "体现着", regex=regex)) == [("trad", "體現著")]


@pytest.mark.parametrize("regex", [False, True])
def test_traditional_particle_query_finds_both_characters(tmp_path, regex):
    index = small_index(tmp_path, ZHE_FILES)
    assert _texts(index, find(index, "隨著", regex=regex)) == [
        ("simp", "随着"),
        ("simp2", "随著"),
        ("trad", "隨著"),
    ]
    assert _texts(index, find(index, "著手", regex=regex)) == [
        ("simp", "着手"),
        ("trad", "著手"),
    ]


@pytest.mark.parametrize("regex", [False, True])
def test_zhu_words_still_find_each_other_in_both_scripts(tmp_path, regex):
    index = small_index(tmp_path, ZHE_FILES)
    assert _texts(index, find(index, "著名", regex=regex)) == [
        ("simp", "著名"),
        ("trad", "著名"),
    ]
    assert _texts(index, find(index, "显著", regex=regex)) == [
        ("simp", "显著"),
        ("trad", "顯著"),
    ]
    assert _texts(index, find(index, "顯著", regex=regex)) == _texts(index, find(index, "显著"))
    assert find(index, "着名", regex=regex) == []


def test_particle_zhe_inside_a_regex_class_and_escaped(tmp_path):
    index = small_index(tmp_path, ZHE_FILES)
    assert _texts(index, find(index, "隨[著]", regex=True)) == [
        ("simp", "随着"),
        ("simp2", "随著"),
        ("trad", "隨著"),
    ]
    assert len(find(index, "[随隨]著改", regex=True)) == 2  # 著 here: the class is 随隨


def test_whole_word_search_finds_the_particle_word_in_traditional_text(tmp_path):
    index = small_index(tmp_path, ZHE_FILES)
    assert _texts(index, find(index, "随着", whole_word=True)) == [
        ("simp", "随着"),
        ("trad", "隨著"),
    ]


def test_sample_corpus_particle_queries(index, corpus):
    # counted with grep: 隨著 once each in GUO and CADRES (before: no hit at all);
    # 著力 9 times in CADRES, 着力 3 times in LU
    assert per_doc(find(index, "随着")) == {GUO: 1, CADRES: 1}
    assert per_doc(find(index, "着力")) == {LU: 3, CADRES: 9}
