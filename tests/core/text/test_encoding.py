"""Decoding corpus files: every encoding the seeds come in, and every way a file can be bad.

All files are real bytes written to disk and read back through the public functions;
the expected text is always the original string (newlines normalised), compared exactly.
"""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from speechreader.core.errors import UnreadableFile
from speechreader.core.text import _encoding as encoding
from speechreader.core.text import read_text_file
from speechreader.core.text._encoding import decode_bytes, decode_known, normalise_newlines

TRADITIONAL = "undated_three-level-cadres-conference"
SIMPLIFIED = "2019-06-27_lu-xinshe_guangxi"


@pytest.fixture
def traditional(sample_texts) -> str:
    """The 45 KB traditional speech without ‰, the one character of it Big5 lacks."""
    text = sample_texts[TRADITIONAL].replace("‰", "")
    text.encode("cp950")  # precondition: every character has a Big5 code
    return text


def write(tmp_path: Path, data: bytes, name: str = "doc.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --- the encodings -------------------------------------------------------------------


def test_utf8_without_bom_is_decoded_as_utf8(tmp_path, sample_texts):
    text = sample_texts[SIMPLIFIED]
    decoded = read_text_file(write(tmp_path, text.encode("utf-8")))
    assert (decoded.text, decoded.encoding, decoded.newlines) == (text, "utf-8", "lf")


def test_utf8_bom_is_dropped_and_named_utf8_sig(tmp_path, sample_texts):
    text = sample_texts[SIMPLIFIED]
    decoded = read_text_file(write(tmp_path, text.encode("utf-8-sig")))
    assert decoded.text == text
    assert decoded.encoding == "utf-8-sig"
    assert not decoded.text.startswith("\ufeff")


@pytest.mark.parametrize(
    ("codec", "bom"),
    [("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff")],
)
def test_utf16_with_bom_is_decoded_in_its_byte_order(tmp_path, sample_texts, codec, bom):
    text = sample_texts[TRADITIONAL]
    decoded = read_text_file(write(tmp_path, bom + text.encode(codec)))
    assert (decoded.text, decoded.encoding) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_bom_is_recognised_before_the_utf16_bom_it_starts_with(tmp_path, codec):
    text = "三級幹部大會發言大綱\n同志們:"
    bom = b"\xff\xfe\x00\x00" if codec.endswith("le") else b"\x00\x00\xfe\xff"
    decoded = read_text_file(write(tmp_path, bom + text.encode(codec)))
    assert (decoded.text, decoded.encoding) == (text, codec)


@pytest.mark.parametrize("codec", ["gb18030", "gbk"])
def test_every_sample_in_gb_encodings_decodes_exactly_as_gb18030(tmp_path, sample_texts, codec):
    for stem, text in sample_texts.items():
        decoded = read_text_file(write(tmp_path, text.encode(codec), f"{stem}.txt"))
        assert decoded.text == text, stem
        assert decoded.encoding == "gb18030", stem


@pytest.mark.parametrize("codec", ["cp950", "big5hkscs", "big5"])
def test_traditional_speech_in_big5_decodes_exactly(tmp_path, traditional, codec):
    decoded = read_text_file(write(tmp_path, traditional.encode(codec)))
    assert decoded.text == traditional
    assert decoded.encoding in ("cp950", "big5hkscs")


def test_big5_keeps_li_and_qi_which_plain_big5_cannot_decode(tmp_path, traditional):
    text = "在這裏下圍棋,古稱弈,日本稱碁。\n" + traditional[:2000]
    data = text.encode("cp950")
    with pytest.raises(UnicodeDecodeError, match="'big5' codec can't decode"):
        data.decode("big5")  # why we never decode with plain big5
    decoded = read_text_file(write(tmp_path, data))
    assert decoded.text == text
    assert "裏" in decoded.text and "碁" in decoded.text


@pytest.mark.parametrize(("text", "codec"), [("中文", "gb18030"), ("你好世界", "gb18030")])
def test_short_gb_text_is_not_mistaken_for_big5_or_korean(text, codec):
    # charset-normalizer alone calls these Big5 (笢恅) or cp949; the score check overrules it.
    assert decode_bytes(text.encode(codec)).text == text


def test_bom_less_utf16_with_ascii_is_recognised_by_its_nul_bytes():
    text = "2024年1月5日 Wang Ning 講話\n"
    decoded = decode_bytes(text.encode("utf-16-le"))
    assert (decoded.text, decoded.encoding) == (text, "utf-16-le")


# --- newlines ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "style"),
    [
        ("一\r\n二\r\n", "crlf"),
        ("一\r二\r", "cr"),
        ("一\n二\r\n三\r", "mixed"),
        ("一\n二\n", "lf"),
        ("一二", "none"),
    ],
)
def test_crlf_and_lone_cr_become_lf_and_the_style_is_reported(tmp_path, raw, style):
    decoded = read_text_file(write(tmp_path, raw.encode("gb18030")))
    assert decoded.text == raw.replace("\r\n", "\n").replace("\r", "\n")
    assert decoded.newlines == style


def test_normalise_newlines_leaves_other_separators_and_spaces_alone():
    text = "甲\u2028乙\x85丙\t丁\u3000戊\x0c己\r\n庚\r辛"
    assert normalise_newlines(text) == "甲\u2028乙\x85丙\t丁\u3000戊\x0c己\n庚\n辛"


@given(st.text(alphabet=st.sampled_from(list("中國的a \t\r\n。,?")), max_size=60))
def test_utf8_round_trip_changes_only_line_endings(text):
    if not text.strip():
        return
    decoded = decode_bytes(text.encode("utf-8"))
    assert decoded.text == text.replace("\r\n", "\n").replace("\r", "\n")
    assert "\r" not in decoded.text


# --- files that are not text ---------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty file"),
        (b"\xef\xbb\xbf", "empty file"),
        (b" \r\n\t\n", "contains only whitespace"),
        ("\u3000\n \r\n".encode("gb18030"), "contains only whitespace"),
        ("\ufeff  \n".encode("utf-16-le"), "contains only whitespace"),
    ],
)
def test_empty_and_whitespace_only_files_are_unreadable(tmp_path, data, reason):
    with pytest.raises(UnreadableFile) as caught:
        read_text_file(write(tmp_path, data), name="doc.txt")
    assert caught.value.reason == reason
    assert str(caught.value) == f"doc.txt: {reason}"


def test_png_header_with_random_bytes_is_a_binary_file(tmp_path):
    data = b"\x89PNG\r\n\x1a\n" + random.Random(7).randbytes(4096)
    with pytest.raises(UnreadableFile) as caught:
        read_text_file(write(tmp_path, data))
    assert caught.value.reason == "binary file (PNG image)"


def test_zip_archive_is_a_binary_file(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("speech.txt", "中文" * 100)
    with pytest.raises(UnreadableFile) as caught:
        read_text_file(write(tmp_path, buffer.getvalue()))
    assert caught.value.reason == "binary file (ZIP archive (or .docx/.xlsx))"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_bytes_are_a_binary_file(seed):
    data = random.Random(seed).randbytes(5000)
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(data)
    assert caught.value.reason.startswith("binary file")


def test_control_characters_in_valid_utf8_make_a_binary_file():
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(bytes(range(1, 9)) * 50 + "中文".encode())
    assert caught.value.reason == "binary file (control characters)"


def test_bytes_no_chinese_codec_accepts_are_an_unknown_encoding():
    # 0x81 0x20 is an invalid pair in GB18030, cp950 and big5hkscs alike
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(b"\x81\x20" * 100)
    assert caught.value.reason == "unknown encoding (not UTF-8, GB18030 or Big5)"


def test_non_chinese_text_is_left_to_the_detector():
    text = "Les élèves sont allés à l'école, où ils ont étudié."
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


def test_broken_utf16_after_its_bom_is_reported_as_such():
    with pytest.raises(UnreadableFile) as caught:
        decode_bytes(b"\xff\xfe" + "中文".encode("utf-16-le") + b"\x00\xd8")  # lone surrogate
    assert caught.value.reason.startswith("invalid UTF-16-LE text despite its byte-order mark")


# --- big and awkward files -----------------------------------------------------------


@pytest.mark.parametrize(("codec", "chars"), [("utf-8", 750_000), ("gb18030", 1_100_000)])
def test_two_megabyte_file_decodes_exactly(tmp_path, sample_texts, codec, chars):
    text = ("\n".join(sample_texts.values()) * 80)[:chars]
    data = text.encode(codec)
    assert len(data) >= 2_000_000
    decoded = read_text_file(write(tmp_path, data))
    assert decoded.text == text
    assert decoded.encoding == codec


@pytest.mark.parametrize("codec", ["gb18030", "cp950"])
def test_single_line_of_100000_characters_decodes_exactly(tmp_path, traditional, codec):
    line = (traditional.replace("\n", "") * 8)[:100_000]
    decoded = read_text_file(write(tmp_path, line.encode(codec)))
    assert decoded.text == line
    assert decoded.newlines == "none"


def test_detector_sample_cut_inside_a_character_is_retried():
    # 'a' then only two-byte hanzi: every byte < 0x30 is beyond the sample, so the cut
    # at SAMPLE_BYTES falls in the middle of a character and the detector must retry.
    text = "a" + "發展經濟社會" * (encoding.SAMPLE_BYTES // 6)
    data = text.encode("gb18030")
    assert not any(b < 0x30 for b in data[: encoding.SAMPLE_BYTES])
    assert decode_bytes(data).text == text


# --- the fast path and OS errors -----------------------------------------------------


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16-le", "utf-16-be", "gb18030", "cp950"])
def test_decode_known_drops_bom_and_normalises_newlines(codec):
    text = "第一行\r\n第二行\r第三行"
    data = text.encode(codec)
    if codec.startswith("utf-16"):
        data = ("\ufeff" + text).encode(codec)
    assert decode_known(data, codec) == "第一行\n第二行\n第三行"


def test_decode_known_raises_unreadable_when_the_bytes_no_longer_fit():
    with pytest.raises(UnreadableFile, match=r"^<bytes>: no longer decodes as utf-8: "):
        decode_known("中文".encode("gb18030"), "utf-8")


def test_missing_file_and_folder_give_plain_reasons(tmp_path):
    with pytest.raises(UnreadableFile) as missing:
        read_text_file(tmp_path / "gone.txt", name="gone.txt")
    assert missing.value.reason == "file not found (removed while loading?)"
    with pytest.raises(UnreadableFile) as folder:
        read_text_file(tmp_path, name="folder.txt")
    assert folder.value.reason == "is a folder, not a file"


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_file_without_read_permission_is_unreadable(tmp_path):
    path = write(tmp_path, "中文".encode())
    path.chmod(0)
    try:
        with pytest.raises(UnreadableFile) as caught:
            read_text_file(path)
        assert caught.value.reason == "permission denied"
    finally:
        path.chmod(0o644)


def test_utf8_text_with_ansi_escapes_is_text_not_binary():
    """A speech pasted from a coloured terminal must load (and is shown literally)."""
    data = "标题\n[bold]不是粗体[/] 和 \x1b[31m不是红色\x1b[0m 结束\n".encode()
    decoded = decode_bytes(data, name="markup.txt")
    assert decoded.text.count("\x1b") == 2
    assert decoded.encoding == "utf-8"


def test_mostly_control_bytes_are_still_binary_even_if_valid_utf8():
    data = bytes(range(1, 9)) * 50 + "一点中文".encode()
    with pytest.raises(UnreadableFile, match="binary"):
        decode_bytes(data, name="data.bin.txt")
