"""speechreader meta set: a document's metadata written to metadata.csv from the command line."""

from __future__ import annotations

XICHANG = "2018-06-07_li-jun_xichang"


def test_meta_set_writes_the_row_and_list_shows_it(run, sample_corpus):
    before = (sample_corpus / "metadata.csv").read_bytes()
    done = run(
        "meta",
        "set",
        f"{XICHANG}.txt",
        "--title",
        "新, 标题",
        "--place",
        "",
        "--corpus",
        sample_corpus,
    )
    assert done.code == 0, done.err
    assert f"{XICHANG}: title set to 新, 标题" in done.out
    assert f"{XICHANG}: place cleared" in done.out
    assert "metadata.csv.bak" in done.out
    assert (sample_corpus / "metadata.csv.bak").read_bytes() == before
    listed = run("list", "--json", "--corpus", sample_corpus).json["documents"]
    doc = next(d for d in listed if d["id"] == XICHANG)
    assert doc["title"] == "新, 标题"
    assert "place" not in doc["metadata"]
    assert doc["metadata"]["speaker"] == "李俊"


def test_meta_set_errors_are_one_line(run, sample_corpus):
    nothing = run("meta", "set", XICHANG, "--corpus", sample_corpus)
    assert nothing.code == 2
    assert nothing.err.strip() == (
        "speechreader: error: nothing to set: give --title, --date, --speaker or --place"
    )
    unknown = run("meta", "set", "nope", "--title", "x", "--corpus", sample_corpus)
    assert unknown.code == 2 and "no document 'nope'" in unknown.err
    two_lines = run("meta", "set", XICHANG, "--title", "a\nb", "--corpus", sample_corpus)
    assert two_lines.code == 2 and "must be one line" in two_lines.err
    assert not (sample_corpus / "metadata.csv.bak").exists()


def test_counts_in_cli_messages_agree_with_one(run, tmp_path):
    (tmp_path / "a.txt").write_text("在会议上的讲话\n同志们：\n发(fā)展\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    listed = run("list", "--corpus", tmp_path)
    assert "\n1 document in " in listed.out
    assert "1 file skipped:" in listed.out
    info = run("info", "--corpus", tmp_path)
    assert "1 (1 file skipped)" in info.out
    problems = run("show", "a", "--problems", "--corpus", tmp_path)
    assert problems.out.splitlines()[-1] == "1 problem in a"
