"""`speechreader codebook ...`: every operation, its undo, and the CSV round trip."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from speechreader.cli import codebook_cmds
from speechreader.core.errors import InvalidInput
from speechreader.core.exchange._codebook_csv import read_codebook_csv
from speechreader.core.store import Store, Tag, check_colour, tree_rows
from tests.corpus_helpers import LI, LU

#: The colours the first three new tags get, in order: red, green, blue (written here).
RED, GREEN, BLUE = "#e6194b", "#3cb44b", "#4363d8"


@pytest.fixture
def coded(db, sample_texts) -> Path:
    """A codebook economy > growth, stability; three passages use economy, one stability."""
    with Store(db, coder="tester") as store:
        store.add_tag("economy", description="economic development")
        store.add_tag("growth", parent="economy")
        store.add_tag("stability")
        for start in (0, 50, 100):
            store.add(LI, start, start + 10, text=sample_texts[LI], doc_hash="", tags=["economy"])
        store.add(LU, 0, 10, text=sample_texts[LU], doc_hash="", tags=["stability", "economy"])
    return db


def tags_of(db: Path) -> list[tuple[str, str | None]]:
    with Store(db, readonly=True) as store:
        return [(t.name, t.parent) for t in store.tags()]


def passage_tags(db: Path) -> list[list[str]]:
    with Store(db, readonly=True) as store:
        return [a.tags for a in store.all()]


# --- list and add -----------------------------------------------------------------------


def test_list_json_is_tree_ordered_with_shortcuts_and_counts(run, coded):
    with Store(coded, coder="tester") as store:
        store.add_tag("jobs", parent="economy")
    result = run("codebook", "list", "--json", "--db", coded)
    assert result.code == 0
    assert [(t["name"], t["depth"], t["shortcut"], t["count"]) for t in result.json] == [
        ("economy", 0, 1, 4),
        ("growth", 1, 2, 0),
        ("jobs", 1, 4, 0),
        ("stability", 0, 3, 1),
    ]
    assert result.json[0] == {
        "name": "economy", "colour": RED, "description": "economic development",
        "parent": None, "depth": 0, "shortcut": 1, "count": 4,
    }  # fmt: skip


def test_list_shows_children_indented_under_their_parent(run, coded):
    lines = run("codebook", "list", "--db", coded).out.splitlines()
    assert lines[0].split() == ["KEY", "TAG", "COLOUR", "PASSAGES", "DESCRIPTION"]
    assert lines[1].split() == ["1", "economy", RED, "4", "economic", "development"]
    assert "   growth " in lines[2]
    assert lines[3].split() == ["3", "stability", BLUE, "1"]


def test_list_of_an_empty_codebook_says_how_to_start(run, db):
    assert "codebook is empty" in run("codebook", "list", "--db", db).out
    assert run("codebook", "list", "--json", "--db", db).json == []


def test_add_with_a_colour_name_description_and_parent(run, coded):
    result = run("codebook", "add", "exports", "--colour", "Teal", "--description", "trade",
                 "--parent", "economy", "--db", coded)  # fmt: skip
    assert (result.code, result.out) == (0, "added tag 'exports' (#008080)\n")
    with Store(coded, readonly=True) as store:
        assert store.get_tag("exports") == Tag("exports", "#008080", "trade", "economy")


def test_add_rejects_a_bad_colour_and_an_existing_name_with_exit_2(run, coded):
    bad = run("codebook", "add", "x", "--colour", "#12345", "--db", coded)
    assert bad.code == 2
    assert bad.err.startswith("speechreader: error: invalid colour '#12345'")
    again = run("codebook", "add", "economy", "--db", coded)
    assert again.code == 2
    assert "already exists" in again.err


def test_check_colour_accepts_hex_forms_and_names():
    assert check_colour("#ABC") == "#aabbcc"
    assert check_colour("e6194B") == "#e6194b"
    assert check_colour(" grey ") == "#808080"
    with pytest.raises(InvalidInput, match="invalid colour 'chartreuse'"):
        check_colour("chartreuse")


# --- edits and their undo -------------------------------------------------------------


def test_rename_renames_on_every_passage_and_undo_restores(run, coded):
    result = run("codebook", "rename", "economy", "经济", "--db", coded)
    assert result.out == "renamed tag 'economy' to '经济' (4 passages)\n"
    assert tags_of(coded) == [("经济", None), ("growth", "经济"), ("stability", None)]
    assert sorted(map(tuple, passage_tags(coded))) == [
        ("stability", "经济"), ("经济",), ("经济",), ("经济",),
    ]  # fmt: skip
    assert run("undo", "--db", coded).out == "undid: rename tag economy to 经济 (4 passages)\n"
    assert tags_of(coded) == [("economy", None), ("growth", "economy"), ("stability", None)]


def test_recolour_and_describe_change_one_field_each(run, coded):
    assert run("codebook", "recolour", "growth", "#00FF00", "--db", coded).out == (
        "tag 'growth' is now #00ff00\n"
    )
    assert run("codebook", "describe", "growth", "GDP, output", "--db", coded).code == 0
    with Store(coded, readonly=True) as store:
        assert store.get_tag("growth") == Tag("growth", "#00ff00", "GDP, output", "economy")
    run("undo", "--db", coded)
    with Store(coded, readonly=True) as store:
        assert store.get_tag("growth").description == ""
        assert store.get_tag("growth").colour == "#00ff00"


def test_move_under_a_parent_or_to_the_root(run, coded):
    assert run("codebook", "move", "stability", "--parent", "growth", "--db", coded).out == (
        "tag 'stability' is now under 'growth'\n"
    )
    assert run("codebook", "move", "growth", "--root", "--db", coded).out == (
        "tag 'growth' is now at the top level\n"
    )
    assert tags_of(coded) == [("economy", None), ("growth", None), ("stability", "growth")]
    loop = run("codebook", "move", "growth", "--parent", "stability", "--db", coded)
    assert loop.code == 2
    assert "loop" in loop.err
    both = run("codebook", "move", "growth", "--parent", "economy", "--root", "--db", coded)
    assert both.code == 2
    run("undo", "--db", coded)
    assert tags_of(coded)[1] == ("growth", "economy")


def test_merge_moves_every_passage_and_says_how_many(run, coded):
    result = run("codebook", "merge", "stability", "economy", "--db", coded)
    assert result.out == "merged 'stability' into 'economy': 1 passage moved\n"
    assert tags_of(coded) == [("economy", None), ("growth", "economy")]
    assert sorted(map(tuple, passage_tags(coded))) == [("economy",)] * 4
    run("undo", "--db", coded)
    assert ("stability", None) in tags_of(coded)
    assert ["stability", "economy"] in passage_tags(coded)


def test_delete_without_yes_off_a_terminal_refuses_with_the_count(run, coded):
    result = run("codebook", "delete", "economy", "--db", coded)
    assert result.code == 2
    assert result.err == (
        "speechreader: error: tag 'economy' is on 4 passages; deleting it removes the tag from "
        "them; 3 of them have nothing else (no other tag, highlight or note) and are deleted. "
        "Not deleted: add --yes to delete it\n"
    )
    assert ("economy", None) in tags_of(coded)
    assert len(passage_tags(coded)) == 4


def test_delete_without_yes_says_the_passages_stay_when_none_would_go(run, coded):
    result = run("codebook", "delete", "stability", "--db", coded)
    assert result.err == (
        "speechreader: error: tag 'stability' is on 1 passage; deleting it removes the tag from "
        "them (the passages, their other tags and notes stay). Not deleted: add --yes to "
        "delete it\n"
    )


def test_delete_with_yes_deletes_what_is_left_empty_and_undo_brings_it_all_back(run, coded):
    """The three passages tagged only economy would mark nothing: they go with the tag."""
    result = run("codebook", "delete", "economy", "--yes", "--db", coded)
    assert result.out == (
        "deleted tag 'economy'; removed it from 4 passages; 3 annotations had nothing else "
        "and were deleted (speechreader undo brings them back)\n"
    )
    assert tags_of(coded) == [("growth", None), ("stability", None)]
    assert passage_tags(coded) == [["stability"]]
    run("undo", "--db", coded)
    assert tags_of(coded) == [("economy", None), ("growth", "economy"), ("stability", None)]
    assert sorted(map(tuple, passage_tags(coded))) == [("economy",)] * 3 + [
        ("stability", "economy")
    ]


def test_delete_on_a_terminal_asks_once(run, coded, monkeypatch):
    monkeypatch.setattr(codebook_cmds, "_interactive", lambda: True)
    monkeypatch.setattr("sys.stdin", io.StringIO("n\n"))
    assert run("codebook", "delete", "stability", "--db", coded).out.endswith("not deleted\n")
    monkeypatch.setattr("sys.stdin", io.StringIO("y\n"))
    result = run("codebook", "delete", "stability", "--db", coded)
    assert result.out.count("Delete it?") == 1
    assert result.out.endswith("deleted tag 'stability'; removed it from 1 passage\n")


def test_unknown_tag_names_close_matches(run, coded):
    result = run("codebook", "rename", "econmy", "x", "--db", coded)
    assert result.code == 2
    assert "did you mean economy" in result.err


# --- CSV ------------------------------------------------------------------------------


def test_export_then_import_into_a_new_database_gives_the_same_codebook(run, coded, tmp_path):
    out = tmp_path / "codebook.csv"
    assert run("codebook", "export", "-o", out, "--db", coded).err == "wrote 3 tags to " + (
        f"{out}\n"
    )
    assert out.read_text(encoding="utf-8") == (
        "name,parent,colour,description\n"
        "economy,,#e6194b,economic development\n"
        "growth,economy,#3cb44b,\n"
        "stability,,#4363d8,\n"
    )
    other = tmp_path / "other.srdb"
    result = run("codebook", "import", out, "--db", other)
    assert result.out == "codebook import: added 3, updated 0, unchanged 0, rejected 0 rows\n"
    with Store(coded, readonly=True) as a, Store(other, readonly=True) as b:
        assert b.tags() == a.tags()
    again = run("codebook", "import", out, "--db", other)
    assert again.out == "codebook import: added 0, updated 0, unchanged 3, rejected 0 rows\n"


def test_import_updates_existing_tags_adds_new_ones_and_reports_bad_rows(run, coded, tmp_path):
    csv_file = tmp_path / "shared.csv"
    csv_file.write_text(
        "name,parent,colour,description\n"
        "economy,,#000000,the economy\n"
        "jobs,economy,red,\n"
        ",,,\n"
        "bad colour,,#xyz123,\n"
        "orphan,nowhere,,\n"
        "jobs,,,again\n",
        encoding="utf-8",
    )
    result = run("codebook", "import", csv_file, "--db", coded)
    assert result.code == 1
    assert result.out == "codebook import: added 1, updated 1, unchanged 0, rejected 4 rows\n"
    assert result.err.splitlines() == [
        "row 4: invalid tag name '': a tag needs a name",
        "row 5: invalid colour '#xyz123': use #rrggbb (e.g. #e6194b) or one of black, blue, "
        "brown, cyan, green, grey, lime, magenta, maroon, navy, olive, orange, pink, purple, "
        "red, silver, teal, white, yellow",
        "row 6: unknown parent tag 'nowhere'",
        "row 7: tag 'jobs' is already on row 3",
    ]
    with Store(coded, readonly=True) as store:
        assert store.get_tag("economy") == Tag("economy", "#000000", "the economy", None)
        assert store.get_tag("jobs") == Tag("jobs", "#ff0000", "", "economy")
    assert run("undo", "--db", coded).out == "undid: import codebook shared.csv (2 tags)\n"
    assert tags_of(coded) == [("economy", None), ("growth", "economy"), ("stability", None)]


def test_import_with_only_names_touches_nothing_else(coded, tmp_path, run):
    csv_file = tmp_path / "names.csv"
    csv_file.write_text("Name\ngrowth\n新标签\n", encoding="utf-8-sig")
    result = run("codebook", "import", csv_file, "--db", coded)
    assert result.out == "codebook import: added 1, updated 0, unchanged 1, rejected 0 rows\n"
    assert tags_of(coded)[1] == ("growth", "economy")
    assert tags_of(coded)[-1] == ("新标签", None)


def test_a_file_without_a_name_column_is_not_a_codebook(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("tag,colour\na,red\n", encoding="utf-8")
    with pytest.raises(InvalidInput, match="not a codebook"):
        read_codebook_csv(path)


def test_tree_rows_put_a_tag_with_a_missing_parent_at_the_top():
    tags = [Tag("b", "#000000", parent="gone"), Tag("a", "#ffffff"), Tag("c", "#ffffff", "", "a")]
    assert [(r.tag.name, r.depth, r.shortcut) for r in tree_rows(tags)] == [
        ("b", 0, 1),
        ("a", 0, 2),
        ("c", 1, 3),
    ]
