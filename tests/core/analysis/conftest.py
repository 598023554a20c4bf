"""The hand-built corpus of :mod:`tests.analysis_helpers`, with a database beside it."""

from __future__ import annotations

import pytest

from speechreader.core.corpus import Corpus
from speechreader.core.store import Store
from tests.analysis_helpers import Built, write_corpus


@pytest.fixture
def built(tmp_path) -> Built:
    corpus = Corpus.load(write_corpus(tmp_path / "corpus"))
    with Store(tmp_path / "db.srdb", coder="amy") as store:
        yield Built(corpus, store)
