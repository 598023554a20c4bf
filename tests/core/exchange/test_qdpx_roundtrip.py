"""Export → import into an empty folder → export again: the same project, the same work.

On the sample corpus, with three coders, nested tags, memos, highlights and a
length-changing script choice (Taiwan phrases: s2twp makes 全局 全域性).
"""

from __future__ import annotations

import zipfile

from speechreader.core.corpus import Corpus
from speechreader.core.exchange import export_qdpx, import_qdpx
from speechreader.core.store import Store

from .refi_helpers import qde, validate_project, without_project_times

XICHANG = "2018-06-07_li-jun_xichang"  # simplified: 全局 at 88..90
LU = "2019-06-27_lu-xinshe_guangxi"  # simplified
GUO = "2011-12-06_guo-shengkun_guangxi"  # traditional: kept as it is

#: (doc, start, end, coder, tags, note, highlight) and where each passage must land in
#: the traditional (s2twp) text: one character later after 全局→全域性, else the same.
WORK = [
    (XICHANG, 0, 4, "amy", ["经济", "发展"], "opening words", None, (0, 4)),
    (XICHANG, 88, 90, "bob", ["高质量"], "全局 in Taiwan is 全域性", None, (88, 91)),
    (XICHANG, 80, 95, "chen", ["发展"], "", None, (80, 96)),
    (XICHANG, 100, 104, "amy", [], "", "yellow", (101, 105)),
    (XICHANG, 100, 104, "bob", ["党建"], "same words, another coder", None, (101, 105)),
    (LU, 10, 30, "chen", ["党建", "经济"], "line one\nline two", "green", (10, 30)),
    (GUO, 5, 12, "amy", [], "a memo on a plain selection", None, (5, 12)),
    (GUO, 40, 41, "bob", ["经济"], "", None, (40, 41)),
]


def test_round_trip_gives_the_same_project_and_the_same_annotations(sample_corpus, tmp_path):
    corpus = Corpus.load(sample_corpus)
    with Store(tmp_path / "db.srdb", coder="amy") as store:
        store.add_tag("经济", colour="#ff0000", description="the economy")
        store.add_tag("发展", parent="经济", description="growth")
        store.add_tag("高质量", parent="发展", colour="#123456")
        store.add_tag("党建", colour="#00aa00")
        for doc, start, end, coder, tags, note, highlight, _ in WORK:
            store.add(
                doc, start, end, text=corpus.text(doc), doc_hash=corpus.get(doc).content_hash,
                tags=tags, note=note, highlight=highlight, coder=coder,
            )  # fmt: skip
        original = {(a.doc_id, a.start, a.coder): a for a in store.all()}
        original_tags = [t.to_json() for t in store.tags()]
        first = tmp_path / "first.qdpx"
        export_qdpx(store, corpus, first, script="traditional", variant="taiwan-phrases")
    validate_project(qde(first))

    folder = tmp_path / "imported" / "corpus"  # the project is named after its folder
    (tmp_path / "imported").mkdir()
    report = import_qdpx(first, folder, tmp_path / "imported.srdb", coder="someone")
    assert report.problems() == []
    assert report.coders == ["amy", "bob", "chen"]

    again = Corpus.load(folder)
    with Store(tmp_path / "imported.srdb", readonly=True) as imported:
        second = tmp_path / "second.qdpx"
        export_qdpx(imported, again, second)  # the texts are the converted ones now
        tags = {t.name: t for t in imported.tags()}
        assert [t.to_json() for t in imported.tags()] == original_tags  # order too
        annotations = list(imported.all())

    assert without_project_times(qde(first)) == without_project_times(qde(second))
    with zipfile.ZipFile(first) as a, zipfile.ZipFile(second) as b:
        assert sorted(a.namelist()) == sorted(b.namelist())
        assert all(a.read(n) == b.read(n) for n in a.namelist() if n != "project.qde")

    assert {n: (t.parent, t.colour, t.description) for n, t in tags.items()} == {
        "经济": (None, "#ff0000", "the economy"),
        "发展": ("经济", tags["发展"].colour, "growth"),
        "高质量": ("发展", "#123456", ""),
        "党建": (None, "#00aa00", ""),
    }
    assert len(annotations) == len(WORK)
    landed = {(a.doc_id, a.coder, a.start, a.end): a for a in annotations}
    for doc, start, _end, coder, tags_, note, highlight, (new_start, new_end) in WORK:
        got = landed[(doc, coder, new_start, new_end)]
        before = original[(doc, start, coder)]
        assert (got.tags, got.note, got.highlight) == (tags_, note, highlight)
        assert (got.created, got.updated) == (before.created, before.updated)
    assert landed[(XICHANG, "bob", 88, 91)].quote == "全域性"
    assert again.text(GUO) == corpus.text(GUO)  # traditional already: unchanged
    assert again.get(XICHANG).metadata == corpus.get(XICHANG).metadata


def test_user_text_is_data_and_comes_back_exactly(sample_corpus, tmp_path):
    """Markup-like names, quotes, tabs and CRs in memos, tags, coders and metadata."""
    note = "line\r\nnext\tcol <b>&amp;</b> \"q\" 's' [@click=app.quit]x[/]"
    title = "[@click=app.quit]x[/] & <title>"
    metadata = (sample_corpus / "metadata.csv").read_text(encoding="utf-8")
    (sample_corpus / "metadata.csv").write_text(
        metadata.replace("三級幹部大會發言大綱", f'"{title}"'), encoding="utf-8"
    )
    corpus = Corpus.load(sample_corpus)
    with Store(tmp_path / "db.srdb", coder="amy") as store:
        store.add_tag("[/]", description='a "tag" <b>')
        store.add(
            GUO, 0, 3, text=corpus.text(GUO), doc_hash=corpus.get(GUO).content_hash,
            tags=["[/]"], note=note, coder="Dr. Lee (PI)",
        )  # fmt: skip
        out = tmp_path / "tricky.qdpx"
        export_qdpx(store, corpus, out)
    validate_project(qde(out))
    (tmp_path / "back").mkdir()
    import_qdpx(out, tmp_path / "back" / "corpus", tmp_path / "back.srdb")
    again = Corpus.load(tmp_path / "back" / "corpus")
    assert again.get("undated_three-level-cadres-conference").metadata["title"] == title
    with Store(tmp_path / "back.srdb", readonly=True) as back:
        (passage,) = back.all()
        assert (passage.note, passage.tags, passage.coder) == (note, ["[/]"], "Dr. Lee (PI)")
        assert back.get_tag("[/]").description == 'a "tag" <b>'
