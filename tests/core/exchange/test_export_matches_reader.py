"""The exported passage in the other script is what the reader shows, for every standard.

The reader converts the whole document and maps a selection through the pane's
offset map (``span_to_dst``); the export converts a window of context around each
passage. Property tests draw random passages, and passages cut inside every phrase
the conversion replaced (项|目 → 專|案), in simplified and traditional documents, and
compare the two.
"""

from __future__ import annotations

import csv
import functools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from speechreader.core.corpus import Corpus
from speechreader.core.exchange import export_csv
from speechreader.core.exchange._cells import unneutralise
from speechreader.core.exchange._csv_export import export_rows
from speechreader.core.store import Annotation, Store, make_anchor
from speechreader.core.text import VARIANTS, PaneTexts, pane_texts
from tests.conftest import SAMPLE_CORPUS

PROPERTY = settings(max_examples=120, deadline=None)
STANDARDS = ["standard", "taiwan", "hongkong", "taiwan-phrases"]
SIMPLIFIED_DOC = "2019-06-27_lu-xinshe_guangxi"
TRADITIONAL_DOC = "undated_three-level-cadres-conference"


def test_every_standard_is_tested():
    assert sorted(STANDARDS) == sorted(VARIANTS)


@functools.cache
def _corpus() -> Corpus:
    return Corpus.load(SAMPLE_CORPUS)


@functools.cache
def _panes(doc_id: str, variant: str) -> PaneTexts:
    info = _corpus().get(doc_id)
    return pane_texts(_corpus().text(doc_id), info.base_script, variant)


def _other(doc_id: str):
    """The name of the export column and the pane in the document's other script."""
    if _corpus().get(doc_id).base_script == "simplified":
        return "passage_traditional", "traditional"
    return "passage_simplified", "simplified"


def _reader_shows(doc_id: str, variant: str, start: int, end: int) -> str:
    """What the reader's other pane highlights for the selection start..end."""
    pane = _panes(doc_id, variant).pane(_other(doc_id)[1])
    a, b = pane.map.span_to_dst(start, end)
    return pane.text[a:b]


def _exported(doc_id: str, variant: str, spans: list[tuple[int, int]]) -> list[str]:
    text = _corpus().text(doc_id)
    info = _corpus().get(doc_id)
    annotations = []
    for start, end in spans:
        anchor = make_anchor(text, start, end)
        ann = Annotation(f"a{start}-{end}", doc_id, start, end, anchor.quote)
        ann.prefix, ann.suffix, ann.doc_hash = anchor.prefix, anchor.suffix, info.content_hash
        annotations.append(ann)
    rows = export_rows(annotations, _corpus(), variant=variant)
    column = list(next(rows)).index(_other(doc_id)[0])  # by the header's name
    return [unneutralise(row[column]) for row in rows]  # a passage may start with "-"


documents = st.sampled_from(sorted(p.stem for p in SAMPLE_CORPUS.glob("*.txt")))


@st.composite
def random_passages(draw) -> tuple[str, str, list[tuple[int, int]]]:
    """A document, a standard and a few passages anywhere in it."""
    doc_id, variant = draw(documents), draw(st.sampled_from(STANDARDS))
    n = len(_corpus().text(doc_id))
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, n - 1))
        spans.append((start, draw(st.integers(start + 1, min(n, start + 80)))))
    return doc_id, variant, spans


@st.composite
def cutting_passages(draw) -> tuple[str, str, list[tuple[int, int]]]:
    """Passages with a boundary inside a phrase the other pane's conversion replaced."""
    doc_id, variant = draw(documents), draw(st.sampled_from(STANDARDS))
    pieces = [p for p in _panes(doc_id, variant).pane(_other(doc_id)[1]).map.pieces]
    pieces = [p for p in pieces if p.src_end - p.src_start > 1]
    if not pieces:  # character-level standards replace no phrase: any cut will do
        return draw(random_passages())
    n = len(_corpus().text(doc_id))
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        piece = draw(st.sampled_from(pieces))
        cut = draw(st.integers(piece.src_start + 1, piece.src_end - 1))
        other_end = draw(st.integers(0, 40))
        if draw(st.booleans()):
            spans.append((max(0, cut - other_end - 1), cut))
        else:
            spans.append((cut, min(n, cut + other_end + 1)))
    return doc_id, variant, spans


@PROPERTY
@given(random_passages())
def test_random_passages_export_as_the_reader_shows_them(case):
    doc_id, variant, spans = case
    expected = [_reader_shows(doc_id, variant, a, b) for a, b in spans]
    assert _exported(doc_id, variant, spans) == expected


@PROPERTY
@given(cutting_passages())
def test_passages_cutting_a_replaced_phrase_export_as_the_reader_shows_them(case):
    doc_id, variant, spans = case
    expected = [_reader_shows(doc_id, variant, a, b) for a, b in spans]
    assert _exported(doc_id, variant, spans) == expected


@pytest.mark.parametrize(
    ("doc_id", "phrase", "keep", "expected"),
    [
        # simplified document, s2twp: 项目 → 專案, 联系 → 聯絡 (same length, both replaced)
        (SIMPLIFIED_DOC, "抓项目建设", 2, "抓專案"),
        (SIMPLIFIED_DOC, "联系实际学", 1, "聯絡"),
        # traditional document, tw2sp: 專案 → 项目
        (TRADITIONAL_DOC, "好專案", 2, "好项目"),
    ],
)
def test_a_boundary_inside_a_replaced_phrase_exports_the_whole_phrase(
    sample_corpus, tmp_path, doc_id, phrase, keep, expected
):
    """Written out by hand: the reader highlights all of 專案 when 项 is selected."""
    corpus = Corpus.load(sample_corpus)
    text = corpus.text(doc_id)
    start = text.index(phrase)
    with Store(tmp_path / "db.srdb", coder="amy") as store:
        store.add(
            doc_id, start, start + keep, text=text, doc_hash=corpus.get(doc_id).content_hash,
            tags=["t"],
        )  # fmt: skip
        out = tmp_path / "e.csv"
        export_csv(store, corpus, out, variant="taiwan-phrases")
    with open(out, encoding="utf-8", newline="") as handle:
        (row,) = csv.DictReader(handle)
    assert row["passage"] == phrase[:keep]
    assert unneutralise(row[_other(doc_id)[0]]) == expected
