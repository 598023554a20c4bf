"""`speechreader search`, `autocode`, `undo` and `redo` on the command line."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from speechreader.core.store import Store
from tests.corpus_helpers import CADRES, LI, LU, bump_mtime, put


def test_search_json_is_a_list_of_hits_with_exactly_the_contract_keys(run):
    result = run("search", "兩個維護", "--json", "--context", "4")
    assert result.code == 0
    assert result.json == [
        {"doc_id": LU, "start": 493, "end": 497, "left": "、做到“", "match": "两个维护",
         "right": "”,筑牢"},
        {"doc_id": LU, "start": 550, "end": 554, "left": "、做到“", "match": "两个维护",
         "right": "”,始终"},
    ]  # fmt: skip


def test_search_lines_align_the_match_by_terminal_cells_and_count_hits(run):
    result = run("search", "幹部", "--context", "6", "--doc", LU)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[-1] == "15 hits in 1 document"
    starts, ends = set(), set()
    for line in lines[:-1]:
        left, _, _ = line.partition(" 干部 ")
        starts.add(cell_len(left))
        ends.add(cell_len(line.rsplit("  ", 1)[0]))
    assert starts == {12}  # six characters of two cells: every match in the same column
    assert len(ends) == 1  # and every document id too
    assert lines[0] == "委党校为党员 干部 上了一堂主题  2019-06-27_lu-xinshe_guangxi:79"


def test_search_shows_newlines_in_context_as_a_symbol(run, sample_corpus):
    put(sample_corpus, "short.txt", "第一行\n發展第二行")
    result = run("search", "发展", "--corpus", sample_corpus, "--doc", "short", "--context", "3")
    assert result.out.splitlines() == ["一行⏎ 發展 第二行  short:4", "1 hit in 1 document"]


def test_search_without_hits_says_0_hits_and_succeeds(run):
    result = run("search", "量子计算机")
    assert (result.code, result.out) == (0, "0 hits\n")
    assert run("search", "量子计算机", "--json").json == []


def test_search_sorts_by_left_context(run, sample_corpus):
    put(sample_corpus, "a.txt", "乙甲发展丙。丁发展甲。")
    result = run("search", "发展", "--corpus", sample_corpus, "--doc", "a", "--context", "2",
                 "--sort", "left", "--json")  # fmt: skip
    assert [h["start"] for h in result.json] == [7, 2]


def test_search_filters_by_place_and_date(run):
    result = run("search", "干部", "--place", "广西", "--date-from", "2019", "--json")
    assert {h["doc_id"] for h in result.json} == {LU}
    assert len(result.json) == 15


def test_search_date_bounds_include_the_day_they_name(run):
    # LI's speech was given on 2018-06-07 (metadata.csv)
    for bounds in (["--date-to", "2018-06-07"], ["--date-from", "2018-06-07"],
                   ["--date-from", "2018-06", "--date-to", "2018-06"]):  # fmt: skip
        result = run("search", "干部", *bounds, "--json")
        assert result.code == 0
        assert LI in {h["doc_id"] for h in result.json}, bounds
    result = run("search", "干部", "--date-from", "2018-06-07", "--date-to", "2018-06-07", "--json")
    assert {h["doc_id"] for h in result.json} == {LI}
    assert len(result.json) == 21


def test_search_mistakes_exit_2_with_one_line_and_no_traceback(run, db):
    bad_regex = run("search", "(发展", "--regex")
    assert bad_regex.code == 2
    assert bad_regex.err.startswith("speechreader: error: invalid regular expression '(发展'")
    bad_date = run("search", "发展", "--date-from", "June 2018")
    assert bad_date.code == 2
    no_db = run("search", "发展", "--tag", "economy", "--db", db)
    assert no_db.code == 2
    assert "no tag 'economy'" in no_db.err
    for result in (bad_regex, bad_date, no_db):
        assert "Traceback" not in result.err
        assert len(result.err.strip().splitlines()) == 1


def test_search_tag_filter_reads_the_database(run, db, sample_texts):
    with Store(db, coder="tester") as store:
        store.add(LI, 140, 200, text=sample_texts[LI], doc_hash="", tags=["cadres"])
    result = run("search", "幹部", "--tag", "cadres", "--db", db, "--json")
    assert [(h["doc_id"], h["start"]) for h in result.json] == [(LI, 152)]


# --- autocode, undo, redo ---------------------------------------------------------------


def test_autocode_dry_run_previews_and_writes_nothing(run, db):
    result = run("autocode", "两个维护", "--tag", "loyalty", "--dry-run", "--db", db)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "autocode 两个维护 → tag 'loyalty' (a new tag), by sentence, coder tester"
    assert lines[1] == (
        "2 passages in 1 document (2 hits): 2 new, 0 existing to tag, 0 already coded"
    )
    assert lines[2].startswith(f"  new      {LU}:393-526  他指出")
    assert lines[-1] == "dry run: nothing was written"
    assert not db.exists()


def test_autocode_applies_and_one_cli_undo_takes_it_all_back(run, db):
    result = run("autocode", "幹部", "--tag", "cadres", "--unit", "paragraph", "--place", "广西",
                 "--db", db)  # fmt: skip
    assert result.code == 0
    assert result.out.splitlines()[-1] == (
        "coded 12 passages: 12 new, 0 existing; `speechreader undo` takes them all back"
    )
    assert len(run("annotations", "--db", db, "--json").json) == 12
    again = run("autocode", "幹部", "--tag", "cadres", "--unit", "paragraph", "--place", "广西",
                "--db", db)  # fmt: skip
    assert again.out.splitlines()[-1] == "nothing to do: every passage is already coded"
    undo = run("undo", "--db", db)
    assert undo.out == "undid: autocode 幹部 → tag 'cadres' (12 passages)\n"
    assert run("annotations", "--db", db, "--json").json == []
    assert run("undo", "--db", db).out == "nothing to undo\n"
    redo = run("redo", "--db", db)
    assert redo.out == "redid: autocode 幹部 → tag 'cadres' (12 passages)\n"
    assert len(run("annotations", "--db", db, "--json").json) == 12


def test_autocode_within_a_tag_codes_only_hits_inside_it(run, db, sample_texts):
    with Store(db, coder="tester") as store:
        store.add(CADRES, 0, 40, text=sample_texts[CADRES], doc_hash="", tags=["opening"])
    result = run("autocode", "干部", "--tag", "cadres", "--unit", "hit", "--in-tag", "opening",
                 "--db", db)  # fmt: skip
    assert result.code == 0
    anns = run("annotations", "--db", db, "--tag", "cadres", "--json").json
    assert [(a["start"], a["end"], a["quote"]) for a in anns] == [(2, 4, "幹部"), (35, 37, "幹部")]


def test_undo_without_a_database_has_nothing_to_undo(run, db):
    assert run("undo", "--db", db).out == "nothing to undo\n"
    assert run("redo", "--db", db).out == "nothing to redo\n"
    assert not db.exists()


@pytest.mark.parametrize("shown", ["json", "lines", "sorted"])
def test_a_search_shows_what_changed_since_the_index_was_made(run, sample_corpus, shown):
    """The folder is walked while the index is queried; a change found by the walk means
    the index is updated and the search run again, with nothing shown twice."""
    options = {"json": ["--json"], "lines": [], "sorted": ["--json", "--sort", "left"]}[shown]
    edited = put(sample_corpus, "later/a.txt", "两个维护和两个维护")
    before = run("search", "两个维护", "--corpus", sample_corpus, "--context", "2", *options)
    assert before.code == 0
    edited.write_text("四个维护和两个维护", "utf-8")  # same size, new content
    bump_mtime(edited)
    put(sample_corpus, "later/new.txt", "新的两个维护。")
    after = run("search", "两个维护", "--corpus", sample_corpus, "--context", "2", *options)
    assert after.code == 0
    if shown == "lines":
        assert before.out.endswith("4 hits in 2 documents\n")
        assert after.out.endswith("4 hits in 3 documents\n")
        assert "later/a:0" not in after.out and "later/new:2" in after.out
        return
    old = sorted((h["doc_id"], h["start"], h["left"]) for h in before.json)
    assert old == [(LU, 493, "到“"), (LU, 550, "到“"), ("later/a", 0, ""),
                   ("later/a", 5, "护和")]  # fmt: skip
    assert sorted((h["doc_id"], h["start"], h["left"]) for h in after.json) == [
        (LU, 493, "到“"), (LU, 550, "到“"), ("later/a", 5, "护和"), ("later/new", 2, "新的")
    ]  # fmt: skip
