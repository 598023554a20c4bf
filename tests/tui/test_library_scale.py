"""The library's data path for big corpora: haystacks folded at once, rows made again
only where the counts changed."""

from __future__ import annotations

from speechreader.core.corpus import Corpus, DocumentInfo
from speechreader.tui.screens.library_columns import fold
from speechreader.tui.screens.library_rows import fold_all, haystack_text
from tests.tui.conftest import XICHANG, sample_text, wait_for_library


def info(doc_id: str, title: str, **metadata: str) -> DocumentInfo:
    return DocumentInfo(doc_id, doc_id + ".txt", title, "utf-8", "traditional", "traditional",
                        10, "h", [], dict(metadata))  # fmt: skip


def test_folding_all_at_once_is_folding_each(sample_corpus):
    docs = [
        *Corpus.load(sample_corpus).documents,
        info("a/廣西", "廣西壯族自治區 Party", place="南寧\n市", speaker="郭聲琨"),
        info("b", "", note="ÉCOLE"),
    ]
    folded = fold_all(docs)
    assert folded == {d.id: fold(haystack_text(d)) for d in docs}
    assert folded["a/廣西"] == "a/广西 广西壮族自治区 party 南宁 市 郭声琨"  # by hand
    assert folded["b"] == "b  école"


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
