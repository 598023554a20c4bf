"""A command that cannot get the database's lock says so in one line (exit 2), naming who has it."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from speechreader.core.store import Store

REPO = Path(__file__).resolve().parents[2]
XICHANG = "2018-06-07_li-jun_xichang"

HOLDER = """
    import sys
    from pathlib import Path
    from speechreader.core.store._locking import DbLock

    with DbLock(Path(sys.argv[1]) / "local" / "lock", timeout=60).hold():
        print("held", flush=True)
        sys.stdin.readline()  # until the test says so
"""


def test_tag_while_another_program_writes_says_who_and_how_long_it_waited(
    tmp_path, isolated_dirs, sample_corpus
):
    db = tmp_path / "db"
    Store(db, coder="amy").close()
    script = tmp_path / "importer.py"
    script.write_text(textwrap.dedent(HOLDER), encoding="utf-8")
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "SPEECHREADER_CORPUS": str(sample_corpus),
        "SPEECHREADER_DB": str(db),
        "SPEECHREADER_LOCK_TIMEOUT": "0.3",
    }
    holder = subprocess.Popen(
        [sys.executable, str(script), str(db)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline() == "held\n"
        command = [sys.executable, "-m", "speechreader", "tag", XICHANG, "0", "4", "--tag", "x"]
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert result.stdout == ""
        assert result.stderr == (
            f"speechreader: error: could not get the lock on the database {db} within 0.3 s: "
            f"another program, pid {holder.pid} (importer.py), is writing to it "
            "(try again, or check `speechreader doctor`)\n"
        )
        holder.stdin.write("done\n")
        holder.stdin.close()
        assert holder.wait(60) == 0
        again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
        assert again.returncode == 0, again.stderr
    finally:
        holder.kill()
        holder.wait()
    with Store(db, coder="tester", readonly=True) as store:
        assert store.counts_by_document() == {XICHANG: 1}
