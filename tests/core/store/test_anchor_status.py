"""Every annotation's anchor status: exact, moved (found again) or orphaned (gone)."""

from __future__ import annotations

from speechreader.core.store import Annotation, make_anchor, place_annotation

TEXT = "我们要坚持以人民为中心的发展思想。推动经济社会高质量发展。"


def annotation(text: str, start: int, end: int, doc_hash: str = "h1") -> Annotation:
    anchor = make_anchor(text, start, end)
    return Annotation(
        id="a1", doc_id="d", start=start, end=end, quote=anchor.quote, prefix=anchor.prefix,
        suffix=anchor.suffix, tags=["经济"], coder="amy", doc_hash=doc_hash,
    )  # fmt: skip


def test_an_unchanged_document_keeps_the_offsets_as_exact():
    ann = annotation(TEXT, 19, 23)  # 经济社会
    found = place_annotation(ann, TEXT, "h1")
    assert (found.start, found.end, found.status) == (19, 23, "exact")


def test_text_inserted_before_the_passage_moves_it():
    ann = annotation(TEXT, 19, 23)
    changed = "新华社北京电。" + TEXT  # 7 characters more in front
    found = place_annotation(ann, changed, "h2")
    assert (found.start, found.end, found.status) == (26, 30, "moved")
    assert changed[found.start : found.end] == "经济社会"


def test_a_passage_whose_words_were_changed_is_orphaned_with_its_old_offsets():
    ann = annotation(TEXT, 19, 23)
    changed = TEXT.replace("经济社会", "文化事业")
    found = place_annotation(ann, changed, "h2")
    assert (found.start, found.end, found.status) == (19, 23, "orphaned")


def test_a_document_that_is_gone_orphans_its_annotations():
    assert place_annotation(annotation(TEXT, 0, 2), None, "").status == "orphaned"


def test_without_a_stored_hash_the_quote_at_the_offsets_decides():
    ann = annotation(TEXT, 19, 23, doc_hash="")
    assert place_annotation(ann, TEXT, "whatever").status == "exact"
    assert place_annotation(ann, "前言。" + TEXT, "whatever").status == "moved"
