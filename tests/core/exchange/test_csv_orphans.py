"""Importing rows the export marked ``anchor=orphaned``: kept as orphans, never trusted."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from speechreader.core.analysis import load_coding
from speechreader.core.corpus import Corpus
from speechreader.core.exchange import import_csv
from speechreader.core.store import Store, place_annotation

XICHANG = "2018-06-07_li-jun_xichang"
COLUMNS = ["annotation_id", "doc_id", "start", "end", "tag", "passage", "note", "coder", "anchor"]


@pytest.fixture
def corpus(sample_corpus) -> Corpus:
    return Corpus.load(sample_corpus)


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def test_an_orphan_is_kept_with_its_passage_offsets_tags_note_and_coder(corpus, tmp_path):
    # 10..14 of the current text is not 已经删掉: a passage a re-scrape took out
    text = corpus.text(XICHANG)
    assert "已经删掉" not in text
    source = write_csv(
        tmp_path / "o.csv",
        COLUMNS,
        [
            ["o1", XICHANG, 10, 14, "甲", "已经删掉", "memo", "amy", "orphaned"],
            ["o1", XICHANG, 10, 14, "乙", "已经删掉", "memo", "amy", "orphaned"],
        ],
    )
    with Store(tmp_path / "db", coder="bo") as store:
        report = import_csv(source, store, corpus)
        assert (report.added, report.rejected, report.orphaned) == (1, [], 1)
        ann = store.get("o1")
        assert (ann.doc_id, ann.start, ann.end, ann.quote) == (XICHANG, 10, 14, "已经删掉")
        assert (ann.tags, ann.note, ann.coder) == (["甲", "乙"], "memo", "amy")
        # inside the text's range, yet not trusted at its offsets: by the anchors ...
        info = corpus.get(XICHANG)
        assert place_annotation(ann, text, info.content_hash).status == "orphaned"
        # ... nor by the analysis, which counts it as orphaned, not as coding 10..14
        coding = load_coding(corpus, store)
        assert [a.id for a in coding.orphaned] == ["o1"]
        assert "o1" not in [a.id for a in coding.annotations]


def test_an_orphan_whose_document_is_gone_is_kept(corpus, tmp_path):
    source = write_csv(
        tmp_path / "o.csv",
        COLUMNS,
        [["o2", "deleted-speech", 3, 7, "甲", "不在了啊", "", "amy", "orphaned"]],
    )
    with Store(tmp_path / "db") as store:
        report = import_csv(source, store, corpus)
        assert (report.added, report.rejected, report.orphaned) == (1, [], 1)
        assert store.get("o2").doc_id == "deleted-speech"


def test_a_row_marked_orphaned_that_matches_the_text_is_an_ordinary_passage(corpus, tmp_path):
    text = corpus.text(XICHANG)
    source = write_csv(
        tmp_path / "o.csv", COLUMNS, [["o3", XICHANG, 0, 4, "甲", text[:4], "", "amy", "orphaned"]]
    )
    with Store(tmp_path / "db") as store:
        report = import_csv(source, store, corpus)
        assert (report.added, report.orphaned) == (1, 0)
        ann = store.get("o3")
        assert ann.doc_hash == corpus.get(XICHANG).content_hash
        assert ann.suffix == text[4:36]


@pytest.mark.parametrize(
    ("anchor", "start", "end", "passage", "reason"),
    [
        ("exact", 10, 14, "已经删掉", "passage does not match"),
        ("moved", 10, 14, "已经删掉", "passage does not match"),
        ("", 10, 14, "已经删掉", "passage does not match"),
        ("orphaned", 14, 10, "已经删掉", "outside"),
        ("orphaned", 10, 14, "", "passage does not match"),
    ],
)
def test_other_rows_off_their_passage_are_still_rejected(
    corpus, tmp_path, anchor, start, end, passage, reason
):
    source = write_csv(
        tmp_path / "o.csv", COLUMNS, [["x", XICHANG, start, end, "甲", passage, "", "amy", anchor]]
    )
    with Store(tmp_path / "db") as store:
        report = import_csv(source, store, corpus)
        assert (report.added, report.orphaned) == (0, 0)
        assert [p.row for p in report.rejected] == [2]
        assert reason in report.rejected[0].reason


def test_an_orphan_refused_by_the_store_is_not_counted_as_kept(corpus, tmp_path):
    source = write_csv(
        tmp_path / "o.csv",
        COLUMNS,
        [
            ["o4", XICHANG, 10, 14, "甲", "已经删掉", "one note", "amy", "orphaned"],
            ["o5", XICHANG, 20, 24, "甲", "也删掉了", "", "amy", "orphaned"],
            ["o4", XICHANG, 10, 14, "乙", "已经删掉", "another note", "amy", "orphaned"],
        ],
    )
    with Store(tmp_path / "db") as store:
        report = import_csv(source, store, corpus)
        assert (report.added, report.orphaned) == (1, 1)
        assert [p.row for p in report.rejected] == [2, 4]
