"""`annotations` and the CSV export say where each passage is now: exact, moved, orphaned."""

from __future__ import annotations

import csv
import io

import pytest

DOC = "2018-06-07_li-jun_xichang"


@pytest.fixture
def coded(run, sample_corpus, tmp_path):
    """Two passages of the Xichang speech coded, then the file edited by a re-scrape."""
    db = tmp_path / "db"
    path = sample_corpus / f"{DOC}.txt"
    text = path.read_text(encoding="utf-8")
    kept = text.index("中共西昌市委书记李俊")
    lost = text.index("敢于担当")
    ids = {}
    for name, start, length in (("kept", kept, 10), ("lost", lost, 4)):
        result = run("tag", DOC, start, start + length, "--tag", name, "--corpus", sample_corpus,
                     "--db", db)  # fmt: skip
        assert result.code == 0, result.err
        ids[name] = result.out.strip()
    # the re-scrape adds a line at the top and rewords the passage coded "lost"
    path.write_text("（来源：新华网）\n" + text.replace("敢于担当", "勇于负责"), encoding="utf-8")
    return db, sample_corpus, ids, kept + len("（来源：新华网）\n")


def test_annotations_json_gives_each_status_and_where_the_passage_is_now(run, coded):
    db, corpus, ids, kept_now = coded
    data = {a["id"]: a for a in run("annotations", "--json", "--corpus", corpus, "--db", db).json}
    kept, lost = data[ids["kept"]], data[ids["lost"]]
    assert kept["anchor"] == "moved"
    assert (kept["current_start"], kept["current_end"]) == (kept_now, kept_now + 10)
    assert lost["anchor"] == "orphaned"
    assert lost["current_start"] is None and lost["start"] < lost["end"]


def test_annotations_can_list_only_the_orphans(run, coded):
    db, corpus, ids, _ = coded
    result = run("annotations", "--anchor", "orphaned", "--corpus", corpus, "--db", db)
    assert result.code == 0
    assert ids["lost"] in result.out and ids["kept"] not in result.out
    assert "orphaned" in result.out


def test_the_csv_export_carries_the_anchor_status(run, coded, tmp_path):
    db, corpus, ids, kept_now = coded
    out = tmp_path / "coded.csv"
    assert run("export", "-o", out, "--corpus", corpus, "--db", db).code == 0
    rows = {r["annotation_id"]: r for r in csv.DictReader(io.StringIO(out.read_text("utf-8")))}
    assert rows[ids["kept"]]["anchor"] == "moved"
    assert rows[ids["kept"]]["start"] == str(kept_now)
    assert rows[ids["kept"]]["passage"] == "中共西昌市委书记李俊"
    assert rows[ids["lost"]]["anchor"] == "orphaned"
    assert rows[ids["lost"]]["passage"] == "敢于担当"  # as coded, not what stands there now


def test_an_unchanged_corpus_exports_every_passage_as_exact(run, sample_corpus, tmp_path):
    db, out = tmp_path / "db", tmp_path / "coded.csv"
    run("tag", DOC, 0, 5, "--tag", "t", "--corpus", sample_corpus, "--db", db)
    run("export", "-o", out, "--corpus", sample_corpus, "--db", db)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8"))))
    assert [r["anchor"] for r in rows] == ["exact"]


def test_an_export_with_an_orphan_round_trips_through_an_empty_database(
    run, sample_corpus, tmp_path
):
    """Code two passages, change the file so that one is orphaned, export, import into an
    empty database, export again: the same rows, anchor column included."""
    db, fresh = tmp_path / "db", tmp_path / "fresh"
    path = sample_corpus / f"{DOC}.txt"
    text = path.read_text(encoding="utf-8")
    kept, lost = text.index("中共西昌市委书记李俊"), text.index("乡村振兴")
    assert kept < lost
    common = ("--corpus", sample_corpus)
    for start, length, tag, note in ((kept, 10, "人物", "who"), (lost, 4, "目标", "a goal")):
        result = run("tag", DOC, start, start + length, "--tag", tag, "--note", note, *common,
                     "--db", db)  # fmt: skip
        assert result.code == 0, result.err
    # a re-scrape rewords the second passage (same length: the first stays where it was)
    path.write_text(text.replace("乡村振兴", "城乡融合"), encoding="utf-8")
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    assert run("export", "-o", first, *common, "--db", db).code == 0
    rows = list(csv.DictReader(io.StringIO(first.read_text("utf-8"))))
    assert sorted(r["anchor"] for r in rows) == ["exact", "orphaned"]

    imported = run("import-annotations", first, *common, "--db", fresh)
    assert imported.code == 0, imported.err
    assert "imported 2 new" in imported.out and "rejected 0 rows" in imported.out
    assert "kept 1 orphaned passage" in imported.out
    assert run("export", "-o", second, *common, "--db", fresh).code == 0
    assert second.read_text("utf-8") == first.read_text("utf-8")

    orphans = run("annotations", "--anchor", "orphaned", "--json", *common, "--db", fresh).json
    assert [(a["quote"], a["tags"], a["note"]) for a in orphans] == [
        ("乡村振兴", ["目标"], "a goal")
    ]
    assert (orphans[0]["start"], orphans[0]["end"]) == (lost, lost + 4)

    # importing the same export again changes nothing in the new database; in the old one
    # the orphan keeps what it had (its context, the hash of the text it was coded in)
    again = run("import-annotations", first, *common, "--db", fresh)
    assert "imported 0 new, updated 2 (2 unchanged)" in again.out
    listing = ("annotations", "--anchor", "orphaned", "--json", *common, "--db", db)
    before = run(*listing).json
    assert before[0]["prefix"] and before[0]["doc_hash"] not in ("", "unknown")
    again = run("import-annotations", first, *common, "--db", db)
    assert again.code == 0 and "kept 1 orphaned passage" in again.out
    assert run(*listing).json == before


def test_without_an_anchor_column_a_row_off_its_passage_is_still_rejected(run, coded, tmp_path):
    db, corpus, _, _ = coded
    out, older = tmp_path / "coded.csv", tmp_path / "older.csv"
    assert run("export", "-o", out, "--corpus", corpus, "--db", db).code == 0
    with (
        open(out, encoding="utf-8", newline="") as src,
        open(older, "w", encoding="utf-8", newline="") as dst,
    ):
        rows = list(csv.DictReader(src))
        writer = csv.DictWriter(dst, [c for c in rows[0] if c != "anchor"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    result = run("import-annotations", older, "--corpus", corpus, "--db", tmp_path / "fresh")
    assert result.code == 1
    assert "passage does not match" in result.err and "orphaned" not in result.out
