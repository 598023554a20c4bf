"""The command-line contract: names, JSON shapes, exit codes, and no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from speechreader import __version__
from speechreader.cli import main

XICHANG = "2018-06-07_li-jun_xichang"
UNDATED = "undated_three-level-cadres-conference"


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "annotations.srdb"


def test_version_prints_the_package_version(run):
    result = run("--version")
    assert result.code == 0
    assert __version__ in result.out


def test_list_json_describes_every_sample_document(run):
    result = run("list", "--json")
    assert result.code == 0
    data = result.json
    assert set(data) == {"documents", "skipped", "warnings"}
    assert data["warnings"] == []
    assert data["skipped"] == []
    docs = {d["id"]: d for d in data["documents"]}
    assert len(docs) == 5
    for doc in docs.values():
        assert {"id", "title", "path", "encoding", "script", "chars", "problems"} <= set(doc)
    assert docs[XICHANG]["script"] == "simplified"
    assert docs[UNDATED]["script"] == "traditional"
    assert docs["2011-12-06_guo-shengkun_guangxi"]["script"] == "mixed"
    assert docs[UNDATED]["chars"] == 15845
    assert docs[XICHANG]["path"] == f"{XICHANG}.txt"
    gloss = [
        p
        for p in docs["2011-12-06_guo-shengkun_guangxi"]["problems"]
        if p["kind"] == "pinyin_gloss"
    ]
    assert gloss[0]["count"] == 97


def test_list_reports_a_binary_file_as_skipped_and_loads_the_rest(run, sample_corpus):
    (sample_corpus / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = run("list", "--json", "--corpus", sample_corpus)
    assert result.code == 0
    data = result.json
    assert len(data["documents"]) == 5
    assert [s["path"] for s in data["skipped"]] == ["scan.txt"]
    assert "binary" in data["skipped"][0]["reason"]


def test_missing_corpus_folder_is_a_clear_error_with_exit_2(run, tmp_path):
    result = run("list", "--corpus", tmp_path / "nowhere")
    assert result.code == 2
    assert "nowhere" in result.err
    assert "Traceback" not in result.err + result.out


def test_show_prints_the_text_and_its_conversions(run, sample_texts):
    original = run("show", XICHANG)
    assert original.code == 0
    assert original.out == sample_texts[XICHANG] + (
        "" if sample_texts[XICHANG].endswith("\n") else "\n"
    )
    traditional = run("show", XICHANG, "--script", "traditional")
    assert traditional.out.startswith("敢於擔當 主動作爲")
    taiwan = run("show", XICHANG, "--script", "traditional", "--variant", "taiwan")
    assert taiwan.out.startswith("敢於擔當 主動作為")
    # A traditional document's traditional pane is its own text, never a re-conversion.
    own = run("show", UNDATED, "--script", "traditional")
    assert own.out.rstrip("\n") == sample_texts[UNDATED].rstrip("\n")


def test_show_simplified_script_of_a_traditional_document_reads_zhe(run):
    simplified = run("show", UNDATED, "--script", "simplified")
    assert simplified.out.startswith("三级干部大会发言大纲")
    assert "带着过年的余味,迎着春天的气息" in simplified.out  # 帶著, 迎著: t2s keeps 著


def test_show_problems_locates_each_one(run, sample_texts):
    guo = "2011-12-06_guo-shengkun_guangxi"
    result = run("show", guo, "--problems", "--json")
    assert result.code == 0
    data = result.json
    assert data["id"] == guo
    problems = data["problems"]
    assert len(problems) == 97 + 4 + 19  # glosses, mojibake, residue (by hand, see text tests)
    text = sample_texts[guo]
    for p in problems:
        assert text[p["start"] : p["end"]] == p["text"]
        line_start = text.rfind("\n", 0, p["start"]) + 1
        assert p["line"] == text.count("\n", 0, p["start"]) + 1
        assert p["column"] == p["start"] - line_start + 1
    residue = [p for p in problems if p["kind"] == "simplified_residue"]
    first = residue[0]
    assert (first["text"], first["right"]) == ("圣", "聖")
    assert text[first["start"] - 1 : first["end"] + 2] == "神圣使命"
    assert "simplified character in a traditional text" in first["explanation"]
    plain = run("show", guo, "--problems")
    assert plain.code == 0
    assert plain.out.splitlines()[-1] == f"120 problems in {guo}"
    assert "圣: OpenCC reads it 聖 (simplified character in a traditional text)" in plain.out
    clean = run("show", XICHANG, "--problems")
    assert clean.out.strip() == f"no problems found in {XICHANG}"


def test_show_json_without_problems_is_a_usage_error(run):
    result = run("show", XICHANG, "--json")
    assert result.code == 2
    assert "--problems" in result.err
    assert "Traceback" not in result.err


def test_list_json_counts_the_new_kinds(run):
    docs = {d["id"]: d for d in run("list", "--json").json["documents"]}
    kinds = {p["kind"]: p["count"] for p in docs["2024-01-05_wang-ning_yunnan"]["problems"]}
    assert kinds["simplified_residue"] == 25
    over = {p["kind"]: p for p in docs[UNDATED]["problems"]}["phrase_overconversion"]
    assert set(over) == {"kind", "count", "examples"}  # the contract's fields, unchanged
    assert over["count"] == 18


def test_show_unknown_document_suggests_close_ids(run):
    result = run("show", "2018-06-07_li-jun_xichan")
    assert result.code == 2
    assert XICHANG in result.err


def test_convert_reads_any_encoding(run, tmp_path):
    path = tmp_path / "gb.txt"
    path.write_bytes("我们要做好干部工作。\r\n".encode("gb18030"))
    result = run("convert", path, "--to", "traditional")
    assert result.code == 0
    assert result.out == "我們要做好幹部工作。\n"
    back = tmp_path / "big5.txt"
    back.write_bytes("組織裏的幹部".encode("cp950"))
    assert run("convert", back, "--to", "simplified").out == "组织里的干部\n"


def test_convert_rejects_an_unknown_variant(run, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text("发展", encoding="utf-8")
    result = run("convert", path, "--to", "traditional", "--variant", "klingon")
    assert result.code == 2
    assert "unknown variant" in result.err


def test_tag_prints_an_id_that_annotations_lists(run, db, sample_texts):
    result = run(
        "tag", XICHANG, "10", "20", "--tag", "economy", "--tag", "stability",
        "--note", "first pass", "--highlight", "green", "--coder", "amy", "--db", db,
    )  # fmt: skip
    assert result.code == 0
    ann_id = result.out.strip()
    listed = run("annotations", "--doc", XICHANG, "--json", "--db", db).json
    assert len(listed) == 1
    ann = listed[0]
    assert ann["id"] == ann_id
    assert ann["doc_id"] == XICHANG
    assert (ann["start"], ann["end"]) == (10, 20)
    assert ann["quote"] == sample_texts[XICHANG][10:20]
    assert ann["tags"] == ["economy", "stability"]
    assert ann["note"] == "first pass"
    assert ann["highlight"] == "green"
    assert ann["coder"] == "amy"
    for key in ("prefix", "suffix", "created", "updated", "doc_hash"):
        assert key in ann


def test_tag_out_of_range_writes_nothing(run, db):
    assert run("tag", XICHANG, "10", "999999", "--tag", "x", "--db", db).code == 2
    assert run("tag", XICHANG, "20", "10", "--tag", "x", "--db", db).code == 2
    assert run("tag", "no-such-doc", "0", "5", "--tag", "x", "--db", db).code == 2
    assert run("annotations", "--json", "--db", db).json == []


def test_tag_respects_the_environment_database(run, tmp_path, monkeypatch):
    target = tmp_path / "env.srdb"
    monkeypatch.setenv("SPEECHREADER_DB", str(target))
    assert run("tag", XICHANG, "0", "4", "--tag", "x").code == 0
    assert target.is_dir()
    assert "env.srdb" in run("info").out


def test_delete_unknown_id_reports_it_and_deletes_nothing(run, db):
    keep = run("tag", XICHANG, "0", "4", "--tag", "x", "--db", db).out.strip()
    result = run("delete", keep, "nonexistent-id", "--db", db)
    assert result.code == 2
    assert "nonexistent-id" in result.err
    assert [a["id"] for a in run("annotations", "--json", "--db", db).json] == [keep]
    assert run("delete", keep, "--db", db).code == 0
    assert run("annotations", "--json", "--db", db).json == []


def test_info_names_the_database_and_its_default(run):
    result = run("info")
    assert result.code == 0
    assert "database" in result.out
    assert ".srdb" in result.out
    assert "coder" in result.out


def test_import_round_trips_an_export_and_updates_instead_of_duplicating(run, db, tmp_path):
    first = run("tag", XICHANG, "0", "8", "--tag", "a", "--tag", "b", "--db", db).out.strip()
    run("tag", UNDATED, "100", "120", "--note", "=SUM(A1)", "--db", db)
    csv_path = tmp_path / "out.csv"
    assert run("export", "-o", csv_path, "--db", db).code == 0
    other = tmp_path / "other.srdb"
    result = run("import-annotations", csv_path, "--db", other)
    assert result.code == 0, result.err
    assert "imported 2 new" in result.out
    imported = {a["id"]: a for a in run("annotations", "--json", "--db", other).json}
    assert imported[first]["tags"] == ["a", "b"]
    notes = [a["note"] for a in imported.values() if a["doc_id"] == UNDATED]
    assert notes == ["=SUM(A1)"]
    again = run("import-annotations", csv_path, "--db", other)
    assert "imported 0 new, updated 2" in again.out
    assert len(run("annotations", "--json", "--db", other).json) == 2


def test_import_reports_rows_that_do_not_match_the_corpus(run, db, tmp_path):
    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(
        "annotation_id,doc_id,start,end,tag,passage\n"
        "a1,no-such-doc,0,4,x,abcd\n"
        f"a2,{XICHANG},0,4,x,WRONG\n"
        f"a3,{XICHANG},0,999999,x,abc\n"
        f"a4,{XICHANG},0,4,x,敢于担当\n",
        encoding="utf-8",
    )
    result = run("import-annotations", csv_path, "--db", db)
    assert result.code == 1
    assert "row 2" in result.err and "unknown document" in result.err
    assert "row 3" in result.err and "does not match" in result.err
    assert "row 4" in result.err
    assert [a["id"] for a in run("annotations", "--json", "--db", db).json] == ["a4"]


def test_no_command_without_tty_fails_cleanly_not_with_a_traceback(tmp_path):
    """The real console script: user errors print one line, exit 2."""
    exe = Path(sys.executable).with_name("speechreader")
    command = [str(exe)] if exe.exists() else [sys.executable, "-m", "speechreader"]
    result = subprocess.run(
        [*command, "list", "--corpus", str(tmp_path / "missing")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.startswith("speechreader: error:")
    assert "Traceback" not in result.stderr


def test_corrupt_database_is_named_and_left_untouched(run, db):
    run("tag", XICHANG, "0", "4", "--tag", "x", "--db", db)
    codebook = db / "codebook.json"
    codebook.write_text('{"codebook": {"x": ', encoding="utf-8")
    result = run("tag", XICHANG, "5", "9", "--tag", "y", "--db", db)
    assert result.code == 2
    assert "codebook.json" in result.err
    assert "Traceback" not in result.err
    assert codebook.read_text(encoding="utf-8") == '{"codebook": {"x": '


def test_doctor_reports_a_broken_file_and_repairs_it_from_a_backup(run, db):
    first = run("tag", XICHANG, "0", "4", "--tag", "x", "--db", db).out.strip()
    run("tag", XICHANG, "5", "9", "--tag", "y", "--db", db)  # overwrites the file: a backup
    assert run("doctor", "--db", db).code == 0
    files = list((db / "annotations").rglob("*.json"))
    assert len(files) == 1
    files[0].write_text('{"annotations": {\n"broken', encoding="utf-8")
    check = run("doctor", "--db", db)
    assert check.code == 1
    assert files[0].name in check.out
    assert "--repair" in check.err
    repair = run("doctor", "--db", db, "--repair")
    assert repair.code == 0, repair.out + repair.err
    ids = [a["id"] for a in run("annotations", "--json", "--db", db).json]
    assert first in ids  # restored from the backup taken before the second write
    broken = list((db / "local").rglob("*broken*")) + list((db / "local" / "broken").rglob("*"))
    assert broken, "the broken file is kept aside, not deleted"


def test_doctor_repair_brings_back_all_19_tags_of_an_emptied_file(run, db):
    made = [
        run("tag", XICHANG, str(i), str(i + 3), "--tag", "x", "--db", db).out.strip()
        for i in range(19)
    ]
    files = list((db / "annotations").rglob("*.json"))
    assert len(files) == 1
    files[0].write_text("", encoding="utf-8")
    assert run("annotations", "--json", "--db", db).code == 2  # that document: unreadable
    repair = run("doctor", "--db", db, "--repair")
    assert repair.code == 0, repair.out + repair.err
    assert "with 19 records" in repair.out and "lost:" not in repair.out
    assert sorted(a["id"] for a in run("annotations", "--json", "--db", db).json) == sorted(made)


def test_doctor_repair_refuses_a_folder_that_is_not_a_database(run, tmp_path):
    folder = tmp_path / "home"
    folder.mkdir()
    (folder / "notes.txt").write_text("x", encoding="utf-8")
    result = run("doctor", "--db", folder, "--repair")
    assert result.code == 2
    assert "is not a speechreader database" in result.err
    assert len(result.err.strip().splitlines()) == 1
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def test_doctor_on_a_missing_database_says_so(run, tmp_path):
    result = run("doctor", "--db", tmp_path / "none.srdb")
    assert result.code == 0
    assert "no database" in result.out


def test_info_names_the_log_folder_where_crash_reports_go(run, isolated_dirs):
    result = run("info")
    assert result.code == 0
    line = next(line for line in result.out.splitlines() if line.startswith("log folder"))
    assert line.split(None, 2)[2] == str(isolated_dirs / "state" / "log")


def _break_info(monkeypatch) -> None:
    from speechreader.cli import corpus_cmds

    def broken(*args, **kwargs):
        raise ZeroDivisionError("boom [/]")

    monkeypatch.setattr(corpus_cmds, "load_corpus", broken)


def test_a_bug_in_a_command_exits_1_naming_its_crash_report(isolated_dirs, monkeypatch, capsys):
    _break_info(monkeypatch)
    with pytest.raises(SystemExit) as stopped:
        main(["info"])
    assert stopped.value.code == 1
    (line,) = capsys.readouterr().err.strip().splitlines()
    assert line.startswith("speechreader: internal error (ZeroDivisionError: boom [/])")
    (report,) = (isolated_dirs / "state" / "log").glob("crash-*.log")
    assert str(report) in line
    kept = report.read_text(encoding="utf-8")
    assert "Traceback" in kept and "in info_cmd" in kept and "ZeroDivisionError: boom" in kept


def test_a_bug_with_no_room_for_a_report_shows_the_traceback(
    isolated_dirs, monkeypatch, capsys, tmp_path
):
    _break_info(monkeypatch)
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("x")
    monkeypatch.setenv("SPEECHREADER_STATE_DIR", str(blocked))
    with pytest.raises(SystemExit) as stopped:
        main(["info"])
    assert stopped.value.code == 1
    err = capsys.readouterr().err
    assert "no crash report could be written" in err
    assert "Traceback" in err and "ZeroDivisionError: boom [/]" in err


def test_every_command_is_in_the_lazy_table_under_its_own_name():
    """The group imports a command's module only when it runs: the table must name every
    top-level command of every *_cmds module (found here by looking at the modules)."""
    import importlib
    import pkgutil

    import click

    import speechreader.cli as cli_package
    from speechreader.cli import COMMANDS, cli

    found: dict[int, click.Command] = {}
    subcommands: set[int] = set()
    for module_info in pkgutil.iter_modules(cli_package.__path__):
        if not module_info.name.endswith("_cmds"):
            continue
        module = importlib.import_module(f"speechreader.cli.{module_info.name}")
        for value in vars(module).values():
            if isinstance(value, click.Group):
                subcommands.update(id(c) for c in value.commands.values())
        for value in vars(module).values():
            if isinstance(value, click.Command) and value.callback.__module__ == module.__name__:
                found[id(value)] = value
    top = {c.name: c for key, c in found.items() if key not in subcommands}
    assert len(top) == len(found) - len(subcommands)  # no two top-level commands share a name
    ctx = click.Context(cli)
    assert sorted(top) == cli.list_commands(ctx) == sorted(COMMANDS)
    assert all(cli.get_command(ctx, name) is top[name] for name in top)
    assert cli.get_command(ctx, "no-such-command") is None
