"""The listing cache: a second load decodes nothing; any change or damage is noticed."""

from __future__ import annotations

import importlib.metadata
import json
import shutil
from pathlib import Path

import pytest

from speechreader.core import paths
from speechreader.core.corpus import Corpus, Skipped, _listing_cache
from speechreader.core.corpus._listing_cache import (
    COLUMNS,
    FINGERPRINT_SOURCES,
    Listing,
    cache_path,
)
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


def read_listing(path: Path) -> dict:
    """The cache file as a dict: its stamp and each column by name (one JSON per line)."""
    lines = path.read_text("utf-8").rstrip("\n").split("\n")
    assert len(lines) == 1 + len(COLUMNS)
    return {"stamp": json.loads(lines[0])["stamp"]} | dict(
        zip(COLUMNS, map(json.loads, lines[1:]), strict=True)
    )


def write_listing(path: Path, data: dict) -> None:
    """Write back what :func:`read_listing` gave (json escapes a lone surrogate)."""
    lines = [json.dumps({"stamp": data["stamp"]})] + [json.dumps(data[n]) for n in COLUMNS]
    path.write_text("\n".join(lines) + "\n", "utf-8")


def test_second_load_decodes_nothing(sample_corpus, decode_calls):
    first = Corpus.load(sample_corpus)
    assert sorted(decode_calls) == sorted([f"{i}.txt" for i in SAMPLE_IDS] + ["metadata.csv"])
    decode_calls.clear()
    second = Corpus.load(sample_corpus)
    assert decode_calls == []  # metadata.csv too: the copied file is settled, so cached
    assert [d.to_json() for d in second] == [d.to_json() for d in first]
    assert [d.base_script for d in second] == [d.base_script for d in first]


def test_cache_file_is_in_the_corpus_cache_dir_with_version_and_opencc(sample_corpus):
    Corpus.load(sample_corpus)
    path = cache_path(sample_corpus)
    assert path == paths.corpus_cache_dir(sample_corpus) / "listing.json"
    data = read_listing(path)
    assert isinstance(data["stamp"]["version"], int)  # one of another version: next test
    assert data["stamp"]["opencc"] == importlib.metadata.version("opencc")
    row = data["paths"].index(f"{LI}.txt")
    st = (sample_corpus / f"{LI}.txt").stat()
    assert (data["size"][row], data["mtime_ns"][row]) == (st.st_size, st.st_mtime_ns)
    assert (
        data["title_line"][row]
        == "敢于担当 主动作为 当好西昌科学发展的“排头兵” 在西郊片区工作汇报会上的讲话"
    )
    assert "metadata" not in data


def test_changed_file_size_is_decoded_again(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    path = sample_corpus / f"{LU}.txt"
    path.write_text(path.read_text("utf-8") + "補充一句。", "utf-8")
    decode_calls.clear()
    corpus = Corpus.load(sample_corpus)
    assert decode_calls == [f"{LU}.txt"]
    assert corpus.get(LU).chars == 2834 + 5


def test_touched_file_with_same_size_is_decoded_again(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    bump_mtime(sample_corpus / f"{LI}.txt")
    decode_calls.clear()
    Corpus.load(sample_corpus)
    assert decode_calls == [f"{LI}.txt"]


def test_corrupt_cache_is_rebuilt_silently(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    cache_path(sample_corpus).write_bytes(b'{"stamp": {"vers')
    decode_calls.clear()
    corpus = Corpus.load(sample_corpus)
    assert len(corpus) == 5
    assert sorted(set(decode_calls) - {"metadata.csv"}) == [f"{i}.txt" for i in sorted(SAMPLE_IDS)]
    listed = read_listing(cache_path(sample_corpus))["paths"]
    assert listed == sorted(f"{doc_id}.txt" for doc_id in SAMPLE_IDS)


def test_cache_of_another_cache_version_is_not_used(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    data = read_listing(cache_path(sample_corpus))
    data["stamp"]["version"] += 1
    write_listing(cache_path(sample_corpus), data)
    decode_calls.clear()
    Corpus.load(sample_corpus)
    assert sorted(set(decode_calls) - {"metadata.csv"}) == [f"{i}.txt" for i in sorted(SAMPLE_IDS)]


def test_cache_from_another_opencc_version_is_not_used(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    data = read_listing(cache_path(sample_corpus))
    data["stamp"]["opencc"] = "0.0.1"
    write_listing(cache_path(sample_corpus), data)
    decode_calls.clear()
    Corpus.load(sample_corpus)
    assert sorted(set(decode_calls) - {"metadata.csv"}) == [f"{i}.txt" for i in sorted(SAMPLE_IDS)]


def test_malformed_cache_entry_is_redone_alone(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    data = read_listing(cache_path(sample_corpus))
    data["chars"][data["paths"].index(f"{WANG}.txt")] = "many"
    write_listing(cache_path(sample_corpus), data)
    decode_calls.clear()
    assert Corpus.load(sample_corpus).get(WANG).chars == 2073
    assert decode_calls == [f"{WANG}.txt"]


def test_undecodable_files_are_remembered_by_the_cache(tmp_path, decode_calls):
    put(tmp_path, "good.txt", "正文。")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    Corpus.load(tmp_path)
    decode_calls.clear()
    corpus = Corpus.load(tmp_path)
    assert decode_calls == []
    assert corpus.skipped == [Skipped("image.txt", "binary file (PNG image)")]


def test_deleted_file_leaves_the_listing_and_the_cache(sample_corpus):
    Corpus.load(sample_corpus)
    (sample_corpus / f"{LI}.txt").unlink()
    corpus = Corpus.load(sample_corpus)
    assert LI not in corpus
    assert f"{LI}.txt" not in read_listing(cache_path(sample_corpus))["paths"]


def test_use_cache_false_decodes_every_file(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    decode_calls.clear()
    Corpus.load(sample_corpus, use_cache=False)
    assert sorted(set(decode_calls) - {"metadata.csv"}) == [f"{i}.txt" for i in sorted(SAMPLE_IDS)]


def test_unwritable_cache_folder_does_not_stop_loading(sample_corpus, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("SPEECHREADER_CACHE_DIR", str(blocker))
    assert len(Corpus.load(sample_corpus)) == 5


def test_text_uses_the_cached_encoding_without_detecting(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    corpus = Corpus.load(sample_corpus)
    decode_calls.clear()
    text = corpus.text(CADRES)
    assert decode_calls == []
    assert len(text) == 15845


def test_corpus_copied_elsewhere_gets_its_own_cache(sample_corpus, tmp_path, decode_calls):
    Corpus.load(sample_corpus)
    copy = shutil.copytree(sample_corpus, tmp_path / "copy")
    decode_calls.clear()
    Corpus.load(copy)
    assert sorted(set(decode_calls) - {"metadata.csv"}) == [f"{i}.txt" for i in sorted(SAMPLE_IDS)]


def test_the_cache_fingerprint_covers_files_that_exist_and_decide_an_entry():
    """Every source named in the fingerprint is there (a moved module must not drop out
    of it silently, leaving stale listings), and the modules that analyse a file are among them."""
    core = Path(_listing_cache.__file__).resolve().parent.parent
    for name in FINGERPRINT_SOURCES:
        assert (core / name).is_file(), name
    analysing = {"text/_encoding.py", "text/_problems.py", "corpus/_files.py", "corpus/_titles.py"}
    assert analysing <= set(FINGERPRINT_SOURCES)


def test_a_listing_with_a_lone_surrogate_is_still_read(tmp_path):
    put(tmp_path, "a.txt", "发展是第一要务。")
    Corpus.load(tmp_path)
    path = cache_path(tmp_path)
    data = read_listing(path)
    for name, column in data.items():  # a second row, a copy of the first
        if name != "stamp":
            (column["codes"] if isinstance(column, dict) else column).append(
                (column["codes"] if isinstance(column, dict) else column)[0]
            )
    data["paths"][1] = "\udcff.txt"
    write_listing(path, data)  # json escapes it; orjson refuses it
    listing = _listing_cache.read_cache(tmp_path)
    assert listing.paths == ["a.txt", "\udcff.txt"]
    assert listing.entry(0) == listing.entry(1)
    assert listing.entry(0)["chars"] == 8


def test_a_listing_with_a_lone_surrogate_is_written_and_read_back(tmp_path):
    entry = {"size": 1, "mtime_ns": 2, "skipped": "file name is not UTF-8"}
    listing = Listing.from_entries([("\udcff.txt", entry), ("a.txt", dict(entry))])
    _listing_cache.write_cache(tmp_path, listing)
    back = _listing_cache.read_cache(tmp_path)
    assert back.paths == ["\udcff.txt", "a.txt"]
    assert [back.entry(0), back.entry(1)] == [entry, entry]


# --- the columns ---------------------------------------------------------------------


def test_a_warm_load_gives_the_documents_of_a_cold_one(sample_corpus):
    cold = Corpus.load(sample_corpus)
    warm = Corpus.load(sample_corpus)
    assert warm.documents == cold.documents
    assert [d.problems for d in warm] == [d.problems for d in cold]
    guo = warm.get(GUO).problems  # from the listing's JSON text, made when asked for
    assert guo and all(p.kind and p.count > 0 for p in guo)
    assert [warm.file_stat(d.id) for d in warm] == [cold.file_stat(d.id) for d in cold]
    st = (sample_corpus / f"{LI}.txt").stat()
    assert warm.file_stat(LI) == (st.st_size, st.st_mtime_ns)


def test_encodings_and_scripts_are_one_string_each_across_documents(tmp_path):
    for i in range(3):
        put(tmp_path, f"d{i}.txt", f"第{i}篇讲话。", codec="gb18030")
    Corpus.load(tmp_path)
    data = read_listing(cache_path(tmp_path))
    assert data["encoding"] == {"values": ["gb18030"], "codes": [0, 0, 0]}
    docs = Corpus.load(tmp_path).documents
    assert {id(d.encoding) for d in docs} == {id(docs[0].encoding)}
    assert [d.encoding for d in docs] == ["gb18030"] * 3


def test_a_code_outside_its_table_spoils_the_whole_cache(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    data = read_listing(cache_path(sample_corpus))
    data["script"]["codes"][0] = len(data["script"]["values"])
    write_listing(cache_path(sample_corpus), data)
    assert _listing_cache.read_cache(sample_corpus) is None
    decode_calls.clear()
    Corpus.load(sample_corpus)
    assert sorted(set(decode_calls) - {"metadata.csv"}) == [f"{i}.txt" for i in sorted(SAMPLE_IDS)]


def test_columns_of_different_lengths_are_no_cache(sample_corpus):
    Corpus.load(sample_corpus)
    data = read_listing(cache_path(sample_corpus))
    data["chars"].pop()
    write_listing(cache_path(sample_corpus), data)
    assert _listing_cache.read_cache(sample_corpus) is None


def test_a_problems_text_of_the_wrong_type_is_redone_alone(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    data = read_listing(cache_path(sample_corpus))
    row = data["paths"].index(f"{GUO}.txt")
    real = json.loads(data["problems"][row])
    assert real  # the Guangxi speech has problems (see test_corpus)
    data["problems"][row] = real  # a list, not its text
    write_listing(cache_path(sample_corpus), data)
    decode_calls.clear()
    corpus = Corpus.load(sample_corpus)
    assert decode_calls == [f"{GUO}.txt"]
    assert [p.to_json() for p in corpus.get(GUO).problems] == real


def test_a_deleted_file_is_noticed_with_the_others_unchanged(sample_corpus, decode_calls):
    Corpus.load(sample_corpus)
    (sample_corpus / f"{WANG}.txt").unlink()
    decode_calls.clear()
    corpus = Corpus.load(sample_corpus)
    assert decode_calls == []
    assert [d.id for d in corpus] == sorted(set(SAMPLE_IDS) - {WANG})
    listed = read_listing(cache_path(sample_corpus))["paths"]
    assert listed == sorted(f"{i}.txt" for i in SAMPLE_IDS if i != WANG)


def test_a_path_other_than_the_id_and_txt_is_kept(tmp_path):
    put(tmp_path, "sub/Upper.TXT", "第一篇讲话。")
    put(tmp_path, "lower.txt", "第二篇讲话。")
    for corpus in (Corpus.load(tmp_path), Corpus.load(tmp_path)):
        assert [(d.id, d.path) for d in corpus] == [
            ("lower", "lower.txt"),
            ("sub/Upper", "sub/Upper.TXT"),
        ]


class Interrupted(Exception):
    pass


def test_an_interrupted_first_load_keeps_what_it_analysed_and_the_rest_of_the_old_cache(
    tmp_path, monkeypatch, decode_calls
):
    """Checkpoints: a first load of a big corpus stopped half-way (a killed terminal)
    does not lose the files it got through, nor the old cache's rows of the others."""
    from speechreader.core.corpus import _corpus

    names = [f"d{i:02d}.txt" for i in range(30)]
    for i, name in enumerate(names):
        put(tmp_path, name, f"第{i}篇讲话。" * (i + 1))
    Corpus.load(tmp_path)
    for name in names[:20]:  # changed: analysed again, in path order
        put(tmp_path, name, "改过的讲话。" + (tmp_path / name).read_text("utf-8"))
        bump_mtime(tmp_path / name)
    monkeypatch.setattr(_corpus, "CHECKPOINT_SECONDS", 0.0)  # a checkpoint after each

    def stop_after_twelve(done: int, total: int) -> None:
        if done == 12:
            raise Interrupted

    decode_calls.clear()
    with pytest.raises(Interrupted):
        Corpus.load(tmp_path, progress=stop_after_twelve)
    assert decode_calls[:12] == names[:12]
    kept = read_listing(cache_path(tmp_path))
    assert sorted(kept["paths"]) == names  # nothing dropped
    decode_calls.clear()
    finished = Corpus.load(tmp_path)
    redone = set(decode_calls) - {"metadata.csv"}
    # what the last checkpoint held is not analysed again (the first file at least, the
    # checkpoints' spacing depends on how long they take); the unchanged files never
    assert redone <= set(names[1:20])
    fresh = Corpus.load(tmp_path, use_cache=False)
    assert [d.to_json() for d in finished] == [d.to_json() for d in fresh]
