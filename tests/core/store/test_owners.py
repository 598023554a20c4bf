"""A coder changes only their own annotations, unless a tool says it acts for any coder.

bo's change to amy's annotation would make amy's coding no longer amy's (a
reliability study compares them) and would write into ``annotations/amy/``, the file
only amy's work touches (so a team merges in git without conflicts).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from speechreader.core.errors import NotYourAnnotation
from speechreader.core.store import Annotation, Store

TEXT = "我们要坚持以人民为中心的发展思想,推动经济社会高质量发展。" * 4


def files(db: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted((db / "annotations").rglob("*.json"))}


@pytest.fixture
def team(tmp_path):
    """amy's passage and bo's passage in one document, and bo's store."""
    db = tmp_path / "team.srdb"
    with Store(db, coder="amy") as amy:
        theirs = amy.add("doc", 0, 8, text=TEXT, doc_hash="h", tags=["经济"], note="amy's")
    with Store(db, coder="bo") as bo:
        mine = bo.add("doc", 10, 16, text=TEXT, doc_hash="h", tags=["民生"])
        yield db, bo, theirs, mine


def test_updating_another_coders_annotation_is_refused_and_writes_nothing(team):
    db, bo, theirs, _ = team
    before, steps = files(db), bo.history.labels()
    with pytest.raises(NotYourAnnotation) as refused:
        bo.update(theirs.id, tags=[])
    assert str(refused.value) == (
        f"annotation {theirs.id!r} was coded by 'amy', not by 'bo': "
        "a coder changes only their own annotations"
    )
    assert files(db) == before and bo.history.labels() == steps
    assert bo.get(theirs.id) == theirs


def test_deleting_is_all_or_nothing_and_names_each_annotation_that_is_not_yours(team):
    db, bo, theirs, mine = team
    before = files(db)
    with pytest.raises(NotYourAnnotation, match=rf"annotation {theirs.id!r} was coded by 'amy'"):
        bo.delete([mine.id, theirs.id])
    assert files(db) == before
    assert [a.id for a in bo.for_document("doc")] == [theirs.id, mine.id]
    assert [a.id for a in bo.delete(mine.id)] == [mine.id]  # one's own: as before


def test_a_tool_that_says_so_may_change_any_coders_annotation(team):
    _, bo, theirs, _ = team
    assert bo.update(theirs.id, note="seen", any_coder=True).note == "seen"
    assert bo.get(theirs.id).coder == "amy"  # still amy's, in amy's file
    bo.delete(theirs.id, any_coder=True)
    assert [a.coder for a in bo.for_document("doc")] == ["bo"]
    assert bo.undo() is not None and bo.get(theirs.id).note == "seen"


def test_apply_edits_touches_only_the_named_coders_annotations(team):
    """Adjudication writes the target coder's (consensus) annotations, nobody else's."""
    db, bo, theirs, mine = team
    with Store(db, coder="consensus") as c:
        agreed = c.add("doc", 0, 8, text=TEXT, doc_hash="h", tags=["经济"])
    before = files(db)
    with pytest.raises(NotYourAnnotation, match="coded by 'amy', not by 'consensus'"):
        bo.apply_edits(retag={agreed.id: ["民生"], theirs.id: []}, coder="consensus")
    with pytest.raises(NotYourAnnotation, match="coded by 'consensus', not by 'bo'"):
        bo.apply_edits(delete=[agreed.id])
    assert files(db) == before
    bo.apply_edits(retag={agreed.id: ["民生"]}, delete=[], coder="consensus")
    bo.apply_edits(retag={mine.id: ["经济"]})  # bo's own, by default
    assert bo.get(agreed.id).tags == ["民生"] and bo.get(mine.id).tags == ["经济"]
    assert bo.get(theirs.id) == theirs


def test_codebook_edits_imports_and_undo_still_reach_every_coder(team):
    """Renaming or deleting a tag is the codebook's business, across coders; an import
    keeps what it says; undo takes back bo's own step even where it touched amy's file."""
    _, bo, theirs, _ = team
    bo.update_tag("经济", new_name="economy")
    assert bo.get(theirs.id).tags == ["economy"]
    bo.undo()
    assert bo.get(theirs.id).tags == ["经济"]
    changed = Annotation.from_json(theirs.to_json() | {"note": "from the CSV"})
    assert bo.import_annotations([changed]) == ["updated"]
    assert (bo.get(theirs.id).note, bo.get(theirs.id).coder) == ("from the CSV", "amy")
    assert bo.delete_tag("经济").passages == 1
    assert bo.get(theirs.id).tags == [] and bo.get(theirs.id).note == "from the CSV"
