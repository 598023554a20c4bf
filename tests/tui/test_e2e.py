"""End to end: the installed ``speechreader`` in a real terminal (tmux), then its CSV export.

A person opens the Xichang speech, selects a sentence with the keys, tags it, quits;
``speechreader export`` must then have that row. Then a day's coding run: the codebook's
组织 applied by typing 組織 in the picker, a title edited in the library, the standard
switched with c and still there after a restart, a search hit opened in the upper third
of the screen. Driven by ../shared/tools/tui-drive.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from speechreader.core.store import Store
from tests.conftest import SHARED

TUI_DRIVE = SHARED / "tools" / "tui-drive"
EXE = Path(sys.executable).with_name("speechreader")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux"),
    pytest.mark.skipif(not TUI_DRIVE.exists(), reason="needs ../shared/tools/tui-drive"),
    pytest.mark.skipif(not EXE.exists(), reason="needs the installed speechreader script"),
]

# Open the Xichang speech (the library's second row, by date), select a sentence, t.
TAG_A_XICHANG_SENTENCE = """\
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
"""

STEPS = (
    TAG_A_XICHANG_SENTENCE
    + """\
type 领导讲话
wait 0.3
key Enter
expect Tagged 领导讲话
snap
key q
"""
)


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


def drive(steps: str, corpus: Path, db: Path, size: str = "120x40") -> str:
    """``speechreader open`` in tmux, driven by ``steps``; the screens tui-drive printed."""
    env_args = []
    # Every folder said outright, STATE too (the remembered views live there): the
    # pane's environment is the tmux server's, and the server may have been started by
    # another test process with other folders.
    for name in ("SPEECHREADER_CACHE_DIR", "SPEECHREADER_DATA_DIR", "SPEECHREADER_CONFIG_DIR",
                 "SPEECHREADER_STATE_DIR", "SPEECHREADER_CODER"):  # fmt: skip
        env_args += ["--env", f"{name}={os.environ[name]}"]
    # The size said outright: that environment may carry COLUMNS=80 and LINES=24, which
    # the app would take over the terminal's own size.
    width, height = size.split("x")
    env_args += ["--env", f"COLUMNS={width}", "--env", f"LINES={height}"]
    run = subprocess.run(
        [sys.executable, str(TUI_DRIVE), "--size", size, "--timeout", "30", *env_args,
         "--", str(EXE), "open", str(corpus), "--db", str(db)],
        input=steps, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Traceback" not in run.stdout
    return run.stdout


def last_snap(output: str) -> list[str]:
    """The rows of the last screen tui-drive printed for a ``snap`` step."""
    screen = output.rsplit("----- screen (snap) -----\n", 1)[1]
    return screen.split("\n----- ", 1)[0].split("\n")


def hit_row(rows: list[str], text: str) -> int | None:
    """The screen row on which ``text`` starts in the left pane, read across wrapped rows."""
    joined, starts = "", []
    for row in rows:
        starts.append(len(joined))
        joined += row.split("▕")[0].strip()
    at = joined.find(text)
    if at < 0:
        return None
    return max(i for i, start in enumerate(starts) if start <= at)


# The library lists the sample by date: the second row is the Xichang speech.
CODE_ACROSS_SCRIPTS = (
    TAG_A_XICHANG_SENTENCE
    + """\
type 組織
expect + Create tag “組織”
key Enter
expect Tagged 组织
key Escape
expect Coded
"""
)

# The title is saved after a pause: a person reads the field before ctrl+s.
EDIT_TITLE = """\
key e
expect metadata.csv
key C-u
type 西昌讲话(编辑)
wait 0.5
key C-s
expect Title saved to metadata.csv
expect 西昌讲话(编辑)
"""

SWITCH_STANDARD = """\
key Enter
expect 主力军
key c
expect s2tw
key q
"""

# After a restart: the standard is still Taiwan's; a search for 一亩三分地 (simplified)
# finds 一畝三分地 9,069 characters into the traditional undated speech.
NEXT_MORNING = """\
expect 李俊
key Down
key Enter
expect 主力军
expect simplified · taiwan
key C-f
expect Search
type 一亩三分地
expect 1 hit in 1 document
key Enter
wait 0.5
key Enter
expect 三級幹部大會發言大綱
wait 0.5
snap
key q
"""


def test_a_coding_day_picker_across_scripts_title_standard_and_a_jump(sample_corpus, tmp_path):
    db = tmp_path / "day.srdb"
    with Store(db, coder=os.environ["SPEECHREADER_CODER"]) as store:
        store.add_tag("经济")
        store.add_tag("组织")
    speech = sample_corpus / "2018-06-07_li-jun_xichang.txt"
    before = speech.read_bytes()

    drive(CODE_ACROSS_SCRIPTS + EDIT_TITLE + SWITCH_STANDARD, sample_corpus, db)
    rows = last_snap(drive(NEXT_MORNING, sample_corpus, db))

    # The row where the hit starts, in the left pane (simplified; the hit may wrap):
    # within the upper third of the 40 rows.
    row = hit_row(rows, "一亩三分地")
    assert row is not None, "\n".join(rows)
    assert row < 40 / 3, f"the hit starts on row {row} of 40:\n" + "\n".join(rows)
    assert "simplified · OpenCC tw2s" in rows[1]  # the remembered standard reads it too

    with Store(db, readonly=True) as store:
        assert [t.name for t in store.tags()] == ["经济", "组织"]  # no 組織 beside 组织
        coded = [(a.doc_id, a.start, a.end, a.tags) for a in store.all()]
    assert coded == [("2018-06-07_li-jun_xichang", 68, 78, ["组织"])]
    with open(sample_corpus / "metadata.csv", encoding="utf-8", newline="") as handle:
        titles = {row["file"]: row["title"] for row in csv.DictReader(handle)}
    assert titles["2018-06-07_li-jun_xichang.txt"] == "西昌讲话(编辑)"
    assert speech.read_bytes() == before  # the speech itself is never written
