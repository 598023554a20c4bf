"""The command line's `delete` takes the ids it is given, whoever coded them.

The reader changes only the coder's own annotations (tests/tui/test_ownership.py);
`delete ID` names its annotations on purpose, and it did so before: a contract.
"""

from __future__ import annotations

from speechreader.core.store import Store
from tests.corpus_helpers import LI


def test_delete_by_id_works_on_another_coders_annotation(run, tmp_path, sample_texts):
    db = tmp_path / "team.srdb"
    with Store(db, coder="amy") as amy:
        ann = amy.add(LI, 0, 10, text=sample_texts[LI], doc_hash="", tags=["economy"])
    result = run("delete", ann.id, "--db", db)  # as the configured coder, "tester"
    assert (result.code, result.out) == (0, "deleted 1 annotation\n")
    with Store(db, readonly=True) as store:
        assert list(store.all()) == []
