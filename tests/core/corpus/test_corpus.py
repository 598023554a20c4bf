"""Loading a corpus: documents, titles, skipped files, metadata, progress and text.

The listing cache has its own tests in test_listing_cache.py beside this one.
"""

from __future__ import annotations

import hashlib
import os

import pytest

from speechreader.core.corpus import Corpus, Skipped
from speechreader.core.corpus._titles import title_from_text
from speechreader.core.errors import CorpusNotFound, UnknownDocument
from tests.corpus_helpers import (
    CADRES,
    GUO,
    LI,
    LU,
    SAMPLE_IDS,
    WANG,
    bump_mtime,
    count_decodes,
    put,
)


@pytest.fixture
def decode_calls(monkeypatch) -> list[str]:
    return count_decodes(monkeypatch)


# --- the sample corpus ---------------------------------------------------------------


def test_sample_corpus_lists_five_documents_sorted_by_id(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    assert [d.id for d in corpus] == SAMPLE_IDS
    assert corpus.skipped == []
    assert corpus.warnings == []
    assert corpus.metadata_columns == [
        "title", "date", "speaker", "office", "place", "source", "seed_file"
    ]  # fmt: skip


def test_sample_scripts_and_base_scripts(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    assert {d.id: (d.script, d.base_script) for d in corpus} == {
        GUO: ("mixed", "traditional"),
        LI: ("simplified", "simplified"),
        LU: ("simplified", "simplified"),
        WANG: ("mixed", "traditional"),
        CADRES: ("traditional", "traditional"),
    }


def test_sample_titles_come_from_metadata(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    assert corpus.get(CADRES).title == "三級幹部大會發言大綱"
    assert corpus.get(WANG).title == "王寧主持召開州(市)黨委書記座談會:書記該怎麼當"
    assert corpus.get(WANG).metadata["seed_file"] == "003_e544a0b85fdcd8d7.txt"


def test_sample_problems_are_listed(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    listed = {d.id: {p.kind: p.count for p in d.problems} for d in corpus}
    assert listed == {
        GUO: {"pinyin_gloss": 97, "mojibake": 4, "simplified_residue": 19},
        LI: {},
        LU: {},
        WANG: {
            "pinyin_gloss": 41,
            "doubled_punctuation": 93,
            "lost_characters": 2,
            "simplified_residue": 25,
        },
        CADRES: {"phrase_overconversion": 18},  # with the fixed phrases' wrong forms
    }


def test_chars_and_content_hash_describe_the_decoded_text(sample_corpus, sample_texts):
    corpus = Corpus.load(sample_corpus)
    for doc in corpus:
        text = corpus.text(doc.id)
        assert text == sample_texts[doc.id]
        assert doc.chars == len(text)
        expected = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
        assert doc.content_hash == expected


def test_to_json_has_the_listing_fields(sample_corpus):
    data = Corpus.load(sample_corpus).get(LU).to_json()
    assert list(data) == [
        "id",
        "title",
        "path",
        "encoding",
        "script",
        "chars",
        "problems",
        "metadata",
    ]
    assert (data["path"], data["encoding"], data["chars"]) == (f"{LU}.txt", "utf-8", 2834)


# --- titles --------------------------------------------------------------------------


def test_titles_without_metadata_come_from_a_short_first_line_else_the_file_name(sample_corpus):
    (sample_corpus / "metadata.csv").unlink()
    titles = {d.id: d.title for d in Corpus.load(sample_corpus)}
    assert titles == {
        GUO: GUO,  # first line is a 700-character paragraph
        LI: "敢于担当 主动作为 当好西昌科学发展的“排头兵” 在西郊片区工作汇报会上的讲话",
        LU: LU,
        WANG: WANG,
        CADRES: "三級幹部大會發言大綱",
    }


def test_title_rule_boundaries():
    assert title_from_text("\n\n  標題  \n正文") == "標題"
    assert title_from_text("字" * 60 + "\n") == "字" * 60
    assert title_from_text("字" * 61 + "\n短行") is None
    assert title_from_text("同志們:\n今天") is None
    assert title_from_text("  \n") is None


# --- files and folders ---------------------------------------------------------------


def test_every_encoding_loads_and_reads_back_exactly(tmp_path, sample_texts):
    simplified, traditional = sample_texts[LU], sample_texts[CADRES].replace("‰", "")
    cases = {
        "utf8": (simplified, "utf-8", "\n", "utf-8"),
        "bom": (simplified, "utf-8-sig", "\n", "utf-8-sig"),
        "le": (traditional, "utf-16-le", "\n", "utf-16-le"),
        "be": (traditional, "utf-16-be", "\n", "utf-16-be"),
        "gb": (simplified, "gb18030", "\n", "gb18030"),
        "gbk": (traditional, "gbk", "\n", "gb18030"),
        "big5": (traditional, "cp950", "\n", "cp950"),
        "crlf": (simplified, "utf-8", "\r\n", "utf-8"),
        "cr": (traditional, "gb18030", "\r", "gb18030"),
    }
    for name, (text, codec, newline, _) in cases.items():
        put(tmp_path, f"{name}.txt", text, codec, newline)
    corpus = Corpus.load(tmp_path)
    assert {d.id: d.encoding for d in corpus} == {n: c[3] for n, c in cases.items()}
    for name, (text, *_rest) in cases.items():
        assert corpus.text(name) == text, name


def test_nested_folders_give_posix_ids_without_the_extension(tmp_path):
    put(tmp_path, "2019/guangxi/lu.txt", "鹿心社講話。")
    put(tmp_path, "Upper.TXT", "大寫擴展名。")
    corpus = Corpus.load(tmp_path)
    assert [(d.id, d.path) for d in corpus] == [
        ("2019/guangxi/lu", "2019/guangxi/lu.txt"),
        ("Upper", "Upper.TXT"),
    ]
    assert corpus.get("2019/guangxi/lu").title == "lu"  # its one line is a sentence, not a title


def test_hidden_files_hidden_folders_and_other_extensions_are_ignored(tmp_path):
    put(tmp_path, "kept.txt", "正文。")
    for rel in (".hidden.txt", ".git/x.txt", "sub/.cache/y.txt", "notes.md", "speech.txt.bak"):
        put(tmp_path, rel, "不應列出。")
    corpus = Corpus.load(tmp_path)
    assert [d.id for d in corpus] == ["kept"]
    assert corpus.skipped == []


def test_unreadable_files_are_skipped_with_reasons_and_the_rest_loads(tmp_path):
    put(tmp_path, "good.txt", "正文。")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_bytes(b" \r\n\t")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(500))
    (tmp_path / "archive.txt").write_bytes(b"PK\x03\x04" + os.urandom(500))
    corpus = Corpus.load(tmp_path)
    assert [d.id for d in corpus] == ["good"]
    assert corpus.skipped == [
        Skipped("archive.txt", "binary file (ZIP archive (or .docx/.xlsx))"),
        Skipped("blank.txt", "contains only whitespace"),
        Skipped("empty.txt", "empty file"),
        Skipped("image.txt", "binary file (PNG image)"),
    ]


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_file_without_read_permission_is_skipped(tmp_path):
    put(tmp_path, "good.txt", "正文。")
    locked = put(tmp_path, "locked.txt", "鎖住。")
    locked.chmod(0)
    try:
        corpus = Corpus.load(tmp_path)
    finally:
        locked.chmod(0o644)
    assert corpus.skipped == [Skipped("locked.txt", "permission denied")]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_broken_symbolic_link_is_skipped(tmp_path):
    put(tmp_path, "good.txt", "正文。")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "gone.txt")
    assert Corpus.load(tmp_path).skipped == [Skipped("dangling.txt", "broken symbolic link")]


@pytest.mark.skipif(os.name != "posix", reason="symbolic links")
def test_symlinked_folder_loop_is_listed_once(tmp_path):
    put(tmp_path, "sub/a.txt", "正文。")
    (tmp_path / "sub" / "loop").symlink_to(tmp_path)
    assert [d.id for d in Corpus.load(tmp_path)] == ["sub/a"]


def test_same_id_from_two_extension_cases_keeps_the_first(tmp_path):
    put(tmp_path, "a.txt", "小寫。")
    put(tmp_path, "a.TXT", "大寫。")
    corpus = Corpus.load(tmp_path)
    assert [d.path for d in corpus] == ["a.TXT"]
    assert corpus.skipped == [Skipped("a.txt", "same document id as a.TXT")]


def test_big_file_and_long_single_line_load(tmp_path, sample_texts):
    big = ("\n".join(sample_texts.values()) * 80)[:750_000]
    line = sample_texts[CADRES].replace("\n", "")[:15_000] * 7
    put(tmp_path, "big.txt", big, "gb18030")
    put(tmp_path, "line.txt", line[:100_000])
    corpus = Corpus.load(tmp_path)
    assert (corpus.get("big").chars, corpus.get("big").encoding) == (750_000, "gb18030")
    assert corpus.get("line").chars == 100_000
    assert corpus.get("line").title == "line"


def test_missing_folder_raises_corpus_not_found(tmp_path):
    with pytest.raises(CorpusNotFound, match=r"corpus folder not found: .*nowhere"):
        Corpus.load(tmp_path / "nowhere")


def test_file_instead_of_folder_raises_corpus_not_found(tmp_path):
    path = put(tmp_path, "speech.txt", "正文。")
    with pytest.raises(CorpusNotFound, match=r"not a folder: .*speech\.txt"):
        Corpus.load(path)


# --- metadata merge ------------------------------------------------------------------


def test_metadata_extra_columns_and_unknown_files(tmp_path):
    put(tmp_path, "sub/a.txt", "甲文。")
    put(tmp_path, "b.txt", "乙文。")
    (tmp_path / "metadata.csv").write_text(
        "file,title,level,speaker\nsub/a,甲的標題,省,甲\nmissing.txt,無,縣,丙\n", encoding="utf-8"
    )
    corpus = Corpus.load(tmp_path)
    assert corpus.metadata_columns == ["title", "speaker", "level"]
    assert corpus.get("sub/a").metadata == {"title": "甲的標題", "level": "省", "speaker": "甲"}
    assert corpus.get("sub/a").title == "甲的標題"
    assert corpus.get("b").metadata == {}
    assert corpus.warnings == ["metadata.csv: 1 row names no file in the corpus: missing.txt"]


def test_metadata_edits_show_without_decoding_again(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    decode_calls.clear()
    csv_path = sample_corpus / "metadata.csv"
    csv_path.write_text(
        csv_path.read_text("utf-8").replace("三級幹部大會發言大綱", "新標題"), "utf-8"
    )
    corpus = Corpus.load(sample_corpus)
    assert corpus.get(CADRES).title == "新標題"
    assert decode_calls == ["metadata.csv"]


# --- progress ------------------------------------------------------------------------


def test_progress_reports_every_file_of_a_small_corpus(sample_corpus):
    calls: list[tuple[int, int]] = []
    Corpus.load(sample_corpus, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 5), (1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]


def test_progress_on_a_larger_corpus_is_coarse_and_ends_at_the_total(tmp_path):
    for i in range(250):
        put(tmp_path, f"d{i:03d}.txt", f"第{i}篇。")
    calls: list[tuple[int, int]] = []
    Corpus.load(tmp_path, progress=lambda done, total: calls.append((done, total)))
    assert calls[0] == (0, 250) and calls[-1] == (250, 250)
    assert len(calls) == 126  # (0, 250), then every 2nd file: about 100 reports, not 250
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# --- getting documents and their text ------------------------------------------------


def test_unknown_document_names_the_id_and_suggests_close_matches(sample_corpus):
    corpus = Corpus.load(sample_corpus)
    with pytest.raises(UnknownDocument) as caught:
        corpus.get("2024-01-05_wang-ning_yunan")
    assert "'2024-01-05_wang-ning_yunan'" in str(caught.value)
    assert str(caught.value).endswith("did you mean: 2024-01-05_wang-ning_yunnan?")
    with pytest.raises(UnknownDocument, match="did you mean: 2011-12-06_guo-shengkun_guangxi"):
        corpus.get("guo-shengkun")
    with pytest.raises(UnknownDocument, match=r"no document 'zzz' in .*corpus$"):
        corpus.get("zzz")


def test_text_of_a_file_changed_after_loading_is_new_and_refreshes_its_info(tmp_path):
    path = put(tmp_path, "a.txt", "舊標題\n舊的正文。", "gb18030")
    corpus = Corpus.load(tmp_path)
    old_hash = corpus.get("a").content_hash
    put(tmp_path, "a.txt", "新標題\n新的正文,長一點。", "utf-8")
    bump_mtime(path)
    assert corpus.text("a") == "新標題\n新的正文,長一點。"
    info = corpus.get("a")
    assert (info.title, info.encoding, info.chars) == ("新標題", "utf-8", 13)
    assert info.content_hash != old_hash


def test_document_bundles_info_and_text(sample_corpus, sample_texts):
    doc = Corpus.load(sample_corpus).document(LI)
    assert (doc.id, doc.text) == (LI, sample_texts[LI])


def test_a_big_first_load_on_worker_processes_lists_what_one_process_lists(
    tmp_path, sample_texts, monkeypatch
):
    from speechreader.core.corpus import _files

    texts = list(sample_texts.values())
    n = 210  # past the 200 files from which a first load uses worker processes
    for i in range(n):
        put(tmp_path, f"d{i // 50}/s{i:04d}.txt", texts[i % len(texts)][: 200 + i])
    put(tmp_path, "d0/binary.txt", "x").write_bytes(b"\x00\x01" * 50)
    parallel = Corpus.load(tmp_path, use_cache=False)
    monkeypatch.setattr(_files, "PARALLEL_MIN_FILES", 10**9)  # now: one process
    alone = Corpus.load(tmp_path, use_cache=False)
    assert len(alone) == n
    assert [d.to_json() for d in parallel] == [d.to_json() for d in alone]
    binary = [Skipped("d0/binary.txt", "binary file (contains NUL bytes)")]
    assert parallel.skipped == alone.skipped == binary
