"""The word table counts words in the simplified form the reader, search and
segmentation use: 著 in a traditional text read as tw2s reads it (隨著 is 随着, 著力 is
着力), 著 in a simplified text left alone (著名), and a cache built before stays unread."""

from __future__ import annotations

import orjson

from speechreader.core.analysis import WordTable, document_keyness, load_coding
from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from tests.analysis_helpers import write_corpus

# 繁: a Taiwan-style speech, 著 the particle (隨著, 著力; tw2s gives 随着, 着力)
# 简: a simplified speech, 著 is zhù (著名), and 随着, 着力 written as such
DOCS = {
    "fan": (
        "隨著時代發展，我們著力推進改革，著力改善民生。",
        {"date": "2018", "speaker": "甲", "place": ""},
    ),
    "jian": ("随着发展，著名学者着力研究。", {"date": "2019", "speaker": "乙", "place": ""}),
}


def words(table: WordTable, corpus: Corpus, doc: str) -> list[str]:
    return [table.vocab[i] for i in table.tokens_of(corpus.get(doc))]


def test_zhe_is_counted_in_the_form_the_reader_and_search_use(tmp_path):
    corpus = Corpus.load(write_corpus(tmp_path / "corpus", DOCS))
    assert corpus.get("fan").base_script == "traditional"
    assert corpus.get("jian").base_script == "simplified"
    table = WordTable.open(corpus)
    fan, jian = words(table, corpus, "fan"), words(table, corpus, "jian")
    assert "".join(fan) == "随着时代发展，我们着力推进改革，着力改善民生。"  # tw2s, by hand
    assert fan.count("随着") == 1 and fan.count("着力") == 2
    assert not any("著" in word for word in fan)
    assert "著名" in jian and "着名" not in jian  # zhù stays zhù in a simplified text
    assert "".join(jian) == DOCS["jian"][0]
    # one word across the scripts: 隨著 (繁) and 随着 (简) have one id, so have the 着力
    assert table.vocab.count("随着") == 1 and table.vocab.count("着力") == 1
    assert "随著" not in table.vocab and "著力" not in table.vocab


def test_keyness_counts_zhuoli_in_both_scripts_as_one_word(tmp_path):
    corpus = Corpus.load(write_corpus(tmp_path / "corpus", DOCS))
    with Store(tmp_path / "db.srdb", coder="amy") as store:
        coding = load_coding(corpus, store)
        result = document_keyness(coding, WordTable.open(corpus), ["fan"], min_freq=1)
    counts = {w.word: (w.observed, w.reference) for w in result.words}
    # 繁: 随着 时代 发展 我们 着力 推进改革 着力 改善 民生 (9 words); 简: 随着 发展 著名
    # 学者 着力 研究 (6). 着力 2 against 1 (著力 and 着力 are one word), 改善 1 against 0;
    # 随着 is a stop word (stopwords-iso), counted in the totals but never listed
    assert (result.target_words, result.reference_words) == (9, 6)
    assert counts["着力"] == (2, 1)
    assert counts["改善"] == (1, 0)
    assert "著力" not in counts and "随着" not in counts


def test_a_table_cached_before_the_fold_is_not_read(tmp_path):
    corpus = Corpus.load(write_corpus(tmp_path / "corpus", DOCS))
    table = WordTable.open(corpus)
    raw = table.path.read_bytes()
    magic = raw[: raw.index(b"\n") + 1]
    size = int.from_bytes(raw[len(magic) : len(magic) + 8], "little")
    head = orjson.loads(raw[len(magic) + 8 : len(magic) + 8 + size])
    # the same file as the previous version wrote it (format 1), its words as it
    # counted them: 随着 spelled 随著
    head["format"] = 1
    head["vocab"] = ["随著" if word == "随着" else word for word in head["vocab"]]
    data = orjson.dumps(head)
    rest = raw[len(magic) + 8 + size :]
    table.path.write_bytes(magic + len(data).to_bytes(8, "little") + data + rest)
    assert WordTable.cached(corpus).entries == {}  # stale: not read
    again = WordTable.open(corpus)
    assert "随著" not in again.vocab and words(again, corpus, "fan").count("随着") == 1
