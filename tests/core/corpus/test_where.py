"""Choosing documents by metadata: ``speaker=郭声琨``, ``date>=2015``, shared by every command."""

from __future__ import annotations

import pytest

from speechreader.core.corpus import Corpus, parse_where, select_documents, undated
from speechreader.core.errors import InvalidInput
from tests.corpus_helpers import put

ROWS = [
    # file, date, speaker, place, pages
    ("a.txt", "2011-12-06", "郭声琨", "广西", "12"),
    ("b.txt", "2015", "郭聲琨", "廣西 南寧", "3"),
    ("c.txt", "2015-06-30", "Li Jun", "四川", "100"),
    ("d.txt", "2019-06", "鹿心社", "广西", ""),
    ("e.txt", "", "王宁", "云南", "7"),
    ("f.txt", "not a date", "", "", "9"),
]


@pytest.fixture
def corpus(tmp_path):
    root = tmp_path / "corpus"
    lines = ["file,date,speaker,place,pages"]
    for name, date, speaker, place, pages in ROWS:
        put(root, name, "同志们：\n今天的会议很重要。\n")
        lines.append(f"{name},{date},{speaker},{place},{pages}")
    put(root, "metadata.csv", "\n".join(lines) + "\n")
    return Corpus.load(root, use_cache=False)


def ids(corpus, *expressions):
    return [d.id for d in select_documents(corpus, parse_where(expressions, corpus))]


def test_equal_text_ignores_script_case_width_and_spaces(corpus):
    assert ids(corpus, "speaker=郭声琨") == ["a", "b"]
    assert ids(corpus, "speaker= 郭聲琨 ") == ["a", "b"]
    assert ids(corpus, "speaker=li jun") == ["c"]
    assert ids(corpus, "speaker=ＬＩ ＪＵＮ") == ["c"]


def test_contains_and_not_equal(corpus):
    assert ids(corpus, "place~广西") == ["a", "b", "d"]
    assert ids(corpus, "place~南宁") == ["b"]
    # an empty value passes only !=
    assert ids(corpus, "speaker!=郭声琨") == ["c", "d", "e", "f"]


def test_dates_compare_as_spans_of_days(corpus):
    assert ids(corpus, "date>=2015") == ["b", "c", "d"]
    assert ids(corpus, "date<2015") == ["a"]
    assert ids(corpus, "date=2015") == ["b", "c"]
    assert ids(corpus, "date<=2015-06") == ["a", "c"]  # "2015" spans the whole year
    assert ids(corpus, "date>2015-06-30") == ["d"]
    assert ids(corpus, "year=2019") == ["d"]
    assert ids(corpus, "month=2015-06") == ["c"]
    assert ids(corpus, "year>=2012", "year<=2018") == ["b", "c"]


def test_documents_without_a_date_are_named_not_silently_matched(corpus):
    assert "e" not in ids(corpus, "date<=2100") and "f" not in ids(corpus, "date<=2100")
    assert [d.id for d in undated(corpus)] == ["e", "f"]


def test_numbers_compare_as_numbers(corpus):
    assert ids(corpus, "pages>=10") == ["a", "c"]  # as text, "3" > "10"
    assert ids(corpus, "pages<5") == ["b"]


def test_own_fields_can_be_named(corpus):
    assert ids(corpus, "id=c") == ["c"]
    assert ids(corpus, "path~d.") == ["d"]


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        ("speakerX", "invalid condition"),
        ("=郭声琨", "invalid condition"),
        ("speeker=郭声琨", "unknown field 'speeker'"),
        ("date>=twenty", "invalid date 'twenty'"),
        ("date>=2015-13", "invalid date"),
    ],
)
def test_a_bad_condition_is_a_clear_error(corpus, expression, message):
    with pytest.raises(InvalidInput, match=message) as info:
        parse_where([expression], corpus)
    if "unknown field" in message:
        assert "speaker" in str(info.value) and "year" in str(info.value)
