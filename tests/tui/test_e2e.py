"""End to end: the installed ``speechreader`` in a real terminal (tmux), then its CSV export.

A person opens the Xichang speech, selects a sentence with the keys, tags it, quits;
``speechreader export`` must then have that row. Driven by ../shared/tools/tui-drive.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import SHARED

TUI_DRIVE = SHARED / "tools" / "tui-drive"
EXE = Path(sys.executable).with_name("speechreader")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not TUI_DRIVE.exists(), reason="needs ../shared/tools/tui-drive"),
    pytest.mark.skipif(not EXE.exists(), reason="needs the installed speechreader script"),
]

STEPS = """\
expect 李俊
key Down
key Enter
expect 主力军
key )
key )
key s
wait 0.3
key t
expect Tag the selection
type 领导讲话
wait 0.3
key Enter
expect Tagged 领导讲话
snap
key q
"""


def test_tag_a_sentence_in_a_real_terminal_then_export_it(sample_corpus, tmp_path):
    db = tmp_path / "e2e.srdb"
    env_args = []
    for name in ("SPEECHREADER_CACHE_DIR", "SPEECHREADER_DATA_DIR", "SPEECHREADER_CONFIG_DIR",
                 "SPEECHREADER_CODER"):  # fmt: skip
        env_args += ["--env", f"{name}={os.environ[name]}"]
    drive = subprocess.run(
        [sys.executable, str(TUI_DRIVE), "--size", "120x40", "--timeout", "20", *env_args,
         "--", str(EXE), "open", str(sample_corpus), "--db", str(db)],
        input=STEPS, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert drive.returncode == 0, drive.stdout + drive.stderr
    assert "中共西昌市委书记李俊" in drive.stdout
    assert "Traceback" not in drive.stdout

    out = tmp_path / "coded.csv"
    export = subprocess.run(
        [str(EXE), "export", "-o", str(out), "--corpus", str(sample_corpus), "--db", str(db)],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert export.returncode == 0, export.stderr
    with open(out, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    row = rows[0]
    assert row["doc_id"] == "2018-06-07_li-jun_xichang"
    assert (row["start"], row["end"]) == ("68", "78")
    assert row["tag"] == "领导讲话"
    assert row["passage"] == "中共西昌市委书记李俊"
    assert row["passage_traditional"] == "中共西昌市委書記李俊"
    assert row["speaker"] == "李俊"
    assert row["coder"] == os.environ["SPEECHREADER_CODER"]
