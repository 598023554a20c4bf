"""metadata.csv: columns, lookups by relative path, and the warnings a bad file produces."""

from __future__ import annotations

from pathlib import Path

from speechreader.core.corpus._metadata import Metadata, normalise_key, read_metadata

STANDARD = ["title", "date", "speaker", "office", "place", "source"]


def write_csv(root: Path, text: str, codec: str = "utf-8") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "metadata.csv").write_bytes(text.encode(codec))
    return root


def test_sample_metadata_has_standard_columns_then_the_extra_one(sample_corpus):
    md = read_metadata(sample_corpus)
    assert md.columns == [*STANDARD, "seed_file"]
    assert len(md.rows) == 5
    assert md.warnings == []


def test_sample_row_is_found_by_relative_path(sample_corpus):
    row = read_metadata(sample_corpus).for_path("2024-01-05_wang-ning_yunnan.txt")
    assert row == {
        "title": "王寧主持召開州(市)黨委書記座談會:書記該怎麼當",
        "date": "2024-01-05",
        "speaker": "王寧",
        "office": "雲南省委書記",
        "place": "雲南 昆明",
        "source": "新聞報道(撰文 李星佺 黃佳倫)",
        "seed_file": "003_e544a0b85fdcd8d7.txt",
    }


def test_empty_cells_are_left_out_of_a_row(sample_corpus):
    row = read_metadata(sample_corpus).for_path("undated_three-level-cadres-conference.txt")
    assert "date" not in row
    assert row["speaker"] == "(未署名)區委書記"


def test_missing_metadata_file_gives_empty_metadata_without_warnings(tmp_path):
    md = read_metadata(tmp_path)
    assert (md.rows, md.columns, md.warnings) == ({}, [], [])
    assert md.for_path("a.txt") == {}


def test_extra_columns_are_kept_and_standard_columns_come_first(tmp_path):
    root = write_csv(tmp_path, "region,file,Speaker,level,title\n華南,a.txt,郭聲琨,省,講話\n")
    md = read_metadata(root)
    assert md.columns == ["title", "speaker", "region", "level"]
    assert md.for_path("a.txt") == {
        "region": "華南",
        "speaker": "郭聲琨",
        "level": "省",
        "title": "講話",
    }


def test_file_value_without_txt_and_with_odd_separators_still_matches(tmp_path):
    text = "file,title\n2019/lu,甲\n.\\2018\\li.TXT,乙\n ./x/./y.txt ,丙\n"
    md = read_metadata(write_csv(tmp_path, text))
    assert md.for_path("2019/lu.txt") == {"title": "甲"}
    assert md.for_path("2018/li.txt") == {"title": "乙"}
    assert md.for_path("x/y.txt") == {"title": "丙"}
    assert md.for_path("x/z.txt") == {}


def test_unknown_file_names_are_reported_by_unmatched(tmp_path):
    md = read_metadata(write_csv(tmp_path, "file,title\na.txt,甲\nb,乙\ntypo.txt,丙\n"))
    assert md.unmatched({"a.txt", "b.txt"}) == ["typo.txt"]


def test_gbk_metadata_saved_by_excel_is_read(tmp_path):
    root = write_csv(tmp_path, "file,title,speaker\r\na.txt,郭聲琨在廣西的講話,郭聲琨\r\n", "gbk")
    assert read_metadata(root).for_path("a.txt") == {
        "title": "郭聲琨在廣西的講話",
        "speaker": "郭聲琨",
    }


def test_utf8_bom_before_the_header_is_tolerated(tmp_path):
    root = write_csv(tmp_path, "file,title\na.txt,甲\n", "utf-8-sig")
    assert read_metadata(root).for_path("a.txt") == {"title": "甲"}


def test_quoted_fields_keep_commas_and_newlines(tmp_path):
    root = write_csv(tmp_path, 'file,title\na.txt,"不忘初心、牢记使命,奋力\n开启新征程"\n')
    assert read_metadata(root).for_path("a.txt") == {"title": "不忘初心、牢记使命,奋力\n开启新征程"}


def test_duplicate_rows_warn_and_the_first_wins(tmp_path):
    md = read_metadata(write_csv(tmp_path, "file,title\na.txt,first\nb.txt,x\na.txt,second\n"))
    assert md.for_path("a.txt") == {"title": "first"}
    assert md.warnings == ["metadata.csv: line 4: a.txt is listed twice; the first row is used"]


def test_rows_without_file_name_and_with_extra_fields_warn(tmp_path):
    md = read_metadata(write_csv(tmp_path, "file,title\n,orphan\n\nb.txt,乙,surplus\n"))
    assert md.warnings == [
        "metadata.csv: line 2: no file name; row ignored",
        "metadata.csv: line 4: more fields than the header; extra fields ignored",
    ]
    assert md.rows == {"b.txt": {"title": "乙"}}


def test_file_without_a_file_column_is_ignored_with_a_warning(tmp_path):
    md = read_metadata(write_csv(tmp_path, "name,title\na.txt,甲\n"))
    assert md.rows == {}
    assert md.warnings == ["metadata.csv: ignored (no 'file' column; found: name, title)"]


def test_binary_metadata_file_is_ignored_with_a_warning(tmp_path):
    (tmp_path / "metadata.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    md = read_metadata(tmp_path)
    assert md.warnings == ["metadata.csv: ignored (binary file (PNG image))"]


def test_many_bad_rows_are_summarised_after_twenty_warnings(tmp_path):
    md = read_metadata(write_csv(tmp_path, "file,title\n" + ",x\n" * 25))
    assert len(md.warnings) == 21
    assert md.warnings[-1] == "metadata.csv: ... and 5 more warnings"


def test_metadata_built_by_hand_matches_without_txt():
    md = Metadata(rows={"a/b": {"title": "甲"}}, columns=["title"])
    assert md.for_path("a/b.txt") == {"title": "甲"}
    md.rows = {"c.txt": {"title": "乙"}}  # replacing rows rebuilds the lookup
    assert md.for_path("c.txt") == {"title": "乙"}
    assert md.for_path("a/b.txt") == {}


def test_normalise_key_uses_posix_separators_and_drops_dot_segments():
    assert normalise_key(" .\\a\\b.txt ") == "a/b.txt"
    assert normalise_key("/a//b/./c.txt") == "a/b/c.txt"
    assert normalise_key("   ") == ""


def test_an_open_quote_that_swallows_rows_is_reported(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "metadata.csv").write_text(
        'file,title,date\na.txt,"Open quote,2011\nb.txt,T,2018\nc.txt,U,2019\n', encoding="utf-8"
    )
    md = read_metadata(root)
    assert md.warnings == [
        "metadata.csv: line 2: a quoted value runs over 2 more lines (a quote left open?); "
        "check lines 2-4"
    ]


def test_rows_naming_paths_outside_the_folder_are_ignored_and_reported(tmp_path):
    root = tmp_path / "c"
    root.mkdir()
    (root / "metadata.csv").write_text(
        "file,title\n../x.txt,a\n/etc/passwd,b\nC:\\\\x.txt,c\nok.txt,d\n", encoding="utf-8"
    )
    md = read_metadata(root)
    assert list(md.rows) == ["ok.txt"]
    assert [w.split(": ", 2)[1] for w in md.warnings] == ["line 2", "line 3", "line 4"]
    assert all("outside the corpus folder" in w for w in md.warnings)
