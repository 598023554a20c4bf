"""The library's data path for big corpora: haystacks folded at once, rows made again
only where the counts changed."""

from __future__ import annotations

from speechreader.core.corpus import Corpus, DocumentInfo
from speechreader.tui.screens import library_filter
from speechreader.tui.screens.library_columns import fold
from speechreader.tui.screens.library_filter import FilterText, haystack_text
from tests.tui.conftest import XICHANG, sample_text, wait_for_library


def info(doc_id: str, title: str, **metadata: str) -> DocumentInfo:
    return DocumentInfo(doc_id, doc_id + ".txt", title, "utf-8", "traditional", "traditional",
                        10, "h", [], dict(metadata))  # fmt: skip


def test_folding_all_at_once_is_folding_each(sample_corpus, monkeypatch):
    monkeypatch.setattr(library_filter, "CHUNK", 3)  # three chunks of lines
    docs = [
        *Corpus.load(sample_corpus).documents,
        info("a/廣西", "廣西壯族自治區 Party", place="南寧\n市", speaker="郭聲琨"),
        info("b", "", note="ÉCOLE"),
    ]
    text = FilterText()
    text.build(docs)
    assert {d.id: text.line(d.id) for d in docs} == {d.id: fold(haystack_text(d)) for d in docs}
    assert text.line("a/廣西") == "a/广西 广西壮族自治区 party 南宁 市 郭声琨"  # by hand
    assert text.line("b") == "b  école"


def test_the_filter_finds_what_a_plain_test_of_each_document_finds(sample_corpus, monkeypatch):
    monkeypatch.setattr(library_filter, "CHUNK", 2)
    docs = [
        *Corpus.load(sample_corpus).documents,
        info("a/廣西", "廣西壯族自治區 Party", place="南寧", speaker="郭聲琨"),
        info("c", "广西广西", speaker="广西"),  # a needle twice in one line: one match
    ]
    text = FilterText()
    text.build(docs)
    lines = {d.id: fold(haystack_text(d)) for d in docs}
    for needle in ["广西", "party", "2018", "南宁", "郭声琨", "x", "讲话", "a/", "区 p", "0"]:
        assert text.matching(needle) == {i for i, line in lines.items() if needle in line}
    edited = info("c", "云南", speaker="王宁")  # changed after the text was built
    text.changed([edited])
    lines["c"] = fold(haystack_text(edited))
    for needle in ["广西", "云南", "王宁"]:
        assert text.matching(needle) == {i for i, line in lines.items() if needle in line}
    assert "c" not in text.matching("广西")
    assert "c" in text.matching("云南")


async def test_back_from_the_reader_only_the_changed_row_is_made_again(make_app, sample_corpus):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        before = {doc_id: library.rows.cells_cache[doc_id] for doc_id in library.table.row_ids()}
        info = library.session.corpus.get(XICHANG)
        library.session.store.add(
            XICHANG, 0, 2, text=sample_text(sample_corpus, XICHANG), doc_hash=info.content_hash
        )
        library.refresh_counts()
        assert library.table.get_row(XICHANG)[6] == "1"  # the Coded column
        for doc_id, cells in before.items():
            if doc_id != XICHANG:
                assert library.rows.cells_cache[doc_id] is cells  # not made again
        assert library.rows.cells_cache[XICHANG] is not before[XICHANG]


async def test_reversing_gives_the_same_rows_as_sorting_the_other_way(make_app):
    async with make_app().run_test(size=(120, 40)) as pilot:
        library = await wait_for_library(pilot)
        for _ in range(len(library._columns())):
            await pilot.press("s")
            ascending = library.table.row_ids()
            await pilot.press("S")  # reversed from the cached order
            descending = library.table.row_ids()
            library.rows.orders = {}  # sorted afresh the other way
            library._fill()
            assert library.table.row_ids() == descending
            await pilot.press("S")
            assert library.table.row_ids() == ascending
