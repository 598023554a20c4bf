"""Writing a document's title, date, speaker, place into metadata.csv (the one corpus write)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from speechreader.core.corpus import (
    Corpus,
    MetadataChanged,
    edit_document_metadata,
    metadata_stamp,
    set_metadata,
)
from speechreader.core.errors import InvalidInput

WANG = "2024-01-05_wang-ning_yunnan"


def rows(path: Path, codec: str = "utf-8-sig") -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_bytes().decode(codec), newline="")))


def test_round_trip_changes_one_row_and_keeps_every_other_byte(sample_corpus):
    path = sample_corpus / "metadata.csv"
    before = path.read_bytes()
    speech = (sample_corpus / f"{WANG}.txt").read_bytes()
    done = set_metadata(
        sample_corpus,
        f"{WANG}.txt",
        {"title": "書記, 該怎麼當", "speaker": '王寧 "雲南"'},
        expected=metadata_stamp(sample_corpus),
    )
    after = path.read_bytes()
    old_lines, new_lines = before.split(b"\n"), after.split(b"\n")
    assert len(old_lines) == len(new_lines)
    differ = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert len(differ) == 1  # one row, nothing else
    changed = rows(path)[differ[0]]
    # commas and quotes are quoted, the other columns kept in their order
    assert (
        new_lines[differ[0]]
        .decode()
        .startswith(f'{WANG}.txt,"書記, 該怎麼當",2024-01-05,"王寧 ""雲南""",雲南省委書記,')
    )
    assert changed[-1] == "003_e544a0b85fdcd8d7.txt"
    assert done.changed == {
        "title": ("王寧主持召開州(市)黨委書記座談會:書記該怎麼當", "書記, 該怎麼當"),
        "speaker": ("王寧", '王寧 "雲南"'),
    }
    assert (sample_corpus / "metadata.csv.bak").read_bytes() == before
    assert done.backup == sample_corpus / "metadata.csv.bak"
    assert (sample_corpus / f"{WANG}.txt").read_bytes() == speech  # never the speech
    # read back as a load reads it
    corpus = Corpus.load(sample_corpus, use_cache=False)
    assert corpus.get(WANG).title == "書記, 該怎麼當"
    assert corpus.get(WANG).metadata["speaker"] == '王寧 "雲南"'
    assert corpus.warnings == []


def test_a_concurrent_change_is_refused_not_overwritten(sample_corpus):
    corpus = Corpus.load(sample_corpus, use_cache=False)
    path = sample_corpus / "metadata.csv"
    edited_elsewhere = path.read_bytes().replace("李俊".encode(), "李 俊".encode())
    path.write_bytes(edited_elsewhere)
    with pytest.raises(MetadataChanged, match="changed on disk since it was read"):
        edit_document_metadata(corpus, WANG, {"title": "新標題"})
    assert path.read_bytes() == edited_elsewhere
    assert not (sample_corpus / "metadata.csv.bak").exists()
    assert corpus.get(WANG).title != "新標題"


def test_the_loaded_corpus_shows_the_new_values_and_can_write_again(sample_corpus):
    corpus = Corpus.load(sample_corpus, use_cache=False)
    edit_document_metadata(corpus, WANG, {"title": "第一", "place": "昆明"})
    assert corpus.get(WANG).title == "第一"
    assert corpus.get(WANG).metadata["place"] == "昆明"
    edit_document_metadata(corpus, WANG, {"date": "2024-01-06"})  # its own write is no conflict
    assert Corpus.load(sample_corpus, use_cache=False).get(WANG).metadata["date"] == "2024-01-06"


def test_a_cleared_title_is_read_from_the_text_again(sample_corpus):
    corpus = Corpus.load(sample_corpus, use_cache=False)
    edit_document_metadata(corpus, WANG, {"title": ""})
    fresh = Corpus.load(sample_corpus, use_cache=False).get(WANG)
    assert corpus.get(WANG).title == fresh.title
    assert "title" not in fresh.metadata


def test_an_absent_file_is_created_with_a_header(tmp_path):
    (tmp_path / "a.txt").write_text("在会议上的讲话\n同志们：\n", encoding="utf-8")
    corpus = Corpus.load(tmp_path, use_cache=False)
    assert corpus.metadata_stamp is None
    done = edit_document_metadata(corpus, "a", {"speaker": "郭声琨", "date": "2011-12-06"})
    assert done.created and done.backup is None
    assert (tmp_path / "metadata.csv").read_text(encoding="utf-8") == (
        "file,title,date,speaker,place\na.txt,,2011-12-06,郭声琨,\n"
    )
    assert Corpus.load(tmp_path, use_cache=False).get("a").metadata == {
        "speaker": "郭声琨",
        "date": "2011-12-06",
    }


def test_a_file_created_meanwhile_is_not_overwritten(tmp_path):
    (tmp_path / "a.txt").write_text("讲话\n", encoding="utf-8")
    corpus = Corpus.load(tmp_path, use_cache=False)
    (tmp_path / "metadata.csv").write_text("file,title\na.txt,Excel's\n", encoding="utf-8")
    with pytest.raises(MetadataChanged):
        edit_document_metadata(corpus, "a", {"title": "mine"})
    assert (tmp_path / "metadata.csv").read_text(encoding="utf-8") == "file,title\na.txt,Excel's\n"


def test_bom_crlf_quoted_newlines_and_a_missing_column(tmp_path):
    text = 'File,Title,Notes\r\na.txt,"A, one","line one\r\nline two"\r\nb.txt,B,"say ""hi"""\r\n'
    path = tmp_path / "metadata.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    set_metadata(tmp_path, "b.txt", {"place": "广西 南宁"}, expected=metadata_stamp(tmp_path))
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data[3:].decode("utf-8") == (
        "File,Title,Notes,place\r\n"
        'a.txt,"A, one","line one\r\nline two"\r\n'
        'b.txt,B,"say ""hi""",广西 南宁\r\n'
    )


def test_a_row_for_a_file_without_one_is_added_at_the_end(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("file,speaker\nx.txt,甲", encoding="utf-8")  # no newline at the end
    set_metadata(tmp_path, "sub/y.txt", {"speaker": "乙"}, expected=metadata_stamp(tmp_path))
    assert path.read_text(encoding="utf-8") == "file,speaker\nx.txt,甲\nsub/y.txt,乙"


def test_a_row_named_without_txt_is_the_one_changed(tmp_path):
    path = tmp_path / "metadata.csv"
    path.write_text("file,title\nx,Old\n", encoding="utf-8")
    set_metadata(tmp_path, "x.txt", {"title": "New"}, expected=metadata_stamp(tmp_path))
    assert path.read_text(encoding="utf-8") == "file,title\nx,New\n"


def test_a_gbk_file_stays_gbk_and_a_big5_one_becomes_utf8_when_it_must(tmp_path):
    path = tmp_path / "metadata.csv"
    text = "file,title,speaker\nx.txt,广西壮族自治区党委书记在全区经济工作会议上的讲话,郭声琨\n"
    path.write_bytes(text.encode("gbk"))
    done = set_metadata(tmp_path, "x.txt", {"place": "南宁"}, expected=metadata_stamp(tmp_path))
    assert done.encoding == "gb18030"
    assert path.read_bytes().decode("gbk") == (
        "file,title,speaker,place\n"
        "x.txt,广西壮族自治区党委书记在全区经济工作会议上的讲话,郭声琨,南宁\n"
    )
    big5 = "file,title\nx.txt,中華民國總統在國慶大會上的講話,民國一百年十月十日於臺北總統府前廣場\n"
    path.write_bytes(big5.encode("big5"))
    done = set_metadata(tmp_path, "x.txt", {"place": "台北"}, expected=metadata_stamp(tmp_path))
    assert done.encoding.startswith("big5") or done.encoding == "cp950"  # 台 is in Big5
    done = set_metadata(tmp_path, "x.txt", {"place": "广西"}, expected=done.stamp)  # 广 is not
    assert done.encoding == "utf-8-sig"
    assert path.read_bytes().decode("utf-8-sig").splitlines()[1].endswith(",广西")


def test_a_value_must_be_one_line_and_a_known_field(tmp_path):
    with pytest.raises(InvalidInput, match="one line"):
        set_metadata(tmp_path, "x.txt", {"title": "a\nb"}, expected=None)
    with pytest.raises(InvalidInput, match="cannot set 'office'"):
        set_metadata(tmp_path, "x.txt", {"office": "书记"}, expected=None)
    assert not (tmp_path / "metadata.csv").exists()
