"""A small hand-built corpus whose every count is known (analysis tests, core and CLI).

Five speeches made of ten-character sentences, so that every offset and length
below can be checked by eye: S = "一二三四五六七八九。" is one sentence, paragraphs
are lines. Metadata spells one speaker in both scripts (郭声琨 / 郭聲琨), leaves
one speech undated and dates one by its year only.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store

S = "一二三四五六七八九。"  # one sentence, 10 characters


def paragraphs(*sentences: int) -> str:
    """Lines of ``n`` sentences each: paragraphs(2, 1) is 2 sentences, newline, 1 sentence."""
    return "\n".join(S * n for n in sentences)


# doc id -> (text, metadata row)
DOCS: dict[str, tuple[str, dict[str, str]]] = {
    "a": (paragraphs(2, 2), {"date": "2015-03-01", "speaker": "郭声琨", "place": "广西"}),
    "b": (paragraphs(4, 4), {"date": "2016-05-02", "speaker": "郭聲琨", "place": "廣西"}),
    "c": (paragraphs(3), {"date": "2016-07-01", "speaker": "李俊", "place": "四川"}),
    "d": (paragraphs(1, 1), {"date": "", "speaker": "李俊", "place": "四川"}),
    "e": (paragraphs(5), {"date": "2017", "speaker": "王宁", "place": ""}),
}
LENGTHS = {doc: len(text) for doc, (text, _) in DOCS.items()}  # a 41, b 81, c 30, d 21, e 50


def write_corpus(root: Path, docs: dict[str, tuple[str, dict[str, str]]] = DOCS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    lines = ["file,date,speaker,place"]
    for doc, (text, meta) in docs.items():
        (root / f"{doc}.txt").write_text(text, encoding="utf-8")
        lines.append(f"{doc}.txt,{meta['date']},{meta['speaker']},{meta['place']}")
    (root / "metadata.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@dataclass
class Built:
    corpus: Corpus
    store: Store

    def code(self, doc: str, start: int, end: int, *tags: str, coder: str = "amy"):
        return self.store.add(
            doc, start, end, text=self.corpus.text(doc),
            doc_hash=self.corpus.get(doc).content_hash, tags=list(tags), coder=coder,
        )  # fmt: skip

    def code_many(self, *passages: tuple) -> list:
        """Many passages in one write: ``(doc, start, end, tags[, coder])`` each."""
        items = []
        for doc, start, end, tags, *coder in passages:
            items.append(
                {"doc_id": doc, "start": start, "end": end, "text": self.corpus.text(doc),
                 "doc_hash": self.corpus.get(doc).content_hash, "tags": list(tags),
                 "coder": coder[0] if coder else "amy"}
            )  # fmt: skip
        return self.store.add_many(items)
