"""CSV export: columns, scripts, metadata, formula safety, and pandas reading it back."""

from __future__ import annotations

import csv
import io

import pandas as pd
import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.errors import DatabaseCorrupt
from speechreader.core.exchange import export_csv
from speechreader.core.exchange._cells import neutralise, unneutralise
from speechreader.core.store import Store

XICHANG = "2018-06-07_li-jun_xichang"
UNDATED = "undated_three-level-cadres-conference"
TRICKY_NOTES = [
    '=HYPERLINK("http://x")',
    "+1",
    "-5 points",
    "@SUM",
    "'=already quoted",
    "plain, with comma",
    'quote " inside',
    "line one\nline two",
    "  leading spaces",
    "1e5",
    "NA",
    "",
    "発展 and 發展",
]


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "db.srdb", coder="amy") as opened:
        yield opened


def _add(store: Store, corpus: Corpus, doc_id: str, start: int, end: int, **fields):
    return store.add(
        doc_id, start, end, text=corpus.text(doc_id), doc_hash=corpus.get(doc_id).content_hash,
        **fields,
    )  # fmt: skip


def _read(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


#: The export's columns, a contract (README, "Export"): written here, never read from
#: the exporter, so a column renamed or moved there fails this test.
CONTRACT = [
    "annotation_id", "doc_id", "doc_title", "start", "end", "tag",
    "passage", "passage_simplified", "passage_traditional",
    "note", "highlight", "coder", "created", "updated", "anchor",
]  # fmt: skip


def test_columns_come_in_contract_order_then_metadata(store, corpus, tmp_path):
    _add(store, corpus, XICHANG, 0, 4, tags=["x"])
    out = tmp_path / "e.csv"
    export_csv(store, corpus, out)
    with open(out, encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert header[: len(CONTRACT)] == CONTRACT
    assert header[len(CONTRACT) :] == [
        "title", "date", "speaker", "office", "place", "source", "seed_file",
    ]  # fmt: skip


def test_one_row_per_tag_and_one_for_an_untagged_annotation(store, corpus, tmp_path):
    tagged = _add(store, corpus, XICHANG, 0, 4, tags=["economy", "stability"])
    plain = _add(store, corpus, XICHANG, 10, 14, highlight="yellow")
    out = tmp_path / "e.csv"
    assert export_csv(store, corpus, out) == 3
    rows = _read(out)
    assert [(r["annotation_id"], r["tag"]) for r in rows] == [
        (tagged.id, "economy"), (tagged.id, "stability"), (plain.id, ""),
    ]  # fmt: skip
    assert rows[2]["highlight"] == "yellow"
    assert rows[0]["speaker"] == "李俊"
    assert rows[0]["date"] == "2018-06-07"
    assert rows[0]["doc_title"].startswith("敢于担当")


def test_passages_in_both_scripts_keep_the_original_as_it_is(store, corpus, tmp_path):
    text = corpus.text(UNDATED)
    start = text.index("三級幹部")
    _add(store, corpus, UNDATED, start, start + 4, tags=["cadres"])
    simp = corpus.text(XICHANG)
    s2 = simp.index("党员干部")
    _add(store, corpus, XICHANG, s2, s2 + 4, tags=["cadres"])
    out = tmp_path / "e.csv"
    export_csv(store, corpus, out)
    rows = {r["doc_id"]: r for r in _read(out)}
    assert rows[UNDATED]["passage"] == "三級幹部"
    assert rows[UNDATED]["passage_traditional"] == "三級幹部"
    assert rows[UNDATED]["passage_simplified"] == "三级干部"
    assert rows[XICHANG]["passage"] == "党员干部"
    assert rows[XICHANG]["passage_simplified"] == "党员干部"
    assert rows[XICHANG]["passage_traditional"] == "黨員幹部"


def test_passage_conversion_uses_the_phrase_overrides_in_context(store, corpus, tmp_path):
    text = corpus.text("2019-06-27_lu-xinshe_guangxi")
    start = text.index("新征程")
    _add(store, corpus, "2019-06-27_lu-xinshe_guangxi", start, start + 3, tags=["t"])
    out = tmp_path / "e.csv"
    export_csv(store, corpus, out)
    assert _read(out)[0]["passage_traditional"] == "新征程"  # OpenCC alone says 新徵程


@pytest.mark.parametrize("variant", ["standard", "taiwan", "hongkong", "taiwan-phrases"])
def test_particle_zhe_of_a_traditional_passage_is_exported_as_the_reader_shows_it(
    store, corpus, tmp_path, variant
):
    text = corpus.text(UNDATED)
    for passage in ("隨著經濟社會", "著力點", "成效非常顯著"):
        start = text.index(passage)
        _add(store, corpus, UNDATED, start, start + len(passage), tags=["t"])
    out = tmp_path / "e.csv"
    export_csv(store, corpus, out, variant=variant)
    simplified = {r["passage"]: r["passage_simplified"] for r in _read(out)}
    assert simplified == {  # by hand: t2s alone would keep 随著 and 著力点
        "隨著經濟社會": "随着经济社会",
        "著力點": "着力点",
        "成效非常顯著": "成效非常显著",
    }


@pytest.mark.parametrize("note", TRICKY_NOTES)
def test_neutralise_is_reversible(note):
    assert unneutralise(neutralise(note)) == note


def test_formula_cells_are_neutralised_and_everything_else_reads_back_in_pandas(
    store, corpus, tmp_path
):
    for index, note in enumerate(TRICKY_NOTES):
        _add(store, corpus, XICHANG, index * 5, index * 5 + 3, tags=[f"tag{index}"], note=note)
    out = tmp_path / "e.csv"
    export_csv(store, corpus, out)
    frame = pd.read_csv(out, dtype=str, keep_default_na=False)
    assert list(frame.columns[: len(CONTRACT)]) == CONTRACT
    notes = list(frame.sort_values("start", key=lambda s: s.astype(int))["note"])
    for written, original in zip(notes, TRICKY_NOTES, strict=True):
        if original.lstrip("'")[:1] in "=+-@" and original:
            assert written == "'" + original
        else:
            assert written == original
    text = corpus.text(XICHANG)
    for _, row in frame.iterrows():
        assert row["passage"] == text[int(row["start"]) : int(row["end"])]
        assert row["doc_id"] == XICHANG


def test_excel_flag_writes_a_bom_and_plain_export_does_not(store, corpus, tmp_path):
    _add(store, corpus, XICHANG, 0, 4, tags=["x"])
    plain, excel = tmp_path / "p.csv", tmp_path / "x.csv"
    export_csv(store, corpus, plain)
    export_csv(store, corpus, excel, excel=True)
    assert not plain.read_bytes().startswith(b"\xef\xbb\xbf")
    assert excel.read_bytes().startswith(b"\xef\xbb\xbf")
    assert pd.read_csv(excel, dtype=str, encoding="utf-8-sig").columns[0] == "annotation_id"


def test_changed_file_exports_the_passage_where_it_is_now(store, corpus, sample_corpus, tmp_path):
    text = corpus.text(XICHANG)
    start = text.index("主力军")
    _add(store, corpus, XICHANG, start, start + 3, tags=["x"])
    path = sample_corpus / f"{XICHANG}.txt"
    path.write_text("新增的一段。\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    fresh = Corpus.load(sample_corpus)
    out = tmp_path / "e.csv"
    export_csv(store, fresh, out)
    row = _read(out)[0]
    assert row["passage"] == "主力军"
    assert int(row["start"]) == start + len("新增的一段。\n")


def test_export_to_a_stream_writes_the_same_rows(store, corpus):
    _add(store, corpus, XICHANG, 0, 4, tags=["x"])
    buffer = io.StringIO()
    assert export_csv(store, corpus, buffer) == 1
    assert buffer.getvalue().splitlines()[0].startswith("annotation_id,doc_id")


def test_empty_database_exports_only_the_header(corpus, tmp_path):
    out = tmp_path / "e.csv"
    assert export_csv(None, corpus, out) == 0
    assert len(out.read_text(encoding="utf-8").splitlines()) == 1


@pytest.mark.parametrize(
    ("cell", "written"),
    [
        ("\t=cmd|' /C calc'!A0", "'\t=cmd|' /C calc'!A0"),  # a spreadsheet drops the TAB...
        ("\r=1+1", "'\r=1+1"),  # ...or the CR, and runs the rest
        ("\tindented", "'\tindented"),
        ("'\tquoted already", "''\tquoted already"),  # one more quote: still reversible
        ("a\ttab inside", "a\ttab inside"),
        ("line\rbreak inside", "line\rbreak inside"),
    ],
)
def test_cells_starting_with_tab_or_cr_are_guarded_reversibly(cell, written):
    assert neutralise(cell) == written
    assert unneutralise(written) == cell


# --- a big export is written as it is read ------------------------------------------


class _Recording(io.StringIO):
    """An output that notes how many documents had been read at its first write."""

    def __init__(self, reads: list[int]) -> None:
        super().__init__()
        self.reads = reads
        self.reads_at_first_row: int | None = None

    def write(self, text: str) -> int:
        if self.reads_at_first_row is None and not text.startswith("annotation_id"):
            self.reads_at_first_row = len(self.reads)
        return super().write(text)


def test_rows_are_written_before_the_last_document_is_read(store, corpus, monkeypatch):
    from speechreader.core.store import _stream

    docs = [info.id for info in corpus][:5]
    for doc in docs:  # 2,500 passages: more than one batch of the export (2,000)
        text, doc_hash = corpus.text(doc), corpus.get(doc).content_hash
        store.add_many(
            [dict(doc_id=doc, start=i, end=i + 2, text=text, doc_hash=doc_hash) for i in range(500)]
        )
    reads: list[int] = []
    real = _stream.read_document
    monkeypatch.setattr(_stream, "read_document", lambda *args: reads.append(1) or real(*args))
    out = _Recording(reads)
    assert export_csv(store, corpus, out) == 2500
    assert len(reads) == 5
    assert out.reads_at_first_row is not None and out.reads_at_first_row < 5
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    keys = [(r["doc_id"], int(r["start"]), int(r["end"]), r["annotation_id"]) for r in rows]
    assert keys == sorted(keys)  # by document, start, end, id, as before


def test_a_failure_half_way_leaves_the_last_export_and_no_temporary_file(store, corpus, tmp_path):
    text, doc_hash = corpus.text(XICHANG), corpus.get(XICHANG).content_hash
    store.add_many(  # more than a batch (2,000): rows are written before the next document
        [
            dict(doc_id=XICHANG, start=i, end=i + 2, text=text, doc_hash=doc_hash)
            for i in range(2100)
        ]
    )
    _add(store, corpus, UNDATED, 10, 20, tags=["y"])
    out = tmp_path / "out" / "coded.csv"
    out.parent.mkdir()
    export_csv(store, corpus, out)
    before = out.read_bytes()
    assert XICHANG < UNDATED  # the damaged file is read after the first one's rows went out
    damaged = store.path / "annotations" / "amy" / f"{UNDATED}.json"
    damaged.write_text("{not json", encoding="utf-8")
    with pytest.raises(DatabaseCorrupt, match=UNDATED):
        export_csv(store, corpus, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["coded.csv"]
