"""The store's tests share a real database folder with one coder and a real speech."""

from __future__ import annotations

from pathlib import Path

import pytest

from speechreader.core.store import Annotation, Store

DOC = "2019-06-27_lu-xinshe_guangxi"
QUOTE = "筑牢信仰之基、补足精神之钙"


@pytest.fixture
def text(sample_texts) -> str:
    return sample_texts[DOC]


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "study.srdb"


@pytest.fixture
def store(db):
    with Store(db, coder="alice") as opened:
        yield opened


def add_quote(store: Store, text: str, quote: str = QUOTE, **kw) -> Annotation:
    start = text.index(quote)
    return store.add(DOC, start, start + len(quote), text=text, doc_hash="sha:1", **kw)
